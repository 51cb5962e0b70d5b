// Shared helpers for the E2E tests: one Chromium + one static server per test
// file, a fresh browser context per test, and small polling assertions on the
// app's DOM contract ([data-field] message elements with data-status / data-code).

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { start, stop } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const DIST = path.resolve(ROOT, process.env.E2E_DIST ?? 'dist');
export const SHOT_DIR = path.join(ROOT, 'target', 'e2e');
/** The real phone photos (not in the repository): ROOT/../shared/realphotos, or REAL_PHOTOS. */
export const REAL_PHOTOS = path.resolve(ROOT, process.env.REAL_PHOTOS ?? '../shared/realphotos');
const execFileP = promisify(execFile);
/** The strict Content-Security-Policy host pages may serve the app and the embed module under. */
export const STRICT_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Debian's Chromium as root, on a machine whose only network is loopback.
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export const STATUSES = ['pass', 'warn', 'fail', 'empty'];
// Han ideographs (incl. extension A/B) and CJK punctuation.
export const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\u{20000}-\u{2ffff}]/u;

/** Launch Chromium and serve dist/. Call from `before`; pair with closeSuite in `after`. */
export async function openSuite() {
  assert.ok(
    existsSync(path.join(DIST, 'index.html')),
    `${DIST}/index.html not found: run \`trunk build --release --offline\` first (make e2e)`,
  );
  mkdirSync(SHOT_DIR, { recursive: true });
  const server = await start(DIST);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });
  return { server, browser };
}

export async function closeSuite(suite) {
  if (!suite) return;
  await suite.browser?.close().catch(() => {});
  await stop(suite.server);
}

/**
 * Open the app in a fresh context. Resolves once the form is rendered.
 * Returns { page, context, problems, requests, close } where `problems`
 * collects console errors, page errors (uncaught exceptions, Rust panics),
 * failed requests and requests to anything but the test server's 127.0.0.1.
 * close() asserts that `problems` is empty unless { allowProblems: true }.
 */
export async function openApp(suite, { viewport = { width: 1280, height: 800 }, path: urlPath = '', contextOptions = {}, initScript = null } = {}) {
  const context = await suite.browser.newContext({ viewport, ...contextOptions });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  const origin = new URL(suite.server.url).origin;

  page.on('request', (req) => {
    const url = req.url();
    requests.push(url);
    if (!isLocal(url)) problems.push(`request left 127.0.0.1: ${req.method()} ${url}`);
  });
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ?? '';
    // Chromium's own /favicon.ico probe (made when the page declares no icon)
    // is not the app's doing; every other error counts.
    if (new URL('/favicon.ico', origin).href === where) return;
    problems.push(`console.error: ${msg.text()} @ ${where}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));

  await page.goto(origin + '/' + urlPath.replace(/^\//, ''), { waitUntil: 'load' });
  await page.locator('input[name="name"]').waitFor({ state: 'visible', timeout: 20_000 });

  return {
    page,
    context,
    problems,
    requests,
    async close({ allowProblems = false } = {}) {
      await context.close();
      if (!allowProblems) assert.deepEqual(problems, [], 'page reported problems');
    },
  };
}

/** True for URLs that stay on this machine's 127.0.0.1 (data:/blob: never leave the page). */
export function isLocal(url) {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

export const input = (page, name) => page.locator(`[name="${name}"]`).first();
export const message = (page, field) => page.locator(`[data-field="${field}"]`).first();

/** { status, text, codes } of a field's message element (null if it is absent). */
export async function readField(page, field) {
  return page.evaluate((f) => {
    const el = document.querySelector(`[data-field="${f}"]`);
    if (!el) return null;
    return {
      status: el.getAttribute('data-status'),
      text: el.textContent.replace(/\s+/g, ' ').trim(),
      codes: [...el.querySelectorAll('[data-code]')].map((c) => c.getAttribute('data-code')),
      ariaLive: el.getAttribute('aria-live'),
    };
  }, field);
}

/**
 * Poll until the field's data-status equals `status` (and, if given, `code` is
 * among its issue codes). Fails with the last state seen.
 */
export async function expectField(page, field, { status, code, timeout = 5_000 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await readField(page, field);
    const ok = last && (status === undefined || last.status === status) && (code === undefined || last.codes.includes(code));
    if (ok) return last;
    if (Date.now() > deadline) {
      assert.fail(
        `field "${field}": expected status=${status ?? '*'}${code ? ` with code ${code}` : ''}, ` +
          `got ${last ? `status=${last.status} codes=${JSON.stringify(last.codes)} text=${JSON.stringify(last.text)}` : 'no [data-field] element'}`,
      );
    }
    await page.waitForTimeout(50);
  }
}

/** Set a field's value the fast way (one input event), then leave it with Tab. */
export async function fillAndBlur(page, name, value) {
  const el = input(page, name);
  await el.fill(value);
  await el.press('Tab');
}

/** Type a value key by key, like a person (no blur). */
export async function typeSlowly(page, name, value, delay = 40) {
  const el = input(page, name);
  await el.click();
  await el.pressSequentially(value, { delay });
}

export async function blur(page, name) {
  await input(page, name).press('Tab');
}

/**
 * Record in the page every data-status change of every [data-field] element
 * and the time of every keyup, both on the page's own clock, so timing checks
 * don't depend on how busy the test process is.
 */
export async function recordStatusChanges(page) {
  await page.evaluate(() => {
    const log = (window.__e2eStatusLog = []);
    const keys = (window.__e2eKeyups = []);
    const last = new Map();
    const snapshot = () => {
      for (const el of document.querySelectorAll('[data-field]')) {
        const f = el.getAttribute('data-field');
        const s = el.getAttribute('data-status');
        if (last.get(f) !== s) {
          last.set(f, s);
          log.push({ t: performance.now(), field: f, status: s, text: el.textContent.trim() });
        }
      }
    };
    snapshot();
    new MutationObserver(snapshot).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-status'],
    });
    document.addEventListener('keyup', () => keys.push(performance.now()), true);
  });
}

export async function statusLog(page) {
  return page.evaluate(() => ({ log: window.__e2eStatusLog, keyups: window.__e2eKeyups }));
}

export async function switchLocale(page, locale) {
  await page.locator(`button[data-action="locale"][data-locale="${locale}"]`).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, locale, { timeout: 5_000 });
}

export async function chooseDocType(page, value) {
  await page.locator(`input[type="radio"][name="doc-type"][value="${value}"]`).check();
}

// ---------------------------------------------------------------------------
// Photos: fixtures, the native `precheck` CLI as the reference, and the photo
// cards' DOM contract (article[data-slot-card] > ul.checks > li[data-check]).

export const FIXTURES = path.resolve(ROOT, process.env.PHOTO_FIXTURES ?? 'target/photo-fixtures');
/** The sources of the QUICK fixture set (the only ones CI has). */
export const QUICK_SOURCES = ['card-front-01', 'card-front-03', 'card-back-02', 'wp-BytheWater', 'wp-ColdRipple'];

/** The framing and face scenes (portraits, selfies, cut-off cards…): tools/photo_fixtures.py --set presence. */
export const PRESENCE_FIXTURES = path.resolve(ROOT, process.env.PRESENCE_FIXTURES ?? 'target/presence-fixtures');

/** A fixture's path: `name` in FIXTURES, or `presence/<name>` in PRESENCE_FIXTURES. */
export function fixture(name) {
  const p = name.startsWith('presence/')
    ? path.join(PRESENCE_FIXTURES, name.slice('presence/'.length))
    : path.join(FIXTURES, name);
  assert.ok(existsSync(p), `photo fixture ${p} not found (make photo-fixtures, or set PHOTO_FIXTURES)`);
  return p;
}

/** Rows of manifest.tsv as objects keyed by the header, limited to QUICK_SOURCES and files present. */
export function readManifest() {
  return readTsv(path.join(FIXTURES, 'manifest.tsv')).filter(
    (r) => QUICK_SOURCES.includes(r.source) && existsSync(path.join(FIXTURES, r.file)),
  );
}

/** A TSV file with a header line as objects keyed by the header. */
function readTsv(file) {
  assert.ok(existsSync(file), `${file} not found`);
  const [header, ...lines] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cols = header.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v ?? ''])));
}

/** Rows of the presence scenes' manifest (files as `presence/<file>`, for `fixture`). */
export function readPresenceManifest() {
  return readTsv(path.join(PRESENCE_FIXTURES, 'manifest.tsv')).map((r) => ({ ...r, file: `presence/${r.file}` }));
}

let precheckBuilt = null;
/** Path of the native precheck binary (PRECHECK_BIN, or `cargo build -q --bin precheck` once). */
export function precheckBin() {
  if (process.env.PRECHECK_BIN) return process.env.PRECHECK_BIN;
  if (!precheckBuilt) {
    execFileSync('cargo', ['build', '-q', '--bin', 'precheck'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    precheckBuilt = path.join(ROOT, 'target', 'debug', 'precheck');
  }
  return precheckBuilt;
}

/**
 * Run `precheck photo --slot SLOT --lang LANG FILE...` (split over `jobs`
 * processes) and return Map(file path -> parsed JSON line).
 */
export async function precheckPhotos(slot, files, { lang = 'zh-CN', jobs = 1 } = {}) {
  const bin = precheckBin();
  const out = new Map();
  const chunks = Array.from({ length: jobs }, (_, j) => files.filter((_, i) => i % jobs === j)).filter((c) => c.length);
  await Promise.all(
    chunks.map(async (chunk) => {
      const { stdout } = await execFileP(bin, ['photo', '--slot', slot, '--lang', lang, ...chunk], { maxBuffer: 64 << 20 });
      const lines = stdout.split('\n').filter((l) => l.trim() !== '');
      assert.equal(lines.length, chunk.length, `precheck printed ${lines.length} lines for ${chunk.length} files`);
      lines.forEach((l, i) => out.set(chunk[i], JSON.parse(l)));
    }),
  );
  return out;
}

/** { status, elapsedMs, checks:[{id,status,code,error,what,tip}], upload, title, viewBox, glareBoxes, thumb } of a photo card. */
export async function readSlot(page, slot) {
  return page.evaluate((s) => {
    const card = document.querySelector(`article[data-slot-card="${s}"]`);
    if (!card) return null;
    const body = card.querySelector('.slot-body');
    const up = card.querySelector('p.upload-size');
    const txt = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
    return {
      status: card.getAttribute('data-status'),
      elapsedMs: body?.hasAttribute('data-elapsed-ms') ? Number(body.getAttribute('data-elapsed-ms')) : null,
      checks: [...card.querySelectorAll('ul.checks > li[data-check]')].map((li) => ({
        id: li.getAttribute('data-check'),
        status: li.getAttribute('data-status'),
        code: li.getAttribute('data-code'),
        error: li.getAttribute('data-error'),
        what: txt(li.querySelector('.what')),
        tip: txt(li.querySelector('.tip')),
      })),
      upload: up
        ? {
            bytes: Number(up.getAttribute('data-upload-bytes')),
            size: up.getAttribute('data-upload-size'),
            timings: up.getAttribute('data-timings'),
            text: txt(up),
          }
        : null,
      title: txt(card.querySelector('h3')),
      chooseText: txt(card.querySelector('label[data-action="choose"]')),
      viewBox: card.querySelector('svg.overlay')?.getAttribute('viewBox') ?? null,
      glareBoxes: card.querySelectorAll('svg.overlay rect.glare').length,
      thumb: card.querySelector('figure.thumb img')?.getAttribute('src') ?? null,
      checkingText: txt(card.querySelector('.checking')),
    };
  }, slot);
}

const VERDICT = (slot) =>
  `article[data-slot-card="${slot}"]:not([data-status="checking"]):not([data-status="empty"]) .slot-body[data-elapsed-ms]`;

/** Wait until a slot shows its verdicts (and, with { upload: true }, its upload-ready image). */
export async function waitVerdict(page, slot, { upload = false, timeout = 20_000 } = {}) {
  await page.waitForSelector(VERDICT(slot), { timeout });
  if (upload) {
    await page.waitForSelector(`article[data-slot-card="${slot}"] p.upload-size[data-upload-bytes]`, { timeout });
    await page.waitForSelector(`article[data-slot-card="${slot}"] figure.thumb img[src^="blob:"]`, { timeout });
  }
  return readSlot(page, slot);
}

/** Empty a slot (Remove) if it holds a photo, and wait for it to be empty. */
export async function removePhoto(page, slot) {
  const btn = page.locator(`article[data-slot-card="${slot}"] button[data-action="remove"]`);
  if ((await btn.count()) === 0) return;
  await btn.click();
  await page.waitForSelector(`article[data-slot-card="${slot}"][data-status="empty"]`, { timeout: 5_000 });
}

/**
 * Choose a file (path, or { name, mimeType, buffer }) for a slot through its
 * file input and wait for the verdicts. The slot is emptied first so the wait
 * cannot see the previous photo's verdicts.
 */
export async function choosePhoto(page, slot, file, opts = {}) {
  await removePhoto(page, slot);
  await page.setInputFiles(`input[type="file"][data-slot="${slot}"]`, file);
  return waitVerdict(page, slot, opts);
}

/** JPEG marker bytes (0xE1 = APP1, …) from SOI up to SOS. */
export function jpegMarkers(bytes) {
  const b = Buffer.from(bytes);
  assert.ok(b[0] === 0xff && b[1] === 0xd8, 'starts with SOI');
  const markers = [];
  let i = 2;
  while (i + 4 <= b.length) {
    assert.equal(b[i], 0xff, `marker expected at ${i}`);
    const m = b[i + 1];
    markers.push(m);
    if (m === 0xda) break;
    i += 2 + b.readUInt16BE(i + 2);
  }
  return markers;
}

/** Bytes of the upload-ready JPEG a slot's thumbnail shows (fetched in the page). */
export async function uploadBytes(page, slot) {
  const b64 = await page.evaluate(async (s) => {
    const src = document.querySelector(`article[data-slot-card="${s}"] figure.thumb img`).src;
    const u8 = new Uint8Array(await (await fetch(src)).arrayBuffer());
    let bin = '';
    for (let i = 0; i < u8.length; i += 0x8000) bin += String.fromCharCode(...u8.subarray(i, i + 0x8000));
    return btoa(bin);
  }, slot);
  return Buffer.from(b64, 'base64');
}

/** Phone and desktop viewports of the screenshot tests. */
export const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];

/** Open the app, run `fn(page, app)`, then close it (asserting no console/page errors). */
export async function withAppIn(suite, fn, opts) {
  const app = await openApp(suite, opts);
  try {
    await fn(app.page, app);
  } finally {
    await app.close();
  }
}

/**
 * The card shows exactly the CLI's verdicts: overall status, one row per
 * check with the same status, code and message (in the card's language),
 * problems listed first. `shown` is readSlot's answer, `ref` the CLI's JSON.
 */
export function assertMatchesCli(shown, ref, what) {
  assert.ok(ref.checks, `${what}: CLI could not check it: ${JSON.stringify(ref.error)}`);
  assert.equal(shown.status, ref.status, `${what}: card data-status vs CLI status`);
  const rows = shown.checks.filter((c) => c.id !== 'duplicate');
  assert.deepEqual(
    rows.map((c) => c.id).sort(),
    ref.checks.map((c) => c.id).sort(),
    `${what}: check rows vs CLI checks`,
  );
  for (const r of ref.checks) {
    const row = rows.find((c) => c.id === r.id);
    assert.equal(row.status, r.status, `${what}: ${r.id} status (CLI ${r.status} ${r.code})`);
    assert.equal(row.code, r.code, `${what}: ${r.id} code`);
    assert.equal(row.tip, r.message, `${what}: ${r.id} message`);
    assert.ok(row.what, `${what}: ${r.id} has a name`);
  }
  // Problems are listed first.
  const rank = { fail: 0, warn: 1, pass: 2 };
  const order = shown.checks.map((c) => rank[c.status]);
  assert.deepEqual(order, order.slice().sort((a, b) => a - b), `${what}: failed rows first: ${JSON.stringify(shown.checks.map((c) => c.id + ':' + c.status))}`);
}

/**
 * A `width`×`height` JPEG made from the 12 MP fixture `source`, upscaled by Pillow (made once,
 * kept in target/e2e-fixtures): the 48 MP photo of the head-to-head and memory tests.
 */
export function bigFixture({ source, width, height }) {
  const file = path.join(ROOT, 'target', 'e2e-fixtures', `${source.replace(/\.jpg$/, '')}__${width}x${height}.jpg`);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp.jpg`;
    execFileSync('python3', [
      '-c',
      'import sys\nfrom PIL import Image\n' +
        'Image.open(sys.argv[1]).convert("RGB").resize((int(sys.argv[3]), int(sys.argv[4])), Image.LANCZOS)' +
        '.save(sys.argv[2], quality=92)',
      fixture(source),
      tmp,
      String(width),
      String(height),
    ]);
    renameSync(tmp, file);
  }
  return file;
}

/**
 * The JSON index `index` (e.g. manifest.json) of what `tools/<tool>` writes into `out`, made
 * first when it is missing or older than the tool (the tools are deterministic).
 */
export function generatedIndex(tool, out, index) {
  const script = path.join(ROOT, 'tools', tool);
  const file = path.join(out, index);
  if (!existsSync(file) || statSync(script).mtimeMs > statSync(file).mtimeMs) {
    execFileSync('python3', [script, '--out', out], { stdio: 'inherit' });
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}
