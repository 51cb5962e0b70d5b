// The E2E static server itself (no browser needed).
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { start, stop } from './serve.mjs';

let dir;
let server;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'serve-test-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(path.join(dir, 'app_bg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(path.join(dir, 'app.js'), 'export {}');
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'sub', 'style.css'), 'body{}');
  server = await start(dir);
});
after(async () => {
  await stop(server);
});

const get = (p, init) => fetch(new URL(p, server.url), init);

test('listens on 127.0.0.1 with a free port', () => {
  assert.equal(server.host, '127.0.0.1');
  assert.ok(server.port > 0);
  assert.equal(server.url, `http://127.0.0.1:${server.port}/`);
});

test('serves files with the right MIME types', async () => {
  for (const [p, type] of [
    ['/', 'text/html; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/app_bg.wasm', 'application/wasm'],
    ['/app.js', 'text/javascript; charset=utf-8'],
    ['/sub/style.css', 'text/css; charset=utf-8'],
  ]) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('content-type'), type, p);
    await r.arrayBuffer();
  }
  const wasm = new Uint8Array(await (await get('/app_bg.wasm')).arrayBuffer());
  assert.deepEqual([...wasm.slice(0, 4)], [0, 0x61, 0x73, 0x6d]);
});

test('falls back to index.html for routes, 404 for missing assets', async () => {
  const route = await get('/check/passport');
  assert.equal(route.status, 200);
  assert.match(await route.text(), /<title>x<\/title>/);
  const missing = await get('/missing.wasm');
  assert.equal(missing.status, 404);
  await missing.arrayBuffer();
});

test('answers HEAD without a body and refuses other methods', async () => {
  const head = await get('/app_bg.wasm', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), '8');
  const post = await get('/', { method: 'POST', body: 'x' });
  assert.equal(post.status, 405);
  await post.arrayBuffer();
});

test('never serves files outside its root', async () => {
  for (const p of ['/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
    const r = await get(p);
    const body = await r.text();
    assert.doesNotMatch(body, /root:/, p);
    assert.ok(r.status !== 200 || /<title>x<\/title>/.test(body), `${p}: only index.html or an error`);
  }
});
