/**
 * The team's policies in the editor: the sources every `.paved-road.yaml`
 * lists, read (git and https only in a trusted workspace, into the extension's
 * global storage), turned into rules, and read again when a config, a local
 * policy file (as you type) or Workspace Trust changes, or on
 * "Paved Road: Refresh Policy Sources". Problems with policy files and sources
 * become diagnostics on those files.
 */
import { relative, isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../../core/findings';
import type { ConfigLocation } from '../../core/validate/context';
import type { Rule } from '../../core/engine';
import { engine } from '../engine';
import type { Logger } from '../log';

const inside = (dir: string, path: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

export class TeamPolicies {
  private rules = new Map<string, Rule[]>();
  private problems = new Map<string, Finding[]>();
  private local: string[] = [];
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly cacheDir: string,
    /** Called when the rules or the problems changed (not for a `quiet` reload). */
    private readonly onDidChange: () => void,
  ) {}

  /** Team rules by config path (for `rulesFor`). */
  rulesByConfig(): ReadonlyMap<string, readonly Rule[]> {
    return this.rules;
  }

  /** Every team rule (for titles in the Policies view). */
  allRules(): Rule[] {
    return [...this.rules.values()].flat();
  }

  problemsFor(path: string): Finding[] {
    return this.problems.get(path) ?? [];
  }

  /** Whether a file is (or would be) read as a local policy file: an edit to it reloads the policies. */
  isPolicySource(path: string): boolean {
    return this.local.some((dir) => inside(dir, path));
  }

  /** Reloads soon (after a pause in typing in a policy file). */
  schedule(configs: readonly ConfigLocation[], textOf: (path: string) => string | undefined, delayMs = 300): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reload(configs, textOf);
    }, delayMs);
  }

  /** Reads every config's policy sources again, then tells `onDidChange`. */
  async reload(
    configs: readonly ConfigLocation[],
    textOf: (path: string) => string | undefined,
    /** `quiet`: the caller validates afterwards itself (the workspace scan), so `onDidChange` is not called. */
    options: { refresh?: boolean; quiet?: boolean } = {},
  ): Promise<void> {
    const generation = ++this.generation;
    const e = engine();
    const trusted = vscode.workspace.isTrusted;
    this.local = configs.flatMap((c) => e.localSourcePaths(c));
    try {
      const rootOf = (path: string) => vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path))?.uri.fsPath;
      const all = await e.loadAllTeamPolicies(configs, textOf, { trusted, cacheDir: this.cacheDir, textOf, rootOf, ...(options.refresh ? { refresh: true } : {}) });
      if (generation !== this.generation) return;
      const before = this.problems.size;
      this.rules = all.rules;
      this.problems = all.problems;
      const rules = [...all.rules.values()].reduce((n, l) => n + l.length, 0);
      const problems = [...all.problems.values()].reduce((n, l) => n + l.length, 0);
      if (all.configs) this.log.info(`team policies: ${rules} rule(s) from ${all.configs} config(s), ${problems} problem(s) with policy files or sources`);
      // rules are new objects on every load (results cached by rule id no longer hold): any load with sources, or problems that went away, is a change
      if (!options.quiet && (all.configs > 0 || before > 0)) this.onDidChange();
    } catch (err) {
      this.log.error('reading team policies failed', err);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.generation++;
  }
}
