/**
 * Writes the README parts generated from the sources (`npm run docs`):
 * the Settings table, from package.json's contributes.configuration.
 * A unit test fails when the README is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const README_FILE = join(__dirname, '..', 'README.md');
const PACKAGE_FILE = join(__dirname, '..', 'package.json');

interface SettingSchema {
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  scope?: string;
  description?: string;
  markdownDescription?: string;
}

const START = '<!-- settings:start (generated from package.json by `npm run docs`; do not edit) -->';
const END = '<!-- settings:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();
}

function formatDefault(value: unknown): string {
  if (value === undefined) return '—';
  const json = JSON.stringify(value);
  return `\`${json}\``;
}

/** The Markdown table of every setting the extension contributes. */
export function settingsTable(pkg: { contributes?: { configuration?: { properties?: Record<string, SettingSchema> } } }, restricted: readonly string[] = []): string {
  const properties = pkg.contributes?.configuration?.properties ?? {};
  const rows = Object.entries(properties).map(([key, schema]) => {
    const type = Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? '');
    const range: string[] = [];
    if (schema.enum) range.push(schema.enum.map((v) => `\`${String(v)}\``).join(', '));
    if (schema.minimum !== undefined || schema.maximum !== undefined) range.push(`${schema.minimum ?? ''}–${schema.maximum ?? ''}`);
    const notes = [schema.scope ? `scope: ${schema.scope}` : '', restricted.includes(key) ? 'restricted in untrusted workspaces' : ''].filter(Boolean).join('; ');
    const description = schema.markdownDescription ?? schema.description ?? '';
    return `| \`${key}\` | ${type}${range.length ? ` (${range.join('; ')})` : ''} | ${formatDefault(schema.default)} | ${cell(description)}${notes ? ` *(${notes})*` : ''} |`;
  });
  return ['| Setting | Type | Default | What it does |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The README with its generated Settings table brought up to date. */
export function renderReadme(readme: string, packageJson: string): string {
  const pkg = JSON.parse(packageJson) as Parameters<typeof settingsTable>[0] & {
    capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: string[] } };
  };
  const block = `${START}\n${settingsTable(pkg, pkg.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? [])}\n${END}`;
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start >= 0 && end > start) return readme.slice(0, start) + block + readme.slice(end + END.length);
  const heading = readme.indexOf('\n## Settings\n');
  if (heading < 0) throw new Error('README.md has no "## Settings" section');
  const at = heading + '\n## Settings\n'.length;
  return `${readme.slice(0, at)}\n${block}\n${readme.slice(at)}`;
}

export function currentReadme(): { actual: string; expected: string } {
  const actual = readFileSync(README_FILE, 'utf8');
  return { actual, expected: renderReadme(actual, readFileSync(PACKAGE_FILE, 'utf8')) };
}

if (require.main === module) {
  const { actual, expected } = currentReadme();
  if (actual !== expected) writeFileSync(README_FILE, expected);
  console.log(actual === expected ? 'README.md is up to date' : 'wrote the Settings table of README.md');
}
