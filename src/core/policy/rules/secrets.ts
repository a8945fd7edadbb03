/** Credentials where they do not belong: literal env values, ConfigMaps; and duplicate env vars. */
import { isObject } from '../kubernetes';
import type { Rule, RuleFinding } from '../types';
import { containerRule } from './define';
import type { ContainerIssue } from './define';
import { arr, isKind, isSensitiveName, isTrivialValue, md, secretAssignmentInText, secretInValue, str } from './util';

export const envVarSecret = containerRule(
  {
    id: 'k8s/env-var-secret',
    title: 'Secret in an environment variable',
    category: 'kubernetes-security',
    severity: 'warning',
    description: 'An env var named like a credential (`*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*KEY*`, …) with a literal `value`, or any value that looks like a key or token, puts the secret in the manifest, in Git and in everyone\'s view of the workload.',
    remediation: 'Store the value in a Secret (or an external secret manager) and reference it with `valueFrom.secretKeyRef`, or mount the Secret as a file; rotate the exposed credential.',
    equivalents: { polaris: 'sensitiveContainerEnvVar', kubeLinter: 'env-var-secret' },
  },
  {},
  (c) =>
    arr(c.container.env).flatMap((e, i): ContainerIssue[] => {
      if (!isObject(e)) return [];
      const name = str(e.name) ?? '';
      const value = str(e.value);
      if (value === undefined) return [];
      const path = [...c.path, 'env', i, 'value'];
      const shape = secretInValue(value);
      if (shape) return [{ path, target: 'value', message: (who) => `${who} sets ${md(name || `env[${i}]`)} to what looks like ${shape}: read it from a Secret (${md('valueFrom.secretKeyRef')}).` }];
      if (name && isSensitiveName(name) && !isTrivialValue(value)) {
        return [{ path, target: 'value', message: (who) => `${who} sets ${md(name)} to a literal value: read it from a Secret (${md('valueFrom.secretKeyRef')}).` }];
      }
      return [];
    }),
);

export const duplicateEnvVar = containerRule(
  {
    id: 'k8s/duplicate-env-var',
    title: 'Duplicate environment variable',
    category: 'kubernetes-reliability',
    severity: 'warning',
    description: 'When a container lists the same env var twice, the last one silently wins; the first is dead configuration that someone will edit in vain.',
    remediation: 'Keep one entry per name in `env`.',
    equivalents: { kubeLinter: 'duplicate-env-var' },
  },
  {},
  (c) => {
    const seen = new Map<string, number>();
    return arr(c.container.env).flatMap((e, i): ContainerIssue[] => {
      const name = isObject(e) ? str(e.name) : undefined;
      if (name === undefined) return [];
      const first = seen.get(name);
      if (first === undefined) {
        seen.set(name, i);
        return [];
      }
      return [{ path: [...c.path, 'env', i, 'name'], target: 'value', message: (who) => `${who} sets ${md(name)} twice (also item ${first}); the last one wins.` }];
    });
  },
);

export const configMapSensitiveContent = {
  id: 'k8s/configmap-sensitive-content',
  title: 'Credentials in a ConfigMap',
  category: 'kubernetes-security',
  severity: 'warning',
  description: 'ConfigMaps are not meant for secrets: they are readable by anyone who can read the namespace\'s configuration and are never encrypted at rest. Reported: keys named like credentials with a literal value, values that look like keys or tokens, and `password = …` lines in embedded files.',
  remediation: 'Move the value to a Secret (or an external secret manager) and reference it from the pod; rotate the exposed credential.',
  equivalents: { polaris: 'sensitiveConfigmapContent' },
  appliesTo: (doc) => isKind(doc, 'ConfigMap', ['']),
  check(doc) {
    const data = isObject(doc.value) ? doc.value.data : undefined;
    if (!isObject(data)) return [];
    const out: RuleFinding[] = [];
    for (const [key, raw] of Object.entries(data)) {
      if (typeof raw !== 'string') continue;
      const shape = secretInValue(raw);
      if (shape) {
        out.push({ path: ['data', key], target: 'value', message: `${md(key)} holds what looks like ${shape}: move it to a Secret.` });
      } else if (isSensitiveName(key) && !raw.includes('\n') && !isTrivialValue(raw)) {
        out.push({ path: ['data', key], message: `${md(key)} looks like a credential with a literal value: move it to a Secret.` });
      } else {
        const assigned = raw.includes('\n') ? secretAssignmentInText(raw) : undefined;
        if (assigned) out.push({ path: ['data', key], target: 'value', message: `${md(key)} sets ${md(assigned)} in plain text: move it to a Secret.` });
      }
    }
    return out;
  },
} satisfies Rule;

export const SECRET_RULES: readonly Rule[] = [envVarSecret, duplicateEnvVar, configMapSensitiveContent];
