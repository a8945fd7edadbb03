/**
 * The `.paved-road.yaml` files of the workspace and what the engine says about
 * them. Open documents are validated from the editor buffer (debounced per
 * document as you type); closed files from disk, found by a background scan and
 * kept current by a file watcher. Diagnostics and the Platform Config view both
 * read from here, so they never disagree.
 */
import * as vscode from 'vscode';
import { isConfigFile } from '../../core/config/files';
import type { ConfigResult } from '../../core/config';
import { engine } from '../engine';
import type { Logger } from '../log';

export interface ConfigFileState {
  uri: vscode.Uri;
  /** Where the text came from: an open editor buffer or the file on disk. */
  origin: 'editor' | 'disk';
  result: ConfigResult;
}

const GLOB = '**/.paved-road.{yaml,yml}';
const EXCLUDE = '**/{node_modules,.git}/**';

export class ConfigFiles implements vscode.Disposable {
  private readonly states = new Map<string, ConfigFileState>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri[]>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private disposed = false;
  /** Fires with the URIs whose state changed (or was removed). */
  readonly onDidChange = this.emitter.event;
  private scanning: Promise<void> | undefined;

  constructor(private readonly log: Logger) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.onOpen(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.onClose(d)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pavedRoad.validation')) void this.refresh();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => void this.fromDiskIfClosed(u)),
      watcher.onDidChange((u) => void this.fromDiskIfClosed(u)),
      watcher.onDidDelete((u) => this.remove(u)),
    );
  }

  /** Every known config file, workspace files first in path order. */
  all(): ConfigFileState[] {
    return [...this.states.values()].sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()));
  }

  get(uri: vscode.Uri): ConfigFileState | undefined {
    return this.states.get(uri.toString());
  }

  /** Scans the workspace and the open editors; resolves when every file is validated. */
  refresh(): Promise<void> {
    const run = async () => {
      const started = Date.now();
      const open = vscode.workspace.textDocuments.filter((d) => this.isConfigDocument(d));
      const onDisk = await vscode.workspace.findFiles(GLOB, EXCLUDE, 1000);
      const openKeys = new Set(open.map((d) => d.uri.toString()));
      const seen = new Set<string>(openKeys);
      const changed: vscode.Uri[] = [];
      for (const d of open) changed.push(this.validateNow(d.uri, d.getText(), 'editor', false));
      await Promise.all(
        onDisk
          .filter((u) => !openKeys.has(u.toString()))
          .map(async (u) => {
            seen.add(u.toString());
            const uri = await this.readAndValidate(u, false);
            if (uri) changed.push(uri);
          }),
      );
      for (const [key, state] of this.states) {
        if (!seen.has(key)) {
          this.states.delete(key);
          changed.push(state.uri);
        }
      }
      if (!this.enabledFor(undefined)) {
        for (const s of this.states.values()) changed.push(s.uri);
        this.states.clear();
      }
      this.log.info(`scanned workspace: ${this.states.size} platform config file(s) in ${Date.now() - started} ms`);
      this.fire(changed);
    };
    this.scanning = run().catch((err: unknown) => this.log.error('workspace scan failed', err));
    return this.scanning;
  }

  private isConfigDocument(d: vscode.TextDocument): boolean {
    return (d.uri.scheme === 'file' || d.uri.scheme === 'vscode-remote' || d.uri.scheme === 'untitled') && isConfigFile(d.uri.path);
  }

  private enabledFor(uri: vscode.Uri | undefined): boolean {
    return vscode.workspace.getConfiguration('pavedRoad.validation', uri).get<boolean>('enable', true);
  }

  private limitsFor(uri: vscode.Uri) {
    const kb = vscode.workspace.getConfiguration('pavedRoad.validation', uri).get<number>('maxFileSizeKb', 5120);
    return { maxBytes: kb * 1024 };
  }

  private onOpen(d: vscode.TextDocument): void {
    if (!this.isConfigDocument(d)) return;
    this.fire([this.validateNow(d.uri, d.getText(), 'editor', false)]);
  }

  private onEdit(d: vscode.TextDocument): void {
    if (!this.isConfigDocument(d)) return;
    const key = d.uri.toString();
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    const delay = vscode.workspace.getConfiguration('pavedRoad.validation', d.uri).get<number>('debounceMs', 100);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (this.disposed || d.isClosed) return;
        this.fire([this.validateNow(d.uri, d.getText(), 'editor', false)]);
      }, delay),
    );
  }

  private onClose(d: vscode.TextDocument): void {
    if (!this.isConfigDocument(d)) return;
    const key = d.uri.toString();
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    // the buffer is gone: what counts now is the file on disk, if there is one in the workspace
    if (d.uri.scheme === 'untitled' || !vscode.workspace.getWorkspaceFolder(d.uri)) {
      this.remove(d.uri);
      return;
    }
    void this.readAndValidate(d.uri, true);
  }

  private async fromDiskIfClosed(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    if (!open) await this.readAndValidate(uri, true);
  }

  private async readAndValidate(uri: vscode.Uri, notify: boolean): Promise<vscode.Uri | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      this.remove(uri);
      return undefined;
    }
    if (this.disposed) return undefined;
    const text = new TextDecoder('utf-8').decode(bytes);
    return this.validateNow(uri, text, 'disk', notify);
  }

  private validateNow(uri: vscode.Uri, text: string, origin: ConfigFileState['origin'], notify: boolean): vscode.Uri {
    if (!this.enabledFor(uri)) {
      this.states.delete(uri.toString());
    } else {
      const started = performance.now();
      const result = engine().loadConfig(text, { limits: this.limitsFor(uri) });
      this.states.set(uri.toString(), { uri, origin, result });
      this.log.debug(`validated ${vscode.workspace.asRelativePath(uri)} (${origin}): ${result.findings.length} finding(s) in ${(performance.now() - started).toFixed(1)} ms`);
    }
    if (notify) this.fire([uri]);
    return uri;
  }

  private remove(uri: vscode.Uri): void {
    if (this.states.delete(uri.toString())) this.fire([uri]);
  }

  private fire(uris: vscode.Uri[]): void {
    if (!this.disposed && uris.length) this.emitter.fire(uris);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
