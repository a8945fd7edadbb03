/**
 * Parse errors that say where and why, never what: V8's JSON.parse message quotes
 * the first characters of the text (`Unexpected token 'r', "root:x:0:0:"... is not
 * valid JSON`) and the yaml package's message carries a code frame of the lines
 * around the error. A file that fails to parse may be one the repository should not
 * have made us read, and the message travels to terminals and to SARIF uploaded to
 * code scanning: it gets a position and a generic reason only.
 */
import { parse as parseYaml, YAMLError } from 'yaml';

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** `not valid JSON (line 3, column 7)`, from a JSON.parse error, without any of the text. */
export function jsonSyntaxMessage(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (/Unexpected end of JSON input/.test(message)) return 'not valid JSON (it ends too early)';
  if (position === undefined) return 'not valid JSON';
  const { line, column } = lineColumn(text, Number(position));
  return `not valid JSON (line ${line}, column ${column})`;
}

/** `not valid YAML (line 3, column 7: BAD_INDENT)`, from a yaml error (and the text, for the position), without the code frame. */
export function yamlSyntaxMessage(err: unknown, text?: string): string {
  if (err instanceof YAMLError) {
    const at = err.linePos?.[0] ?? (text !== undefined ? ((p) => ({ line: p.line, col: p.column }))(lineColumn(text, err.pos[0])) : undefined);
    return `not valid YAML (${at ? `line ${at.line}, column ${at.col}: ` : ''}${err.code})`;
  }
  if (err instanceof ReferenceError && /alias/i.test(err.message)) return 'not valid YAML (too many aliases)';
  return 'not valid YAML';
}

/** JSON.parse that throws an Error carrying only `jsonSyntaxMessage`. */
export function parseJsonQuietly(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(jsonSyntaxMessage(err, text));
  }
}

/** YAML parse (one document) that throws an Error carrying only `yamlSyntaxMessage`. */
export function parseYamlQuietly(text: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: false, maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw new Error(yamlSyntaxMessage(err, text));
  }
}
