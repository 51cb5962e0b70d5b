// A panic in the page's wasm never costs the shopper what they gave: the form is started
// again in a fresh instance with every typed value and photo (checked again), under a notice;
// after two restarts the dead form stays on screen, inert, with its inputs and a notice.
//
// The panic is a real one, made from outside the app the way in-page translators make it:
// a node the form renders is wrapped in a <font> element, so Yew's next insertion before
// that node fails (`insertBefore`: not a child) and Yew panics.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, DIST, LAUNCH_ARGS, SHOT_DIR, STRICT_CSP, closeSuite, fillAndBlur, fixture, openApp, openSuite, waitVerdict } from './helpers.mjs';
import { start, stop } from './serve.mjs';

const PHOTOS = { 'id-front': 'card-front-01__none.jpg', 'id-back': 'card-back-02__none.jpg' };
const TYPED = { name: '张𠀀·三', 'id-number': '11010519491231002x', phone: '138 0013 8000' };
/** What the panic itself prints: anything else on the console is a defect. */
const PANIC_NOISE = /panicked at|failed to insert node|unreachable|RuntimeError/;

let suite;
before(async () => {
  suite = await openSuite();
});
after(async () => {
  await closeSuite(suite);
});

/** Wraps a slot's actions in <font> (as a translator does) and opens its camera: Yew panics. */
async function crash(page, root = 'body') {
  await page.evaluate((sel) => {
    const actions = document.querySelector(`${sel} article[data-slot-card="id-front"] .actions`);
    const font = document.createElement('font');
    actions.replaceWith(font);
    font.append(actions);
  }, root);
  await page.locator(`${root} article[data-slot-card="id-front"] button[data-action="camera"]`).click();
}

async function fillForm(page, root = 'body') {
  for (const [name, value] of Object.entries(TYPED)) {
    await page.locator(`${root} [name="${name}"]`).fill(value);
    await page.locator(`${root} [name="${name}"]`).blur();
  }
  for (const [slot, file] of Object.entries(PHOTOS)) {
    await page.setInputFiles(`${root} input[type="file"][data-slot="${slot}"]`, fixture(file));
  }
  for (const slot of Object.keys(PHOTOS)) {
    await page.locator(`${root} [data-slot-card="${slot}"] p.upload-size[data-upload-bytes]`).waitFor({ timeout: 30_000 });
  }
}

/** Field and slot statuses, and the typed values. */
async function formView(page, root = 'body') {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel);
    const fields = Object.fromEntries([...r.querySelectorAll('.msg[data-field]')].map((m) => [m.dataset.field, m.dataset.status]));
    const slots = Object.fromEntries([...r.querySelectorAll('article[data-slot-card]')].map((a) => [a.dataset.slotCard, a.dataset.status]));
    const values = Object.fromEntries([...r.querySelectorAll('input[name]:not([type=file]):not([type=radio])')].map((i) => [i.name, i.value]));
    return { fields, slots, values };
  }, root);
}

for (const lang of ['en', 'zh-CN']) {
  test(`${lang}: a panic restarts the form with every value and photo kept, checked again, and it goes on working`, async () => {
    const app = await openApp(suite, { viewport: { width: 390, height: 844 }, path: `?lang=${lang}` });
    const { page } = app;
    try {
      await fillForm(page);
      const beforeCrash = await formView(page);
      assert.deepEqual(beforeCrash.values, TYPED);
      assert.equal(beforeCrash.slots['id-front'], 'pass');
      assert.ok(['pass', 'warn'].includes(beforeCrash.slots['id-back']), beforeCrash.slots['id-back']);
      await crash(page);
      await page.locator('[data-restarted]').waitFor({ timeout: 10_000 });
      assert.ok(app.problems.some((p) => /panicked at/.test(p)), 'a real panic happened');
      // The photos are checked again by the new instance's worker.
      for (const slot of Object.keys(PHOTOS)) await waitVerdict(page, slot, { upload: true });
      const afterCrash = await formView(page);
      assert.deepEqual(afterCrash, beforeCrash, 'the same values and verdicts');
      assert.equal(await page.locator('.id-precheck-app').count(), 1, "the dead instance's form is gone");
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      // It works: a new value is checked, and the form can be submitted.
      await fillAndBlur(page, 'phone', '1380013800');
      assert.equal(await page.locator('.msg[data-field="phone"]').getAttribute('data-status'), 'fail');
      await fillAndBlur(page, 'phone', TYPED.phone);
      assert.equal(await page.locator('.msg[data-field="phone"]').getAttribute('data-status'), 'pass');
      // A photo is removed and given again: checked by the new instance.
      await page.locator('article[data-slot-card="id-back"] button[data-action="remove"]').click();
      await page.waitForSelector('article[data-slot-card="id-back"][data-status="empty"]');
      await page.setInputFiles('input[type="file"][data-slot="id-back"]', fixture(PHOTOS['id-back']));
      await waitVerdict(page, 'id-back', { upload: true });
      assert.deepEqual(await formView(page), beforeCrash);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(SHOT_DIR, `crash-restarted-${lang}-390.png`) });
      const notice = await page.locator('[data-restarted]').innerText();
      assert.match(notice, lang === 'en' ? /restarted.*kept/s : /重新启动.*保留/s);
      assert.deepEqual(app.problems.filter((p) => !PANIC_NOISE.test(p)), [], 'nothing but the panic on the console');
      assert.ok(app.requests.every((u) => u.startsWith(suite.server.url) || u.startsWith('blob:') || u.startsWith('data:')), 'no request left the page');
    } finally {
      await app.close({ allowProblems: true });
    }
  });
}

test('after two restarts a third panic leaves the form on screen, inert, with its inputs and a notice', async () => {
  const app = await openApp(suite, { viewport: { width: 390, height: 844 }, path: '?lang=en' });
  const { page } = app;
  try {
    await fillAndBlur(page, 'name', TYPED.name);
    await fillAndBlur(page, 'phone', TYPED.phone);
    await page.evaluate(() => {
      window.__restarts = 0;
      document.getElementById('app').addEventListener('precheck:restarted', () => (window.__restarts += 1));
    });
    for (let i = 1; i <= 2; i += 1) {
      await crash(page);
      await page.waitForFunction((n) => window.__restarts === n, i, { timeout: 10_000 });
      await page.locator('[data-restarted]').waitFor();
      assert.equal(await page.locator('input[name="name"]').inputValue(), TYPED.name, `kept after restart ${i}`);
      assert.equal(await page.locator('.id-precheck-app').count(), 1);
    }
    await crash(page);
    await page.locator('[data-crash]').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('main').getAttribute('inert'), '');
    assert.equal(await page.locator('input[name="name"]').inputValue(), TYPED.name, 'still shown');
    assert.equal(await page.locator('input[name="phone"]').inputValue(), TYPED.phone, 'still shown');
    assert.match(await page.locator('[data-crash]').innerText(), /still shown below/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOT_DIR, 'crash-stopped-en-390.png') });
  } finally {
    await app.close({ allowProblems: true });
  }
});

const HOST_HTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Crash host</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="../examples/favicon.svg">
<script type="module" src="crash.js"></script></head>
<body><div id="a"></div><div id="b"></div></body></html>`;
const HOST_JS = `
import init, { mount, validateField } from '../embed/id-precheck.js';
window.__events = [];
await init();
window.__validate = validateField;
window.__forms = {};
for (const id of ['a', 'b']) {
  const el = document.getElementById(id);
  el.addEventListener('precheck:restarted', (e) => window.__events.push({ id, type: e.type, detail: e.detail }));
  window.__forms[id] = mount(el, { locale: 'en', documents: ['id-card'] });
}
document.body.dataset.hostReady = '';
`;

test('embed: both mounts restart, precheck:restarted is sent, and the handles and functions keep working', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'id-precheck-crash-'));
  cpSync(DIST, dir, { recursive: true });
  mkdirSync(path.join(dir, 'host'));
  writeFileSync(path.join(dir, 'host', 'crash.html'), HOST_HTML);
  writeFileSync(path.join(dir, 'host', 'crash.js'), HOST_JS);
  const server = await start(dir, { headers: { 'Content-Security-Policy': STRICT_CSP } });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const violations = [];
    page.on('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()) && violations.push(m.text()));
    await page.goto(`${server.url}host/crash.html`);
    await page.waitForSelector('body[data-host-ready]', { timeout: 20_000 });
    await fillForm(page, '#a');
    await page.locator('#b [name="name"]').fill('李四');
    await page.locator('#b [name="name"]').blur();
    const beforeA = await formView(page, '#a');
    await crash(page, '#a');
    await page.waitForFunction(() => window.__events.length === 2, null, { timeout: 10_000 });
    const events = await page.evaluate(() => window.__events);
    assert.deepEqual(events.map((e) => e.id).sort(), ['a', 'b']);
    assert.ok(events.every((e) => e.type === 'precheck:restarted' && e.detail.reason === 'crashed'));
    for (const slot of Object.keys(PHOTOS)) await waitVerdict(page, slot, { upload: true });
    assert.deepEqual(await formView(page, '#a'), beforeA);
    assert.equal(await page.locator('#b [name="name"]').inputValue(), '李四');
    // Distinct ids still: the restored forms keep their prefixes.
    const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
    assert.equal(new Set(ids).size, ids.length, 'no id twice');
    // The handles and the module's functions now talk to the new instance.
    const state = await page.evaluate(() => window.__forms.a.getState());
    assert.equal(state.values.name, TYPED.name);
    assert.equal(state.photos['id-front'].state, 'checked');
    assert.equal(await page.evaluate(() => window.__validate('phone', '13800138000').status), 'pass');
    await page.evaluate(() => window.__forms.b.reset());
    await page.waitForFunction(() => document.querySelector('#b [name="name"]')?.value === '');
    await page.evaluate(() => window.__forms.b.destroy());
    await page.waitForFunction(() => document.querySelector('#b').childElementCount === 0);
    assert.deepEqual(violations, [], 'CSP violations');
    await page.screenshot({ path: path.join(SHOT_DIR, 'crash-embed-en-390.png') });
    await context.close();
  } finally {
    await browser.close().catch(() => {});
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
});
