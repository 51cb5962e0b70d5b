// The app works entirely in the browser: nothing it does may reach anything but
// the local test server, and nothing may log an error or throw.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chooseDocType, closeSuite, fillAndBlur, isLocal, openApp, openSuite, switchLocale } from './helpers.mjs';

let suite;
before(async () => {
  suite = await openSuite();
});
after(async () => {
  await closeSuite(suite);
});

test('no request leaves 127.0.0.1 and no console or page errors, across a full session', async () => {
  const app = await openApp(suite);
  const { page, requests, problems } = app;
  try {
    await fillAndBlur(page, 'name', '阿卜杜热合曼•买买提');
    await fillAndBlur(page, 'phone', '+86 138 0013 8000');
    await fillAndBlur(page, 'id-number', '360426199101010070');
    await switchLocale(page, 'en');
    await chooseDocType(page, 'passport');
    await fillAndBlur(page, 'passport-number', 'G12345678');
    await page.locator('select[name="passport-country"]').selectOption('CHN');
    await fillAndBlur(page, 'passport-expiry', '2031-05-20');
    await fillAndBlur(page, 'mrz', 'P<CHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nG123456780CHN9101014M3105205<<<<<<<<<<<<<<04');
    await switchLocale(page, 'zh-CN');
    await chooseDocType(page, 'id-card');
    await page.reload({ waitUntil: 'load' });
    await page.locator('input[name="name"]').waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForTimeout(500); // let anything deferred fire

    assert.ok(requests.length >= 3, `expected the page, its JS and its wasm to be requested: ${JSON.stringify(requests)}`);
    const offsite = requests.filter((u) => !isLocal(u));
    assert.deepEqual(offsite, [], 'requests that left 127.0.0.1');
    const wasm = suite.server.log.filter((e) => e.path.endsWith('.wasm'));
    assert.ok(wasm.length > 0 && wasm.every((e) => e.status === 200), `wasm served: ${JSON.stringify(wasm)}`);
    const notFound = suite.server.log.filter((e) => e.status >= 400 && e.path !== '/favicon.ico');
    assert.deepEqual(notFound, [], 'requests the server could not answer');
    assert.deepEqual(problems, [], 'console errors, page errors or failed requests');
  } finally {
    await app.close();
  }
});
