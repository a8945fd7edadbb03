/**
 * The `yaml-language-server` modeline, read exactly as Red Hat YAML reads it: a
 * comment among the comments before a document's content,
 * `# yaml-language-server: $schema=<path|url|none>` or `# $schema: <path|url>`.
 * Paved Road honours the same lines, so a file means the same in both.
 */
export function modelineSchema(docText: string): string | undefined {
  // line by line up to the first content (most documents start with it: no split of the whole text)
  for (let at = 0; at <= docText.length; ) {
    const nl = docText.indexOf('\n', at);
    const raw = docText.slice(at, nl < 0 ? docText.length : nl);
    at = nl < 0 ? docText.length + 1 : nl + 1;
    const line = raw.replace(/^---(?=\s|$)/, '').trim();
    if (line === '' || line.startsWith('%')) continue;
    if (!line.startsWith('#')) return undefined;
    if (/^#\s+(?:yaml-language-server\s*:|\$schema:)/.test(line)) {
      const m = /\$schema(?:=|:[^\S\r\n]*)(\S+)/.exec(line);
      if (m?.[1]) return m[1];
    }
  }
  return undefined;
}

/** apiVersion, kind and version read from lines, for a document that does not parse yet (the user is typing). */
export function roughValue(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^(apiVersion|kind|version):[ \t]*["']?([^"'#\s]+)/gm)) if (m[1] && m[2]) out[m[1]] = m[2];
  return out;
}
