/**
 * Paved Road's entry point: wiring only. Each feature lives in its own folder
 * under src/extension/ and registers its own disposables; the engine
 * (src/core/) knows nothing about VS Code.
 */
import * as vscode from 'vscode';
import { createLogger } from './extension/log';
import { WorkspaceValidation } from './extension/validation/workspaceValidation';
import { registerDiagnostics } from './extension/diagnostics';
import { registerPlatformConfigView } from './extension/views/platformConfig';
import { registerScanState } from './extension/views/scanState';
import { registerConfigCommands } from './extension/commands/config';
import { registerRevealCommand } from './extension/commands/reveal';

import { registerEditing } from './extension/editing';
import { RedHatYaml } from './extension/redhat';
import { registerPolicyView } from './extension/views/policies';
import { registerHookCommands, refreshInstalledHook } from './extension/hook';
import { engineLoadMs } from './extension/engine';

declare const globalThis: { __pavedRoadLoad?: { start: number; end?: number } };

/** What `activate` returns: used by the integration tests and by other extensions. */
export interface PavedRoadApi {
  /** Milliseconds: evaluating the bundle (require), and running `activate`. */
  readonly activation: { loadMs: number; activateMs: number };
  /** Resolves when the first workspace scan has finished. */
  readonly ready: Promise<void>;
  /** Milliseconds it took to load the engine bundle on first use (0 before that). */
  engineLoadMs(): number;
}

export function activate(context: vscode.ExtensionContext): PavedRoadApi {
  const started = performance.now();
  const load = globalThis.__pavedRoadLoad;
  const loadMs = load?.end !== undefined ? load.end - load.start : 0;
  const logger = createLogger(context);
  const log = logger.forComponent('extension');

  const files = new WorkspaceValidation(logger.forComponent('validation'), context.globalStorageUri);
  context.subscriptions.push(files);
  registerRevealCommand(context);
  const redHat = new RedHatYaml(files, logger.forComponent('redhat-yaml'));
  context.subscriptions.push(redHat);
  registerDiagnostics(context, files, redHat, logger.forComponent('diagnostics'));
  registerScanState(context, files);
  registerPlatformConfigView(context, files);
  registerConfigCommands(context, files, logger.forComponent('commands'));
  registerEditing(context, files, logger.forComponent('editing'));
  registerPolicyView(context, files, (id) => {
    const rule = files.ruleById(id);
    return rule ? `**${rule.title}**\n\n${rule.description}\n\n*Fix:* ${rule.remediation}` : undefined;
  });
  registerHookCommands(context, logger.forComponent('hook'));

  // the workspace scan runs in the background: activation does not wait for it
  const ready = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => files.refresh())
    .then(() => redHat.connect())
    .then(() => refreshInstalledHook(context, logger.forComponent('hook')));
  const activateMs = performance.now() - started;
  log.info(`activated in ${activateMs.toFixed(1)} ms (bundle load ${loadMs.toFixed(1)} ms); trusted workspace: ${vscode.workspace.isTrusted}`);
  return { activation: { loadMs, activateMs }, ready, engineLoadMs };
}

export function deactivate(): void {
  // every feature registered its disposables on the extension context
}
