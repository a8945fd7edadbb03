/** README parts generated from the sources stay current. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentReadme, renderReadme, settingsTable } from '../../scripts/generate-docs';

describe('generated README parts', () => {
  it('the Settings section lists every setting of package.json, as npm run docs writes it', () => {
    const { actual, expected } = currentReadme();
    assert.ok(actual === expected, 'README.md Settings section is out of date: run npm run docs');
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } };
    for (const key of Object.keys(pkg.contributes.configuration.properties)) assert.ok(actual.includes(`| \`${key}\` |`), `${key} is missing from the README`);
  });

  it('a setting added to package.json makes the README out of date until it is regenerated', () => {
    const { actual } = currentReadme();
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } };
    pkg.contributes.configuration.properties['pavedRoad.example.new'] = { type: 'string', enum: ['a', 'b'], default: 'a', description: 'A | pipe.' };
    const updated = renderReadme(actual, JSON.stringify(pkg));
    assert.notEqual(updated, actual);
    assert.match(updated, /\| `pavedRoad\.example\.new` \| string \(`a`, `b`\) \| `"a"` \| A \\\| pipe\. \|/);
    // regenerating is stable, and nothing outside the block changes
    assert.equal(renderReadme(updated, JSON.stringify(pkg)), updated);
    assert.equal(updated.split('## Settings')[0], actual.split('## Settings')[0]);
  });

  it('marks restricted settings', () => {
    const table = settingsTable({ contributes: { configuration: { properties: { 'x.y': { type: 'object', default: {}, description: 'd' } } } } }, ['x.y']);
    assert.match(table, /restricted in untrusted workspaces/);
  });
});
