/**
 * The "Policies" view: the workspace's policy findings, grouped by rule (with
 * the rule's description and remediation) or by file, with counts; every
 * finding opens the file at its range.
 */
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../core/findings';
import { isPolicyFinding } from '../../core/policy/ids';
import type { WorkspaceValidation } from '../validation/workspaceValidation';
import { toRange } from '../convert';
import { REVEAL_COMMAND } from '../commands/reveal';

type GroupBy = 'rule' | 'file';
interface Located {
  uri: vscode.Uri;
  finding: Finding;
}

const ICON: Record<Severity, [string, string]> = {
  error: ['error', 'problemsErrorIcon.foreground'],
  warning: ['warning', 'problemsWarningIcon.foreground'],
  info: ['info', 'problemsInfoIcon.foreground'],
};

function worst(items: readonly Located[]): Severity {
  if (items.some((i) => i.finding.severity === 'error')) return 'error';
  return items.some((i) => i.finding.severity === 'warning') ? 'warning' : 'info';
}

function icon(sev: Severity): vscode.ThemeIcon {
  const [id, color] = ICON[sev];
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(color));
}



class GroupNode extends vscode.TreeItem {
  readonly kind = 'group';
  constructor(label: string, readonly items: Located[], tooltip: string | undefined, readonly by: GroupBy, resourceUri?: vscode.Uri) {
    super(label, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `${by}:${label}`;
    this.description = String(items.length);
    this.iconPath = icon(worst(items));
    if (tooltip) this.tooltip = new vscode.MarkdownString(tooltip);
    if (resourceUri) this.resourceUri = resourceUri;
  }
}

class FindingNode extends vscode.TreeItem {
  readonly kind = 'finding';
  constructor(item: Located, by: GroupBy) {
    super(item.finding.message, vscode.TreeItemCollapsibleState.None);
    const where = `${vscode.workspace.asRelativePath(item.uri, false)}:${item.finding.range.start.line + 1}`;
    this.description = by === 'rule' ? where : `${item.finding.ruleId} · Ln ${item.finding.range.start.line + 1}`;
    this.tooltip = item.finding.detail ? `${item.finding.message}\n\n${item.finding.detail}` : item.finding.message;
    this.iconPath = icon(item.finding.severity);
    this.command = { command: REVEAL_COMMAND, title: 'Go to Finding', arguments: [item.uri, toRange(item.finding.range)] };
  }
}

type Node = GroupNode | FindingNode;

export class PolicyProvider implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  groupBy: GroupBy = 'rule';

  constructor(
    private readonly files: WorkspaceValidation,
    private readonly describeRule: (id: string) => string | undefined,
  ) {}

  findings(): Located[] {
    return this.files.all().flatMap((s) => s.findings.filter(isPolicyFinding).map((finding) => ({ uri: s.uri, finding })));
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  getChildren(node?: Node): Node[] {
    if (node) return node.kind === 'group' ? node.items.map((i) => new FindingNode(i, this.groupBy)) : [];
    const groups = new Map<string, Located[]>();
    for (const item of this.findings()) {
      const key = this.groupBy === 'rule' ? item.finding.ruleId : item.uri.toString();
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
    return [...groups.entries()]
      .sort(([a, x], [b, y]) => order[worst(x)] - order[worst(y)] || y.length - x.length || a.localeCompare(b))
      .map(([key, items]) =>
        this.groupBy === 'rule'
          ? new GroupNode(key, items, this.describeRule(key), 'rule')
          : new GroupNode(vscode.workspace.asRelativePath(vscode.Uri.parse(key), false), items, undefined, 'file', vscode.Uri.parse(key)),
      );
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

export function registerPolicyView(context: vscode.ExtensionContext, files: WorkspaceValidation, describeRule: (id: string) => string | undefined): void {
  const provider = new PolicyProvider(files, describeRule);
  const view = vscode.window.createTreeView('pavedRoad.policies', { treeDataProvider: provider, showCollapseAll: true });
  const update = () => {
    const all = provider.findings();
    const errors = all.filter((i) => i.finding.severity === 'error').length;
    view.badge = all.length ? { value: all.length, tooltip: `${all.length} policy finding(s), ${errors} error(s)` } : undefined;
    view.description = provider.groupBy === 'rule' ? 'by rule' : 'by file';
    provider.refresh();
  };
  context.subscriptions.push(
    provider,
    view,
    files.onDidChange(update),
    vscode.commands.registerCommand('pavedRoad.policyGroupBy', () => {
      provider.groupBy = provider.groupBy === 'rule' ? 'file' : 'rule';
      update();
    }),
    vscode.commands.registerCommand('pavedRoad.checkPolicies', async () => {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Paved Road: checking policies' }, () => files.refresh('Check Policies'));
      const s = files.summary();
      const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
      const text = `Paved Road: ${count(s.policy, 'policy finding')} (${count(s.policyErrors, 'error')}) in ${count(s.files, 'YAML file')}`;
      vscode.window.setStatusBarMessage(`$(law) ${text}`, 5000);
      await vscode.commands.executeCommand('pavedRoad.policies.focus');
      return text;
    }),
    vscode.commands.registerCommand('pavedRoad.refreshPolicySources', async () => {
      // git and https sources are fetched again even when the cached copy is fresh
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Paved Road: fetching policy sources' }, () => files.reloadTeamPolicies({ refresh: true }));
      const rules = files.team.allRules().length;
      void vscode.window.setStatusBarMessage(`Paved Road: ${rules} team rule(s) loaded`, 4000);
    }),
  );
  update();
}
