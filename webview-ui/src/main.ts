/**
 * Browser side of Paved Road's webviews: the message bridge every panel uses.
 * It validates each message from the extension with the shared zod contract,
 * answers the `ready` handshake, and follows the editor theme. Panels (the
 * scaffolding form, the service dashboard) mount their UI on top of it.
 */
import { parseHostMessage } from '../../src/shared/protocol';
import type { HostMessage, WebviewMessage } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

type Handler = (message: HostMessage) => void;

export function createBridge(api: VsCodeApi, view: string, onMessage: Handler): { dispose(): void } {
  const listener = (event: MessageEvent<unknown>) => {
    const parsed = parseHostMessage(event.data);
    if (!parsed.ok) {
      api.postMessage({ type: 'invalidMessage', reason: parsed.reason });
      return;
    }
    if (parsed.message.type === 'init' || parsed.message.type === 'theme') {
      document.body.dataset.theme = parsed.message.theme;
    }
    onMessage(parsed.message);
  };
  window.addEventListener('message', listener);
  api.postMessage({ type: 'ready', view });
  return { dispose: () => window.removeEventListener('message', listener) };
}

const root = document.getElementById('root');
if (root && typeof acquireVsCodeApi === 'function') {
  const view = root.dataset.view ?? 'unknown';
  createBridge(acquireVsCodeApi(), view, (message) => {
    root.dispatchEvent(new CustomEvent('paved-road-message', { detail: message }));
  });
}
