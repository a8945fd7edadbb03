/** Where the pod spec sits in each workload kind, and its containers: the rules' common ground. */
import type { PathSegment } from '../findings';
import type { PolicyDocument } from './types';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function get(value: unknown, path: readonly PathSegment[]): unknown {
  let node: unknown = value;
  for (const seg of path) {
    if (Array.isArray(node) && typeof seg === 'number') node = node[seg];
    else if (isObject(node) && typeof seg === 'string') node = node[seg];
    else return undefined;
  }
  return node;
}

/** Path of the pod spec for each workload kind. */
export const POD_SPEC_PATHS: Record<string, PathSegment[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  // OpenShift's (apps.openshift.io), checked as kube-linter does
  DeploymentConfig: ['spec', 'template', 'spec'],
};

export const WORKLOAD_KINDS = new Set(Object.keys(POD_SPEC_PATHS));

/** The built-in workload kinds, and OpenShift's DeploymentConfig (custom resources with the same kind name are not workloads). */
export function isWorkload(doc: PolicyDocument): boolean {
  if (doc.kind === 'DeploymentConfig') return /^apps\.openshift\.io\/v\d/.test(doc.apiVersion ?? '');
  return doc.kind !== undefined && WORKLOAD_KINDS.has(doc.kind) && (doc.apiVersion === 'v1' || /^(apps|batch)\/v\d/.test(doc.apiVersion ?? ''));
}

export interface ContainerAt {
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  list: 'containers' | 'initContainers' | 'ephemeralContainers';
  index: number;
  path: PathSegment[];
  container: Json;
  name: string;
}

export interface PodSpecAt {
  path: PathSegment[];
  spec: Json;
  containers: ContainerAt[];
}

/** The pod spec of a workload document and its containers, with their paths; undefined for other documents. */
export function podSpecOf(doc: PolicyDocument): PodSpecAt | undefined {
  const path = doc.kind ? POD_SPEC_PATHS[doc.kind] : undefined;
  if (!path) return undefined;
  const spec = get(doc.value, path);
  if (!isObject(spec)) return undefined;
  const containers: ContainerAt[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((c, index) => {
      if (isObject(c)) containers.push({ list, index, path: [...path, list, index], container: c, name: typeof c.name === 'string' ? c.name : `#${index}` });
    });
  }
  return { path, spec, containers };
}
