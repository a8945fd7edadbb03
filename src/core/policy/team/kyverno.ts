/**
 * Kyverno `ClusterPolicy`/`Policy` validate rules (placeholder: being written).
 */
import type { PolicyFormat } from './types';

export const kyvernoFormat: PolicyFormat = {
  name: 'Kyverno policy',
  reads: (doc) => /^kyverno\.io\//.test(doc.apiVersion ?? '') && (doc.kind === 'ClusterPolicy' || doc.kind === 'Policy'),
  load: () => ({ rules: [], problems: [] }),
};
