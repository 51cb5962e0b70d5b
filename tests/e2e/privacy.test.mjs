// Privacy, asserted: a whole session (fields typed, every photo checked and
// prepared, a photo replaced, both languages, submitted) writes nothing to
// cookies, localStorage, sessionStorage, IndexedDB or Cache Storage (the page
// and its worker share the origin's storage, checked at the end), and requests
// nothing but the app's own files.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DIST, choosePhoto, closeSuite, fillAndBlur, fixture, openApp, openSuite, switchLocale } from './helpers.mjs';

let suite;
before(async () => {
  suite = await openSuite();
});
after(async () => {
  await closeSuite(suite);
});

// Records every attempt to store something, whatever API it goes through.
const STORAGE_SPY = () => {
  window.__writes = [];
  const note = (what) => window.__writes.push(what);
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(Document.prototype, 'cookie', {
    get() {
      return cookie.get.call(this);
    },
    set(v) {
      note(`cookie ${v}`);
      cookie.set.call(this, v);
    },
    configurable: true,
  });
  for (const m of ['setItem', 'removeItem', 'clear']) {
    const f = Storage.prototype[m];
    Storage.prototype[m] = function (...a) {
      note(`${this === localStorage ? 'localStorage' : 'sessionStorage'}.${m} ${a[0] ?? ''}`);
      return f.apply(this, a);
    };
  }
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (...a) {
    note(`indexedDB.open ${a[0]}`);
    return open.apply(this, a);
  };
  if (self.CacheStorage) {
    const copen = CacheStorage.prototype.open;
    CacheStorage.prototype.open = function (...a) {
      note(`caches.open ${a[0]}`);
      return copen.apply(this, a);
    };
  }
};

test('a whole session stores nothing and requests only the app’s own files', async () => {
  const app = await openApp(suite, { viewport: { width: 390, height: 844 }, initScript: STORAGE_SPY });
  const { page, requests } = app;
  await fillAndBlur(page, 'name', '张三');
  await fillAndBlur(page, 'id-number', '11010519491231002X');
  await fillAndBlur(page, 'phone', '13800138000');
  const photos = {
    'id-front': 'card-front-01__none.jpg',
    'id-back': 'card-back-02__none.jpg',
    face: 'presence/portrait-01.jpg',
    'selfie-with-document': 'presence/selfie-00.jpg',
  };
  for (const [slot, f] of Object.entries(photos)) await choosePhoto(page, slot, fixture(f), { upload: true });
  // Replaced once, and both languages shown.
  await choosePhoto(page, 'id-front', fixture('card-front-03__none.jpg'), { upload: true });
  await switchLocale(page, 'en');
  await switchLocale(page, 'zh-CN');
  const submit = page.locator('button[data-action="submit"]');
  await submit.click();
  const confirm = page.locator('button[data-action="confirm-submit"]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.locator('p[data-submitted]').waitFor({ timeout: 10_000 });

  const stored = await page.evaluate(async () => ({
    writes: window.__writes,
    cookie: document.cookie,
    local: localStorage.length,
    session: sessionStorage.length,
    databases: (await indexedDB.databases()).map((d) => d.name),
    caches: self.caches ? await caches.keys() : [],
  }));
  assert.deepEqual(stored, { writes: [], cookie: '', local: 0, session: 0, databases: [], caches: [] });

  // Every request is one of the app's own files (data: and blob: URLs never leave the page).
  const origin = new URL(suite.server.url).origin;
  const foreign = requests
    .filter((u) => !u.startsWith('data:') && !u.startsWith('blob:'))
    .filter((u) => {
      const url = new URL(u);
      if (url.origin !== origin) return true;
      const file = decodeURIComponent(url.pathname);
      return file !== '/' && !existsSync(path.join(DIST, file));
    });
  assert.deepEqual(foreign, []);
  assert.ok(requests.length > 3, 'requests were recorded');
  await app.close();
});
