import { strict as assert } from 'node:assert';
import { parseHostMessage, parseWebviewMessage } from '../../src/shared/protocol';

describe('webview message contract', () => {
  it('accepts well-formed messages on both sides', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', view: 'dashboard' }), { ok: true, message: { type: 'ready', view: 'dashboard' } });
    const init = parseHostMessage({ type: 'init', view: 'dashboard', theme: 'dark' });
    assert.equal(init.ok, true);
  });
  it('rejects unknown types, extra fields and wrong shapes with a reason', () => {
    const unknown = parseWebviewMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' });
    assert.equal(unknown.ok, false);
    const extra = parseWebviewMessage({ type: 'ready', view: 'x', command: 'rm -rf' });
    assert.equal(extra.ok, false);
    const wrongTheme = parseHostMessage({ type: 'theme', theme: 'purple' });
    assert.equal(wrongTheme.ok, false);
    if (!wrongTheme.ok) assert.match(wrongTheme.reason, /theme/);
    assert.equal(parseHostMessage('init').ok, false);
  });
});
