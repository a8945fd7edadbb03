import { strict as assert } from 'node:assert';
import { SchemaValidator } from '../../src/core/schema/validator';
import { formatPath, pointerToPath } from '../../src/core/schema/messages';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'spec'],
  properties: {
    kind: { type: 'string', enum: ['Deployment', 'StatefulSet'] },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        replicas: { type: 'integer', minimum: 0 },
        port: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[a-z]+$' }] },
        volume: {
          anyOf: [
            { type: 'object', additionalProperties: false, required: ['path'], properties: { path: { type: 'string' } } },
            { type: 'object', additionalProperties: false, required: ['claim'], properties: { claim: { type: 'string' }, readOnly: { type: 'boolean' } } },
          ],
        },
        source: { $ref: '#/definitions/source' },
        name: { type: 'string', minLength: 1, pattern: '^[a-z-]+$', patternErrorMessage: 'must be lowercase letters and dashes' },
      },
    },
  },
  definitions: {
    source: {
      anyOf: [
        { $ref: '#/definitions/gitSource' },
        { type: 'object', additionalProperties: false, required: ['url'], properties: { url: { type: 'string' } } },
      ],
    },
    gitSource: { type: 'object', additionalProperties: false, required: ['git'], properties: { git: { type: 'string' }, ref: { type: 'string' } } },
  },
};

function issues(value: unknown) {
  const v = new SchemaValidator({ strict: true });
  v.add('test', schema);
  return v.validateValue('test', value).map((i) => ({ rule: i.ruleId, path: formatPath(i.path), message: i.message }));
}

describe('schema messages', () => {
  it('says what type was expected and what was found', () => {
    assert.deepEqual(issues({ kind: 'Deployment', spec: { replicas: '3' } }), [
      { rule: 'schema/type', path: 'spec.replicas', message: `'spec.replicas' must be an integer, got the string "3".` },
    ]);
  });

  it('suggests the closest property for an unknown one and does not also report it missing', () => {
    const out = issues({ kind: 'Deployment', spec: { replica: 3 } });
    assert.deepEqual(out, [{ rule: 'schema/additionalProperties', path: 'spec.replica', message: "Unknown property 'replica' — did you mean 'replicas'?" }]);
    const typoInRequired = issues({ knd: 'Deployment', spec: {} });
    assert.deepEqual(typoInRequired.map((i) => i.message), ["Unknown property 'knd' — did you mean 'kind'?"]);
  });

  it('lists the allowed values of an enum and the likely one', () => {
    const [i] = issues({ kind: 'Deploymnet', spec: {} });
    assert.equal(i?.message, `'kind' must be one of 'Deployment' or 'StatefulSet', got the string "Deploymnet". Did you mean 'Deployment'?`);
  });

  it('collapses anyOf noise into one finding from the most likely branch', () => {
    // wrong type for every branch: one message naming both types
    assert.deepEqual(issues({ kind: 'Deployment', spec: { port: true } }).map((i) => i.message), [
      "'spec.port' must be an integer or a string, got 'true'.",
    ]);
    // the object branch that fits best explains the problem
    assert.deepEqual(issues({ kind: 'Deployment', spec: { volume: { claim: 'data', readOnly: 'yes' } } }), [
      { rule: 'schema/type', path: 'spec.volume.readOnly', message: `'spec.volume.readOnly' must be 'true' or 'false', got the string "yes".` },
    ]);
  });

  it('collapses unions whose branches are $refs', () => {
    assert.deepEqual(issues({ kind: 'Deployment', spec: { source: { git: 'x', reff: 'main' } } }).map((i) => i.message), [
      "Unknown property 'reff' — did you mean 'ref'?",
    ]);
  });

  it('uses patternErrorMessage when the schema gives one', () => {
    const out = issues({ kind: 'Deployment', spec: { name: 'Web_App' } });
    assert.deepEqual(out.map((i) => i.message), [`'spec.name' must be lowercase letters and dashes, got the string "Web_App".`]);
  });

  it('reports missing required properties on the object that lacks them', () => {
    const out = issues({ kind: 'Deployment' });
    assert.deepEqual(out, [{ rule: 'schema/required', path: '', message: "Missing required property 'spec'." }]);
  });

  it('converts JSON pointers to paths and back to readable text', () => {
    assert.deepEqual(pointerToPath('/a~1b/0/c~0d'), ['a/b', 0, 'c~d']);
    assert.equal(formatPath(['spec', 'containers', 0, 'image']), 'spec.containers[0].image');
    assert.equal(formatPath(['rules', 'k8s/no-root']), 'rules["k8s/no-root"]');
  });
});

describe('schema messages for exclusive keys and key names', () => {
  const schema = {
    type: 'object',
    properties: {
      sli: { type: 'object', oneOf: [{ required: ['raw'] }, { required: ['events'] }], properties: { raw: { type: 'object' }, events: { type: 'object' } } },
      labels: { type: 'object', propertyNames: { pattern: '^[a-z]+$' } },
    },
  };
  const messages = (value: unknown) => {
    // strict mode would ask each oneOf branch to declare the property it requires; real schemas do
    const v = new SchemaValidator({ strict: false });
    v.add('x', schema);
    return v.validateValue('x', value).map((i) => i.message);
  };
  it('names the keys of an exactly-one-of choice', () => {
    assert.deepEqual(messages({ sli: { raw: {}, events: {} } }), ["'sli' may have only one of 'raw' or 'events'; it has 'raw' and 'events'."]);
  });
  it('reports a bad key name once', () => {
    assert.deepEqual(messages({ labels: { Team: 'x' } }), ["'Team' is not an allowed key in 'labels'."]);
  });
});
