/** Temporary directory trees for tests that touch the file system. */
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** File name → content (text or bytes), or a nested tree for a directory. */
export interface Tree {
  [name: string]: string | Uint8Array | Tree;
}

/** A new empty directory under the system temp directory (its real path: /tmp may be a link). */
export async function makeTempDir(prefix = 'paved-road-test-'): Promise<string> {
  return realpath(await mkdtemp(join(tmpdir(), prefix)));
}

/** Writes `tree` under `root`; names may contain `/` for nested paths. */
export async function writeTree(root: string, tree: Tree): Promise<void> {
  for (const [name, content] of Object.entries(tree)) {
    const path = join(root, name);
    if (typeof content === 'string' || content instanceof Uint8Array) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    } else {
      await mkdir(path, { recursive: true });
      await writeTree(path, content);
    }
  }
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}
