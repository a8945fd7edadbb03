/**
 * Diagnostics are plain text: VS Code shows a backtick or other markdown in a
 * diagnostic message, a quick-fix title or a view's welcome content literally.
 * Every message and title the engine produces on the repository's fixtures and
 * examples (validation, built-in rules in every profile, team policies, quick
 * fixes) and the welcome content of package.json are checked.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Finding } from '../../src/core/findings';
import { checkPolicies, policyDocuments } from '../../src/core/policy';
import type { Profile, Rule } from '../../src/core/policy';
import { exemptionTitle, policyFixes } from '../../src/core/policy/fixes';
import { BUILTIN_RULES } from '../../src/core/policy/rules';
import { loadPolicies } from '../../src/core/policy/team';
import { builtinContext, validateText } from '../../src/core/validate';
import { fixesFor } from '../../src/core/validate/editing';

const ROOT = join(__dirname, '..', '..');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name) && st.size < 512 * 1024) out.push(p);
  }
  return out;
}

const FILES = [...yamlFiles(join(ROOT, 'test', 'fixtures')), ...yamlFiles(join(ROOT, 'examples'))];

/** Team rules from every policy file among the fixtures (Kyverno, ValidatingAdmissionPolicy, Paved Road Policy). */
const POLICY_SOURCES = FILES.map((path) => ({ path, text: readFileSync(path, 'utf8') })).filter((f) => /kind:\s*(ClusterPolicy|Policy|ValidatingAdmissionPolicy|PavedRoadPolicy)\b/.test(f.text));

function teamRules(): Rule[] {
  return loadPolicies(POLICY_SOURCES, ROOT).rules;
}

/** Backtick spans a policy's author wrote (a Kyverno message): quoted as written, not the engine's markdown. */
const AUTHORED = new Set(POLICY_SOURCES.flatMap((f) => f.text.match(/`[^`\n]*`/g) ?? []));

function markdownIn(s: string): boolean {
  let rest = s;
  for (const span of s.match(/`[^`\n]*`/g) ?? []) if (AUTHORED.has(span)) rest = rest.replace(span, '');
  return rest.includes('`');
}

describe('plain text diagnostics', function () {
  this.timeout(120_000);

  it(`no validation message, policy message or quick-fix title has a backtick (${FILES.length} fixture and example files)`, () => {
    const team = teamRules();
    assert.ok(team.length > 10, `team rules loaded from the fixtures: ${team.length}`);
    const bad = new Set<string>();
    let checked = 0;
    const note = (file: string, what: string, s: string) => {
      checked++;
      if (markdownIn(s)) bad.add(`${relative(ROOT, file)}: ${what}: ${s}`);
    };
    for (const file of FILES) {
      const text = readFileSync(file, 'utf8');
      const validation = validateText(file, text, builtinContext());
      for (const f of validation) {
        note(file, f.ruleId, f.message);
        for (const fix of fixesFor(file, text, f, builtinContext())) note(file, `fix of ${f.ruleId}`, fix.title);
      }
      const docs = policyDocuments(file, text);
      const policy: Finding[] = [];
      for (const profile of ['recommended', 'strict'] as Profile[]) {
        policy.push(...checkPolicies(docs, [...BUILTIN_RULES, ...team], { documents: docs }, { profile }));
      }
      for (const f of policy) {
        note(file, f.ruleId, f.message);
        for (const fix of policyFixes(text, f, policy)) note(file, `fix of ${f.ruleId}`, fix.title);
        const exempt = exemptionTitle(text, f, { id: f.ruleId });
        if (exempt) note(file, `exemption from ${f.ruleId}`, exempt);
      }
    }
    assert.ok(checked > 1000, `messages and titles checked: ${checked}`);
    assert.deepEqual([...bad].slice(0, 40), [], `${bad.size} with markdown`);
  });

  it('the views\' welcome content has no backtick', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { viewsWelcome: { contents: string }[] } };
    assert.ok(pkg.contributes.viewsWelcome.length > 0);
    for (const w of pkg.contributes.viewsWelcome) assert.ok(!markdownIn(w.contents), w.contents);
  });
});
