import { strict as assert } from 'node:assert';
import { closestMatch, codeList, editDistance } from '../../src/core/util/text';

describe('text helpers', () => {
  it('counts a transposition of neighbours as one edit', () => {
    assert.equal(editDistance('erorr', 'error'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });
  it('suggests the closest candidate only when it is a likely typo', () => {
    assert.equal(closestMatch('replica', ['replicas', 'selector']), 'replicas');
    assert.equal(closestMatch('Schemas', ['schemas']), 'schemas');
    assert.equal(closestMatch('zzz', ['replicas', 'selector']), undefined);
  });
  it('lists values for messages and cuts long lists', () => {
    assert.equal(codeList(['a', 'b', 'c']), "'a', 'b' or 'c'");
    assert.match(codeList(Array.from({ length: 12 }, (_, i) => `v${i}`)), /… \(12 in all\)$/);
  });
});
