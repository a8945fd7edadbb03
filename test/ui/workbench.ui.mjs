// UI tests: Playwright clicks through the real workbench (code-server in
// Chromium) as a user would, and saves screenshots in test-results/.
import { join } from 'node:path';
import { workbenchUrl } from '../host/codeServer.mjs';

const TIMEOUT = 30_000;

/** Runs one named step; records passed/failed with a screenshot on failure. */
function recorder(page, screenshotDir) {
  const results = [];
  let broken = false;
  async function test(title, fn) {
    const started = Date.now();
    if (broken) {
      results.push({ suite: 'workbench', title, state: 'failed', durationMs: 0, error: 'not run: an earlier step failed' });
      return;
    }
    try {
      await fn();
      results.push({ suite: 'workbench', title, state: 'passed', durationMs: Date.now() - started });
    } catch (err) {
      broken = true;
      const shot = join(screenshotDir, `ui-failure-${results.length + 1}.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      results.push({ suite: 'workbench', title, state: 'failed', durationMs: Date.now() - started, error: `${err?.stack ?? err}\nscreenshot: ${shot}` });
    }
  }
  return { results, test };
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Enter');
}

/** Ctrl+G to a line, waiting until the widget has closed (a key pressed while it closes is lost). */
async function goToLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/**
 * Opens the quick fix menu at the cursor (Ctrl+.) and waits for an entry. The key is sometimes lost while the
 * editor is still taking focus or the code actions are being computed: then the menu is opened again.
 */
async function openQuickFix(page, hasText) {
  const fix = page.locator('.action-widget .monaco-list-row', { hasText }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await fix.waitFor({ timeout: 8_000 });
      return fix;
    } catch (err) {
      if (attempt === 4) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

async function openFile(page, relPath) {
  const parts = relPath.split('/');
  const name = parts.pop();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(relPath);
  // quick open shows the file name with its folder as a description
  let row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name });
  if (parts.length) row = row.filter({ has: page.locator('.label-description', { hasText: new RegExp(`^${parts.join('/')}$`) }) });
  await row.first().waitFor({ timeout: TIMEOUT });
  await row.first().click();
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).first().waitFor({ timeout: TIMEOUT });
  // the breadcrumbs show the folder of the file that is really open
  for (const dir of parts) await page.locator('.breadcrumbs-control .monaco-breadcrumb-item', { hasText: new RegExp(`^${dir}$`) }).first().waitFor({ timeout: TIMEOUT });
}

/** How long the first scan is held back (a test-only setting, PAVED_ROAD_TEST_SCAN_DELAY_MS) so the views' loading state can be seen. */
const SCAN_DELAY_MS = 12_000;

export async function runUiTests({ browser, server, workspace, emptyWorkspace, docsWorkspace, devPath, screenshotDir }) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const { results, test } = recorder(page, screenshotDir);
  const sidebar = page.locator('.part.sidebar');
  const problems = page.locator('.markers-panel');

  await test('the workbench opens the sample workspace with Paved Road loaded', async () => {
    await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: devPath, env: { PAVED_ROAD_TEST_SCAN_DELAY_MS: String(SCAN_DELAY_MS) } }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.part.activitybar [aria-label^="Paved Road"]').first().waitFor({ timeout: 60_000 });
  });

  await test('while the first scan runs, the views say they are checking (not "no platform config", not "no findings")', async () => {
    await page.locator('.part.activitybar [aria-label^="Paved Road"]').first().click();
    await sidebar.getByText('Checking the workspace: reading its platform config and manifests').waitFor({ timeout: TIMEOUT });
    const policies = sidebar.locator('.pane', { has: page.locator('.pane-header', { hasText: /Policies/i }) });
    const header = policies.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await policies.getByText('Checking the workspace\'s Kubernetes manifests').waitFor({ timeout: TIMEOUT });
    if (await sidebar.getByText('No platform config in this workspace yet.').isVisible()) throw new Error('the false welcome text shows during the scan');
    if (await sidebar.getByText('No policy findings in this workspace').isVisible()) throw new Error('the false welcome text shows during the scan');
    await page.screenshot({ path: join(screenshotDir, 'ui-loading.png') });
  });

  await test('the Paved Road container lists the platform config as valid', async () => {
    if (!(await sidebar.locator('.pane-header', { hasText: /Platform Config/i }).first().isVisible())) {
      await page.locator('.part.activitybar [aria-label^="Paved Road"]').first().click();
    }
    await sidebar.locator('.pane-header', { hasText: /Platform Config/i }).waitFor({ timeout: TIMEOUT });
    await sidebar.locator('.monaco-list-row', { hasText: '.paved-road.yaml' }).filter({ hasText: 'valid' }).waitFor({ timeout: TIMEOUT });
    await sidebar.locator('.monaco-list-row', { hasText: 'Environments' }).waitFor({ timeout: TIMEOUT });
  });

  await test('a typo typed into .paved-road.yaml shows in the Problems panel and the view', async () => {
    await openFile(page, '.paved-road.yaml');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.click({ position: { x: 200, y: 10 } });
    await goToLine(page, '2');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('versoin: 1');
    await runCommand(page, 'View: Focus Problems');
    await problems.locator('.monaco-list-row', { hasText: "Unknown property 'versoin' — did you mean 'version'?" }).waitFor({ timeout: TIMEOUT });
    await sidebar.locator('.monaco-list-row', { hasText: '.paved-road.yaml' }).filter({ hasText: '1 error' }).waitFor({ timeout: TIMEOUT });
    // the view shows the finding of the finished line, not one of a half-typed state
    await sidebar.locator('.monaco-list-row', { hasText: "Unknown property 'versoin'" }).waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(screenshotDir, 'ui-problems.png') });
  });

  await test('fixing the typo clears the problem', async () => {
    await page.locator('.editor-instance .monaco-editor').first().click({ position: { x: 400, y: 200 } });
    await goToLine(page, '2');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('version: 1');
    await problems.locator('.monaco-list-row', { hasText: 'versoin' }).waitFor({ state: 'detached', timeout: TIMEOUT });
    await sidebar.locator('.monaco-list-row', { hasText: '.paved-road.yaml' }).filter({ hasText: 'valid' }).waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(screenshotDir, 'ui-fixed.png') });
  });

  await test('an invalid Deployment shows its problems; the quick fix from the lightbulb menu clears one', async () => {
    await openFile(page, 'mistakes/deployment.yaml');
    await runCommand(page, 'View: Focus Problems');
    await problems.locator('.monaco-list-row', { hasText: `'spec.replicas' must be an integer, got the string "2".` }).waitFor({ timeout: TIMEOUT });
    await problems.locator('.monaco-list-row', { hasText: "Did you mean 'IfNotPresent'?" }).waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(screenshotDir, 'ui-manifest-problems.png') });
    // put the cursor on the misspelt value and open the quick fix menu (Ctrl+.)
    await page.locator('.editor-instance .monaco-editor').first().click({ position: { x: 300, y: 100 } });
    await goToLine(page, '18:30');
    const fix = await openQuickFix(page, 'IfNotPresent');
    await page.screenshot({ path: join(screenshotDir, 'ui-quick-fix.png') });
    await fix.click();
    await problems.locator('.monaco-list-row', { hasText: "Did you mean 'IfNotPresent'?" }).waitFor({ state: 'detached', timeout: TIMEOUT });
    await page.locator('.view-lines', { hasText: /imagePullPolicy:.IfNotPresent\b/ }).first().waitFor({ timeout: TIMEOUT });
  });

  await test('an insecure Deployment: the policy quick fix from the lightbulb menu sets runAsNonRoot and clears its finding', async () => {
    await openFile(page, 'mistakes/insecure-deployment.yaml');
    await runCommand(page, 'View: Focus Problems');
    const rootFinding = problems.locator('.monaco-list-row', { hasText: "Container 'api' has no non-root setting" });
    await rootFinding.first().waitFor({ timeout: TIMEOUT });
    // the container's findings sit on its first key, line 21; the security settings it lacks are one finding, with each setting's fix
    await page.locator('.editor-instance .monaco-editor').first().click({ position: { x: 300, y: 100 } });
    await goToLine(page, '21:11');
    const fix = await openQuickFix(page, 'runAsNonRoot: true');
    await page.locator('.action-widget .monaco-list-row', { hasText: 'Exempt Deployment' }).first().waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(screenshotDir, 'ui-policy-quick-fix.png') });
    await fix.click();
    await rootFinding.first().waitFor({ state: 'detached', timeout: TIMEOUT });
    await page.locator('.view-lines', { hasText: /runAsNonRoot:.true/ }).first().waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(screenshotDir, 'ui-policy-fixed.png') });
  });

  await test('the Policies view groups the policy findings by rule, with counts, and opens a finding', async () => {
    // the activity bar item toggles the container: click it only when the container is not showing
    if (!(await sidebar.locator('.pane-header', { hasText: /Policies/i }).first().isVisible())) {
      await page.locator('.part.activitybar [aria-label^="Paved Road"]').first().click();
    }
    const policies = sidebar.locator('.pane', { has: page.locator('.pane-header', { hasText: /Policies/i }) });
    await policies.locator('.pane-header').first().waitFor({ timeout: TIMEOUT });
    const header = policies.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const group = policies.locator('.monaco-list-row', { hasText: 'k8s/run-as-non-root' }).first();
    await group.waitFor({ timeout: TIMEOUT });
    await group.click();
    const finding = policies.locator('.monaco-list-row', { hasText: "Container 'worker' has no non-root setting" }).first();
    await finding.waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(screenshotDir, 'ui-policies.png') });
    await finding.click();
    await page.locator('.tabs-container .tab.active[aria-label*="deployment.yaml"]').first().waitFor({ timeout: TIMEOUT });
  });

  await test('the team\'s own rules sit in the Policies view next to the built-in ones', async () => {
    const policies = sidebar.locator('.pane', { has: page.locator('.pane-header', { hasText: /Policies/i }) });
    const group = policies.locator('.monaco-list-row', { hasText: 'checkout-standards/catalog-link' }).first();
    await group.waitFor({ timeout: TIMEOUT });
    await group.click();
    await policies.locator('.monaco-list-row', { hasText: 'legacy-api has no backstage.io/kubernetes-id label' }).first().waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(screenshotDir, 'ui-team-policies.png') });
  });

  await test('typing "- " in a list leaves an empty item: it is marked, and fixing another error still clears that error', async () => {
    await openFile(page, 'mistakes/deployment.yaml');
    await runCommand(page, 'View: Focus Problems');
    const replicas = problems.locator('.monaco-list-row', { hasText: /spec\.replicas.{0,3} must be an integer/ });
    await replicas.first().waitFor({ timeout: TIMEOUT });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.click({ position: { x: 300, y: 100 } });
    // on the empty last line, after the env list's last item: a new item, typed as a user types it
    await goToLine(page, '22');
    await page.keyboard.type('            - ');
    const empty = problems.locator('.monaco-list-row', { hasText: /env\[1\].{0,3} must be a mapping/ });
    await empty.first().waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(screenshotDir, 'ui-empty-item.png') });
    // now fix replicas: its error goes away (diagnostics of the file are still published)
    await goToLine(page, '6');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('  replicas: 2');
    await replicas.first().waitFor({ state: 'detached', timeout: TIMEOUT });
    await empty.first().waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(screenshotDir, 'ui-empty-item-fixed.png') });
  });

  await test('the Outline shows one Kind/name entry per document', async () => {
    await openFile(page, 'deploy/deployment.yaml');
    await runCommand(page, 'Explorer: Focus on Outline View');
    const outline = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Outline/i }) });
    await outline.locator('.monaco-list-row', { hasText: 'Deployment/checkout-api' }).first().waitFor({ timeout: TIMEOUT });
    await outline.locator('.monaco-list-row', { hasText: 'metadata' }).first().waitFor({ timeout: TIMEOUT });
    // the breadcrumbs name the document the cursor is in
    await page.locator('.breadcrumbs-control .monaco-breadcrumb-item', { hasText: 'Deployment/checkout-api' }).first().waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(screenshotDir, 'ui-outline.png') });
  });

  await test('hovering a key shows its description from the schema', async () => {
    await openFile(page, 'deploy/deployment.yaml');
    // the editor renders spaces as non-breaking spaces
    const line = page.locator('.view-line', { hasText: /replicas:.3/ }).first();
    await line.locator('span', { hasText: /^replicas$/ }).first().hover();
    await page.locator('.monaco-hover', { hasText: 'Number of desired pods' }).first().waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(screenshotDir, 'ui-hover.png') });
  });

  await page.close();

  // a workspace without a platform config: the view explains and offers to create one
  const page2 = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const second = recorder(page2, screenshotDir);
  const sidebar2 = page2.locator('.part.sidebar');
  await second.test('an empty workspace shows the welcome content with "Create .paved-road.yaml"', async () => {
    await page2.goto(workbenchUrl(server, { folder: emptyWorkspace, extensionDevelopmentPath: devPath }));
    await page2.locator('.part.activitybar [aria-label^="Paved Road"]').first().waitFor({ timeout: 60_000 });
    await page2.locator('.part.activitybar [aria-label^="Paved Road"]').first().click();
    await sidebar2.getByText('No platform config in this workspace yet.').waitFor({ timeout: TIMEOUT });
    await page2.screenshot({ path: join(screenshotDir, 'ui-welcome.png') });
  });
  await second.test('the welcome button creates a valid .paved-road.yaml and opens it', async () => {
    await sidebar2.getByRole('button', { name: 'Create .paved-road.yaml' }).click();
    await page2.locator('.tabs-container .tab[aria-label*=".paved-road.yaml"]').first().waitFor({ timeout: TIMEOUT });
    await sidebar2.locator('.monaco-list-row', { hasText: '.paved-road.yaml' }).filter({ hasText: 'valid' }).waitFor({ timeout: TIMEOUT });
    await page2.screenshot({ path: join(screenshotDir, 'ui-created.png') });
  });
  await page2.close();

  // manifests without a platform config: checked on startup, before any file is opened
  const page3 = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const third = recorder(page3, screenshotDir);
  await third.test('without .paved-road.yaml, the Deployment from the Kubernetes documentation is checked on startup, with no validation error', async () => {
    await page3.goto(workbenchUrl(server, { folder: docsWorkspace, extensionDevelopmentPath: devPath }));
    await page3.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await runCommand(page3, 'View: Focus Problems');
    const problems3 = page3.locator('.markers-panel');
    // the file was never opened: its findings come from the startup scan
    await problems3.locator('.monaco-list-row', { hasText: 'nginx-deployment.yaml' }).first().waitFor({ timeout: 60_000 });
    // (the Problems panel draws the parentheses around a code with CSS: the text is "paved-road" then the code)
    await problems3.locator('.monaco-list-row', { hasText: /paved-road\(?k8s\// }).first().waitFor({ timeout: TIMEOUT });
    await page3.screenshot({ path: join(screenshotDir, 'ui-k8s-docs.png') });
    // no validation finding: the Problems filter (it matches the rule id) shows none for yaml/ and schema/
    const filter = page3.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    await filter.fill('k8s/run-as-non-root');
    const rowOf = (code) => problems3.locator('.monaco-list-row', { hasText: new RegExp(`paved-road\\(?${code}`) });
    await rowOf('k8s/run-as-non-root').first().waitFor({ timeout: TIMEOUT });
    for (const code of ['schema/', 'yaml/']) {
      await filter.fill(code);
      await rowOf('k8s/run-as-non-root').first().waitFor({ state: 'detached', timeout: TIMEOUT });
      if (await rowOf(code).count()) throw new Error(`a ${code} problem on the Deployment from the documentation`);
    }
    await page3.screenshot({ path: join(screenshotDir, 'ui-k8s-docs-no-validation.png') });
    await filter.fill('');
  });
  await page3.close();
  return [
    ...results,
    ...second.results.map((r) => ({ ...r, suite: 'workbench (no platform config yet)' })),
    ...third.results.map((r) => ({ ...r, suite: 'workbench (manifests, no platform config)' })),
  ];
}
