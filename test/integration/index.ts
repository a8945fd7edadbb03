/**
 * Entry point of the integration suite inside a real VS Code extension host
 * (`extensionTestsPath`). Runs every bundled `*.test.js` next to this file with
 * mocha and, when PAVED_ROAD_TEST_RESULTS is set (the code-server launcher sets
 * it), writes the results there as JSON for the launcher to print.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  suite: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  const grep = process.env.PAVED_ROAD_TEST_GREP;
  if (grep) mocha.grep(grep);
  const dir = __dirname;
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));

  const results: TestResult[] = [];
  const out = process.env.PAVED_ROAD_TEST_RESULTS;
  const write = (done: boolean, fatal?: string) => {
    if (!out) return;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(`${out}.tmp`, JSON.stringify({ done, fatal, results }, null, 2));
    fs.renameSync(`${out}.tmp`, out);
  };

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        write(true);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
      const suiteOf = (t: Mocha.Runnable) => t.titlePath().slice(0, -1).join(' › ');
      runner.on('pass', (t) => results.push({ title: t.title, suite: suiteOf(t), state: 'passed', durationMs: t.duration ?? 0 }));
      runner.on('fail', (t, err: Error) =>
        results.push({
          title: t.title,
          suite: suiteOf(t),
          state: 'failed',
          durationMs: t.duration ?? 0,
          error: err?.stack ?? String(err),
        }),
      );
      runner.on('pending', (t) => results.push({ title: t.title, suite: suiteOf(t), state: 'pending', durationMs: 0 }));
    } catch (err) {
      write(true, err instanceof Error ? (err.stack ?? err.message) : String(err));
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
