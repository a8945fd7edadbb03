/**
 * Regular expressions a repository or a manifest supplies (schema `pattern`s,
 * CEL `matches()`/`find()`, Kyverno `regex_match`) run on RE2 (re2js, a pure
 * JavaScript port: linear time in the input, no native build per platform), so
 * that `^(a+)+$` on a long string cannot hang a check. JavaScript's own RegExp
 * backtracks: `^(a+)+$` on 30 characters takes seconds, each one more doubles it.
 */
import { RE2JS } from 're2js';

/** What the evaluators need of a compiled expression. */
export interface SafeRegExp {
  /** Whether it matches anywhere in `text` (unanchored, as `RegExp.test`). */
  test(text: string): boolean;
  /** The first match (`[0]` is the match, then the groups), or null. */
  exec(text: string): RegExpMatchArray | null;
  /** Every non-overlapping match, left to right. */
  matchAll(text: string): Iterable<RegExpMatchArray>;
  /** `text` with every match replaced by what `replace` returns for it. */
  replaceAll(text: string, replace: (match: RegExpMatchArray) => string): string;
}

/** A pattern that does not compile: `reason` says why. */
export class InvalidPattern extends Error {
  constructor(
    readonly pattern: string,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidPattern';
  }
}

const cache = new Map<string, SafeRegExp>();

function wrap(re: RE2JS): SafeRegExp {
  return {
    test: (text) => re.test(text),
    exec: (text) => re.exec(text) as RegExpMatchArray | null,
    matchAll: (text) => re.matchAll(text),
    replaceAll: (text, replace) => {
      let out = '';
      let last = 0;
      for (const m of re.matchAll(text)) {
        const at = m.index ?? 0;
        out += text.slice(last, at) + replace(m);
        last = at + m[0].length;
      }
      return out + text.slice(last);
    },
  };
}

function cached(key: string, make: () => SafeRegExp): SafeRegExp {
  let re = cache.get(key);
  if (!re) {
    re = make();
    // bounded: patterns come from files, but a long editor session sees many
    if (cache.size > 2_000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/^error parsing regexp: /, '');
}

/**
 * A pattern in RE2's syntax (Go's `regexp`: CEL, Kyverno), with a leading
 * `(?i)`-style flag group as RE2 reads it. Throws an Error saying why it is
 * not a valid RE2 expression.
 */
export function re2(pattern: string): SafeRegExp {
  return cached(`re2\u0000${pattern}`, () => {
    try {
      return wrap(RE2JS.compile(pattern));
    } catch (err) {
      throw new InvalidPattern(pattern, message(err), `invalid regular expression ${pattern}: ${message(err)}`);
    }
  });
}

/** JavaScript's `\s`: Unicode white space and line terminators (RE2's is ASCII only, without `\v`). */
const JS_SPACE = '\\t\\n\\v\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';

/**
 * `\s`, `\S` and `.` as JavaScript reads them (`.` matches no line terminator,
 * RE2's only excludes `\n`). `\S` inside a class stays RE2's.
 */
function jsClasses(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      i++;
      if (next === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === 'S' && !inClass) out += `[^${JS_SPACE}]`;
      else out += c + next;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      // JavaScript's [] matches nothing and [^] anything (RE2 would read the ] as a member)
      if (source[i + 1] === ']') {
        out += '[^\\x{0}-\\x{10FFFF}]';
        i++;
        continue;
      }
      if (source[i + 1] === '^' && source[i + 2] === ']') {
        out += '[\\x{0}-\\x{10FFFF}]';
        i += 2;
        continue;
      }
      inClass = true;
    } else if (c === '.') {
      out += '[^\\n\\r\\x{2028}\\x{2029}]';
      continue;
    }
    out += c;
  }
  return out;
}

/**
 * A pattern written for JavaScript (JSON Schema's `pattern`, ECMA-262) run on
 * RE2: `\u` escapes and `(?<name>)` groups are translated. Throws for what RE2
 * cannot run in linear time (lookaround, back-references).
 */
export function re2FromJs(pattern: string): SafeRegExp {
  return cached(`js\u0000${pattern}`, () => {
    try {
      return wrap(RE2JS.compile(jsClasses(RE2JS.translateRegExp(pattern))));
    } catch (err) {
      throw new InvalidPattern(pattern, message(err), `the pattern ${pattern} cannot run on RE2: ${message(err)}`);
    }
  });
}

/**
 * Whether JavaScript's backtracking engine is safe for a pattern RE2 cannot
 * run (a lookahead, as in `^(?!\.\.?$)[a-z.]+$`): no back-reference, no
 * quantified group that holds a quantifier or an alternative, and at most two
 * quantifiers that vary in length, so no input makes it backtrack beyond
 * a small power of its length. Conservative: it refuses some safe patterns.
 */
export function backtrackingIsSafe(pattern: string): boolean {
  if (/\\[1-9]|\\k</.test(pattern)) return false;
  let variable = 0;
  // each open group: whether it holds a quantifier or an alternative
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') {
      groups.push(false);
      if (pattern[i + 1] === '?') i++; // (?:  (?=  (?!  (?<  — the '?' is no quantifier
    } else if (c === ')') {
      const inner = groups.pop() ?? false;
      const q = quantifierAt(pattern, i + 1);
      if (q && inner) return false;
      if (inner && groups.length) groups[groups.length - 1] = true;
    } else if (c === '|') {
      if (groups.length) groups[groups.length - 1] = true;
    } else {
      const q = quantifierAt(pattern, i);
      if (q) {
        if (q.variable && ++variable > 2) return false;
        if (groups.length) groups[groups.length - 1] = true;
        i += q.length - 1;
      }
    }
  }
  return true;
}

function quantifierAt(pattern: string, i: number): { length: number; variable: boolean } | undefined {
  const c = pattern[i];
  if (c === '*' || c === '+' || c === '?') return { length: pattern[i + 1] === '?' ? 2 : 1, variable: true };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}\??/.exec(pattern.slice(i));
    if (m) return { length: m[0].length, variable: m[2] !== undefined && m[3] !== m[1] };
  }
  return undefined;
}

/** Lookaround and back-references: what RE2 has not. */
const NEEDS_BACKTRACKING = /\(\?<?[=!]|\\[1-9]|\\k</;

/** Set while a bundled schema compiles (`trustingPatterns`). */
let trusted = false;

/**
 * Runs `fn` (a compile of a schema Paved Road ships) with its patterns trusted:
 * one RE2 cannot run uses JavaScript's engine without the safety check. Every
 * such pattern of the bundled schemas is listed and reviewed in
 * test/unit/budgets.test.ts.
 */
export function trustingPatterns<T>(fn: () => T): T {
  const before = trusted;
  trusted = true;
  try {
    return fn();
  } finally {
    trusted = before;
  }
}

function engine(pattern: string, u: string, trust: boolean): { test(text: string): boolean; toString(): string } {
  let test: ((text: string) => boolean) | undefined;
  const compile = (): ((text: string) => boolean) => {
    try {
      const re = re2FromJs(pattern);
      return (text) => re.test(text);
    } catch (err) {
      if (!trust && !backtrackingIsSafe(pattern)) {
        throw new Error(`${err instanceof Error ? err.message : String(err)}; on a backtracking engine it could run for hours, so the schema is not used`);
      }
      const native = new RegExp(pattern, u);
      return (text) => native.test(text);
    }
  };
  // a pattern RE2 cannot run is decided when the schema compiles; the others compile on first use
  // (RE2 takes milliseconds to compile one: a precompiled validator loads without paying for every pattern)
  if (NEEDS_BACKTRACKING.test(pattern)) test = compile();
  return { test: (text) => (test ??= compile())(text), toString: () => `/${pattern}/${u}` };
}

/**
 * ajv's `code.regExp` engine: schema patterns on RE2; a pattern RE2 cannot run
 * runs on JavaScript's engine only when `backtrackingIsSafe` says it may (or in
 * a bundled schema, `trustingPatterns`), and otherwise makes the schema fail to
 * compile, with a message naming the pattern.
 */
export const schemaRegExp = Object.assign((pattern: string, u: string) => engine(pattern, u, trusted), { code: 'require("paved-road/runtime").schemaRegExp' });

/** The engine of the validators precompiled from the bundled schemas (`precompile.ts`): their patterns are trusted. */
export const bundledRegExp = Object.assign((pattern: string, u: string) => engine(pattern, u, true), { code: 'require("paved-road/runtime").bundledRegExp' });
