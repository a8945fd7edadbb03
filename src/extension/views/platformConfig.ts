/**
 * The "Platform Config" view: each `.paved-road.yaml` of the workspace with its
 * problems, or, when it is valid, what it declares (schemas, policies,
 * templates, GitHub, environments). Every item opens the file at its key.
 */
import * as vscode from 'vscode';
import type { Finding } from '../../core/findings';
import type { PathSegment } from '../../core/manifest';
import type { PavedRoadConfig, Source } from '../../core/config';
import type { WorkspaceValidation, ConfigFileState } from '../validation/workspaceValidation';
import { toRange } from '../convert';
import { REVEAL_COMMAND } from '../commands/reveal';

type Node = FileNode | FindingNode | SectionNode | EntryNode;

class FileNode extends vscode.TreeItem {
  readonly kind = 'file';
  constructor(readonly state: ConfigFileState) {
    super(vscode.workspace.asRelativePath(state.uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1), vscode.TreeItemCollapsibleState.Expanded);
    const { findings, config } = state.result;
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - errors;
    this.resourceUri = state.uri;
    this.id = `file:${state.uri.toString()}`;
    this.contextValue = 'pavedRoad.configFile';
    this.description = errors || warnings ? problemsText(errors, warnings) : config ? 'valid' : '';
    this.iconPath = errors
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
      : warnings
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
        : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    this.tooltip = new vscode.MarkdownString(
      `**${this.label as string}**\n\n${errors || warnings ? problemsText(errors, warnings) : 'No problems.'}${state.origin === 'editor' ? ' (unsaved changes included)' : ''}`,
    );
    this.command = { command: REVEAL_COMMAND, title: 'Open', arguments: [state.uri] };
  }
}

class FindingNode extends vscode.TreeItem {
  readonly kind = 'finding';
  constructor(uri: vscode.Uri, finding: Finding) {
    super(finding.message, vscode.TreeItemCollapsibleState.None);
    this.description = `${finding.ruleId} · Ln ${finding.range.start.line + 1}`;
    this.tooltip = finding.detail ? `${finding.message}\n${finding.detail}` : finding.message;
    this.iconPath = new vscode.ThemeIcon(
      finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'info',
      new vscode.ThemeColor(finding.severity === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'),
    );
    this.command = { command: REVEAL_COMMAND, title: 'Go to Problem', arguments: [uri, toRange(finding.range)] };
  }
}

class SectionNode extends vscode.TreeItem {
  readonly kind = 'section';
  constructor(
    readonly state: ConfigFileState,
    label: string,
    icon: string,
    readonly entries: EntryNode[],
    path: PathSegment[],
  ) {
    super(label, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `section:${state.uri.toString()}:${path.join('/')}:${label}`;
    this.description = String(entries.length);
    this.iconPath = new vscode.ThemeIcon(icon);
    this.command = revealCommand(state, path);
  }
}

class EntryNode extends vscode.TreeItem {
  readonly kind = 'entry';
  constructor(state: ConfigFileState, label: string, description: string, path: PathSegment[], tooltip?: string, readonly children: EntryNode[] = []) {
    super(label, children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.description = description;
    if (tooltip) this.tooltip = tooltip;
    this.command = revealCommand(state, path);
  }
}

function problemsText(errors: number, warnings: number): string {
  const parts = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function revealCommand(state: ConfigFileState, path: PathSegment[]): vscode.Command {
  const doc = state.result.parsed.documents[0];
  const range = doc ? toRange(doc.locate(path, 'key')) : undefined;
  return { command: REVEAL_COMMAND, title: 'Open', arguments: range ? [state.uri, range] : [state.uri] };
}

function sourceText(s: Source): { label: string; description: string } {
  if ('git' in s) return { label: s.git, description: ['git', s.ref, s.path].filter(Boolean).join(' · ') };
  if ('url' in s) return { label: s.url, description: 'url' };
  return { label: s.path, description: 'local' };
}

/** The sections a valid config declares; empty ones are left out. */
export function sectionsOf(state: ConfigFileState, config: PavedRoadConfig): SectionNode[] {
  const sections: SectionNode[] = [];
  const e = (label: string, description: string, path: PathSegment[], tooltip?: string, children?: EntryNode[]) =>
    new EntryNode(state, label, description, path, tooltip, children);
  if (config.schemas?.length) {
    sections.push(
      new SectionNode(
        state,
        'Schemas',
        'symbol-structure',
        config.schemas.map((s, i) => e(Array.isArray(s.files) ? s.files.join(', ') : s.files, `→ ${s.schema}`, ['schemas', i], s.description)),
        ['schemas'],
      ),
    );
  }
  const policySources = config.policies?.sources ?? [];
  const overrides = Object.entries(config.policies?.rules ?? {});
  if (policySources.length || overrides.length) {
    sections.push(
      new SectionNode(
        state,
        'Policies',
        'law',
        [
          ...policySources.map((s, i) => {
            const t = sourceText(s);
            return e(t.label, t.description, ['policies', 'sources', i]);
          }),
          ...overrides.map(([rule, sev]) => e(rule, sev === 'off' ? 'turned off' : `severity: ${sev}`, ['policies', 'rules', rule])),
        ],
        ['policies'],
      ),
    );
  }
  if (config.templates?.sources?.length) {
    sections.push(
      new SectionNode(
        state,
        'Templates',
        'files',
        config.templates.sources.map((s, i) => {
          const t = sourceText(s);
          return e(t.label, t.description, ['templates', 'sources', i]);
        }),
        ['templates'],
      ),
    );
  }
  if (config.github?.apiUrl) {
    sections.push(new SectionNode(state, 'GitHub', 'github', [e('API URL', config.github.apiUrl, ['github', 'apiUrl'])], ['github']));
  }
  const envs = Object.entries(config.environments ?? {});
  if (envs.length) {
    sections.push(
      new SectionNode(
        state,
        'Environments',
        'server-environment',
        envs.map(([name, env]) => {
          const children: EntryNode[] = [];
          if (env.prometheus) children.push(e('Prometheus', env.prometheus.url, ['environments', name, 'prometheus', 'url']));
          if (env.kubernetes) {
            const k = env.kubernetes;
            children.push(e('Kubernetes', [k.context && `context ${k.context}`, k.namespace && `namespace ${k.namespace}`].filter(Boolean).join(' · '), ['environments', name, 'kubernetes']));
          }
          return e(name, children.map((c) => c.label as string).join(', '), ['environments', name], undefined, children);
        }),
        ['environments'],
      ),
    );
  }
  return sections;
}

export class PlatformConfigProvider implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly files: WorkspaceValidation) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.files.configFiles().filter((s) => vscode.workspace.getWorkspaceFolder(s.uri)).map((s) => new FileNode(s));
    switch (node.kind) {
      case 'file': {
        const { findings, config } = node.state.result;
        if (findings.length) return findings.map((f) => new FindingNode(node.state.uri, f));
        return config ? sectionsOf(node.state, config) : [];
      }
      case 'section':
        return node.entries;
      case 'entry':
        return node.children;
      default:
        return [];
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

export function registerPlatformConfigView(context: vscode.ExtensionContext, files: WorkspaceValidation): void {
  const provider = new PlatformConfigProvider(files);
  const view = vscode.window.createTreeView('pavedRoad.platformConfig', { treeDataProvider: provider, showCollapseAll: true });
  const update = () => {
    const inWorkspace = files.configFiles().filter((s) => vscode.workspace.getWorkspaceFolder(s.uri));
    void vscode.commands.executeCommand('setContext', 'pavedRoad.configFiles', inWorkspace.length);
    const errors = inWorkspace.reduce((n, s) => n + s.result.findings.filter((f) => f.severity === 'error').length, 0);
    view.badge = errors ? { value: errors, tooltip: `${errors} problem${errors === 1 ? '' : 's'} in the platform config` } : undefined;
    provider.refresh();
  };
  context.subscriptions.push(provider, view, files.onDidChange(update));
  update();
}
