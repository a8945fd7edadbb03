/**
 * Validation of the workspace's manifests: every YAML file, with the platform
 * configs (`.paved-road.yaml`) read first because their `schemas:` entries
 * decide which schema validates what.
 *
 * - Open documents are validated from the editor buffer, debounced per document
 *   as you type; a per-document cache means an edit re-validates only the YAML
 *   documents it touched (a 3,000-document file stays fast).
 * - Closed files are validated from disk by a background scan (with progress)
 *   and kept current by a file watcher. Closing an editor drops what came from
 *   its unsaved buffer: the file's diagnostics are then those of the file on
 *   disk, or none when the scan is turned off.
 * - Configs, CRDs, the pavedRoad.schemas setting, Workspace Trust and arriving
 *   remote schemas all change what documents mean: each change re-validates.
 * Diagnostics and the Platform Config view both read from here.
 */
import * as vscode from 'vscode';
import { isConfigFile } from '../../core/config/files';
import type { ConfigResult } from '../../core/config';
import type { Finding } from '../../core/findings';
import type { DocumentCache, ValidationContext } from '../../core/validate';
import type { ConfigLocation } from '../../core/validate/context';
import type { CrdVersion } from '../../core/schema/registry';
import type { PolicyDocument, Rule } from '../../core/policy';
import type { PolicyParseCache, PolicyResultCache } from '../../core/policy/engine';
import { engine } from '../engine';
import { isPolicyFinding } from '../../core/policy/ids';
import type { EngineApi } from '../engine';
import type { Logger } from '../log';
import { TeamPolicies } from './teamPolicies';

export interface FileState {
  uri: vscode.Uri;
  /** Where the text came from: an open editor buffer or the file on disk. */
  origin: 'editor' | 'disk';
  findings: Finding[];
  /** For `.paved-road.yaml` files: the loaded config. */
  config?: ConfigResult;
}

/** A platform config file's state (what the Platform Config view shows). */
export interface ConfigFileState {
  uri: vscode.Uri;
  origin: 'editor' | 'disk';
  result: ConfigResult;
}

const YAML_GLOB = '**/*.{yaml,yml}';
/** Above this size (characters), an edited file's policy findings follow its validation findings after a pause. */
const LARGE_FOR_POLICIES = 256 * 1024;
const POLICY_DELAY_MS = 400;
const CONFIG_GLOB = '**/.paved-road.{yaml,yml}';
const EXCLUDE = '**/{node_modules,.git,dist,out,vendor,.venv,target}/**';

function isYamlDocument(d: vscode.TextDocument): boolean {
  if (!['file', 'vscode-remote', 'untitled'].includes(d.uri.scheme)) return false;
  return d.languageId === 'yaml' || isConfigFile(d.uri.path) || /\.ya?ml$/i.test(d.uri.path);
}

export class WorkspaceValidation implements vscode.Disposable {
  private readonly states = new Map<string, FileState>();
  /** Texts of closed files, to re-validate them when the context changes without reading them again. */
  private readonly diskTexts = new Map<string, string>();
  private readonly caches = new Map<string, DocumentCache>();
  private readonly configs = new Map<string, ConfigLocation>();
  private readonly crds = new Map<string, CrdVersion[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri[]>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private disposed = false;
  private scanGeneration = 0;
  private context: ValidationContext | undefined;
  private remote: InstanceType<EngineApi['RemoteSchemaCache']> | undefined;
  /** Fires with the URIs whose state changed (or was removed). */
  readonly onDidChange = this.emitter.event;
  private readonly scanEmitter = new vscode.EventEmitter<Promise<void>>();
  /** Fires when a workspace scan starts, with the promise of its end (views show progress until then). */
  readonly onDidStartScan = this.scanEmitter.event;
  private readonly scanStateEmitter = new vscode.EventEmitter<void>();
  /** Fires when `scanning` or `scanned` changed. */
  readonly onDidChangeScanState = this.scanStateEmitter.event;
  private running = 0;
  private completed = false;
  /** True while a workspace scan runs. */
  get scanning(): boolean {
    return this.running > 0;
  }
  /** True once a workspace scan has run to its end: until then, an empty view means "not known yet", not "nothing there". */
  get scanned(): boolean {
    return this.completed;
  }
  /** The team's policies (from the configs' `policies.sources`). */
  readonly team: TeamPolicies;

  constructor(
    private readonly log: Logger,
    private readonly storageUri: vscode.Uri,
  ) {
    this.team = new TeamPolicies(log, vscode.Uri.joinPath(storageUri, 'policies').fsPath, () => this.teamPoliciesChanged());
    this.disposables.push(
      { dispose: () => this.team.dispose() },
      vscode.workspace.onDidOpenTextDocument((d) => this.onOpen(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.onClose(d)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pavedRoad')) void this.refresh('settings changed');
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh('workspace folders changed')),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh('workspace trusted')),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(YAML_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => void this.fromDiskIfClosed(u)),
      watcher.onDidChange((u) => void this.fromDiskIfClosed(u)),
      watcher.onDidDelete((u) => this.remove(u)),
    );
    // a deleted folder is reported as the folder alone: forget every file under it
    const deletions = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    this.disposables.push(
      deletions,
      deletions.onDidDelete((folder) => {
        const prefix = `${folder.toString()}/`;
        for (const key of [...this.states.keys(), ...this.diskTexts.keys()]) if (key.startsWith(prefix)) this.remove(vscode.Uri.parse(key));
      }),
    );
  }

  /** Every file with findings or a config, in path order. */
  all(): FileState[] {
    return [...this.states.values()].sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()));
  }

  /** Counts over the workspace, for the commands' status-bar messages. */
  summary(): { files: number; withFindings: number; errors: number; warnings: number; policy: number; policyErrors: number } {
    const out = { files: this.states.size, withFindings: 0, errors: 0, warnings: 0, policy: 0, policyErrors: 0 };
    for (const st of this.states.values()) {
      if (st.findings.length) out.withFindings++;
      for (const f of st.findings) {
        if (f.severity === 'error') out.errors++;
        else if (f.severity === 'warning') out.warnings++;
        if (isPolicyFinding(f)) {
          out.policy++;
          if (f.severity === 'error') out.policyErrors++;
        }
      }
    }
    return out;
  }

  get(uri: vscode.Uri): FileState | undefined {
    return this.states.get(uri.toString());
  }

  /** The platform config files of the workspace. */
  configFiles(): ConfigFileState[] {
    return this.all().flatMap((s) => (s.config ? [{ uri: s.uri, origin: s.origin, result: s.config }] : []));
  }

  private settings(uri?: vscode.Uri) {
    const c = vscode.workspace.getConfiguration('pavedRoad', uri);
    return {
      enable: c.get<boolean>('validation.enable', true),
      debounceMs: c.get<number>('validation.debounceMs', 50),
      maxBytes: c.get<number>('validation.maxFileSizeKb', 16384) * 1024,
      workspaceScan: c.get<boolean>('validation.workspaceScan', true),
      maxFiles: c.get<number>('validation.maxWorkspaceFiles', 5000),
      policies: c.get<boolean>('policies.enable', true),
      profile: c.get<string>('policies.profile', 'recommended'),
      schemas: c.get<Record<string, string | string[]>>('schemas', {}),
    };
  }

  /** A rule by id: built-in, or one of the team's (for rule descriptions and exemption names). */
  ruleById(id: string): Rule | undefined {
    return engine().BUILTIN_RULES.find((r) => r.id === id) ?? this.team.allRules().find((r) => r.id === id);
  }

  /** The validation context: rebuilt when configs, CRDs, settings or trust change. */
  private contextFor(): ValidationContext {
    if (this.context) return this.context;
    const e = engine();
    const trusted = vscode.workspace.isTrusted;
    if (trusted && !this.remote) {
      this.remote = new e.RemoteSchemaCache({ cacheDir: vscode.Uri.joinPath(this.storageUri, 'schemas').fsPath });
      const sub = this.remote.onDidSettle((url) => {
        this.log.info(`remote schema settled: ${url}`);
        this.invalidate();
        void this.revalidateAll();
      });
      this.disposables.push({ dispose: () => sub.dispose() });
    }
    const registry = new e.SchemaRegistry();
    if (trusted) {
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const fromConfigs = e.crdsFromConfigs([...this.configs.values()], {
        ...(this.remote ? { remote: this.remote } : {}),
        workspaceSchemas: trusted,
        rootOf: (path) => vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path))?.uri.fsPath,
        ...(root ? { root } : {}),
      });
      for (const problem of fromConfigs.problems) this.log.warn(`CRD ${problem}`);
      registry.setCrds([...[...this.crds.values()].flat(), ...fromConfigs.crds]);
    }
    const settingRules = trusted
      ? (vscode.workspace.workspaceFolders ?? []).flatMap((f) => e.rulesFromSetting(this.settings(f.uri).schemas, f.uri.fsPath))
      : [];
    this.context = {
      registry,
      validator: new e.SchemaValidator(),
      rules: [...e.rulesFromConfigs([...this.configs.values()]), ...settingRules],
      ...(trusted && this.remote ? { remote: this.remote } : {}),
      workspaceSchemas: trusted,
    };
    return this.context;
  }

  /** The text of a file as Paved Road validates it: the open buffer, or the file read from disk. */
  textOf(uri: vscode.Uri): string | undefined {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return open ? open.getText() : this.diskTexts.get(uri.toString());
  }

  /** The context the editing features use for a document (same schemas and associations as validation). */
  contextForDocument(uri: vscode.Uri): ValidationContext {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return { ...this.contextFor(), limits: { maxBytes: this.settings(uri).maxBytes }, ...(folder ? { root: folder.uri.fsPath } : {}) };
  }

  /** Forget the context and every per-document cache (associations may have changed). */
  private invalidate(): void {
    this.context = undefined;
    this.caches.clear();
  }

  /** Scans the workspace (in the background, with progress); resolves when every file is validated. */
  refresh(reason = 'startup'): Promise<void> {
    const generation = ++this.scanGeneration;
    this.invalidate();
    const run = async () => {
      const started = Date.now();
      const s = this.settings();
      // documents whose editors were closed stay in textDocuments for a while: a saved one whose file is gone is not "open"
      const candidates = vscode.workspace.textDocuments.filter(isYamlDocument);
      const exists = await Promise.all(candidates.map((d) => (d.isUntitled || d.isDirty ? Promise.resolve(true) : this.exists(d.uri))));
      const open = candidates.filter((_d, i) => exists[i]);
      const openKeys = new Set(open.map((d) => d.uri.toString()));
      const onDisk = s.enable ? await vscode.workspace.findFiles(s.workspaceScan ? YAML_GLOB : CONFIG_GLOB, EXCLUDE, s.maxFiles) : [];
      // test-only: a slow first scan, so the UI test can see the views' loading state (never set outside the tests)
      const delay = Number(process.env.PAVED_ROAD_TEST_SCAN_DELAY_MS);
      if (reason === 'startup' && delay > 0) await new Promise((r) => setTimeout(r, Math.min(delay, 30_000)));
      if (generation !== this.scanGeneration || this.disposed) return;
      const texts = new Map<string, { uri: vscode.Uri; text: string; origin: FileState['origin'] }>();
      for (const d of open) texts.set(d.uri.toString(), { uri: d.uri, text: d.getText(), origin: 'editor' });
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Paved Road' }, async (progress) => {
        let done = 0;
        for (const uri of onDisk) {
          if (generation !== this.scanGeneration || this.disposed) return;
          if (!openKeys.has(uri.toString())) {
            const text = await this.read(uri);
            if (text !== undefined) texts.set(uri.toString(), { uri, text, origin: 'disk' });
          }
          if (++done % 200 === 0) progress.report({ message: `reading ${done}/${onDisk.length} files` });
        }
        // configs and CRDs first: they decide what the other files mean; and every document, the context of policy rules
        this.configs.clear();
        this.crds.clear();
        this.policyDocs.clear();
        this.allDocs = undefined;
        for (const { uri, text, origin } of texts.values()) {
          // known before the team's policies load: their problems are placed in the config's text
          if (origin === 'disk') this.diskTexts.set(uri.toString(), text);
          this.learn(uri, text);
          if (s.policies) this.notePolicyDocuments(uri, text, s.maxBytes);
        }
        this.invalidate();
        // the team's policies before the validation below when they come quickly (local files); slow git and https catch up
        const loading = this.reloadTeamPolicies({ quiet: true });
        const inTime = await Promise.race([loading.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
        if (inTime) this.policyResults.clear();
        else void loading.then(() => this.teamPoliciesChanged());
        const previous = new Set(this.states.keys());
        this.states.clear();
        this.diskTexts.clear();
        done = 0;
        for (const entry of texts.values()) {
          if (generation !== this.scanGeneration || this.disposed) return;
          // the scan waited (disk, team policies, yields): a buffer edited or opened meanwhile is validated as it is now,
          // never from the scan's older copy (that copy would overwrite the newer diagnostics of an edit)
          const { uri, text, origin } = this.asOpenNow(entry);
          this.validateNow(uri, text, origin);
          if (origin === 'disk') this.diskTexts.set(uri.toString(), text);
          // keep the extension host responsive during a long scan
          if (++done % 25 === 0) {
            progress.report({ message: `validating ${done}/${texts.size} files` });
            await new Promise((r) => setImmediate(r));
          }
        }
        const changed = new Set([...previous, ...this.states.keys()]);
        this.fire([...changed].map((k) => vscode.Uri.parse(k)));
      });
      if (generation === this.scanGeneration) {
        const findings = [...this.states.values()].reduce((n, st) => n + st.findings.length, 0);
        this.log.info(`validated the workspace (${reason}): ${texts.size} YAML file(s), ${this.configs.size} platform config(s), ${findings} finding(s) in ${Date.now() - started} ms`);
      }
    };
    const scan = run().catch((err: unknown) => this.log.error('workspace validation failed', err));
    this.running++;
    this.scanStateEmitter.fire();
    this.scanEmitter.fire(scan);
    void scan.then(() => {
      this.running--;
      // a scan superseded by a newer one did not get to its end
      if (generation === this.scanGeneration) this.completed = true;
      if (!this.disposed) this.scanStateEmitter.fire();
    });
    return scan;
  }

  /** A file of a scan as it is now: its open buffer's current text if it is open, else what the scan read. */
  private asOpenNow(entry: { uri: vscode.Uri; text: string; origin: FileState['origin'] }): { uri: vscode.Uri; text: string; origin: FileState['origin'] } {
    const key = entry.uri.toString();
    const open = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === key);
    return open && isYamlDocument(open) ? { uri: entry.uri, text: open.getText(), origin: 'editor' } : entry;
  }

  /** Reads the team's policy sources again (`refresh`: fetch git and https sources even when the cached copy is fresh). */
  reloadTeamPolicies(options: { refresh?: boolean; quiet?: boolean } = {}): Promise<void> {
    return this.team.reload([...this.configs.values()], (path) => this.textOfPath(path), options);
  }

  /** New team rules: results cached by rule id no longer hold, every file is checked again. */
  private teamPoliciesChanged(): void {
    this.policyResults.clear();
    void this.revalidateAll();
  }

  private textOfPath(path: string): string | undefined {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme !== 'untitled' && d.uri.fsPath === path);
    return open ? open.getText() : this.diskTexts.get(vscode.Uri.file(path).toString());
  }

  /** Re-validates everything already known, from buffers and remembered disk texts. */
  private async revalidateAll(): Promise<void> {
    const changed: vscode.Uri[] = [];
    for (const d of vscode.workspace.textDocuments.filter(isYamlDocument)) {
      this.validateNow(d.uri, d.getText(), 'editor');
      changed.push(d.uri);
    }
    let n = 0;
    for (const [key, text] of this.diskTexts) {
      const uri = vscode.Uri.parse(key);
      if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) continue;
      this.validateNow(uri, text, 'disk');
      changed.push(uri);
      if (++n % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    this.fire(changed);
  }

  /** The last config text of each file and what it says, so one edit loads a config once. */
  private readonly loadedConfigs = new Map<string, { text: string; result: ConfigResult }>();

  private configOf(uri: vscode.Uri, text: string): ConfigResult {
    const key = uri.toString();
    const known = this.loadedConfigs.get(key);
    if (known?.text === text) return known.result;
    const result = engine().loadConfig(text, { limits: { maxBytes: this.settings(uri).maxBytes } });
    this.loadedConfigs.set(key, { text, result });
    return result;
  }

  /** Notes what a file contributes to the context (config, CRDs). Returns true when the context changed. */
  private learn(uri: vscode.Uri, text: string): boolean {
    const key = uri.toString();
    let changed = false;
    if (isConfigFile(uri.path) && uri.scheme !== 'untitled') {
      const { config } = this.configOf(uri, text);
      const before = JSON.stringify(this.configs.get(key)?.config);
      if (config && vscode.workspace.getWorkspaceFolder(uri)) this.configs.set(key, { path: uri.fsPath, config });
      else this.configs.delete(key);
      changed = before !== JSON.stringify(this.configs.get(key)?.config);
    } else if (text.includes('CustomResourceDefinition') || this.crds.has(key)) {
      const before = JSON.stringify(this.crds.get(key) ?? []);
      const found = engine().crdsInText(text, vscode.workspace.asRelativePath(uri));
      if (found.length) this.crds.set(key, found);
      else this.crds.delete(key);
      changed = before !== JSON.stringify(found);
    }
    return changed;
  }

  private async exists(uri: vscode.Uri): Promise<boolean> {
    try {
      await vscode.workspace.fs.stat(uri);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A file's text; a file over the size limit is not read whole, and one that is not a
   * regular file (a FIFO, a device or a link to one) is not read at all (its state says so).
   */
  private async read(uri: vscode.Uri): Promise<string | undefined> {
    const key = uri.toString();
    try {
      const maxBytes = this.settings(uri).maxBytes;
      const e = engine();
      // file: URIs through the engine's reader, as the CLI reads them: a FIFO never blocks the host
      const file = uri.scheme === 'file' ? await e.readRegularFile(uri.fsPath, { maxBytes }) : await this.readOther(uri, maxBytes);
      if (!file.complete) {
        this.tooLarge.set(key, file.size);
        return '';
      }
      this.tooLarge.delete(key);
      const content = e.decodeManifestBytes(file.bytes);
      if (content.ok) {
        this.notText.delete(key);
        return content.text;
      }
      this.notText.set(key, content.finding);
      return '';
    } catch (err) {
      if (!(err instanceof Error) || (err as { code?: unknown }).code !== 'ENOTREG') return undefined;
      this.tooLarge.delete(key);
      this.notText.set(key, engine().unreadableFinding(err.message));
      return '';
    }
  }

  /** Another file system's file (a remote workspace): regular files only, by its stat. */
  private async readOther(uri: vscode.Uri, maxBytes: number): Promise<{ size: number; bytes: Uint8Array; complete: boolean }> {
    const { size, type } = await vscode.workspace.fs.stat(uri);
    if ((type & vscode.FileType.File) === 0) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    if (size > maxBytes) return { size, bytes: new Uint8Array(), complete: false };
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { size: bytes.length, bytes, complete: bytes.length <= maxBytes };
  }

  /** Files on disk too large to read, with their sizes. */
  private readonly tooLarge = new Map<string, number>();
  /** Files on disk that are binary or not UTF-8, with the finding that says so. */
  private readonly notText = new Map<string, Finding>();

  private onOpen(d: vscode.TextDocument): void {
    if (!isYamlDocument(d)) return;
    this.afterChange(d.uri, d.getText(), 'editor');
  }

  private onEdit(d: vscode.TextDocument): void {
    if (!isYamlDocument(d)) return;
    const key = d.uri.toString();
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (this.disposed || d.isClosed) return;
        this.afterChange(d.uri, d.getText(), 'editor');
      }, this.settings(d.uri).debounceMs),
    );
  }

  private onClose(d: vscode.TextDocument): void {
    if (!isYamlDocument(d)) return;
    const key = d.uri.toString();
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.caches.delete(key);
    // the buffer is gone: what counts now is the file on disk, when the workspace scan covers it
    const covered = d.uri.scheme !== 'untitled' && vscode.workspace.getWorkspaceFolder(d.uri) && (this.settings(d.uri).workspaceScan || isConfigFile(d.uri.path));
    if (!covered) {
      this.remove(d.uri);
      return;
    }
    void this.fromDisk(d.uri);
  }

  private async fromDiskIfClosed(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    if (open) return;
    if (!this.settings(uri).workspaceScan && !isConfigFile(uri.path)) return;
    await this.fromDisk(uri);
  }

  private async fromDisk(uri: vscode.Uri): Promise<void> {
    const text = await this.read(uri);
    if (this.disposed) return;
    if (text === undefined) {
      this.remove(uri);
      return;
    }
    this.diskTexts.set(uri.toString(), text);
    this.afterChange(uri, text, 'disk');
  }

  /** Validates one file; when it changed the context (a config, a CRD), re-validates everything. */
  private afterChange(uri: vscode.Uri, text: string, origin: FileState['origin']): void {
    if (uri.scheme !== 'untitled' && this.team.isPolicySource(uri.fsPath)) this.team.schedule([...this.configs.values()], (p) => this.textOfPath(p));
    if (this.learn(uri, text)) {
      if (isConfigFile(uri.path)) this.team.schedule([...this.configs.values()], (p) => this.textOfPath(p), 0);
      this.log.info(`${vscode.workspace.asRelativePath(uri)} changed the validation context: re-validating`);
      this.invalidate();
      this.validateNow(uri, text, origin);
      this.fire([uri]);
      void this.revalidateAll();
      return;
    }
    this.validateNow(uri, text, origin);
    this.fire([uri]);
  }

  private validateNow(uri: vscode.Uri, text: string, origin: FileState['origin']): void {
    const key = uri.toString();
    const s = this.settings(uri);
    if (!s.enable) {
      this.states.delete(key);
      return;
    }
    const started = performance.now();
    try {
      const e = engine();
      const size = origin === 'disk' ? this.tooLarge.get(key) : undefined;
      if (size !== undefined) {
        this.states.set(key, { uri, origin, findings: [e.tooLargeFinding(size, s.maxBytes)] });
        return;
      }
      const notText = origin === 'disk' ? this.notText.get(key) : undefined;
      if (notText) {
        this.states.set(key, { uri, origin, findings: [notText] });
        return;
      }
      const ctx = this.contextForDocument(uri);
      let cache = this.caches.get(key);
      if (!cache) this.caches.set(key, (cache = new Map<string, Finding[]>()));
      // a config file is read once per text: the same result gives its findings, the view and the context
      const configResult = isConfigFile(uri.path) ? this.configOf(uri, text) : undefined;
      const findings = configResult
        ? [...configResult.findings, ...(vscode.workspace.isTrusted ? [] : e.untrustedConfigNotes(configResult))].sort(e.compareFindings)
        : e.validateText(uri.fsPath, text, ctx, cache);
      if (s.policies) {
        // a file of many documents as you type: its validation diagnostics first, the policy findings a moment later
        const large = origin === 'editor' && text.length > LARGE_FOR_POLICIES;
        if (large) this.schedulePolicies(uri, text, s.maxBytes, findings);
        else findings.push(...this.policyFindings(uri, text, s.maxBytes, findings));
      }
      findings.push(...this.team.problemsFor(uri.fsPath));
      const kept = this.pendingPolicy.get(key);
      const state: FileState = { uri, origin, findings: kept ? [...findings, ...kept] : findings };
      if (configResult) state.config = configResult;
      this.states.set(key, state);
      this.lastValidationMs = performance.now() - started;
      this.log.debug(`validated ${vscode.workspace.asRelativePath(uri)} (${origin}): ${findings.length} finding(s) in ${this.lastValidationMs.toFixed(1)} ms`);
    } catch (err) {
      // the engine never throws on bad input; this is a bug: keep the editor working and say so once
      this.log.error(`validating ${vscode.workspace.asRelativePath(uri)} failed`, err);
      this.states.delete(key);
    }
  }

  /** Parsed documents per file for the policy rules (cached per document text), and the documents themselves. */
  private readonly policyCaches = new Map<string, PolicyParseCache>();
  private readonly policyDocs = new Map<string, PolicyDocument[]>();
  private readonly policyResults = new Map<string, PolicyResultCache>();
  private allDocs: PolicyDocument[] | undefined;

  /** Reads a file's documents for the policy rules (the workspace's set is rebuilt only when they changed). */
  private notePolicyDocuments(uri: vscode.Uri, text: string, maxBytes: number): PolicyDocument[] {
    const key = uri.toString();
    let cache = this.policyCaches.get(key);
    if (!cache) this.policyCaches.set(key, (cache = new Map() as PolicyParseCache));
    const docs = engine().policyDocuments(uri.fsPath, text, { maxBytes }, cache);
    const known = this.policyDocs.get(key);
    // the parse cache gives back the same objects for unchanged documents: the set (and the rules' index of it) stays as long as nothing changed
    if (!known || known.length !== docs.length || known.some((d, i) => d !== docs[i])) {
      this.policyDocs.set(key, docs);
      this.allDocs = undefined;
    }
    return docs;
  }

  private readonly policyTimers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Adds the policy findings to a large file's state after a pause in typing, and publishes them. */
  private schedulePolicies(uri: vscode.Uri, text: string, maxBytes: number, validation: readonly Finding[]): void {
    const key = uri.toString();
    const pending = this.policyTimers.get(key);
    if (pending) clearTimeout(pending);
    // the previous policy findings stay visible until the new ones are ready
    const previous = this.states.get(key)?.findings.filter(isPolicyFinding) ?? [];
    this.pendingPolicy.set(key, previous);
    this.policyTimers.set(
      key,
      setTimeout(() => {
        this.policyTimers.delete(key);
        this.pendingPolicy.delete(key);
        const state = this.states.get(key);
        if (this.disposed || !state || this.textOf(uri) !== text) return;
        try {
          const policy = this.policyFindings(uri, text, maxBytes, validation);
          this.states.set(key, { ...state, findings: [...validation, ...policy] });
          this.fire([uri]);
        } catch (err) {
          this.log.error(`policy check of ${vscode.workspace.asRelativePath(uri)} failed`, err);
        }
      }, POLICY_DELAY_MS),
    );
  }

  /** Policy findings shown while a large file's new ones are computed. */
  private readonly pendingPolicy = new Map<string, Finding[]>();

  private builtinIds: ReadonlySet<string> | undefined;

  /** Policy findings of one file (without those validation already explains); every document of the workspace is the context of rules across documents. */
  private policyFindings(uri: vscode.Uri, text: string, maxBytes: number, validation: readonly Finding[]): Finding[] {
    const e = engine();
    const docs = this.notePolicyDocuments(uri, text, maxBytes);
    if (!docs.length) return [];
    const key = uri.toString();
    let results = this.policyResults.get(key);
    if (!results) this.policyResults.set(key, (results = new Map() as PolicyResultCache));
    const configs = [...this.configs.values()];
    const rules = e.rulesFor(uri.fsPath, e.BUILTIN_RULES, configs, this.team.rulesByConfig());
    const profile = this.settings(uri).profile;
    const options = e.policyOptionsFor(uri.fsPath, configs, e.isProfile(profile) ? profile : undefined);
    const found = e.checkPolicies(docs, rules, { documents: this.allPolicyDocuments() }, { ...options, results });
    // what the schema already reports is not reported again; team rules skip what the API server would reject
    const builtin = (this.builtinIds ??= new Set(e.BUILTIN_RULES.map((r) => r.id)));
    return e.withoutShadowed(text, validation, found, (id) => !builtin.has(id));
  }

  /** Every document of the workspace for rules across documents: one array until a file's documents change (rules index it). */
  private allPolicyDocuments(): PolicyDocument[] {
    return (this.allDocs ??= [...this.policyDocs.values()].flat());
  }

  /** Milliseconds the last validation took (for the latency measurement). */
  lastValidationMs = 0;

  private remove(uri: vscode.Uri): void {
    const key = uri.toString();
    this.diskTexts.delete(key);
    this.caches.delete(key);
    this.tooLarge.delete(key);
    this.notText.delete(key);
    this.policyDocs.delete(key);
    this.policyCaches.delete(key);
    this.policyResults.delete(key);
    this.loadedConfigs.delete(key);
    this.allDocs = undefined;
    const hadContext = this.configs.delete(key) || this.crds.delete(key);
    if (this.states.delete(key)) this.fire([uri]);
    if (hadContext) {
      this.invalidate();
      void this.revalidateAll();
    }
  }

  private fire(uris: vscode.Uri[]): void {
    if (!this.disposed && uris.length) this.emitter.fire(uris);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const t of this.policyTimers.values()) clearTimeout(t);
    this.policyTimers.clear();
    for (const d of this.disposables) d.dispose();
    this.scanEmitter.dispose();
    this.scanStateEmitter.dispose();
  }
}
