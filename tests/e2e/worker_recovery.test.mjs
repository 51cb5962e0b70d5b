// Crash recovery of the photo worker: a worker that stops without an error
// event (`self.close()` inside it, as an out-of-memory kill looks to the page)
// is found by the watchdog, replaced, and the photo it held is checked again;
// a worker that throws is replaced for the next photo. Nothing the shopper
// typed or photographed is lost.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  choosePhoto,
  closeSuite,
  fillAndBlur,
  fixture,
  input,
  openApp,
  openSuite,
  readManifest,
  readSlot,
  waitVerdict,
} from './helpers.mjs';

let suite;
before(async () => {
  suite = await openSuite();
});
after(async () => {
  await closeSuite(suite);
});

const good = () =>
  readManifest()
    .filter((r) => r.degradation === 'none' && r.source.startsWith('card-'))
    .map((r) => fixture(r.file));

const photoWorker = async (page) => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const w = page.workers().find((x) => /worker/.test(x.url()));
    if (w) return w;
    assert.ok(Date.now() < deadline, 'no photo worker started');
    await page.waitForTimeout(100);
  }
};

test('a worker that silently stops is replaced by the watchdog and the photo is checked again', async () => {
  const app = await openApp(suite);
  const { page } = app;
  const [a, b] = good();
  await fillAndBlur(page, 'name', '张三');
  const first = await choosePhoto(page, 'id-front', a);
  assert.notEqual(first.status, 'empty');
  const worker = await photoWorker(page);
  // Stops the worker from inside: no error event reaches the page.
  await worker.evaluate(() => self.close()).catch(() => {});
  const t0 = Date.now();
  await page.setInputFiles('input[type="file"][data-slot="id-back"]', b);
  const second = await waitVerdict(page, 'id-back', { timeout: 30_000 });
  const waited = Date.now() - t0;
  assert.ok(second.checks.length >= 6, JSON.stringify(second));
  // Found by the watchdog (8 s of silence, pinged every 2 s), not by luck.
  assert.ok(waited >= 6_000 && waited < 20_000, `verdict after ${waited} ms`);
  // Nothing lost: the other slot's verdict and the typed name are still there.
  assert.deepEqual((await readSlot(page, 'id-front')).checks, first.checks);
  assert.equal(await input(page, 'name').inputValue(), '张三');
  await app.close();
});

test('a worker that throws is replaced for the next photo', async () => {
  const app = await openApp(suite);
  const { page } = app;
  const [a, b] = good();
  await choosePhoto(page, 'id-front', a);
  const worker = await photoWorker(page);
  await worker.evaluate(() => setTimeout(() => { throw new Error('boom'); }, 0));
  await page.waitForTimeout(300);
  const next = await choosePhoto(page, 'id-back', b);
  assert.ok(next.checks.length >= 6, JSON.stringify(next));
  assert.notEqual((await readSlot(page, 'id-front')).status, 'empty');
  await app.close();
});
