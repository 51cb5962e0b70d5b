// A host page configures the app with data-* attributes on #app: the visa page slot, the
// upload-ready image limits, photo rules. Serves a copy of dist/ whose index.html sets them.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, DIST, LAUNCH_ARGS, ROOT } from './helpers.mjs';
import { start, stop } from './serve.mjs';

const FIXTURES = process.env.PHOTO_FIXTURES ?? path.join(ROOT, 'target', 'photo-fixtures');

let dir;
let server;
let badDir;
let badServer;
let browser;

/** A copy of dist/ whose #app carries `attrs`. */
function hostCopy(attrs) {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'id-precheck-embed-'));
  cpSync(DIST, copy, { recursive: true });
  const index = path.join(copy, 'index.html');
  const html = readFileSync(index, 'utf8').replace('<div id="app" data-id-precheck-app>', `<div id="app" data-id-precheck-app ${attrs}>`);
  assert.notEqual(html, readFileSync(index, 'utf8'), 'index.html has the #app element');
  writeFileSync(index, html);
  return copy;
}
before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'id-precheck-embed-'));
  cpSync(DIST, dir, { recursive: true });
  const index = path.join(dir, 'index.html');
  // A document page's blur is the share of crisp edges on the document (≈ 0.7 when sharp):
  // a host demanding 0.99 sees a warning on a sharp photo.
  const rules = JSON.stringify({ all: { blur: { crisp_edges: { warn: 0.99 } } } }).replaceAll('"', '&quot;');
  const html = readFileSync(index, 'utf8').replace(
    '<div id="app" data-id-precheck-app>',
    `<div id="app" data-id-precheck-app data-passport-visa="required" data-upload-max-side="1024" data-upload-max-bytes="120000" data-photo-rules="${rules}">`,
  );
  assert.notEqual(html, readFileSync(index, 'utf8'), 'index.html has the #app element');
  writeFileSync(index, html);
  server = await start(dir);
  // A typo in a rule's name: `crisp_edge`.
  const bad = JSON.stringify({ all: { blur: { crisp_edge: { warn: 0.5 } } } }).replaceAll('"', '&quot;');
  badDir = hostCopy(`data-photo-rules="${bad}"`);
  badServer = await start(badDir);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });
});
after(async () => {
  await browser?.close().catch(() => {});
  await stop(server);
  await stop(badServer);
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (badDir) rmSync(badDir, { recursive: true, force: true });
});

test('host settings: required visa page, upload limits and photo rules', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  try {
    await page.goto(server.url);
    await page.locator('input[name="doc-type"][value="passport"]').check();
    const visa = page.locator('[data-slot-card="passport-visa"]');
    await visa.waitFor({ timeout: 20_000 });
    assert.equal(await visa.locator('.optional').count(), 0, 'a required visa page is not marked optional');
    assert.equal(await page.locator('[data-review="passport-visa"]').getAttribute('data-status'), 'empty');

    // Upload limits: 1024 px long side, 120 kB.
    await page.setInputFiles('input[data-slot="passport-data"]', path.join(FIXTURES, 'card-front-01__none.jpg'));
    const note = page.locator('[data-slot-card="passport-data"] [data-upload-size]');
    await note.waitFor({ timeout: 20_000 });
    const [w, h] = (await note.getAttribute('data-upload-size')).split('x').map(Number);
    const bytes = Number(await note.getAttribute('data-upload-bytes'));
    assert.equal(Math.max(w, h), 1024, `long side ${w}×${h}`);
    assert.ok(bytes <= 120_000, `upload ${bytes} bytes`);

    // Rules: a sharp photo warns under the host's stricter blur level (crisp share 0.99).
    const blur = page.locator('[data-slot-card="passport-data"] [data-check="blur"]');
    assert.equal(await blur.getAttribute('data-status'), 'warn');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('invalid host rules: one clear notice on the page, no photo checked with rules the host did not ask for', async () => {
  for (const lang of ['zh-CN', 'en']) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      await page.goto(`${badServer.url}?lang=${lang}`);
      const notice = page.locator('[data-config-error="photo-rules"]');
      await notice.waitFor({ timeout: 20_000 });
      assert.equal(await notice.count(), 1, 'shown once');
      assert.equal(await notice.getAttribute('role'), 'alert');
      const text = await notice.textContent();
      assert.ok(text.includes('data-photo-rules') && text.includes('crisp_edge'), text);
      assert.match(text, lang === 'en' ? /invalid/ : /无效/);
      // The integrator sees it in the console too, once.
      assert.equal(errors.filter((e) => e.includes('data-photo-rules')).length, 1, JSON.stringify(errors));

      await page.setInputFiles('input[data-slot="id-front"]', path.join(FIXTURES, 'card-front-01__none.jpg'));
      const row = page.locator('[data-slot-card="id-front"] li[data-check="file"]');
      await row.waitFor({ timeout: 10_000 });
      assert.equal(await row.getAttribute('data-error'), 'config');
      assert.equal(await row.getAttribute('data-status'), 'fail');
      assert.ok((await row.locator('.tip').textContent()).includes('crisp_edge'));
      assert.equal(await page.locator('[data-slot-card="id-front"] li[data-check="blur"]').count(), 0, 'no verdict under default rules');
      await notice.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ROOT, 'target', 'e2e', `embed-bad-rules-${lang}.png`), fullPage: false });
      assert.deepEqual(errors.filter((e) => !e.includes('data-photo-rules')), []);
    } finally {
      await context.close();
    }
  }
});
