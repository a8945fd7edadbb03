/**
 * Option parsing on `node:util` parseArgs, with the messages a person needs:
 * unknown options with "did you mean", missing values, values outside a set.
 */
import { parseArgs } from 'node:util';
import { closestMatch } from '../core/util/text';
import { UsageError } from './errors';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Allowed values of a string option. */
  values?: readonly string[];
  /** Placeholder in the help, e.g. `file`. */
  valueName?: string;
  /** One line for the help. */
  description: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export type ParsedOptions<S extends OptionSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'string' ? string : boolean;
};

export interface ParsedArgs<S extends OptionSpecs> {
  options: ParsedOptions<S>;
  positionals: string[];
}

/** A likely meant candidate: a close spelling, or the only one that starts with `word` (`warn` → `warning`). */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const close = closestMatch(word, candidates);
  if (close !== undefined || word.length === 0) return close;
  const prefixed = candidates.filter((c) => c.startsWith(word));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** `a, b or c` */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * Parses `args` against `specs`. Throws a `UsageError` (pointing at the help of
 * `command`) for an unknown option, a missing or unexpected value, or a value
 * outside the option's set. `--` ends the options.
 */
export function parseCommandArgs<S extends OptionSpecs>(args: readonly string[], specs: S, command: string | undefined): ParsedArgs<S> {
  const nodeOptions: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    nodeOptions[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
  }
  const { tokens } = parseArgs({ args: [...args], options: nodeOptions, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue; // `--`
    const spec = Object.prototype.hasOwnProperty.call(specs, token.name) ? specs[token.name] : undefined;
    if (!spec) {
      const suggestion = suggest(token.name, Object.keys(specs));
      throw new UsageError(`unknown option '${token.rawName}'${suggestion ? ` — did you mean '--${suggestion}'?` : ''}`, command);
    }
    const display = `--${token.name}`;
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`option '${display}' takes no value`, command);
      values[token.name] = true;
      continue;
    }
    const value = token.value;
    const expected = spec.values ? `: ${orList(spec.values)}` : '';
    if (value === undefined || value === '' || (!token.inlineValue && value.startsWith('-') && value !== '-')) {
      throw new UsageError(`option '${display}' needs a value${expected}`, command);
    }
    if (spec.values && !spec.values.includes(value)) {
      const suggestion = suggest(value, spec.values);
      throw new UsageError(
        `invalid value '${value}' for '${display}': expected ${orList(spec.values)}${suggestion ? ` — did you mean '${suggestion}'?` : ''}`,
        command,
      );
    }
    values[token.name] = value;
  }
  return { options: values as ParsedOptions<S>, positionals };
}
