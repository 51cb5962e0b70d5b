// The embed module (dist/embed/id-precheck.js) on host pages that use nothing else, under the
// strict CSP: two mounts on one page that do not interfere, typed events on each mount
// element, getState/submit/reset/destroy, validateField and checkPhoto (same verdicts as the
// CLI), errors with stable codes, no globals; and the example checkout page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, DIST, LAUNCH_ARGS, SHOT_DIR, STRICT_CSP, fixture, jpegMarkers, precheckPhotos } from './helpers.mjs';
import { start, stop } from './serve.mjs';

const PHOTO = 'card-front-01__none.jpg';

const TWO_HTML = `<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Host page</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="favicon.svg">
<script type="module" src="two.js"></script></head>
<body><h1>Kasse</h1><div id="a"></div><hr><div id="b"></div><div id="c"></div></body></html>`;

// The host's script: records every event with the element it arrived on.
const TWO_JS = `
import init, { mount, validateField, checkPhoto, messageCatalogue } from '../embed/id-precheck.js';
const before = new Set(Object.getOwnPropertyNames(window));
window.__log = [];
window.__errors = {};
try { validateField('name', 'x'); } catch (e) { window.__errors.early = e.code; }
const loading = init();
try { validateField('name', 'x'); } catch (e) { window.__errors.pending = e.code; }
await loading;
const a = mount(document.getElementById('a'), { locale: 'en', required: ['id-front'] });
const b = mount(document.getElementById('b'), { documents: ['passport'], passportVisa: 'off' });
for (const id of ['a', 'b']) {
  for (const type of ['precheck:change', 'precheck:ready', 'precheck:submit', 'precheck:error']) {
    document.getElementById(id).addEventListener(type, (e) => window.__log.push({ on: id, type, detail: e.detail }));
  }
}
window.__newGlobals = Object.getOwnPropertyNames(window).filter((n) => !before.has(n) && !n.startsWith('__'));
window.__api = { a, b, mount, validateField, checkPhoto, messageCatalogue };
document.body.dataset.hostReady = '';
`;

let dir;
let server;
let browser;
before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'id-precheck-module-'));
  cpSync(DIST, dir, { recursive: true });
  mkdirSync(path.join(dir, 'host'));
  writeFileSync(path.join(dir, 'host', 'two.html'), TWO_HTML);
  writeFileSync(path.join(dir, 'host', 'two.js'), TWO_JS);
  copyFileSync(fixture(PHOTO), path.join(dir, 'host', 'photo.jpg'));
  copyFileSync(path.join(dir, 'examples', 'favicon.svg'), path.join(dir, 'host', 'favicon.svg'));
  server = await start(dir, { headers: { 'Content-Security-Policy': STRICT_CSP } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });
});
after(async () => {
  await browser?.close().catch(() => {});
  await stop(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A page that records console errors, CSP violations and every request. */
async function openPage(url, viewport = { width: 390, height: 844 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  context.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  return {
    page,
    async finish() {
      const missing = (server.log ?? []).filter((r) => r.status >= 400).map((r) => `${r.status} ${r.path}`);
      assert.deepEqual(missing, [], 'every request the page made was served');
      const violations = await page.evaluate(() => window.__violations);
      assert.deepEqual(violations, [], 'CSP violations');
      assert.deepEqual(problems, [], 'console or page errors');
      const foreign = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
      assert.deepEqual(foreign, [], 'requests other than the module and the page');
      await context.close();
    },
  };
}

async function fillAndBlur(scope, name, value) {
  const input = scope.locator(`[name="${name}"]`);
  await input.fill(value);
  await input.blur();
}

test('two mounts on one page: separate ids, languages, documents, events and state; submit, reset, destroy', async () => {
  const { page, finish } = await openPage(`${server.url}host/two.html`);
  await page.waitForSelector('body[data-host-ready]', { timeout: 20_000 });
  const a = page.locator('#a');
  const b = page.locator('#b');
  await a.locator('input[name="name"]').waitFor({ timeout: 10_000 });

  assert.equal(await page.evaluate(() => window.__errors.early), 'not-initialised');
  assert.equal(await page.evaluate(() => window.__errors.pending), 'not-initialised', 'while init() is still loading');
  assert.deepEqual(await page.evaluate(() => window.__newGlobals), [], 'the module adds no globals');
  const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
  assert.equal(new Set(ids).size, ids.length, `every id is unique: ${ids.join(' ')}`);
  // Each mount speaks its own language; the host's <html lang> and title stay its own.
  assert.equal(await a.getAttribute('lang'), 'en');
  assert.equal(await b.getAttribute('lang'), 'zh-CN');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  assert.equal(await page.title(), 'Host page');
  assert.match(await a.locator('h1').textContent(), /identity/i);
  // The label of each input points at that mount's own input.
  const label = a.locator('label', { hasText: /name/i }).first();
  assert.equal(await label.getAttribute('for'), await a.locator('input[name="name"]').getAttribute('id'));
  // b offers the passport only: no choice of document, no ID-card number.
  assert.equal(await b.locator('input[name="passport-number"]').count(), 1);
  assert.equal(await b.locator('input[name="id-number"]').count(), 0);
  assert.equal(await b.locator('fieldset.doc-type').isVisible(), false);
  assert.equal(await b.locator('[data-slot-card="passport-visa"]').count(), 0, 'passportVisa: off');
  // The scoped stylesheet is linked once and styles the mounts, not the host's <h1>.
  assert.equal(await page.locator('link[data-id-precheck-style]').count(), 1);
  const hostH1 = await page.locator('body > h1').evaluate((h) => getComputedStyle(h).fontFamily);
  const formH1 = await a.locator('h1').evaluate((h) => getComputedStyle(h).fontFamily);
  assert.notEqual(hostH1, formH1, 'the form has its own fonts, the host keeps its own');

  await page.evaluate(() => (window.__log.length = 0));
  await fillAndBlur(a, 'name', ' 张三 ');
  await fillAndBlur(a, 'id-number', '11010519491231002x');
  await fillAndBlur(a, 'phone', '138 0013 8000');
  await a.locator('[data-field="phone"][data-status="pass"]').waitFor({ timeout: 5_000 });
  let log = await page.evaluate(() => window.__log);
  assert.ok(log.some((e) => e.on === 'a' && e.type === 'precheck:change'), 'a reports its changes');
  assert.deepEqual(log.filter((e) => e.on === 'b'), [], 'b heard nothing of a');
  const change = log.filter((e) => e.type === 'precheck:change').at(-1).detail;
  assert.equal(change.fields.phone.status, 'pass');
  assert.equal(change.values, undefined, 'events carry statuses, not what was typed');
  assert.equal(change.ready, false, 'the required photo is missing');
  const bState = await page.evaluate(() => window.__api.b.getState());
  assert.equal(bState.values.name, '', "b's fields are untouched");
  assert.equal(bState.document, 'passport');

  await a.locator('input[type="file"][data-slot="id-front"]').setInputFiles(fixture(PHOTO));
  await a.locator('[data-slot-card="id-front"] p.upload-size[data-upload-bytes]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => window.__log.some((e) => e.type === 'precheck:ready'), null, { timeout: 5_000 });
  const state = await page.evaluate(() => window.__api.a.getState());
  assert.equal(state.ready, true);
  assert.equal(state.photos['id-front'].state, 'checked');
  assert.equal(state.photos['id-front'].uploadReady, true);
  assert.equal(state.photos['id-back'].optional, true, 'not in required: may stay empty');
  assert.equal(state.values.name, ' 张三 ', 'getState has the values as typed');
  const cardStatus = await a.locator('[data-slot-card="id-front"]').getAttribute('data-status');
  assert.equal(state.photos['id-front'].report.status, cardStatus);

  // submit(): the hand-over arrives on a, with normalised fields, the JPEG and its report.
  assert.equal(await page.evaluate(() => window.__api.a.submit()), 'pass');
  await page.waitForFunction(() => window.__log.some((e) => e.type === 'precheck:submit'), null, { timeout: 5_000 });
  const submitted = await page.evaluate(async () => {
    const e = window.__log.find((x) => x.type === 'precheck:submit');
    const p = e.detail.photos[0];
    const bytes = [...new Uint8Array(await p.file.arrayBuffer())];
    return { on: e.on, fields: e.detail.fields, document: e.detail.document, slot: p.slot, type: p.file.type, bytes, report: p.report, n: e.detail.photos.length };
  });
  assert.equal(submitted.on, 'a');
  assert.equal(submitted.document, 'id-card');
  assert.deepEqual(submitted.fields, { name: '张三', 'id-number': '11010519491231002X', phone: '13800138000' });
  assert.equal(submitted.n, 1);
  assert.equal(submitted.slot, 'id-front');
  assert.equal(submitted.type, 'image/jpeg');
  assert.ok(!jpegMarkers(submitted.bytes).includes(0xe1), 'no EXIF (APP1) in the upload-ready JPEG');
  assert.equal(submitted.report.status, cardStatus);

  // A file that cannot be checked: precheck:error on a, naming the slot, with a stable code.
  await a.locator('input[type="file"][data-slot="id-back"]').setInputFiles({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('this is not a photo') });
  await page.waitForFunction(() => window.__log.some((e) => e.type === 'precheck:error'), null, { timeout: 10_000 });
  const photoError = await page.evaluate(() => window.__log.find((e) => e.type === 'precheck:error'));
  assert.equal(photoError.on, 'a');
  assert.equal(photoError.detail.slot, 'id-back');
  assert.equal(photoError.detail.error.code, await a.locator('[data-slot-card="id-back"] [data-check="file"]').getAttribute('data-error'));
  assert.match(photoError.detail.error.message, /\S/);

  // reset(): empty again, and b still untouched.
  await page.evaluate(() => window.__api.a.reset());
  await page.waitForFunction(() => document.querySelectorAll('#a main.page').length === 1 && document.querySelector('#a [data-slot-card="id-front"][data-status="empty"]'), null, { timeout: 5_000 });
  assert.equal(await a.locator('input[name="name"]').inputValue(), '');
  const afterReset = await page.evaluate(() => window.__api.a.getState());
  assert.equal(afterReset.values.name, '');
  assert.equal(afterReset.photos['id-front'].state, 'empty');

  // A host that resets on every precheck:change: a reset that changes no status sends no
  // event, so the loop ends after the reset back to empty (it used to remount without end
  // until the page ran out of memory).
  await page.evaluate(() => {
    window.__resets = 0;
    window.__resetOnChange = () => {
      window.__resets += 1;
      if (window.__resets < 50) window.__api.a.reset();
    };
    document.getElementById('a').addEventListener('precheck:change', window.__resetOnChange);
    window.__api.a.reset(); // empty → empty: no change
  });
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__resets), 0, 'a reset that changes nothing is silent');
  await a.locator('input[name="name"]').fill('张三');
  await page.waitForTimeout(1_500);
  const resets = await page.evaluate(() => window.__resets);
  await page.waitForTimeout(1_000);
  assert.equal(await page.evaluate(() => window.__resets), resets, 'the loop has ended');
  assert.ok(resets >= 1 && resets <= 3, `${resets} changes`);
  await page.evaluate(() => document.getElementById('a').removeEventListener('precheck:change', window.__resetOnChange));
  assert.equal(await page.locator('#a main.page').count(), 1);
  assert.equal(await a.locator('input[name="name"]').inputValue(), '');
  await a.locator('input[name="name"]').fill('李四');
  assert.equal(await a.locator('input[name="name"]').inputValue(), '李四', 'the form still works');

  // destroy(): the element is empty, the handle refuses, the element can be mounted again.
  const destroyed = await page.evaluate(() => {
    window.__api.b.destroy();
    const el = document.getElementById('b');
    let code = null;
    try {
      window.__api.b.getState();
    } catch (e) {
      code = e.code;
    }
    return { code, cls: el.className };
  });
  assert.deepEqual(destroyed, { code: 'destroyed', cls: '' });
  await page.waitForFunction(() => document.getElementById('b').innerHTML === '', null, { timeout: 2_000 });
  await page.evaluate(() => (window.__again = window.__api.mount(document.getElementById('b'), { locale: 'en' })));
  await b.locator('input[name="name"]').waitFor({ timeout: 5_000 });
  assert.equal(await b.getAttribute('lang'), 'en', 'mounted again, with its new config');
  await page.evaluate(() => window.__again.destroy());
  await finish();
});

test('validateField, checkPhoto (Blob and ImageData, same verdicts as the CLI) and coded errors', async () => {
  const { page, finish } = await openPage(`${server.url}host/two.html`);
  await page.waitForSelector('body[data-host-ready]', { timeout: 20_000 });
  const got = await page.evaluate(async () => {
    const { validateField, checkPhoto, messageCatalogue, mount } = window.__api;
    const code = (f) => {
      try {
        f();
        return null;
      } catch (e) {
        return [e instanceof Error, e.code, e.message];
      }
    };
    const rejected = async (p) => p.then(() => null, (e) => [e instanceof Error, e.code, e.message]);
    const file = await (await fetch('photo.jpg')).blob();
    const report = await checkPhoto(file, 'id-front', { locale: 'en' });
    const bitmap = await createImageBitmap(file, { resizeWidth: 1600, resizeHeight: 1200 });
    const canvas = new OffscreenCanvas(1600, 1200);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    const fromPixels = await checkPhoto(ctx.getImageData(0, 0, 1600, 1200), 'id-front');
    const fromBitmap = await checkPhoto(bitmap, 'id-front');
    const el = document.getElementById('c');
    return {
      field: validateField('id-number', '11010519491231002x', { locale: 'en' }),
      typo: validateField('id-number', '110105194912310021').issues.map((i) => i.code),
      catalogue: Object.keys(messageCatalogue('en')).length,
      report,
      pixels: [fromPixels.width, fromPixels.height, fromPixels.checks.length],
      bitmap: [fromBitmap.width, fromBitmap.height],
      errors: {
        kind: code(() => validateField('nope', 'x')),
        locale: code(() => validateField('name', 'x', { locale: 'fr' })),
        key: code(() => mount(el, { lcoale: 'en' })),
        docs: code(() => mount(el, { documents: [] })),
        required: code(() => mount(el, { documents: ['passport'], required: ['id-front'] })),
        rules: code(() => mount(el, { rules: { all: { blur: { nope: { warn: 1 } } } } })),
        element: code(() => mount('#c', {})),
        twice: code(() => mount(document.getElementById('a'), {})),
        empty: await rejected(checkPhoto(new Blob([]), 'id-front')),
        notImage: await rejected(checkPhoto(new Blob(['<html></html>'], { type: 'image/jpeg' }), 'id-front')),
        slot: await rejected(checkPhoto(file, 'back')),
        input: await rejected(checkPhoto('photo.jpg', 'id-front')),
      },
      mountedC: el.innerHTML,
    };
  });
  assert.equal(got.field.status, 'pass');
  assert.equal(got.field.normalized, '11010519491231002X');
  assert.ok(got.typo.length > 0, 'a wrong check digit is reported');
  assert.ok(got.catalogue > 20);
  const [ref] = [...(await precheckPhotos('id-front', [fixture(PHOTO)], { lang: 'en' })).values()];
  assert.equal(got.report.status, ref.status, 'checkPhoto vs CLI status');
  assert.deepEqual(
    got.report.checks.map((c) => [c.id, c.status, c.code, c.message]),
    ref.checks.map((c) => [c.id, c.status, c.code, c.message]),
    'checkPhoto gives the CLI verdicts',
  );
  assert.deepEqual([got.report.width, got.report.height], [ref.width, ref.height]);
  assert.deepEqual(got.pixels.slice(0, 2), [1600, 1200]);
  assert.ok(got.pixels[2] > 0);
  assert.deepEqual(got.bitmap, [1600, 1200]);
  const e = got.errors;
  assert.deepEqual(e.kind.slice(0, 2), [true, 'field-kind-unknown']);
  assert.deepEqual(e.locale.slice(0, 2), [true, 'locale-unsupported']);
  assert.deepEqual(e.key.slice(0, 2), [true, 'config-invalid']);
  assert.match(e.key[2], /unknown field `lcoale`/);
  assert.match(e.docs[2], /^documents: /);
  assert.match(e.required[2], /^required: `id-front` is not offered/);
  assert.match(e.rules[2], /^rules: /);
  assert.deepEqual(e.element.slice(0, 2), [true, 'element-invalid']);
  assert.deepEqual(e.twice.slice(0, 2), [true, 'element-invalid']);
  assert.deepEqual(e.empty.slice(0, 2), [true, 'empty']);
  assert.deepEqual(e.notImage.slice(0, 2), [true, 'unsupported-format']);
  assert.deepEqual(e.slot.slice(0, 2), [true, 'slot-unknown']);
  assert.deepEqual(e.input.slice(0, 2), [true, 'input-invalid']);
  assert.equal(got.mountedC, '', 'a refused config mounts nothing');
  await finish();
});

test('the example checkout page mounts the pre-check from the module only (zh-CN and en, 390×844)', async () => {
  mkdirSync(SHOT_DIR, { recursive: true });
  for (const lang of ['zh-CN', 'en']) {
    const { page, finish } = await openPage(`${server.url}examples/checkout.html?lang=${lang}`);
    const kyc = page.locator('#kyc');
    await kyc.locator('input[name="name"]').waitFor({ timeout: 20_000 });
    assert.equal(await kyc.getAttribute('lang'), lang);
    assert.equal(await page.locator('#address').inputValue(), '上海市浦东新区世纪大道 100 号', 'the host form is intact');
    await fillAndBlur(kyc, 'name', '张三');
    await kyc.locator('[data-field="name"][data-status="pass"]').waitFor({ timeout: 5_000 });
    await page.waitForSelector('#kyc-status[data-kyc-status="fail"]', { timeout: 5_000 });
    await page.screenshot({ path: path.join(SHOT_DIR, `embed-checkout-${lang}.png`), fullPage: false });
    await kyc.locator('[data-slot-card="id-front"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOT_DIR, `embed-checkout-photos-${lang}.png`), fullPage: false });
    await finish();
  }
});

test('the package: npm pack gives every file the module needs', async () => {
  const embed = path.join(DIST, 'embed');
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: embed, encoding: 'utf8' }));
  // Every file the build put beside the module (the glue's snippets included) is packed.
  const built = readdirSync(embed, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(embed, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  assert.deepEqual(packed.files.map((f) => f.path).sort(), built.sort());
  assert.ok(built.some((f) => f.startsWith('snippets/')), 'the glue imports its snippets');
  for (const f of packed.files) assert.ok(f.size > 0, `${f.path} is not empty`);
  // And every relative import of a packed script is a packed file.
  for (const f of packed.files.filter((x) => x.path.endsWith('.js'))) {
    // Comments (the module's usage example imports from a host's path) are not imports.
    const code = readFileSync(path.join(embed, f.path), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const [, spec] of code.matchAll(/(?:import|from)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(f.path), spec));
      assert.ok(built.includes(target), `${f.path} imports ${spec}, which is packed`);
    }
  }
  const dts = readFileSync(path.join(embed, 'id-precheck.d.ts'), 'utf8');
  for (const name of ['export default function init', 'export function validateField', 'export function checkPhoto', 'export function mount']) {
    assert.ok(dts.includes(name), `the .d.ts declares ${name}`);
  }
});
