// Shared helpers for the E2E tests: one Chromium + one static server per test
// file, a fresh browser context per test, and small polling assertions on the
// app's DOM contract ([data-field] message elements with data-status / data-code).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { start, stop } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const DIST = path.resolve(ROOT, process.env.E2E_DIST ?? 'dist');
export const SHOT_DIR = path.join(ROOT, 'target', 'e2e');
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
export async function openApp(suite, { viewport = { width: 1280, height: 800 }, path: urlPath = '' } = {}) {
  const context = await suite.browser.newContext({ viewport });
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
