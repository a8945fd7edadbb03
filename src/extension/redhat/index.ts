/**
 * Living next to Red Hat YAML (see src/core/validate/redhat.ts for the split):
 * when redhat.vscode-yaml is installed, Paved Road registers a schema
 * contributor that gives Red Hat the empty schema for the files Paved Road
 * validates, and drops its own YAML syntax diagnostics for open files (Red Hat
 * reports those). Nothing happens when Red Hat YAML is not installed.
 */
import * as vscode from 'vscode';
import { engine } from '../engine';
import type { WorkspaceValidation } from '../validation/workspaceValidation';
import type { Logger } from '../log';

export const RED_HAT_YAML = 'redhat.vscode-yaml';

interface RedHatYamlApi {
  registerContributor(schema: string, requestSchema: (resource: string) => string | undefined, requestSchemaContent: (uri: string) => string | undefined, label?: string): boolean;
}

export class RedHatYaml implements vscode.Disposable {
  private registered = false;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly files: WorkspaceValidation,
    private readonly log: Logger,
  ) {
    this.disposables.push(vscode.extensions.onDidChange(() => void this.connect()));
  }

  /** True when Red Hat YAML is installed and checks YAML syntax (`yaml.validate`). */
  get active(): boolean {
    return this.registered && vscode.workspace.getConfiguration('yaml').get<boolean>('validate', true);
  }

  /** Registers the contributor once Red Hat YAML is there; cheap when it is not installed. */
  async connect(): Promise<void> {
    if (this.registered) return;
    const ext = vscode.extensions.getExtension<RedHatYamlApi>(RED_HAT_YAML);
    if (!ext) return;
    try {
      const api = await ext.activate();
      const { EMPTY_SCHEMA_URI, EMPTY_SCHEMA_CONTENT } = engine();
      this.registered = api.registerContributor(
        'paved-road',
        (resource) => {
          const uri = vscode.Uri.parse(resource);
          const text = this.files.textOf(uri);
          if (text === undefined) return undefined;
          return engine().ownsSchema(uri.fsPath, text, this.files.contextForDocument(uri)) ? EMPTY_SCHEMA_URI : undefined;
        },
        (uri) => (uri === EMPTY_SCHEMA_URI ? EMPTY_SCHEMA_CONTENT : undefined),
        'Paved Road',
      );
      this.log.info(`Red Hat YAML found: ${this.registered ? 'schemas of Paved Road files are left to Paved Road, YAML syntax to Red Hat' : 'could not register the schema contributor'}`);
      this.emitter.fire();
    } catch (err) {
      this.log.warn(`Red Hat YAML is installed but could not be connected: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
