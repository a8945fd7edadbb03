import { strict as assert } from 'node:assert';
import { parseAllDocuments } from 'yaml';
import type { Finding } from '../../src/core/findings';
import { LineIndex } from '../../src/core/editing/text';
import type { QuickFix, TextEdit } from '../../src/core/editing/types';
import { checkPolicies, exemptionOf, policyDocuments } from '../../src/core/policy';
import type { Rule } from '../../src/core/policy';
import { exemptionFix, exemptionKey, exemptionTitle, policyFixes, quantity } from '../../src/core/policy/fixes';
import { BUILTIN_RULES } from '../../src/core/policy/rules';
import { splitDocuments } from '../../src/core/manifest';

const FILE = '/repo/deploy/app.yaml';

/** Findings of the built-in rules, each with a key that survives edits: document, rule, message. */
/** Rules whose findings of missing settings are reported once per container (their message names what is still missing). */
const PER_CONTAINER = new Set([
  'k8s/cpu-requests-missing', 'k8s/cpu-limits-missing', 'k8s/memory-requests-missing', 'k8s/memory-limits-missing',
  'k8s/run-as-non-root', 'k8s/privilege-escalation-allowed', 'k8s/capabilities-drop-all', 'k8s/read-only-root-filesystem',
]);

/**
 * Every rule's finding (strict: every rule on). A finding that stands for
 * several rules' missing settings (one per container) is counted once per rule;
 * those rules' findings are told apart by container, not by message, which
 * changes as the settings are fixed one by one.
 */
function check(text: string): Array<Finding & { key: string }> {
  const docs = policyDocuments(FILE, text);
  return docs.flatMap((d) =>
    checkPolicies([d], BUILTIN_RULES, { documents: docs }, { today: '2026-01-01', profile: 'strict' }).flatMap((f) => {
      // the container it is about (the finding moves from the container to its securityContext or resources as keys are added)
      const path = f.data?.path ?? [];
      const list = path.findIndex((seg) => seg === 'containers' || seg === 'initContainers' || seg === 'ephemeralContainers');
      const at = (list >= 0 ? path.slice(0, list + 2) : path).join('.');
      const key = (ruleId: string) => (PER_CONTAINER.has(ruleId) ? `${d.index}|${ruleId}|on ${at}` : `${d.index}|${ruleId}|${f.message}`);
      return [f.ruleId, ...(f.data?.rules ?? [])].map((ruleId) => ({ ...f, ruleId, data: { ...f.data, rules: [] }, key: key(ruleId) }));
    }),
  );
}

function apply(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function find(text: string, ruleId: string, message?: RegExp): Finding & { key: string } {
  const all = check(text);
  const f = all.find((x) => x.ruleId === ruleId && (!message || message.test(x.message)));
  assert.ok(f, `a ${ruleId} finding${message ? ` matching ${message}` : ''} among: ${all.map((x) => x.key).join('\n')}`);
  return f;
}

const comments = (text: string): string[] => text.split(/\r?\n/).flatMap((l) => (l.includes('#') ? [l.slice(l.indexOf('#')).trim()] : []));

/**
 * Applies a fix and checks what re-validating says: the finding is gone, no
 * finding is new, and the only other findings gone are of `alsoGone` rules;
 * the text still parses, keeps its comments, and other documents are untouched.
 */
function applyAndCheck(text: string, finding: Finding & { key: string }, fix: QuickFix | undefined, alsoGone: readonly string[] = []): string {
  assert.ok(fix, `a fix for ${finding.key}`);
  const after = apply(text, fix.edits);
  for (const d of parseAllDocuments(after) as unknown as Array<{ errors: unknown[] }>) assert.deepEqual(d.errors, [], `the fixed text parses:\n${after}`);
  const before = check(text).map((f) => f.key);
  const now = check(after).map((f) => f.key);
  assert.ok(!now.includes(finding.key), `${finding.key} is gone after "${fix.title}":\n${after}`);
  assert.deepEqual(now.filter((k) => !before.includes(k)), [], `no new finding after "${fix.title}":\n${after}`);
  const gone = before.filter((k) => !now.includes(k) && k !== finding.key);
  for (const k of gone) assert.ok(alsoGone.includes(k.split('|')[1] ?? ''), `only ${finding.ruleId}${alsoGone.length ? ` and ${alsoGone.join(', ')}` : ''} went away, not ${k}:\n${after}`);
  for (const c of comments(text)) assert.ok(comments(after).includes(c), `comment "${c}" kept`);
  const [a, b] = [splitDocuments(text), splitDocuments(after)];
  assert.equal(b.length, a.length);
  const line = finding.range.start.line;
  a.forEach((s, i) => {
    const mine = s.line <= line && (a[i + 1] === undefined || line < (a[i + 1]?.line ?? 0));
    if (!mine) assert.equal(b[i]?.text, s.text, `document ${i} untouched`);
  });
  return after;
}

/** The first (preferred) fix of a finding. */
function fixOf(text: string, finding: Finding, title?: RegExp): QuickFix | undefined {
  const fixes = policyFixes(text, finding, check(text));
  return title ? fixes.find((f) => title.test(f.title)) : fixes[0];
}

const TWO = `# The web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web  # the service name
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        # the main container
        - name: api
          image: ghcr.io/example/api:1.2.3  # pinned
          ports:
            - containerPort: 8080
      # end of containers
`;

const FOUR = `apiVersion: apps/v1
kind: Deployment
metadata:
    name: web
spec:
    replicas: 2
    selector:
        matchLabels:
            app: web
    template:
        metadata:
            labels:
                app: web
        spec:
            containers:
            - name: api
              image: ghcr.io/example/api:1.2.3
              ports:
              - containerPort: 9090
                name: http
`;

/** Every content fix, on both indentation styles. */
const CASES: Array<{ rule: string; also?: string[]; title: RegExp; preferred?: false }> = [
  { rule: 'k8s/run-as-non-root', title: /runAsNonRoot: true/ },
  { rule: 'k8s/privilege-escalation-allowed', title: /allowPrivilegeEscalation: false/ },
  { rule: 'k8s/read-only-root-filesystem', title: /readOnlyRootFilesystem: true/, preferred: false },
  { rule: 'k8s/seccomp-profile', title: /seccompProfile.type: RuntimeDefault' in the pod security context/ },
  { rule: 'k8s/automount-service-account-token', also: ['k8s/default-service-account'], title: /automountServiceAccountToken: false/, preferred: false },
  { rule: 'k8s/capabilities-drop-all', also: ['k8s/net-raw-capability'], title: /Drop all Linux capabilities/ },
  { rule: 'k8s/net-raw-capability', also: ['k8s/capabilities-drop-all'], title: /Drop all Linux capabilities/ },
  { rule: 'k8s/cpu-requests-missing', also: ['k8s/cpu-limits-missing', 'k8s/memory-requests-missing', 'k8s/memory-limits-missing'], title: /placeholder resources/ },
  { rule: 'k8s/memory-limits-missing', also: ['k8s/cpu-limits-missing', 'k8s/memory-requests-missing', 'k8s/cpu-requests-missing'], title: /placeholder resources/ },
  { rule: 'k8s/liveness-probe-missing', title: /liveness probe skeleton/ },
  { rule: 'k8s/readiness-probe-missing', title: /readiness probe skeleton/ },
];

describe('policy quick fixes', () => {
  for (const [name, text] of [['2-space indentation, indented sequences, comments', TWO], ['4-space indentation, sequences not indented', FOUR]] as const) {
    describe(name, () => {
      for (const c of CASES) {
        it(`${c.rule}: the fix clears the finding and nothing else${c.also ? ` (but ${c.also.join(', ')})` : ''}`, () => {
          const finding = find(text, c.rule);
          const fix = fixOf(text, finding, c.title);
          assert.equal(fix?.isPreferred, c.preferred ?? true);
          applyAndCheck(text, finding, fix, c.also);
        });
      }

      it('every fix applied in turn leaves none of those findings', () => {
        let t: string = text;
        for (const c of CASES) {
          const f = check(t).find((x) => x.ruleId === c.rule);
          if (!f) continue;
          t = applyAndCheck(t, f, fixOf(t, f, c.title), c.also);
        }
        const left = check(t).map((f) => f.ruleId);
        for (const c of CASES) assert.ok(!left.includes(c.rule), `${c.rule} fixed:\n${t}`);
      });
    });
  }

  it('writes the security context in the document\'s style (2 spaces, indented sequences)', () => {
    const f = find(TWO, 'k8s/capabilities-drop-all');
    const after = apply(TWO, fixOf(TWO, f)?.edits ?? []);
    assert.ok(
      after.includes(`            - containerPort: 8080
          securityContext:
            capabilities:
              drop:
                - ALL
      # end of containers`),
      after,
    );
  });

  it('writes the security context in the document\'s style (4 spaces, sequences not indented)', () => {
    const f = find(FOUR, 'k8s/capabilities-drop-all');
    const after = apply(FOUR, fixOf(FOUR, f)?.edits ?? []);
    assert.ok(
      after.endsWith(`                name: http
              securityContext:
                  capabilities:
                      drop:
                      - ALL
`),
      after,
    );
  });

  it('adds to an existing security context, after its keys, keeping their order and comments', () => {
    const text = TWO.replace('          ports:', '          securityContext:\n            # hardened\n            readOnlyRootFilesystem: true  # the app writes to /tmp only\n          ports:');
    const f = find(text, 'k8s/run-as-non-root');
    const after = applyAndCheck(text, f, fixOf(text, f));
    assert.ok(after.includes('            readOnlyRootFilesystem: true  # the app writes to /tmp only\n            runAsNonRoot: true\n          ports:'), after);
  });

  it("fills 'securityContext: {}' and an empty 'securityContext:', keeping a comment on the key", () => {
    for (const empty of ['{}  # to do', '', ' ~', ' # to do']) {
      const text = TWO.replace('          ports:', `          securityContext:${empty ? (empty.startsWith(' ') ? empty : ` ${empty}`) : ''}\n          ports:`);
      const f = find(text, 'k8s/privilege-escalation-allowed');
      const after = applyAndCheck(text, f, fixOf(text, f));
      const comment = empty.includes('#') ? '  # to do'.slice(empty.startsWith(' #') ? 1 : 0) : '';
      assert.ok(after.includes(`          securityContext:${comment}\n            allowPrivilegeEscalation: false\n          ports:`), `${JSON.stringify(empty)}:\n${after}`);
    }
  });

  it("turns 'allowPrivilegeEscalation: true', 'privileged: true' and a pod-level 'runAsNonRoot: false' around", () => {
    const text = TWO.replace('    spec:\n      containers:', '    spec:\n      securityContext:\n        runAsNonRoot: false\n      containers:').replace(
      '          ports:',
      '          securityContext:\n            allowPrivilegeEscalation: true # why?\n            privileged: true\n          ports:',
    );
    for (const [rule, title, line] of [
      ['k8s/privilege-escalation-allowed', /allowPrivilegeEscalation: false/, '            allowPrivilegeEscalation: false # why?\n'],
      ['k8s/privileged-container', /privileged: false/, '            privileged: false\n'],
      ['k8s/run-as-non-root', /pod security context/, '        runAsNonRoot: true\n'],
    ] as const) {
      const f = find(text, rule);
      const after = applyAndCheck(text, f, fixOf(text, f, title));
      assert.ok(after.includes(line), after);
    }
  });

  it("seccomp: replaces 'Unconfined' where it is set; offers nothing when the fix would not clear the finding", () => {
    const unconfined = TWO.replace('    spec:\n      containers:', '    spec:\n      securityContext:\n        seccompProfile:\n          type: Unconfined  # for strace\n      containers:');
    const f = find(unconfined, 'k8s/seccomp-profile');
    const after = applyAndCheck(unconfined, f, fixOf(unconfined, f));
    assert.ok(after.includes('          type: RuntimeDefault  # for strace\n'), after);
    // the container's own empty profile wins over the pod's: setting the pod's would not help
    const shadowed = TWO.replace('          ports:', '          securityContext:\n            seccompProfile: {}\n          ports:');
    assert.deepEqual(policyFixes(shadowed, find(shadowed, 'k8s/seccomp-profile')), []);
  });

  it('adds ALL to an existing drop list, block or flow', () => {
    const block = TWO.replace('          ports:', '          securityContext:\n            capabilities:\n              drop:\n                - NET_RAW  # raw sockets\n          ports:');
    let f = find(block, 'k8s/capabilities-drop-all');
    let after = applyAndCheck(block, f, fixOf(block, f));
    assert.ok(after.includes('                - NET_RAW  # raw sockets\n                - ALL\n'), after);

    const flow = TWO.replace('          ports:', '          securityContext:\n            capabilities:\n              drop: ["NET_RAW"]\n          ports:');
    f = find(flow, 'k8s/capabilities-drop-all');
    after = applyAndCheck(flow, f, fixOf(flow, f));
    assert.ok(after.includes('drop: ["NET_RAW", "ALL"]\n'), after);
  });

  it('completes a partial resources block with only the missing keys, never a limit below its request', () => {
    const text = TWO.replace('          ports:', '          resources:\n            requests:\n              memory: 512Mi  # measured\n          ports:');
    const f = find(text, 'k8s/cpu-requests-missing');
    const fix = fixOf(text, f);
    assert.match(fix?.title ?? '', /placeholder resources to container 'api' \(requests cpu 100m; limits cpu 500m, memory 512Mi\): adjust to measured usage/);
    const after = applyAndCheck(text, f, fix, ['k8s/cpu-limits-missing', 'k8s/memory-limits-missing']);
    assert.ok(after.includes('            requests:\n              memory: 512Mi  # measured\n              cpu: 100m\n            limits:\n              cpu: 500m\n              memory: 512Mi\n'), after);
  });

  it('without the other findings, the resources fix adds only its own key', () => {
    // the finding of one rule alone (the engine merges the four into one finding per container, see data.rules)
    const merged = find(TWO, 'k8s/memory-limits-missing');
    const f = { ...merged, ruleId: 'k8s/memory-limits-missing', data: { path: merged.data?.path ?? [] } };
    const fixes = policyFixes(TWO, f);
    assert.equal(fixes.length, 1);
    assert.match(fixes[0]?.title ?? '', /\(limits memory 256Mi\)/);
    // the container's one resources finding now names what is still missing, and no longer the memory limit
    const after = check(apply(TWO, fixes[0]?.edits ?? [])).filter((x) => x.ruleId.startsWith('k8s/cpu-') || x.ruleId.startsWith('k8s/memory-'));
    assert.deepEqual([...new Set(after.map((x) => x.message))], ["Container 'api' has no CPU request, CPU limit or memory request: set resources.requests.cpu, resources.limits.cpu and resources.requests.memory."]);
  });

  it('probes: the named port, a combined fix when both are missing, a placeholder without ports, none for UDP-only containers', () => {
    let f = find(FOUR, 'k8s/liveness-probe-missing');
    const both = fixOf(FOUR, f, /liveness and readiness/);
    assert.equal(both?.isPreferred, false);
    const after = applyAndCheck(FOUR, f, both, ['k8s/readiness-probe-missing']);
    assert.ok(after.endsWith('              livenessProbe:\n                  httpGet:\n                      path: /healthz\n                      port: http\n              readinessProbe:\n                  httpGet:\n                      path: /healthz\n                      port: http\n'), after);

    const noPorts = TWO.replace('          ports:\n            - containerPort: 8080\n', '');
    f = find(noPorts, 'k8s/readiness-probe-missing');
    const fix = fixOf(noPorts, f);
    assert.match(fix?.title ?? '', /placeholder port 8080/);
    applyAndCheck(noPorts, f, fix);

    const udp = TWO.replace('- containerPort: 8080', '- containerPort: 53\n              protocol: UDP');
    assert.deepEqual(policyFixes(udp, find(udp, 'k8s/liveness-probe-missing')), []);
  });

  it('fixes an init container', () => {
    const text = TWO.replace('      containers:\n', '      initContainers:\n        - name: migrate\n          image: ghcr.io/example/migrate:1.0.0\n          resources: { requests: { cpu: 10m } }\n      containers:\n');
    const f = find(text, 'k8s/run-as-non-root', /Init container 'migrate'/);
    const fix = fixOf(text, f);
    assert.match(fix?.title ?? '', /init container 'migrate'/);
    const after = applyAndCheck(text, f, fix);
    assert.ok(after.includes('          resources: { requests: { cpu: 10m } }\n          securityContext:\n            runAsNonRoot: true\n      containers:'), after);
  });

  it('edits only the document of the finding in a multi-document file', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n---\n${TWO}---\n${TWO.replace(/web/g, 'admin')}`;
    const f = find(text, 'k8s/run-as-non-root', /'api'/);
    const second = check(text).filter((x) => x.ruleId === 'k8s/run-as-non-root')[1];
    assert.ok(second && second.range.start.line > f.range.start.line);
    applyAndCheck(text, second, fixOf(text, second));
    const after = applyAndCheck(text, f, fixOf(text, f));
    assert.equal(check(after).filter((x) => x.ruleId === 'k8s/run-as-non-root').length, 1, 'the other Deployment keeps its finding');
  });

  it('inserts after a block scalar, but not after one that keeps its trailing line breaks', () => {
    const clip = TWO.replace('          ports:\n            - containerPort: 8080\n', '          command: |\n            run --fast\n\n');
    const f = find(clip, 'k8s/run-as-non-root');
    const after = applyAndCheck(clip, f, fixOf(clip, f));
    assert.ok(after.includes('            run --fast\n          securityContext:\n            runAsNonRoot: true\n\n      # end'), after);
    const keep = clip.replace('command: |', 'command: |+');
    assert.deepEqual(policyFixes(keep, find(keep, 'k8s/run-as-non-root')), []);
  });

  it('keeps CRLF line ends', () => {
    const text = TWO.replace(/\n/g, '\r\n');
    const f = find(text, 'k8s/run-as-non-root');
    const after = applyAndCheck(text, f, fixOf(text, f));
    assert.ok(!/[^\r]\n/.test(after), 'only CRLF');
    assert.ok(after.includes('\r\n          securityContext:\r\n            runAsNonRoot: true\r\n'), after);
  });

  it('offers nothing it cannot edit safely: flow mappings, anchors, merge keys, runAsUser: 0', () => {
    const flowContainer = TWO.replace(/ {8}- name: api\n[\s\S]*?- containerPort: 8080\n/, '        - { name: api, image: "ghcr.io/example/api:1.2.3", ports: [{ containerPort: 8080 }] }\n');
    const flowSc = TWO.replace('          ports:', '          securityContext: { readOnlyRootFilesystem: true }\n          ports:');
    const flowCaps = TWO.replace('          ports:', '          securityContext:\n            capabilities: { add: [CHOWN] }\n          ports:');
    const anchored = TWO.replace('          ports:', '          securityContext: &sc\n            readOnlyRootFilesystem: true\n          ports:');
    const json = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'api', image: 'x:1' }] } } } });
    for (const [what, text, rules] of [
      ['a flow container', flowContainer, CASES.map((c) => c.rule).filter((r) => r !== 'k8s/seccomp-profile' && r !== 'k8s/automount-service-account-token')],
      ['a flow securityContext', flowSc, ['k8s/run-as-non-root', 'k8s/privilege-escalation-allowed', 'k8s/capabilities-drop-all']],
      ['a flow capabilities mapping', flowCaps, ['k8s/capabilities-drop-all', 'k8s/net-raw-capability']],
      ['an anchored securityContext', anchored, ['k8s/run-as-non-root', 'k8s/privilege-escalation-allowed']],
      ['a JSON document', json, ['k8s/run-as-non-root', 'k8s/cpu-requests-missing', 'k8s/liveness-probe-missing']],
    ] as const) {
      for (const rule of rules) {
        const f = find(text, rule);
        assert.deepEqual(policyFixes(text, f, check(text)), [], `no fix for ${rule} on ${what}`);
      }
    }
    // …but the exemption is offered where metadata is block style
    assert.ok(exemptionTitle(flowContainer, find(flowContainer, 'k8s/run-as-non-root'), { id: 'k8s/run-as-non-root' }));
    assert.equal(exemptionTitle(json, find(json, 'k8s/run-as-non-root'), { id: 'k8s/run-as-non-root' }), undefined);
    const flowMeta = TWO.replace('metadata:\n  name: web  # the service name\n', 'metadata: { name: web }\n');
    assert.equal(exemptionTitle(flowMeta, find(flowMeta, 'k8s/run-as-non-root'), { id: 'k8s/run-as-non-root' }), undefined);

    const merged = TWO.replace('        - name: api\n', '        - <<: {}\n          name: api\n');
    assert.deepEqual(policyFixes(merged, find(merged, 'k8s/run-as-non-root')), [], 'no fix on a mapping with a merge key');

    const root = TWO.replace('          ports:', '          securityContext:\n            runAsUser: 0\n          ports:');
    assert.deepEqual(policyFixes(root, find(root, 'k8s/run-as-non-root')), [], 'runAsUser: 0 is for a person to change');
  });

  describe('exemptions', () => {
    const rule = (id: string): Rule => {
      const r = BUILTIN_RULES.find((x) => x.id === id);
      assert.ok(r, id);
      return r;
    };

    it("adds 'annotations:' with the quoted reason; the finding is exempted, the others stay", () => {
      const f = find(TWO, 'k8s/run-as-non-root');
      assert.equal(exemptionTitle(TWO, f, rule(f.ruleId)), "Exempt Deployment 'web' from k8s/run-as-non-root…");
      const reason = 'the "legacy" image needs root: see #123 \\o/';
      const fix = exemptionFix(TWO, f, rule(f.ruleId), `  ${reason} `);
      assert.equal(fix?.isPreferred, false);
      const after = applyAndCheck(TWO, f, fix);
      assert.ok(after.includes(`  name: web  # the service name\n  annotations:\n    paved-road.dev/exempt-run-as-non-root: ${JSON.stringify(reason)}\nspec:`), after);
      const doc = policyDocuments(FILE, after)[0];
      assert.ok(doc);
      assert.equal(exemptionOf(doc, rule(f.ruleId)), reason);
    });

    it('adds to existing annotations (4 spaces), in a multi-document file', () => {
      const text = `${TWO}---\n${FOUR.replace('    name: web\n', '    name: web\n    annotations:\n        team: payments\n')}`;
      const f = check(text).find((x) => x.ruleId === 'k8s/capabilities-drop-all' && x.range.start.line > 30);
      assert.ok(f);
      const after = applyAndCheck(text, f, exemptionFix(text, f, rule(f.ruleId), 'drops them in its entrypoint'));
      assert.ok(after.includes('        team: payments\n        paved-road.dev/exempt-capabilities-drop-all: "drops them in its entrypoint"\nspec:'), after);
    });

    it('uses the rule\'s exemption name (team rules) and fills annotations: {}', () => {
      const text = TWO.replace('  name: web  # the service name\n', '  name: web  # the service name\n  annotations: {}\n');
      const f = find(text, 'k8s/liveness-probe-missing');
      const team = { id: 'platform/require-probes', exemptionNames: ['platform.require-probes', 'platform'] };
      assert.equal(exemptionKey(team), 'paved-road.dev/exempt-platform.require-probes');
      const fix = exemptionFix(text, f, team, 'batch worker');
      assert.ok(fix);
      const after = apply(text, fix.edits);
      assert.ok(after.includes('  annotations:\n    paved-road.dev/exempt-platform.require-probes: "batch worker"\n'), after);
    });

    it('a blank reason changes nothing', () => {
      const f = find(TWO, 'k8s/run-as-non-root');
      assert.equal(exemptionFix(TWO, f, rule(f.ruleId), '   '), undefined);
    });
  });

  it('reads Kubernetes quantities', () => {
    assert.equal(quantity('500m'), 0.5);
    assert.equal(quantity('128Mi'), 128 * 2 ** 20);
    assert.equal(quantity('1G'), 1e9);
    assert.equal(quantity(2), 2);
    assert.equal(quantity('1e3'), 1000);
    assert.equal(quantity('lots'), undefined);
  });
});
