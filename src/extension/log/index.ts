import * as vscode from 'vscode';

/** One log channel for the whole extension, with a component tag per line. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
  debug(message: string): void;
  show(): void;
}

export function createLogger(context: vscode.ExtensionContext): { root: vscode.LogOutputChannel; forComponent(tag: string): Logger } {
  const channel = vscode.window.createOutputChannel('Paved Road', { log: true });
  context.subscriptions.push(channel);
  return {
    root: channel,
    forComponent(tag: string): Logger {
      return {
        info: (m) => channel.info(`[${tag}] ${m}`),
        warn: (m) => channel.warn(`[${tag}] ${m}`),
        debug: (m) => channel.debug(`[${tag}] ${m}`),
        error: (m, err) => channel.error(`[${tag}] ${m}${err === undefined ? '' : `: ${describeError(err)}`}`),
        show: () => channel.show(true),
      };
    },
  };
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return 'unknown error';
  }
}
