// `npm start`: builds the extension (and keeps rebuilding on change), starts
// code-server on 127.0.0.1 with the extension loaded from source on examples/,
// and prints the URL to open in a browser. Ctrl+C stops everything.
//   PORT=8080 npm start        (default: 8080, or a free port if it is taken)
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, ensureHost, freePort, startCodeServer, workbenchUrl } from './codeServer.mjs';

const host = ensureHost();
const watcher = spawn('node', ['esbuild.config.mjs', '--watch'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => {
  watcher.stdout.on('data', (b) => {
    const text = String(b);
    process.stdout.write(text);
    if (text.includes('watching for changes')) resolve();
  });
});

async function pickPort() {
  const wanted = Number(process.env.PORT ?? 8080);
  const probe = await new Promise((resolve) => {
    import('node:net').then(({ createServer }) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(wanted, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  });
  return probe ? wanted : freePort();
}

const profile = join(host.cache, 'dev-profile');
mkdirSync(profile, { recursive: true });
const server = await startCodeServer(host, {
  port: await pickPort(),
  extensionsDir: join(profile, 'extensions'),
  settings: { 'workbench.colorTheme': 'Default Dark Modern', 'chat.disableAIFeatures': true },
  keep: true,
});
const url = workbenchUrl(server, { folder: join(REPO, 'examples'), extensionDevelopmentPath: REPO });
console.log('\nPaved Road is running in VS Code (code-server) with the extension loaded from source.');
console.log(`Open this URL in a browser:\n\n  ${url}\n`);
console.log('Edits under src/ rebuild automatically; run "Developer: Reload Window" to load them. Ctrl+C stops.');

const shutdown = async () => {
  watcher.kill();
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGHUP', shutdown);
// code-server runs in its own process group: when whatever started us (npm) goes away, stop it too
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown();
}, 1000).unref();
