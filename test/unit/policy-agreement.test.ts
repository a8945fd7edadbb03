/**
 * The built-in rules against the peers' own test fixtures: where a rule names a
 * Polaris or kube-linter check as its equivalent, it gives the verdict that
 * check's fixtures expect, except for the differences listed (and justified) in
 * DIFFERENCES below. The README's agreement table is generated from this file
 * and must match it.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { exemptionOf, polarisChecks, policyDocuments } from '../../src/core/policy/engine';
import { BUILTIN_RULES } from '../../src/core/policy/rules';
import type { PolicyDocument, Rule } from '../../src/core/policy/types';

const ROOT = path.join(__dirname, '..', '..');
const POLARIS = path.join(ROOT, 'test', 'fixtures', 'policy-polaris');
const KUBE_LINTER = path.join(ROOT, 'test', 'fixtures', 'policy-kube-linter');

type Peer = 'Polaris' | 'kube-linter';

/**
 * Where a rule deliberately disagrees with its peer: a Polaris fixture file
 * (its verdict is the file's), or documents of a kube-linter fixture (0-based).
 */
interface Difference {
  peer: Peer;
  check: string;
  /** Polaris: fixture file names. */
  files?: string[];
  /** kube-linter: document indices in the check's fixture. */
  documents?: number[];
  why: string;
}

const DIFFERENCES: Difference[] = [
  // ---- Polaris
  { peer: 'Polaris', check: 'linuxHardening', files: ['success.drop_capabilities.yaml'], why: 'dropping capabilities is not accepted in place of a seccomp, AppArmor or SELinux profile: capabilities are k8s/capabilities-drop-all, and the restricted Pod Security Standard requires seccomp' },
  { peer: 'Polaris', check: 'insecureCapabilities', files: ['success.case.yaml', 'success.pod.yaml', 'success.yaml'], why: 'dropping a list of capabilities instead of ALL is reported: the restricted Pod Security Standard requires drop ALL (what is not listed stays granted)' },
  { peer: 'Polaris', check: 'pullPolicyNotAlways', files: ['failure.cron-job.yaml', 'failure.deployment.yaml', 'failure.yaml'], why: 'a missing imagePullPolicy is not reported: Kubernetes defaults it to Always for an untagged or :latest image, and IfNotPresent is right for a pinned tag' },
  { peer: 'Polaris', check: 'deploymentMissingReplicas', files: ['failure.yaml'], why: 'a single replica is reported only in production (namespace or environment label), where it is an outage on every drain' },
  { peer: 'Polaris', check: 'topologySpreadConstraint', files: ['failure.empty.yaml', 'failure.nospreadconstraint.yaml'], why: 'a single-replica workload has nothing to spread; pod anti-affinity selecting its own pods counts as well (kube-linter no-anti-affinity)' },
  { peer: 'Polaris', check: 'missingPodDisruptionBudget', files: ['failure-bad-ns.yaml', 'failure.bad-name.yaml', 'failure.empty-labels.yaml', 'failure.no-labels.yaml', 'failure.no-metadata.yaml', 'failure.wrong-place.yaml', 'failure.yaml'], why: 'the fixtures run one replica (the default): a budget for a single pod can only block drains, so it is asked for from 2 replicas (or an HPA minReplicas of 2)' },
  { peer: 'Polaris', check: 'pdbDisruptionsIsZero', files: ['failure.either.yaml', 'failure.max.yaml', 'failure.min.yaml'], why: 'the fixtures say apiVersion v1, under which the API server serves no PodDisruptionBudget (policy/v1 is); minAvailable 100% is k8s/pdb-min-available-all' },
  { peer: 'Polaris', check: 'pdbMinAvailableGreaterThanHPAMinReplicas', files: ['success.equals.yaml', 'success.hpa-no-match.yaml', 'success.no-hpa.yaml', 'success.no-min-replicas.yaml'], why: 'minAvailable equal to the replicas (or the HPA minReplicas) already blocks every eviction, and without an HPA the replica count decides, as kube-linter pdb-min-available does' },
  { peer: 'Polaris', check: 'hpaMinAvailability', files: ['success.minReplicaAbsent.yaml'], why: 'a missing minReplicas is 1 (the API default), so the HPA may scale down to a single pod' },
  { peer: 'Polaris', check: 'missingNetworkPolicy', files: ['failure.netpol_missing_egress_in_policytypes.yaml', 'failure.netpol_missing_egress_rules.yaml', 'failure.netpol_missing_ingress_rules.yaml'], why: 'what is reported is ingress open to every pod; a policy isolating ingress counts even without egress rules, and ingress: [] is the usual default deny (kube-linter non-isolated-pod does not ask for egress either)' },
  // ---- kube-linter
  { peer: 'kube-linter', check: 'run-as-non-root', documents: [4, 5], why: 'runAsGroup 0 with a non-root user is not reported: the user is not root, and the Pod Security Standards do not restrict the group' },
  { peer: 'kube-linter', check: 'access-to-secrets', documents: [1, 2], why: 'reported on the Role or ClusterRole that grants the access (where the fix is), not on its binding' },
  { peer: 'kube-linter', check: 'pdb-min-available', documents: [0], why: 'a budget is matched against the pods of the workload template; the fixture\'s Deployment foo has no template, so no pods' },
  { peer: 'kube-linter', check: 'mismatching-selector', documents: [3], why: 'the fixture\'s DeploymentConfig has no apiVersion: it is no Kubernetes object (the API server rejects it; validation reports it)' },
  { peer: 'kube-linter', check: 'dangling-servicemonitor', documents: [9, 11], why: 'a Service without metadata.namespace may be applied in any namespace (kubectl -n, Kustomize, Helm), so it can match a namespaceSelector: no dangling reference is reported for a namespace left out' },
];

/** The documents of a fixture the rule reports, honouring exemption annotations as the engine does. */
function flagged(rule: Rule, docs: readonly PolicyDocument[]): boolean[] {
  const ctx = { documents: docs };
  return docs.map((d) => rule.appliesTo(d) && exemptionOf(d, rule) === undefined && rule.check(d, ctx).length > 0);
}

function load(file: string): PolicyDocument[] {
  return policyDocuments(file, readFileSync(file, 'utf8'));
}

interface Row {
  peer: Peer;
  check: string;
  rule: string;
  /** Fixtures (Polaris) or documents (kube-linter) judged. */
  total: number;
  agree: number;
  /** What disagreed: file names or document indices. */
  mismatches: Array<string | number>;
}

function polarisRows(): Row[] {
  return BUILTIN_RULES.flatMap((rule) =>
    polarisChecks(rule).map((check): Row => {
      const files = readdirSync(path.join(POLARIS, check)).filter((f) => /^(success|failure).*\.yaml$/.test(f)).sort();
      const mismatches = files.filter((f) => flagged(rule, load(path.join(POLARIS, check, f))).some(Boolean) !== f.startsWith('failure'));
      return { peer: 'Polaris', check, rule: rule.id, total: files.length, agree: files.length - mismatches.length, mismatches };
    }),
  );
}

interface KubeLinterCase {
  file: string;
  reports: number | null;
  fire: number[];
}

const KUBE_LINTER_EXPECTED = parse(readFileSync(path.join(KUBE_LINTER, 'expected.yaml'), 'utf8')) as Record<string, KubeLinterCase>;

function kubeLinterRows(): Row[] {
  return BUILTIN_RULES.flatMap((rule): Row[] => {
    const check = rule.equivalents?.kubeLinter;
    if (!check) return [];
    const expected = KUBE_LINTER_EXPECTED[check];
    assert.ok(expected, `kube-linter ${check}: no expected results`);
    const docs = load(path.join(KUBE_LINTER, expected.file));
    const ours = flagged(rule, docs);
    // judged: the documents either side looks at (kube-linter reports it, or the rule applies to it)
    const judged = docs.map((d, i) => i).filter((i) => expected.fire.includes(i) || rule.appliesTo(docs[i] as PolicyDocument));
    const mismatches = judged.filter((i) => ours[i] !== expected.fire.includes(i));
    return [{ peer: 'kube-linter', check, rule: rule.id, total: judged.length, agree: judged.length - mismatches.length, mismatches }];
  });
}

const differenceOf = (row: Row) => DIFFERENCES.find((d) => d.peer === row.peer && d.check === row.check);

/** The README's agreement table, one row per mapped peer check. */
function agreementTable(rows: readonly Row[]): string {
  const lines = ['| Peer check | Our rule | Agrees | Documented difference |', '| --- | --- | --- | --- |'];
  for (const r of rows) {
    const diff = r.mismatches.length ? (differenceOf(r)?.why ?? '') : '';
    lines.push(`| ${r.peer} \`${r.check}\` | \`${r.rule}\` | ${r.agree}/${r.total} ${r.peer === 'Polaris' ? 'fixtures' : 'documents'} | ${diff} |`);
  }
  const sum = (peer: Peer, k: 'agree' | 'total') => rows.filter((r) => r.peer === peer).reduce((n, r) => n + r[k], 0);
  lines.push('', `Polaris: ${sum('Polaris', 'agree')}/${sum('Polaris', 'total')} fixtures of ${rows.filter((r) => r.peer === 'Polaris').length} checks; kube-linter: ${sum('kube-linter', 'agree')}/${sum('kube-linter', 'total')} documents of ${rows.filter((r) => r.peer === 'kube-linter').length} checks.`);
  return lines.join('\n');
}

describe('policy rules agree with Polaris and kube-linter on their own fixtures', () => {
  const polaris = polarisRows();
  const kubeLinter = kubeLinterRows();

  it('covers every Polaris check a rule names, with fixtures of both verdicts', () => {
    assert.ok(polaris.length >= 40, `${polaris.length} Polaris checks`);
    for (const r of polaris) {
      const files = readdirSync(path.join(POLARIS, r.check));
      assert.ok(files.some((f) => f.startsWith('success')) && files.some((f) => f.startsWith('failure')), `${r.check}: success and failure fixtures`);
    }
  });

  it('covers every kube-linter check a rule names, with reported and unreported documents', () => {
    assert.ok(kubeLinter.length >= 45, `${kubeLinter.length} kube-linter checks`);
    for (const r of kubeLinter) assert.ok(KUBE_LINTER_EXPECTED[r.check]?.fire.length, `${r.check}: reports something`);
    // each expected-results entry belongs to a rule, and names documents that exist
    for (const [check, c] of Object.entries(KUBE_LINTER_EXPECTED)) {
      assert.ok(kubeLinter.some((r) => r.check === check), `expected results without a rule: ${check}`);
      const n = load(path.join(KUBE_LINTER, c.file)).length;
      for (const i of c.fire) assert.ok(i >= 0 && i < n, `${check}: document ${i} of ${n}`);
      if (c.reports !== null) assert.ok(c.reports >= c.fire.length, `${check}: ${c.reports} reports for ${c.fire.length} documents`);
    }
  });

  for (const row of [...polaris, ...kubeLinter]) {
    it(`${row.peer} ${row.check} → ${row.rule}`, () => {
      const diff = differenceOf(row);
      const documented = (diff?.files ?? diff?.documents ?? []) as Array<string | number>;
      // every disagreement is documented, and every documented one still disagrees
      assert.deepEqual([...row.mismatches].sort(), [...documented].sort(), `${row.peer} ${row.check}: disagrees on ${row.mismatches.join(', ') || 'nothing'}`);
      if (diff) assert.ok(diff.why.length > 40, `${row.check}: say why`);
    });
  }

  it('lists each difference once, for a check a rule maps', () => {
    const keys = DIFFERENCES.map((d) => `${d.peer} ${d.check}`);
    assert.equal(new Set(keys).size, keys.length);
    const rows = [...polaris, ...kubeLinter];
    for (const d of DIFFERENCES) assert.ok(rows.some((r) => r.peer === d.peer && r.check === d.check), `difference for an unmapped check: ${d.check}`);
  });

  it('is the table in the README (UPDATE_README=1 writes it)', () => {
    const file = path.join(ROOT, 'README.md');
    const readme = readFileSync(file, 'utf8');
    const re = /(<!-- policy-agreement:start -->\n)([\s\S]*?)(\n<!-- policy-agreement:end -->)/;
    const m = re.exec(readme);
    const table = agreementTable([...polaris, ...kubeLinter]);
    assert.ok(m, 'README.md has no policy-agreement markers');
    if (process.env.UPDATE_README === '1' && m[2] !== table) writeFileSync(file, readme.replace(re, (_all, start: string, _old, end: string) => `${start}${table}${end}`));
    else assert.equal(m[2], table, 'the README table is out of date: run UPDATE_README=1 npx mocha test/unit/policy-agreement.test.ts');
  });
});
