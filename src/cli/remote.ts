/**
 * Whether the CLI fetches the remote sources a repository names (git and https
 * policy sources, schema and CRD URLs). The CLI, the hook and the Action have no
 * Workspace Trust: what `.paved-road.yaml` or a modeline says comes from whoever
 * wrote the repository, or the pull request. So fetching is an opt-in made
 * outside the repository, by the person or the CI job running the check:
 *  1. `--allow-remote-sources` on the command line;
 *  2. `PAVED_ROAD_ALLOW_REMOTE_SOURCES=1` in the environment (`=0` turns it off,
 *     whatever the user config says);
 *  3. `allowRemoteSources: true` in the user config, `$XDG_CONFIG_HOME/paved-road/config.yaml`
 *     (default `~/.config/paved-road/config.yaml`).
 * Without it, each source skipped is a warning on its config entry (never a silent pass).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

export const ALLOW_REMOTE_ENV = 'PAVED_ROAD_ALLOW_REMOTE_SOURCES';

/** How a skipped source says what to do (plain text: a finding message). */
export const REMOTE_DENIED =
  'remote sources named by a repository are fetched only when you allow it outside the repository (pass --allow-remote-sources, set PAVED_ROAD_ALLOW_REMOTE_SOURCES=1, or put allowRemoteSources: true in $XDG_CONFIG_HOME/paved-road/config.yaml)';

export function userConfigPath(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return join(base, 'paved-road', 'config.yaml');
}

/** The user config's `allowRemoteSources`, read only from a small regular file (anything else: not set). */
function fromUserConfig(path: string): boolean | undefined {
  let fd: number | undefined;
  try {
    // non-blocking: a FIFO put there opens at once (and is then refused as not a regular file)
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > 64 * 1024) return undefined;
    const buffer = Buffer.alloc(st.size);
    const n = readSync(fd, buffer, 0, st.size, 0);
    const value = parseYaml(buffer.subarray(0, n).toString('utf8'), { maxAliasCount: 10 }) as unknown;
    if (value && typeof value === 'object' && 'allowRemoteSources' in value) {
      const allow = (value).allowRemoteSources;
      return typeof allow === 'boolean' ? allow : undefined;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether this run may fetch remote sources: the flag, else the environment, else the user config. */
export function remoteSourcesAllowed(flag: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  if (flag === true) return true;
  const fromEnv = env[ALLOW_REMOTE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return /^(1|true|yes)$/i.test(fromEnv);
  return fromUserConfig(userConfigPath(env)) === true;
}
