/** Checks that only make sense for Kubernetes manifests. */
import { isScalar, isSeq, visit } from 'yaml';
import type { Node } from 'yaml';
import type { Finding, PathSegment } from '../findings';
import type { ParsedDocument } from '../manifest';
import { shiftRange } from '../manifest';

/** Plain scalars that are strings in YAML 1.2 but booleans in YAML 1.1, which Kubernetes reads. */
const YAML11_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const PREFILTER = /(?::|-|,|\[)[ \t]+(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)[ \t]*(?:[,\]}#\r\n]|$)/m;
const TRUTHY = /^(?:y|yes|on)$/i;

/**
 * Kubernetes reads manifests as YAML 1.1, where an unquoted `yes`, `no`, `on`
 * or `off` is a boolean (`country: NO` is `false` there). A cheap text check
 * first; only documents that may have one are parsed with positions.
 */
export function yaml11Booleans(doc: ParsedDocument): Finding[] {
  if (!PREFILTER.test(doc.slice.text)) return [];
  const precise = doc.precise();
  if (!precise.doc) return [];
  const findings: Finding[] = [];
  visit(precise.doc, {
    Scalar(key, node, ancestry) {
      if (key === 'key' || node.type !== 'PLAIN' || typeof node.source !== 'string' || !YAML11_BOOLEAN.test(node.source) || !node.range) return;
      const path = pathOf(ancestry, node);
      const text = node.source;
      findings.push({
        ruleId: 'yaml/yaml11-boolean',
        severity: 'warning',
        message: `Kubernetes reads the unquoted '${text}' as the boolean ${TRUTHY.test(text) ? 'true' : 'false'} (YAML 1.1), not as the string "${text}". Quote it, or write ${TRUTHY.test(text) ? 'true' : 'false'}.`,
        range: shiftRange({ start: precise.positionAt(node.range[0]), end: precise.positionAt(node.range[1]) }, doc.slice.line),
        data: { path, property: text },
      });
    },
  });
  return findings;
}

function pathOf(ancestry: readonly unknown[], node: Node): PathSegment[] {
  const path: PathSegment[] = [];
  let child: unknown = node;
  for (let i = ancestry.length - 1; i >= 0; i--) {
    const parent = ancestry[i];
    if (isSeq(parent)) {
      path.unshift(parent.items.indexOf(child));
    } else if (parent && typeof parent === 'object' && 'key' in parent && 'value' in parent) {
      const k = (parent as { key: unknown }).key;
      path.unshift(isScalar(k) ? String(k.value) : String(k));
    }
    // a mapping adds nothing (its pair did), nor does the document
    child = parent;
  }
  return path;
}
