/** Writes the JSON Schemas generated from zod models (`npm run schema`): the config and the Paved Road Policy format. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../src/core/config/model';
import { policyJsonSchema } from '../src/core/policy/team/model';

export const CONFIG_SCHEMA_FILE = join(__dirname, '..', 'schemas', 'paved-road-config.schema.json');
export const POLICY_SCHEMA_FILE = join(__dirname, '..', 'schemas', 'project', 'paved-road-policy.json');

export function renderConfigSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

export function renderPolicySchema(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(CONFIG_SCHEMA_FILE, renderConfigSchema());
  writeFileSync(POLICY_SCHEMA_FILE, renderPolicySchema());
  console.log(`wrote ${CONFIG_SCHEMA_FILE} and ${POLICY_SCHEMA_FILE}`);
}
