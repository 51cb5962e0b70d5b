// Accessibility: axe-core (npm, run through the DevTools protocol, so the
// page's strict CSP stays on) over every state of the stand-alone page in
// zh-CN and en: empty, field errors, photos checked with failures, review with
// warnings to confirm, submitted, upload failed, and the live camera sheet.
// No serious or critical violation may remain.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import {
  CHROMIUM_PATH,
  DIST,
  LAUNCH_ARGS,
  ROOT,
  choosePhoto,
  fillAndBlur,
  fixture,
  switchLocale,
} from './helpers.mjs';
import { start, stop } from './serve.mjs';

const AXE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const VIDEO = path.resolve(ROOT, process.env.CAMERA_VIDEOS ?? 'target/camera-videos', 'dark-midv500_5_14_06.y4m');
// The stand-alone page with the built-in upload pointed at a server that refuses it (422:
// never retried), for the "upload failed" state.
const INDEX = readFileSync(path.join(DIST, 'index.html'), 'utf8').replace(
  '<div id="app" data-id-precheck-app>',
  '<div id="app" data-id-precheck-app data-upload-url="/refuse" data-upload-protocol="multipart">',
);

let server;
let browser;
before(async () => {
  server = await start(DIST, {
    route(req, res) {
      if (req.url === '/' || req.url.startsWith('/?')) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(INDEX);
        return true;
      }
      if (req.url.startsWith('/refuse')) {
        req.resume();
        req.on('end', () => {
          res.writeHead(422, { 'Content-Type': 'application/json' });
          res.end('{"error":"rejected"}');
        });
        return true;
      }
      return false;
    },
  });
  const args = [...LAUNCH_ARGS, '--use-fake-device-for-media-stream'];
  // The dark card video when camera.test.mjs has made it, else Chromium's own test pattern.
  if (existsSync(VIDEO)) args.push(`--use-file-for-fake-video-capture=${VIDEO}`);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
});
after(async () => {
  await browser?.close().catch(() => {});
  if (server) await stop(server);
});

/** Serious and critical axe violations on the page as it is now. */
async function audit(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

for (const lang of ['zh-CN', 'en']) {
  test(`axe (${lang}): no serious or critical violation in any state`, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, permissions: ['camera'] });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('input[name="name"]').waitFor();
    await switchLocale(page, lang);
    const found = {};
    const check = async (state) => {
      found[state] = await audit(page);
    };
    await check('empty');
    await fillAndBlur(page, 'name', '张3');
    await fillAndBlur(page, 'id-number', '110105194912310021');
    await fillAndBlur(page, 'phone', '1380013');
    await check('field errors');
    await choosePhoto(page, 'id-front', fixture('card-front-03__gauss_8.jpg'));
    await choosePhoto(page, 'id-back', fixture('card-back-02__none.jpg'));
    await check('photos with failures');
    await page.click('article[data-slot-card="face"] button[data-action="camera"]');
    await page.waitForSelector('[data-camera-sheet][data-phase="live"]', { timeout: 15_000 });
    await page.waitForSelector('[data-camera-sheet][data-guide]', { timeout: 15_000 });
    await check('camera');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-camera-sheet]', { state: 'detached' });
    await fillAndBlur(page, 'name', '张三');
    await fillAndBlur(page, 'id-number', '11010519491231002X');
    await fillAndBlur(page, 'phone', '13800138000');
    await choosePhoto(page, 'id-front', fixture('card-front-01__gray.jpg'), { upload: true });
    await choosePhoto(page, 'id-back', fixture('card-back-02__none.jpg'), { upload: true });
    await choosePhoto(page, 'face', fixture('presence/portrait-01.jpg'), { upload: true });
    await choosePhoto(page, 'selfie-with-document', fixture('presence/selfie-00.jpg'), { upload: true });
    await page.click('button[data-action="submit"]');
    await page.locator('div[data-confirm]').waitFor();
    await check('review, warnings to confirm');
    await page.click('button[data-action="confirm-submit"]');
    await page.waitForSelector('.upload[data-upload="failed"]', { timeout: 20_000 });
    await check('upload failed');
    await context.close();
    assert.deepEqual(found, Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  });
}
