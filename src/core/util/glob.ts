/**
 * Globs that a repository supplies, matched against names and paths that it
 * also supplies (policy `names:`, `files:`, exemption `paths:`), in linear
 * time: picomatch parses the glob, and its regular expression runs on RE2.
 * On JavaScript's engine picomatch's expressions backtrack: `*a*a*a*a*a*a*b`
 * against 60 characters took a second, each character more multiplies it.
 *
 * RE2 has no lookaround; picomatch uses it only to keep `*` from matching an
 * empty name and, with `dot`, a `.` or `..` segment. Both are dropped: an
 * empty text never matches (as in picomatch), and the names and relative paths
 * matched here hold no `.` or `..` segments. A glob that needs another
 * lookaround (an extglob `!(…)`) is refused with an Error.
 */
import picomatch from 'picomatch';
import { RE2JS } from 're2js';

const DROPPED = ['(?!(?:^|\\/)\\.{1,2}(?:\\/|$))', '(?!\\.{1,2}(?:\\/|$))', '(?=.)'];
const cache = new Map<string, (text: string) => boolean>();

function compileOne(glob: string, options: { dot?: boolean }): (text: string) => boolean {
  const key = `${options.dot ? 1 : 0}${glob}`;
  let test = cache.get(key);
  if (!test) {
    test = compileUncached(glob, options);
    if (cache.size > 2_000) cache.clear();
    cache.set(key, test);
  }
  return test;
}

function compileUncached(glob: string, options: { dot?: boolean }): (text: string) => boolean {
  if (glob.startsWith('!') && !glob.startsWith('!(')) {
    const inner = compileOne(glob.slice(1), options);
    return (text) => !inner(text);
  }
  let source = picomatch.makeRe(glob, { ...options }).source;
  for (const d of DROPPED) source = source.split(d).join('');
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch {
    throw new Error(`the glob ${glob} is not supported (an extglob such as !(...) cannot be matched in linear time)`);
  }
  return (text) => re.test(text);
}

/** A matcher: true when any of `globs` matches `text` (picomatch's answer, in linear time). Throws for an unsupported glob. */
export function globMatcher(globs: string | readonly string[], options: { dot?: boolean } = {}): (text: string) => boolean {
  const tests = (typeof globs === 'string' ? [globs] : globs).map((g) => compileOne(g, options));
  return (text) => text !== '' && tests.some((t) => t(text));
}
