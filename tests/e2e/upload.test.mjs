// The built-in upload against real servers (tus reference server, a multipart receiver) on
// 127.0.0.1, behind a failure-injecting front: dropped connections, 503, 429 with
// Retry-After, a stall, a 20 KB/s link, Chromium's offline emulation, a 4xx. Asserts what
// the servers received, that tus resumes instead of restarting, and that the shopper's
// inputs survive every failure.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, DIST, LAUNCH_ARGS, SHOT_DIR, STRICT_CSP, fixture, jpegMarkers } from './helpers.mjs';
import { startUploadServer } from './upload_server.mjs';

const PHOTOS = { 'id-front': 'card-front-01__none.jpg', 'id-back': 'card-back-02__none.jpg' };
const MAX_BYTES = 150_000;
const CHUNK_SIZE = 65_536;

const HTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Upload host</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="../examples/favicon.svg">
<script type="module" src="upload.js"></script></head>
<body><div id="kyc"></div></body></html>`;

// Config from the query: ?protocol=tus&timeoutMs=2000&lang=en
const JS = `
import init, { mount } from '../embed/id-precheck.js';
const q = new URLSearchParams(location.search);
window.__events = [];
await init();
const el = document.getElementById('kyc');
for (const type of ['precheck:upload-progress', 'precheck:uploaded', 'precheck:error', 'precheck:submit']) {
  el.addEventListener(type, (e) => window.__events.push({ type, at: performance.now(), detail: type === 'precheck:submit' ? null : e.detail }));
}
window.__form = mount(el, {
  locale: q.get('lang') ?? 'en',
  documents: ['id-card'],
  required: ['id-front', 'id-back'],
  uploadImage: { maxLongSide: 1280, maxBytes: ${MAX_BYTES} },
  upload: {
    url: q.get('protocol') === 'tus' ? '/upload/tus/' : '/upload/multipart',
    protocol: q.get('protocol') ?? 'multipart',
    timeoutMs: Number(q.get('timeoutMs') ?? 30000),
    retryBaseMs: 300,
    retryMaxMs: 2000,
    chunkSize: ${CHUNK_SIZE},
    headers: { 'X-Shop-Session': 'abc123' },
  },
});
document.body.dataset.hostReady = '';
`;

const FIELDS = { name: '张三', 'id-number': '11010519491231002X', phone: '13800138000' };

let dir;
let srv;
let browser;
before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'id-precheck-upload-'));
  cpSync(DIST, dir, { recursive: true });
  mkdirSync(path.join(dir, 'host'));
  writeFileSync(path.join(dir, 'host', 'upload.html'), HTML);
  writeFileSync(path.join(dir, 'host', 'upload.js'), JS);
  srv = await startUploadServer(dir, { headers: { 'Content-Security-Policy': STRICT_CSP } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });
});
after(async () => {
  await browser?.close().catch(() => {});
  await srv?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The form filled in (typed with a space and a lower-case x) and both photos checked. */
async function ready(query) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = [];
  // Upload requests as the browser issues them (the server sees a request only when it reads
  // its headers, which a throttled, paused socket can delay by seconds).
  const issued = [];
  page.on('request', (r) => r.url().includes('/upload/') && issued.push({ method: r.method(), url: r.url(), at: Date.now() }));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    // The browser logs each failed request the tests inject; anything else is a problem.
    if (m.type() === 'error' && !/Failed to load resource|net::ERR_/.test(m.text())) problems.push(m.text());
  });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${srv.url}host/upload.html?${query}`);
  await page.waitForSelector('body[data-host-ready]', { timeout: 20_000 });
  const typed = { name: ' 张三 ', 'id-number': '11010519491231002x', phone: '138 0013 8000' };
  for (const [name, value] of Object.entries(typed)) {
    await page.locator(`[name="${name}"]`).fill(value);
    await page.locator(`[name="${name}"]`).blur();
  }
  for (const [slot, file] of Object.entries(PHOTOS)) {
    await page.setInputFiles(`input[type="file"][data-slot="${slot}"]`, fixture(file));
  }
  for (const slot of Object.keys(PHOTOS)) {
    await page.waitForSelector(`[data-slot-card="${slot}"] p.upload-size[data-upload-bytes]`, { timeout: 30_000 });
  }
  return {
    page,
    context,
    issued,
    async submit() {
      await page.locator('button[data-action="submit"]').click();
      const confirm = page.locator('button[data-action="confirm-submit"]');
      if (await confirm.isVisible().catch(() => false)) await confirm.click();
    },
    async waitUpload(phase, timeout = 60_000) {
      try {
        await page.waitForSelector(`.upload[data-upload="${phase}"]`, { timeout });
      } catch (e) {
        const last = await page.evaluate(() => window.__events.filter((x) => x.type !== 'precheck:submit').slice(-3));
        const requests = srv.state.requests.map((r) => `${r.method} ${r.path}`).join(', ');
        throw new Error(`no upload "${phase}": ${e.message}\nrequests: ${requests}\nlast events: ${JSON.stringify(last)}`);
      }
    },
    async phases() {
      return page.evaluate(() => [...new Set(window.__events.filter((e) => e.type === 'precheck:upload-progress').map((e) => e.detail.phase))]);
    },
    /** Every input is still what the shopper gave. */
    async assertKept() {
      for (const [name, value] of Object.entries(typed)) {
        assert.equal(await page.locator(`[name="${name}"]`).inputValue(), value, `${name} kept`);
      }
      for (const slot of Object.keys(PHOTOS)) {
        const status = await page.locator(`[data-slot-card="${slot}"]`).getAttribute('data-status');
        assert.ok(['pass', 'warn'].includes(status), `${slot} still checked (${status})`);
      }
    },
    async close() {
      assert.deepEqual(await page.evaluate(() => window.__violations), [], 'CSP violations');
      assert.deepEqual(problems, [], 'page errors');
      await context.close();
    },
  };
}

function assertCleanJpeg(bytes, what) {
  assert.ok(bytes.length > 10_000 && bytes.length <= MAX_BYTES, `${what}: ${bytes.length} bytes within the limit`);
  assert.ok(!jpegMarkers(bytes).includes(0xe1), `${what}: no EXIF/GPS (APP1)`);
}

test('multipart: survives a 503, a dropped connection and a 429 with Retry-After; the server gets the normalised fields and clean JPEGs once', async () => {
  srv.reset();
  const f = await ready('protocol=multipart');
  try {
    srv.state.faults.push(
      { path: '/upload/multipart', kind: 'status', status: 503 },
      { path: '/upload/multipart', kind: 'drop', afterBytes: 40_000 },
      { path: '/upload/multipart', kind: 'status', status: 429, retryAfter: 2 },
    );
    await f.submit();
    await f.waitUpload('done');
    const posts = srv.state.requests.filter((r) => r.method === 'POST');
    assert.equal(posts.length, 4, 'three failures, then the upload');
    assert.ok(posts[3].at - posts[2].at >= 1_900, `Retry-After: 2 honoured (${posts[3].at - posts[2].at} ms)`);
    assert.equal(srv.state.multipart.length, 1, 'stored once');
    const got = srv.state.multipart[0];
    assert.match(got.key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'Idempotency-Key');
    assert.deepEqual(got.fields, { document: 'id-card', ...FIELDS });
    assert.deepEqual(got.files.map((x) => [x.name, x.filename, x.mime]), [
      ['id-front', 'id-front.jpg', 'image/jpeg'],
      ['id-back', 'id-back.jpg', 'image/jpeg'],
    ]);
    for (const file of got.files) assertCleanJpeg(file.bytes, file.name);
    const phases = await f.phases();
    assert.ok(phases.includes('waiting') && phases.includes('done'), `phases: ${phases}`);
    const uploaded = await f.page.evaluate(() => window.__events.find((e) => e.type === 'precheck:uploaded').detail);
    assert.equal(uploaded.status, 201);
    assert.deepEqual(JSON.parse(uploaded.body), { id: 'sub-1', received: 2 });
    const bar = f.page.locator('.upload-overall li');
    assert.equal(await bar.getAttribute('data-sent'), await bar.getAttribute('data-total'), 'the bar is full');
    await f.assertKept();
  } finally {
    await f.close();
  }
});

test('multipart: a 4xx is shown with its status and not retried; one tap retries; zh-CN and en', async () => {
  for (const lang of ['en', 'zh-CN']) {
    srv.reset();
    const f = await ready(`protocol=multipart&lang=${lang}`);
    try {
      srv.state.faults.push({ path: '/upload/multipart', kind: 'status', status: 422 });
      await f.submit();
      await f.waitUpload('failed');
      await f.page.waitForTimeout(1_500);
      assert.equal(srv.state.requests.length, 1, 'a 4xx is never retried');
      const panel = f.page.locator('.upload');
      assert.equal(await panel.getAttribute('data-upload-error'), 'upload-refused');
      assert.match(await panel.locator('.upload-status').textContent(), /422/);
      const error = await f.page.evaluate(() => window.__events.find((e) => e.type === 'precheck:error').detail);
      assert.equal(error.stage, 'upload');
      assert.equal(error.error.code, 'upload-refused');
      assert.equal(error.error.detail.status, 422);
      await f.assertKept();
      await panel.scrollIntoViewIfNeeded();
      mkdirSync(SHOT_DIR, { recursive: true });
      await f.page.screenshot({ path: path.join(SHOT_DIR, `upload-failed-${lang}.png`) });
      await f.page.locator('button[data-action="upload-retry"]').click();
      await f.waitUpload('done');
      assert.equal(srv.state.multipart.length, 1);
      await f.page.screenshot({ path: path.join(SHOT_DIR, `upload-done-${lang}.png`) });
    } finally {
      await f.close();
    }
  }
});

test('tus: a connection dropped mid-PATCH resumes from the server offset (HEAD), not from zero', async () => {
  srv.reset();
  const f = await ready('protocol=tus');
  try {
    srv.state.faults.push({ method: 'PATCH', path: '/upload/tus/', kind: 'drop', afterBytes: 30_000 });
    srv.state.faults.push({ method: 'PATCH', path: '/upload/tus/', kind: 'status', status: 503 });
    await f.submit();
    await f.waitUpload('done');
    const methods = srv.state.requests.map((r) => r.method);
    assert.ok(methods.includes('HEAD'), `the offset was asked for: ${methods.join(' ')}`);
    assert.equal(methods.filter((m) => m === 'POST').length, 3, 'fields + 2 photos created once each');
    const uploads = srv.state.tus;
    assert.deepEqual(uploads.map((u) => u.metadata.name).sort(), ['fields', 'id-back', 'id-front']);
    const submissions = new Set(uploads.map((u) => u.metadata.submission));
    assert.equal(submissions.size, 1, 'one submission id on every upload');
    const fields = JSON.parse(uploads.find((u) => u.metadata.name === 'fields').bytes.toString('utf8'));
    assert.deepEqual(fields, { document: 'id-card', ...FIELDS });
    let size = 0;
    for (const u of uploads.filter((x) => x.metadata.name !== 'fields')) {
      assert.equal(u.metadata.filetype, 'image/jpeg');
      assert.equal(u.bytes.length, u.size);
      assertCleanJpeg(u.bytes, u.metadata.name);
      size += u.size;
    }
    const total = uploads.reduce((a, u) => a + u.size, 0);
    assert.ok(srv.state.bytesIn < 1.3 * total, `sent ${srv.state.bytesIn} bytes for ${total} (< 1.3×): resumed, not restarted`);
    assert.ok(size > 0);
    const done = await f.page.evaluate(() => window.__events.find((e) => e.type === 'precheck:uploaded').detail);
    assert.equal(done.protocol, 'tus');
    assert.equal(done.uploads.length, 3);
    assert.ok(done.uploads.every((u) => u.url.startsWith(srv.url)));
    await f.assertKept();
  } finally {
    await f.close();
  }
});

test('tus: a 30 s stall times out and is retried; offline pauses on a 20 KB/s link and online resumes it', async () => {
  srv.reset();
  const f = await ready('protocol=tus&timeoutMs=2000');
  try {
    srv.state.faults.push({ method: 'PATCH', path: '/upload/tus/', kind: 'stall' });
    for (let i = 0; i < 40; i += 1) {
      srv.state.faults.push({ method: 'PATCH', path: '/upload/tus/', kind: 'throttle', bytesPerSecond: 20_000 });
    }
    await f.submit();
    await f.page.waitForFunction(() => window.__events.some((e) => e.type === 'precheck:upload-progress' && e.detail.error?.code === 'upload-timeout'), null, { timeout: 15_000 });
    // Some photo bytes are on the server, then the link goes.
    await f.page.waitForFunction(() => {
      const p = window.__events.filter((e) => e.type === 'precheck:upload-progress').at(-1)?.detail;
      return p && p.sent > 60_000;
    }, null, { timeout: 30_000 });
    await f.context.setOffline(true);
    await f.waitUpload('paused', 5_000);
    assert.equal(await f.page.locator('.upload').getAttribute('data-upload-error'), 'upload-offline');
    await f.assertKept();
    // The PATCH that was in flight is aborted, but what it had already written stays in the
    // loopback socket's buffers and still drains into the 20 KB/s front: up to one chunk.
    // (The front may even parse that PATCH's headers only now: it pauses the socket between
    // reads, so the server's own request log cannot tell when the browser sent it.)
    // The browser must issue nothing new. 4 s is longer than one chunk takes at 20 KB/s
    // (3.3 s), so a client that kept sending would start its next PATCH within the wait.
    const pausedAt = Date.now();
    const sentBefore = srv.state.bytesIn;
    await f.page.waitForTimeout(4_000);
    const started = f.issued.filter((r) => r.at >= pausedAt);
    assert.deepEqual(started, [], 'the browser issues no upload request while offline');
    const drained = srv.state.bytesIn - sentBefore;
    assert.ok(drained <= CHUNK_SIZE + 4_096, `at most the aborted chunk drains while offline (${drained} B)`);
    await f.context.setOffline(false);
    srv.state.faults.length = 0; // full speed for the rest
    await f.waitUpload('done');
    const total = srv.state.tus.reduce((a, u) => a + u.size, 0);
    assert.equal(srv.state.tus.length, 3);
    assert.ok(srv.state.bytesIn < 1.3 * total, `sent ${srv.state.bytesIn} bytes for ${total}`);
    const phases = await f.phases();
    for (const p of ['sending', 'waiting', 'paused', 'done']) assert.ok(phases.includes(p), `${p} in ${phases}`);
    await f.assertKept();
  } finally {
    await f.close();
  }
});

test('the example checkout page: the whole flow through the module, uploaded with tus to the test server', async () => {
  srv.reset();
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  context.on('request', (r) => requests.push(r.url()));
  try {
    await page.goto(`${srv.url}examples/checkout.html?lang=en&upload=/upload/tus/`);
    const kyc = page.locator('#kyc');
    await kyc.locator('input[name="name"]').waitFor({ timeout: 20_000 });
    for (const [name, value] of Object.entries(FIELDS)) {
      await kyc.locator(`[name="${name}"]`).fill(value);
      await kyc.locator(`[name="${name}"]`).blur();
    }
    const photos = { ...PHOTOS, face: 'presence/portrait-01.jpg', 'selfie-with-document': 'presence/selfie-00.jpg' };
    for (const [slot, file] of Object.entries(photos)) {
      await kyc.locator(`input[type="file"][data-slot="${slot}"]`).setInputFiles(fixture(file));
    }
    for (const slot of Object.keys(photos)) {
      await kyc.locator(`[data-slot-card="${slot}"] p.upload-size[data-upload-bytes]`).waitFor({ timeout: 30_000 });
    }
    await kyc.locator('button[data-action="submit"]').click();
    const confirm = kyc.locator('button[data-action="confirm-submit"]');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await page.waitForSelector('#result[data-result="uploaded"]', { timeout: 60_000 });
    assert.deepEqual(srv.state.tus.map((u) => u.metadata.name).sort(), ['face', 'fields', 'id-back', 'id-front', 'selfie-with-document']);
    const fields = JSON.parse(srv.state.tus.find((u) => u.metadata.name === 'fields').bytes.toString('utf8'));
    assert.deepEqual(fields, { document: 'id-card', ...FIELDS });
    const foreign = requests.filter((u) => !u.startsWith(srv.url) && !u.startsWith('blob:'));
    assert.deepEqual(foreign, [], 'only the module, the page and the configured upload');
    assert.deepEqual(problems, [], 'console or page errors');
  } finally {
    await context.close();
  }
});
