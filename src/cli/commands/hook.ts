/**
 * `paved-road hook install|uninstall|status`: the git pre-commit hook that runs
 * `paved-road check --staged`. It never clobbers a hook it does not own (it
 * chains it), and uninstall restores exactly what was there.
 */
import { realpathSync } from 'node:fs';
import { GitError, HookError, findRepoRoot, hookStatus, installHook, uninstallHook } from '../../core/git';
import { defineCommand } from '../command';
import { CliError, EXIT_OK } from '../errors';
import { CLI_NAME } from '../tool';

const ACTIONS = ['install', 'uninstall', 'status'] as const;

export const hookCommand = defineCommand({
  name: 'hook',
  synopsis: '<install|uninstall|status> [options]',
  summary: 'Install or remove the git pre-commit hook that runs `check --staged`',
  description: [
    'install    writes .git/hooks/pre-commit (or into core.hooksPath, husky included); an existing hook',
    '           is kept and run first. The hook runs this CLI: `node <cli> check --staged`; if the CLI is',
    '           gone it lets the commit through with a message. Bypass once with `git commit --no-verify`.',
    'uninstall  restores the hook that was there before, byte for byte, or removes ours.',
    'status     says what is installed.',
  ].join('\n'),
  options: {
    cli: { type: 'string', valueName: 'path', description: 'The CLI the hook runs (default: this one)' },
    'allow-shared': { type: 'boolean', description: 'Install even when core.hooksPath points outside the repository' },
  },
  examples: [`${CLI_NAME} hook install`, `${CLI_NAME} hook status`, `${CLI_NAME} hook uninstall`],
  async run({ options, positionals }, ctx) {
    const action = positionals[0];
    if (!action || !(ACTIONS as readonly string[]).includes(action)) throw new CliError(`hook needs one of ${ACTIONS.join(', ')} (see '${CLI_NAME} help hook')`);
    try {
      const root = await findRepoRoot(ctx.cwd, { env: ctx.env });
      if (action === 'install') {
        const command = options.cli ?? realpathSync(process.argv[1] ?? '');
        const r = await installHook(root, { command, env: ctx.env, allowShared: options['allow-shared'] === true });
        ctx.stdout.write(`${r.action === 'unchanged' ? 'already installed' : r.action}: ${r.hookPath} runs '${CLI_NAME} check --staged'\n`);
        if (r.chainedHook) ctx.stdout.write(`the hook that was there runs first: ${r.chainedHook}\n`);
        for (const note of r.notes) ctx.stdout.write(`note: ${note}\n`);
      } else if (action === 'uninstall') {
        const r = await uninstallHook(root, { env: ctx.env });
        ctx.stdout.write(r.action === 'restored' ? `restored the previous hook: ${r.hookPath}\n` : r.action === 'removed' ? `removed ${r.hookPath}\n` : 'not installed\n');
      } else {
        const s = await hookStatus(root, { env: ctx.env });
        ctx.stdout.write(`${s.hookPath}: ${s.state === 'installed' ? `Paved Road's hook, running ${s.command ?? '?'}` : s.state === 'absent' ? 'no pre-commit hook' : 'another pre-commit hook'}${s.chained ? ' (a previous hook is chained)' : ''}\n`);
      }
      return EXIT_OK;
    } catch (err) {
      if (err instanceof HookError || err instanceof GitError) throw new CliError(err.message);
      throw err;
    }
  },
});
