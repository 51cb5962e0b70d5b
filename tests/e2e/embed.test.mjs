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
let browser;
before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'id-precheck-embed-'));
  cpSync(DIST, dir, { recursive: true });
  const index = path.join(dir, 'index.html');
  // A document page's blur is the share of crisp edges on the document (≈ 0.7 when sharp):
  // a host demanding 0.99 sees a warning on a sharp photo.
  const rules = JSON.stringify({ all: { blur: { crisp_edges: { warn: 0.99 } } } }).replaceAll('"', '&quot;');
  const html = readFileSync(index, 'utf8').replace(
    '<div id="app">',
    `<div id="app" data-passport-visa="required" data-upload-max-side="1024" data-upload-max-bytes="120000" data-photo-rules="${rules}">`,
  );
  assert.notEqual(html, readFileSync(index, 'utf8'), 'index.html has the #app element');
  writeFileSync(index, html);
  server = await start(dir);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });
});
after(async () => {
  await browser?.close().catch(() => {});
  await stop(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
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
