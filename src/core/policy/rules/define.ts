/** Builders for the common rule shapes: one check per container, one per pod spec. */
import type { PathSegment } from '../../findings';
import type { ContainerAt, PodSpecAt } from '../kubernetes';
import type { PolicyContext, PolicyDocument, Rule, RuleFinding } from '../types';
import { ALL_CONTAINERS, containersOf, isWindowsPod, perPath, workloadPod } from './util';
import type { ContainerLists } from './util';

export type RuleInfo = Omit<Rule, 'appliesTo' | 'check'>;

/** What a per-container check reports; `message` gets the container(s) it concerns ("Container `api`", or "Containers `a`, `b`" with `many`). */
export interface ContainerIssue {
  path: PathSegment[];
  target?: 'key' | 'value';
  message: (who: string, many: boolean) => string;
  /** See `RuleFinding.field` and `RuleFinding.missing`. */
  field?: PathSegment[];
  missing?: RuleFinding['missing'];
}

export interface ContainerRuleOptions {
  /** Which container lists to check (default: all three). */
  lists?: ContainerLists;
  /** Skip pods with `spec.os.name: windows` (Linux-only settings). */
  linuxOnly?: boolean;
  /** Workload kinds the rule does not look at (e.g. probes on Jobs). */
  skipKinds?: readonly string[];
}

/**
 * A rule that checks each container of a workload. Findings of several
 * containers at the same path (a pod-level setting they all inherit) are merged
 * into one finding that names them all.
 */
export function containerRule(
  info: RuleInfo,
  options: ContainerRuleOptions,
  check: (c: ContainerAt, pod: PodSpecAt, doc: PolicyDocument, ctx: PolicyContext) => ContainerIssue[],
): Rule {
  const lists = options.lists ?? ALL_CONTAINERS;
  return {
    ...info,
    appliesTo: (doc) => workloadPod(doc) !== undefined && !(options.skipKinds ?? []).includes(doc.kind ?? ''),
    check(doc, ctx) {
      const pod = workloadPod(doc);
      if (!pod || (options.linuxOnly && isWindowsPod(pod))) return [];
      const items = containersOf(pod, lists).flatMap((c) => check(c, pod, doc, ctx).map((issue) => ({ ...issue, container: c })));
      return perPath(items);
    },
  };
}

/** A rule that checks the pod spec of a workload once. */
export function podRule(
  info: RuleInfo,
  options: Omit<ContainerRuleOptions, 'lists'>,
  check: (pod: PodSpecAt, doc: PolicyDocument, ctx: PolicyContext) => RuleFinding[],
): Rule {
  return {
    ...info,
    appliesTo: (doc) => workloadPod(doc) !== undefined && !(options.skipKinds ?? []).includes(doc.kind ?? ''),
    check(doc, ctx) {
      const pod = workloadPod(doc);
      if (!pod || (options.linuxOnly && isWindowsPod(pod))) return [];
      return check(pod, doc, ctx);
    },
  };
}
