/** Credentials where they do not belong: literal env values, ConfigMaps; and duplicate env vars. */
import { get, isObject } from '../kubernetes';
import type { PolicyContext, PolicyDocument, Rule, RuleFinding } from '../types';
import { containerRule } from './define';
import type { ContainerIssue } from './define';
import { arr, docsNamed, docsOfKind, isKind, sameNamespace, isKnownSecretName, isSensitiveName, isTrivialValue, md, secretAssignmentInText, secretInValue, str } from './util';
import { HYGIENE } from '../profiles';

export const envVarSecret = containerRule(
  {
    id: 'k8s/env-var-secret',
    title: 'Secret in an environment variable',
    category: 'kubernetes-security',
    severity: 'warning',
    profiles: HYGIENE,
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
    profiles: HYGIENE,
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
  profiles: HYGIENE,
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
      } else if (isSensitiveName(key) && !raw.includes('\n') && (isKnownSecretName(key) ? raw.trim() !== '' : !isTrivialValue(raw))) {
        // a cloud SDK's credential name has no business in a ConfigMap, even with a placeholder to fill in later (Polaris agrees)
        out.push({ path: ['data', key], message: `${md(key)} looks like a credential with a literal value: move it to a Secret.` });
      } else {
        const assigned = raw.includes('\n') ? secretAssignmentInText(raw) : undefined;
        if (assigned) out.push({ path: ['data', key], target: 'value', message: `${md(key)} sets ${md(assigned)} in plain text: move it to a Secret.` });
      }
    }
    return out;
  },
} satisfies Rule;

/** The keys a Secret or ConfigMap holds; undefined when they cannot be known (a SealedSecret or ExternalSecret makes the Secret). */
function keysOf(doc: PolicyDocument): Set<string> | undefined {
  const fields = doc.kind === 'Secret' ? ['data', 'stringData'] : doc.kind === 'ConfigMap' ? ['data', 'binaryData'] : doc.kind === 'SealedSecret' ? [] : undefined;
  if (fields === undefined) return undefined;
  const keys = new Set<string>();
  const sources = doc.kind === 'SealedSecret' ? [get(doc.value, ['spec', 'encryptedData'])] : fields.map((f) => get(doc.value, [f]));
  for (const src of sources) if (isObject(src)) for (const k of Object.keys(src)) keys.add(k);
  return keys;
}

/** The documents that make the Secret or ConfigMap `name` in the namespace of `from`: the object itself, or a SealedSecret or ExternalSecret creating it. */
function sourcesOf(kind: 'Secret' | 'ConfigMap', name: string, from: PolicyDocument, ctx: PolicyContext): PolicyDocument[] {
  const own = docsNamed(ctx, kind, name).filter((d) => isKind(d, kind, ['']));
  const makers = kind === 'Secret' ? [...docsNamed(ctx, 'SealedSecret', name), ...docsNamed(ctx, 'ExternalSecret', name)].filter((d) => d.apiVersion?.includes('.') === true) : [];
  return [...own, ...makers].filter((d) => sameNamespace(d, from));
}

export const envValueFrom = containerRule(
  {
    id: 'k8s/env-value-from',
    title: 'Environment variable refers to a missing Secret or ConfigMap key',
    category: 'kubernetes-reliability',
    severity: 'warning',
    profiles: HYGIENE,
    description: 'An env entry whose valueFrom names a Secret or ConfigMap key that the checked manifests do not hold keeps the container from starting (CreateContainerConfigError), unless it is optional. A missing object is reported only when the set holds objects of its kind (otherwise they are evidently managed elsewhere).',
    remediation: 'Correct the name or key, add the key to the Secret or ConfigMap, or mark the reference optional: true if the application copes without it.',
    equivalents: { kubeLinter: 'env-value-from' },
  },
  {},
  (c, _pod, doc, ctx) => {
    const out: ContainerIssue[] = [];
    arr(c.container.env).forEach((e, i) => {
      if (!isObject(e) || !isObject(e.valueFrom)) return;
      for (const [field, kind, noun] of [['secretKeyRef', 'Secret', 'Secret'], ['configMapKeyRef', 'ConfigMap', 'ConfigMap']] as const) {
        const ref = e.valueFrom[field];
        if (!isObject(ref) || ref.optional === true || typeof ref.name !== 'string' || typeof ref.key !== 'string') continue;
        const name = ref.name;
        const key = ref.key;
        const path = [...c.path, 'env', i, 'valueFrom', field];
        const sources = sourcesOf(kind, name, doc, ctx);
        if (sources.length === 0) {
          if (docsOfKind(ctx, kind).length === 0) continue;
          out.push({ path: [...path, 'name'], target: 'value', message: (who) => `${who} reads ${noun} ${name}, which is not among the checked manifests: the container cannot start.` });
          continue;
        }
        const keys = sources.map(keysOf);
        if (keys.some((k) => k === undefined || k.has(key))) continue;
        out.push({ path: [...path, 'key'], target: 'value', message: (who) => `${who} reads key ${key} of ${noun} ${name}, which has no such key: the container cannot start.` });
      }
    });
    return out;
  },
);

export const SECRET_RULES: readonly Rule[] = [envVarSecret, duplicateEnvVar, configMapSensitiveContent, envValueFrom];
