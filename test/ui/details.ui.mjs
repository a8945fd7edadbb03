/* global document */
// The installed .vsix as a user first sees it: the extension's details page in
// the Extensions view. Its icon must load, and the README's images must keep
// the absolute https address vsce gives them (VS Code strips an image whose
// address is relative or local, leaving only its alt text).
import { join } from 'node:path';
import { workbenchUrl } from '../host/codeServer.mjs';

const TIMEOUT = 30_000;

export async function runDetailsTests({ browser, server, workspace, screenshotDir, repositoryUrl }) {
  const results = [];
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const step = async (title, fn) => {
    const started = Date.now();
    try {
      await fn();
      results.push({ suite: 'extension details page', title, state: 'passed', durationMs: Date.now() - started });
    } catch (err) {
      const shot = join(screenshotDir, 'package-details-failure.png');
      await page.screenshot({ path: shot }).catch(() => undefined);
      results.push({ suite: 'extension details page', title, state: 'failed', durationMs: Date.now() - started, error: `${err?.stack ?? err}\nscreenshot: ${shot}` });
    }
  };
  try {
    await step('shows the extension with its icon in the Extensions view', async () => {
      await page.goto(workbenchUrl(server, { folder: workspace }));
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // the Extensions commands register once the workbench has restored its extensions: retry until listed
      const input = page.locator('.quick-input-widget input');
      const command = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Show Installed Extensions' }).first();
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: TIMEOUT });
        await input.fill('>Extensions: Show Installed Extensions');
        try {
          await command.waitFor({ timeout: 5_000 });
          break;
        } catch (err) {
          await page.keyboard.press('Escape');
          if (attempt === 8) throw err;
        }
      }
      await page.keyboard.press('Enter');
      const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Paved Road' }).first();
      await row.waitFor({ timeout: TIMEOUT });
      const icon = row.locator('img.icon');
      await icon.waitFor({ timeout: TIMEOUT });
      await page.waitForFunction((el) => el.complete && el.naturalWidth >= 128, await icon.elementHandle(), { timeout: TIMEOUT });
      await row.click();
    });
    await step('the details page shows the icon and the README, whose images point at the repository', async () => {
      const header = page.locator('.extension-editor .header .icon-container img.icon');
      await header.waitFor({ timeout: TIMEOUT });
      await page.waitForFunction((el) => el.complete && el.naturalWidth >= 128, await header.elementHandle(), { timeout: TIMEOUT });
      // the README is rendered in a webview: find the frame that holds its images
      const deadline = Date.now() + TIMEOUT;
      let images = [];
      while (Date.now() < deadline) {
        images = [];
        for (const frame of page.frames()) {
          const found = await frame.evaluate(() => [...document.querySelectorAll('img[alt]')].map((i) => ({ alt: i.alt, src: i.getAttribute('src') ?? '' }))).catch(() => []);
          images.push(...found.filter((i) => i.alt));
        }
        if (images.length > 0) break;
        await page.waitForTimeout(250);
      }
      if (images.length === 0) throw new Error('the README on the details page shows no image');
      const bad = images.filter((i) => !i.src.startsWith(`${repositoryUrl}/raw/`));
      if (bad.length) throw new Error(`README images without a repository address (VS Code shows only their alt text): ${JSON.stringify(bad)}`);
      await page.screenshot({ path: join(screenshotDir, 'package-details.png') });
    });
  } finally {
    await page.close();
  }
  return results;
}
