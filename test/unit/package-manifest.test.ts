/** What package.json promises: a Node version the runtime dependencies accept. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; dependencies: Record<string, string> };

/** The lowest version of a `>=X[.Y[.Z]]` range; any other range shape fails the test, so it cannot pass by not understanding. */
function lowest(range: string, what: string): [number, number, number] {
  const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  assert.ok(m, `${what}: engines.node "${range}" is not a ">=" range this test understands`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function atLeast(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

describe('package.json', () => {
  it('engines.node is at least what every runtime dependency needs', () => {
    const ours = lowest(pkg.engines.node, 'package.json');
    const needs: string[] = [];
    for (const name of Object.keys(pkg.dependencies)) {
      const dep = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string } };
      const range = dep.engines?.node;
      if (range === undefined || range === '*') continue;
      const theirs = lowest(range, name);
      if (!atLeast(ours, theirs)) needs.push(`${name} needs node ${range}`);
    }
    assert.deepEqual(needs, [], `engines.node ${pkg.engines.node} is too low`);
  });

  it('the Node running the tests is one engines.node allows (CI runs the lowest supported major)', () => {
    const running = process.versions.node.split('.').map(Number);
    assert.ok(atLeast(running, lowest(pkg.engines.node, 'package.json')), `Node ${process.versions.node} is below engines.node ${pkg.engines.node}`);
  });
});
