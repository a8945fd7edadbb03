/**
 * Team policies: the policy files a `.paved-road.yaml` lists, read into rules
 * the engine runs next to the built-in ones. Three formats, one per module:
 * Paved Road `Policy` (CEL), Kubernetes ValidatingAdmissionPolicy (run
 * unchanged) and Kyverno `ClusterPolicy`/`Policy` (a documented subset). A
 * problem with a policy file is a finding on that file; nothing here throws.
 */
import type { Finding } from '../../findings';
import { parseManifest } from '../../manifest';
import { policyDocuments } from '../engine';
import type { Rule } from '../types';
import { kyvernoFormat } from './kyverno';
import { pavedRoadFormat } from './paved';
import type { LoadedPolicies, PolicyFormat, PolicySourceDocument } from './types';
import { POLICY_PROBLEM, RESERVED_FAMILIES } from './types';
import { vapFormat } from './vap';
import { problem } from './util';

export { POLICY_PROBLEM } from './types';
export type { LoadedPolicies } from './types';

const FORMATS_READ = "Paved Road reads 'paved-road.dev/v1' Policy, 'admissionregistration.k8s.io/v1' ValidatingAdmissionPolicy (and its binding) and 'kyverno.io/v1' ClusterPolicy/Policy documents.";

/** API groups of policies: a document of one of them that no format reads is reported. */
const POLICY_GROUPS = /^(paved-road\.dev|kyverno\.io|policies\.kyverno\.io|admissionregistration\.k8s\.io)\//;

const FORMATS: readonly PolicyFormat[] = [pavedRoadFormat, vapFormat, kyvernoFormat];

export interface PolicyFile {
  /** Absolute path (for a git or https source: the path of the cached copy). */
  path: string;
  text: string;
}

export interface TeamPolicies {
  rules: Rule[];
  /** Problems by the absolute path of the policy file they are on. */
  problems: Map<string, Finding[]>;
}

/**
 * Reads policy files into rules. `baseDir` is the folder of the
 * `.paved-road.yaml` that lists them: file globs in policies are relative to it.
 */
export function loadPolicies(files: readonly PolicyFile[], baseDir: string): TeamPolicies {
  const problems = new Map<string, Finding[]>();
  const add = (path: string, f: Finding): void => {
    const list = problems.get(path);
    if (list) list.push(f);
    else problems.set(path, [f]);
  };
  const all: PolicySourceDocument[] = [];
  const texts = new Map(files.map((f) => [f.path, f.text]));
  for (const file of files) {
    const parsed = parseManifest(file.text);
    // the file's findings hold every document's (reading both reported each error twice)
    for (const f of parsed.findings) if (f.severity === 'error') add(file.path, f);
    for (const doc of policyDocuments(file.path, file.text)) all.push(doc as PolicySourceDocument);
  }
  const rules: Rule[] = [];
  const seen = new Map<string, PolicySourceDocument>();
  const readAny = new Set<string>();
  for (const doc of all) {
    if (doc.apiVersion?.startsWith('admissionregistration.k8s.io/') && doc.kind === 'ValidatingAdmissionPolicyBinding') readAny.add(doc.path);
    const format = FORMATS.find((f) => f.reads(doc));
    if (!format) {
      // a document of a policy API that no format reads (a typo, a version Paved Road does not know) must not pass in silence;
      // other documents are parameter resources of admission policies
      if (POLICY_GROUPS.test(doc.apiVersion ?? '') && doc.kind !== 'ValidatingAdmissionPolicyBinding') {
        add(doc.path, problem(doc, POLICY_PROBLEM.unsupported, 'warning', `Paved Road does not read '${doc.apiVersion}' '${doc.kind ?? '(no kind)'}': this document does not run. ${FORMATS_READ}`, ['apiVersion'], 'value'));
      }
      continue;
    }
    readAny.add(doc.path);
    let loaded: LoadedPolicies;
    try {
      loaded = format.load(doc, { baseDir, all, text: texts.get(doc.path) ?? '' });
    } catch (err) {
      add(doc.path, problem(doc, POLICY_PROBLEM.invalid, 'error', `${format.name} could not be read: ${err instanceof Error ? err.message : String(err)}`, []));
      continue;
    }
    for (const f of loaded.problems) add(doc.path, f);
    for (const rule of loaded.rules) {
      const family = rule.id.slice(0, rule.id.indexOf('/'));
      if (RESERVED_FAMILIES.includes(family)) {
        add(doc.path, problem(doc, POLICY_PROBLEM.invalid, 'error', `The policy name '${family}' is reserved for Paved Road's own rules: rename the policy.`, ['metadata', 'name'], 'value'));
        continue;
      }
      const earlier = seen.get(rule.id);
      if (earlier) {
        add(
          doc.path,
          problem(doc, POLICY_PROBLEM.invalid, 'error', `The rule id '${rule.id}' is already defined (${earlier.path}, document ${earlier.index + 1}): this one is ignored.`, ['metadata', 'name'], 'value'),
        );
        continue;
      }
      seen.set(rule.id, doc);
      rules.push(rule);
    }
  }
  for (const file of files) {
    if (!readAny.has(file.path) && !problems.has(file.path) && file.text.trim() !== '') {
      add(file.path, {
        ruleId: POLICY_PROBLEM.invalid,
        severity: 'warning',
        message: `No policy in this file: ${FORMATS_READ}`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      });
    }
  }
  return { rules, problems };
}
