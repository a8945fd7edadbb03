/** Writes schemas/paved-road-config.schema.json from the zod model (`npm run schema`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../src/core/config/model';

export const CONFIG_SCHEMA_FILE = join(__dirname, '..', 'schemas', 'paved-road-config.schema.json');

export function renderConfigSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(CONFIG_SCHEMA_FILE, renderConfigSchema());
  console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
}
