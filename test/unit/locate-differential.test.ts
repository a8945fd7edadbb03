/**
 * Positions from js-yaml's events and from the line reader must be exactly the positions `yaml` gives:
 * for every key and value of real manifests (the examples, the schema and
 * policy fixtures, generated documents), both targets, the two must agree
 * wherever the event locator answers.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvents } from 'js-yaml';
import type { PathSegment } from '../../src/core/findings';
import { splitDocuments } from '../../src/core/manifest';
import { eventLocator } from '../../src/core/manifest/events';
import { lineLocator } from '../../src/core/manifest/lines';
import { parsePrecise } from '../../src/core/manifest/precise';

const ROOT = join(__dirname, '..', '..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

function* paths(value: unknown, prefix: PathSegment[] = []): Generator<PathSegment[]> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      yield [...prefix, i];
      yield* paths(value[i], [...prefix, i]);
    }
  } else if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      yield [...prefix, k];
      yield* paths((value as Record<string, unknown>)[k], [...prefix, k]);
    }
  }
}

describe('positions from js-yaml events and from the line reader agree with yaml', () => {
  it('on every key and value of the examples and the test fixtures', () => {
    const files = [...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test', 'fixtures'))];
    let compared = 0;
    let linesTook = 0;
    let documents = 0;
    let answered = 0;
    const problems: string[] = [];
    for (const file of files) {
      for (const slice of splitDocuments(readFileSync(file, 'utf8'))) {
        documents++;
        let events;
        try {
          events = parseEvents(slice.text, { maxDepth: 100 });
        } catch {
          continue; // broken on purpose: the precise path handles it
        }
        const precise = parsePrecise(slice.text, { maxFlowDepth: 100, maxAliasCount: 100 });
        if (!precise.ok) continue;
        const fromLines = lineLocator(slice.text, 100);
        if (fromLines) linesTook++;
        const locators = [['events', eventLocator(slice.text, events)], ...(fromLines ? [['lines', fromLines] as const] : [])] as const;
        for (const path of [[], ...paths(precise.value), ['missing'], ...[...paths(precise.value)].slice(0, 5).map((p) => [...p, 'nope'])]) {
          for (const target of ['key', 'value'] as const) {
            for (const [name, locate] of locators) {
              compared++;
              const got = locate(path, target);
              if (!got) continue;
              answered++;
              const expected = precise.locate(path, target);
              try {
                assert.deepEqual(got, expected);
              } catch {
                problems.push(`${file.slice(ROOT.length + 1)} doc ${slice.index} ${JSON.stringify(path)} ${target}: ${name} ${JSON.stringify(got)} vs yaml ${JSON.stringify(expected)}`);
              }
            }
          }
        }
      }
    }
    assert.deepEqual(problems.slice(0, 8), [], `${problems.length} disagreement(s)`);
    assert.ok(answered > compared * 0.8, `the locators answer most lookups (${answered} of ${compared})`);
    assert.ok(linesTook > documents * 0.6, `the line locator takes most documents (${linesTook} of ${documents})`);
  });
});
