/**
 * What the Kubernetes API server's own validation rejects beyond the OpenAPI schema, as far as
 * one manifest shows it offline: object names by kind, namespaces, label keys and values,
 * annotation keys and their total size, label selectors, container, volume and port names, port
 * numbers, environment variable names, a volume mount naming no volume, Service ports. Each
 * message cites the rule as k8s.io/apimachinery (or the API's validation) words it, so what the
 * editor says is what `kubectl apply` would answer.
 *
 * Checked on documents whose schema is a Kubernetes one (built-in kinds, bundled and workspace
 * CRDs: custom resources' names follow the same rule). Values of the wrong type are left to the
 * schema, which reports them already: one finding per cause.
 */
import type { Finding, PathSegment, Severity } from '../findings';
import type { ParsedDocument } from '../manifest';
import { formatPath } from '../schema/messages';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

// The texts of k8s.io/apimachinery/pkg/util/validation (validation.go).
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[-a-z0-9]+$/;

const SUBDOMAIN_TEXT =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
const LABEL_TEXT = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')";
const DNS1035_TEXT = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123')";
const QUALIFIED_TEXT = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')";
const LABEL_VALUE_TEXT = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')";
const ENV_NAME_TEXT = "a valid environment variable name must consist only of printable ASCII characters other than '='";
/** TotalAnnotationSizeLimitB in apimachinery's ObjectMeta validation. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** Problems of a DNS-1123 subdomain, in apimachinery's words; empty when valid. */
export function subdomainProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 253) out.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) out.push(SUBDOMAIN_TEXT);
  return out;
}

export function labelProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) out.push(LABEL_TEXT);
  return out;
}

function dns1035Problems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(value)) out.push(DNS1035_TEXT);
  return out;
}

/** A label or annotation key: an optional DNS subdomain prefix and a name of at most 63 characters (IsQualifiedName). */
export function qualifiedNameProblems(value: string): string[] {
  const parts = value.split('/');
  let name = value;
  const out: string[] = [];
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else for (const p of subdomainProblems(prefix)) out.push(`prefix part ${p}`);
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else {
    if (name.length > 63) out.push('name part must be no more than 63 characters');
    if (!QUALIFIED_NAME.test(name)) out.push(QUALIFIED_TEXT);
  }
  return out;
}

export function labelValueProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) out.push(LABEL_VALUE_TEXT);
  return out;
}

/** IsValidPortName: an IANA_SVC_NAME. */
export function portNameProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 15) out.push('must be no more than 15 characters');
  if (!IANA_SVC_NAME.test(value)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  else if (value.includes('--')) out.push('must not contain consecutive hyphens');
  if (!/[a-z]/.test(value)) out.push('must contain at least one letter (a-z)');
  if (value.startsWith('-') || value.endsWith('-')) out.push('must not begin or end with a hyphen');
  return out;
}

function portNumberProblems(value: number): string[] {
  return Number.isInteger(value) && value >= 1 && value <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

export function envNameProblems(value: string): string[] {
  if (value.length === 0) return ['must be non-empty'];
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(value) ? [] : [ENV_NAME_TEXT];
}

/** Object names the API server checks by a rule other than a DNS-1123 subdomain. */
function nameProblems(apiVersion: string, kind: string, name: string, value: Json): string[] {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  if (group === '' && kind === 'Namespace') return labelProblems(name);
  if (group === '' && kind === 'Service') return dns1035Problems(name);
  // RBAC (ValidateRBACName), and where this module is not sure of a stricter rule (certificates,
  // flowcontrol): a path segment name, the loosest rule of any kind
  if (group === 'rbac.authorization.k8s.io' || group === 'certificates.k8s.io' || group === 'flowcontrol.apiserver.k8s.io') {
    if (name === '.' || name === '..') return [`may not be '${name}'`];
    return /[/%]/.test(name) ? [`may not contain '${name.includes('/') ? '/' : '%'}'`] : [];
  }
  if (group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') {
    const spec = isObject(value.spec) ? value.spec : {};
    const plural = isObject(spec.names) && typeof spec.names.plural === 'string' ? spec.names.plural : undefined;
    if (plural !== undefined && typeof spec.group === 'string' && name !== `${plural}.${spec.group}`) return [`must be spec.names.plural+"."+spec.group (${plural}.${spec.group})`];
    return subdomainProblems(name);
  }
  const problems = subdomainProblems(name);
  if (group === 'batch' && kind === 'CronJob' && name.length > 52) problems.unshift('must be no more than 52 characters');
  return problems;
}

/** Where the pod template's spec and metadata sit, by built-in kind. */
const POD_TEMPLATES: Record<string, PathSegment[]> = {
  Pod: [],
  PodTemplate: ['template'],
  ReplicationController: ['spec', 'template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Kinds whose spec.selector is a LabelSelector (matchLabels, matchExpressions). */
const LABEL_SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'PodDisruptionBudget']);

function get(value: unknown, path: readonly PathSegment[]): unknown {
  let node = value;
  for (const seg of path) {
    if (Array.isArray(node) && typeof seg === 'number') node = node[seg];
    else if (isObject(node) && typeof seg === 'string') node = node[seg];
    else return undefined;
  }
  return node;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

class Collector {
  readonly findings: Finding[] = [];
  constructor(private readonly doc: ParsedDocument) {}

  add(ruleId: string, path: PathSegment[], what: string, problems: string[], target: 'key' | 'value' = 'value', severity: Severity = 'error'): void {
    if (problems.length === 0) return;
    this.findings.push({
      ruleId,
      severity,
      message: `${[formatPath(path), what].filter(Boolean).join(' ')} is rejected by the Kubernetes API server: ${problems.join('; ')}.`,
      range: this.doc.locate(path, target),
      data: { path },
    });
  }
}

const quote = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

function checkMetadata(c: Collector, meta: unknown, path: PathSegment[]): void {
  if (!isObject(meta)) return;
  if (typeof meta.namespace === 'string' && meta.namespace !== '') c.add('apiserver/namespace', [...path, 'namespace'], quote(meta.namespace), labelProblems(meta.namespace));
  checkLabels(c, meta.labels, [...path, 'labels']);
  const annotations = meta.annotations;
  if (isObject(annotations)) {
    let bytes = 0;
    for (const [key, value] of Object.entries(annotations)) {
      // ValidateAnnotations checks the lower-cased key
      c.add('apiserver/annotation', [...path, 'annotations', key], `key ${quote(key)}`, qualifiedNameProblems(key.toLowerCase()), 'key');
      bytes += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
    }
    if (bytes > ANNOTATIONS_MAX_BYTES) c.add('apiserver/annotation', [...path, 'annotations'], `(${bytes} bytes)`, [`may not be more than ${ANNOTATIONS_MAX_BYTES} bytes in total`], 'key');
  }
}

function checkLabels(c: Collector, labels: unknown, path: PathSegment[]): void {
  if (!isObject(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    c.add('apiserver/label', [...path, key], `key ${quote(key)}`, qualifiedNameProblems(key), 'key');
    if (typeof value === 'string') c.add('apiserver/label', [...path, key], `value ${quote(value)}`, labelValueProblems(value));
  }
}

function checkLabelSelector(c: Collector, selector: unknown, path: PathSegment[]): void {
  if (!isObject(selector)) return;
  checkLabels(c, selector.matchLabels, [...path, 'matchLabels']);
  list(selector.matchExpressions).forEach((e, i) => {
    if (!isObject(e)) return;
    const at = [...path, 'matchExpressions', i];
    if (typeof e.key === 'string') c.add('apiserver/selector', [...at, 'key'], quote(e.key), qualifiedNameProblems(e.key));
    const values = Array.isArray(e.values) ? e.values : undefined;
    if ((e.operator === 'In' || e.operator === 'NotIn') && !values?.length) c.add('apiserver/selector', at, '', ["values must be specified when operator is 'In' or 'NotIn'"], 'key');
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values?.length) c.add('apiserver/selector', [...at, 'values'], '', ["values may not be specified when operator is 'Exists' or 'DoesNotExist'"], 'key');
    values?.forEach((v, j) => {
      if (typeof v === 'string') c.add('apiserver/selector', [...at, 'values', j], quote(v), labelValueProblems(v));
    });
  });
}

function checkPodSpec(c: Collector, spec: unknown, path: PathSegment[], claimTemplates: readonly string[] = []): void {
  if (!isObject(spec)) return;
  const volumes = new Map<string, number>();
  list(spec.volumes).forEach((v, i) => {
    if (!isObject(v) || typeof v.name !== 'string') return;
    const at = [...path, 'volumes', i, 'name'];
    c.add('apiserver/volume', at, quote(v.name), labelProblems(v.name));
    if (volumes.has(v.name)) c.add('apiserver/volume', at, quote(v.name), ['Duplicate value: volume names must be unique within the pod']);
    else volumes.set(v.name, i);
  });
  // a StatefulSet's volumeClaimTemplates are volumes of its pods too
  for (const name of claimTemplates) if (!volumes.has(name)) volumes.set(name, -1);
  const containerNames = new Set<string>();
  const portNames = new Set<string>();
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    list(spec[kind]).forEach((container, i) => {
      if (!isObject(container)) return;
      const at = [...path, kind, i];
      if (typeof container.name === 'string') {
        c.add('apiserver/container-name', [...at, 'name'], quote(container.name), labelProblems(container.name));
        if (containerNames.has(container.name)) c.add('apiserver/container-name', [...at, 'name'], quote(container.name), ['Duplicate value: container names must be unique within the pod (init, app and ephemeral containers together)']);
        containerNames.add(container.name);
      }
      list(container.ports).forEach((port, j) => {
        if (!isObject(port)) return;
        const pat = [...at, 'ports', j];
        if (typeof port.name === 'string') {
          c.add('apiserver/port', [...pat, 'name'], quote(port.name), portNameProblems(port.name));
          if (portNames.has(port.name)) c.add('apiserver/port', [...pat, 'name'], quote(port.name), ['Duplicate value: each named port in a pod must have a unique name']);
          portNames.add(port.name);
        }
        if (typeof port.containerPort === 'number') c.add('apiserver/port', [...pat, 'containerPort'], String(port.containerPort), portNumberProblems(port.containerPort));
        if (typeof port.hostPort === 'number' && port.hostPort !== 0) c.add('apiserver/port', [...pat, 'hostPort'], String(port.hostPort), portNumberProblems(port.hostPort));
      });
      list(container.env).forEach((env, j) => {
        if (isObject(env) && typeof env.name === 'string') c.add('apiserver/env-name', [...at, 'env', j, 'name'], quote(env.name), envNameProblems(env.name));
      });
      list(container.volumeMounts).forEach((m, j) => {
        if (isObject(m) && typeof m.name === 'string' && !volumes.has(m.name)) {
          c.add('apiserver/volume', [...at, 'volumeMounts', j, 'name'], quote(m.name), ['Not found: no volume of the pod has this name (spec.volumes)']);
        }
      });
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        const p = container[probe];
        if (!isObject(p)) continue;
        for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
          const h = p[handler];
          if (!isObject(h)) continue;
          const port = h.port;
          const pp = [...at, probe, handler, 'port'];
          if (typeof port === 'number') c.add('apiserver/port', pp, String(port), portNumberProblems(port));
          else if (typeof port === 'string' && handler !== 'grpc') c.add('apiserver/port', pp, quote(port), portNameProblems(port));
        }
      }
    });
  }
}

function checkService(c: Collector, spec: unknown): void {
  if (!isObject(spec)) return;
  checkLabels(c, spec.selector, ['spec', 'selector']);
  const ports = list(spec.ports);
  const names = new Set<string>();
  ports.forEach((port, i) => {
    if (!isObject(port)) return;
    const at: PathSegment[] = ['spec', 'ports', i];
    if (typeof port.name === 'string') {
      c.add('apiserver/service-port', [...at, 'name'], quote(port.name), labelProblems(port.name));
      if (names.has(port.name)) c.add('apiserver/service-port', [...at, 'name'], quote(port.name), ['Duplicate value: the ports of a Service must have unique names']);
      names.add(port.name);
    } else if (ports.length > 1) {
      c.add('apiserver/service-port', at, '', ['Required value: name (each port of a Service with more than one port needs a name)'], 'key');
    }
    if (typeof port.port === 'number') c.add('apiserver/service-port', [...at, 'port'], String(port.port), portNumberProblems(port.port));
    // a targetPort of 0 or '' is defaulted to the port before validation
    if (typeof port.targetPort === 'number' && port.targetPort !== 0) c.add('apiserver/service-port', [...at, 'targetPort'], String(port.targetPort), portNumberProblems(port.targetPort));
    else if (typeof port.targetPort === 'string' && port.targetPort !== '') c.add('apiserver/service-port', [...at, 'targetPort'], quote(port.targetPort), portNameProblems(port.targetPort));
  });
}

/** The API server's checks of one Kubernetes document (see the module comment). */
export function apiServerChecks(doc: ParsedDocument): Finding[] {
  const value = doc.value;
  if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') return [];
  const { apiVersion, kind } = value;
  const c = new Collector(doc);
  const meta = value.metadata;
  if (isObject(meta)) {
    if (typeof meta.name === 'string' && meta.name !== '') c.add('apiserver/name', ['metadata', 'name'], quote(meta.name), nameProblems(apiVersion, kind, meta.name, value));
    else if (typeof meta.generateName === 'string' && meta.generateName !== '') {
      // the prefix is checked as a name with its trailing dash masked (ValidateObjectMeta's generateName)
      const prefix = meta.generateName.endsWith('-') ? `${meta.generateName.slice(0, -1)}a` : meta.generateName;
      c.add('apiserver/name', ['metadata', 'generateName'], quote(meta.generateName), nameProblems(apiVersion, kind, prefix, value));
    }
    checkMetadata(c, meta, ['metadata']);
  }
  const builtin = !apiVersion.includes('/') || /^(apps|batch|policy)\/v\d+$/.test(apiVersion);
  if (!builtin) return c.findings;
  const template = POD_TEMPLATES[kind];
  if (template) {
    const pod = template.length ? get(value, template) : value;
    if (isObject(pod)) {
      if (template.length) checkMetadata(c, pod.metadata, [...template, 'metadata']);
      const claims = kind === 'StatefulSet' ? list(get(value, ['spec', 'volumeClaimTemplates'])).flatMap((t) => { const n = get(t, ['metadata', 'name']); return typeof n === 'string' ? [n] : []; }) : [];
      checkPodSpec(c, pod.spec, [...template, 'spec'], claims);
    }
  }
  if (LABEL_SELECTOR_KINDS.has(kind)) checkLabelSelector(c, get(value, ['spec', 'selector']), ['spec', 'selector']);
  if (kind === 'Service' && apiVersion === 'v1') checkService(c, value.spec);
  return c.findings;
}
