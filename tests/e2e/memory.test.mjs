// Memory stays bounded: a 48 MP photo, then 50 replacements in the same slot
// (12 MP photos, alternating): the page's JS heap (DevTools protocol, after a
// forced GC) and the browser's resident memory (all its processes, the
// worker's wasm memory included) return to within 20 % of their level after
// the first photo; object URLs are revoked (one live thumbnail per slot). The
// peak growth per photo size is written to target/e2e/memory.json.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SHOT_DIR, bigFixture, closeSuite, fixture, openApp, openSuite, waitVerdict } from './helpers.mjs';
import { growth, sampleRss } from './rss.mjs';

let suite;
before(async () => {
  suite = await openSuite();
});
after(async () => {
  await closeSuite(suite);
});

const URL_SPY = () => {
  window.__urls = new Set();
  const create = URL.createObjectURL;
  const revoke = URL.revokeObjectURL;
  URL.createObjectURL = (o) => {
    const u = create(o);
    window.__urls.add(u);
    return u;
  };
  URL.revokeObjectURL = (u) => {
    window.__urls.delete(u);
    revoke(u);
  };
};

test('48 MP, then 50 replacements in one slot: heap and resident memory come back; object URLs revoked', async () => {
  const big = bigFixture({ source: 'card-front-03__none.jpg', width: 8000, height: 6000 });
  const twelve = [fixture('card-front-01__none.jpg'), fixture('card-back-02__none.jpg')];
  const app = await openApp(suite, { initScript: URL_SPY });
  const { page, context } = app;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const heapMb = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return +(metrics.find((m) => m.name === 'JSHeapUsedSize').value / 2 ** 20).toFixed(2);
  };
  const rssMb = () => {
    const s = sampleRss();
    return s.stop().median.totalMb;
  };
  /**
   * Chooses `file` for id-front and waits for the verdicts and the upload copy. A new photo
   * is told by its thumbnail's object URL, unique per photo (its timings, rounded to ms,
   * can repeat between two photos: 3 % of runs would wait for a change that never comes).
   */
  const thumb = 'article[data-slot-card="id-front"] figure.thumb img';
  const choose = async (file) => {
    const before = await page.locator(thumb).getAttribute('src').catch(() => null);
    await page.setInputFiles('input[type="file"][data-slot="id-front"]', file);
    await page.waitForFunction(
      ([sel, b]) => {
        const img = document.querySelector(sel);
        return (
          img &&
          img.getAttribute('src') !== b &&
          document.querySelector('article[data-slot-card="id-front"] p.upload-size[data-upload-bytes]') &&
          !document.querySelector('article[data-slot-card="id-front"][data-status="checking"]')
        );
      },
      [thumb, before],
      { timeout: 30_000 },
    );
  };

  /** Peak growth of the browser's resident memory while `file` is checked (MB). */
  const peakGrowth = async (file) => {
    const baseline = sampleRss().stop().median;
    const sampler = sampleRss();
    await choose(file);
    return growth(baseline, sampler.stop().peak).totalMb;
  };
  const idle = rssMb();
  const peak48 = await peakGrowth(big);
  await waitVerdict(page, 'id-front');
  await page.waitForTimeout(300);
  const first = { heapMb: await heapMb(), rssMb: rssMb() };

  const peak12 = await peakGrowth(twelve[0]);
  for (let i = 1; i < 50; i++) await choose(twelve[i % 2]);
  await page.waitForTimeout(300);
  const last = { heapMb: await heapMb(), rssMb: rssMb() };
  const liveUrls = await page.evaluate(() => window.__urls.size);
  const result = {
    idleRssMb: idle,
    afterFirst48MP: first,
    after50Replacements: last,
    heapRatio: +(last.heapMb / first.heapMb).toFixed(3),
    rssRatio: +(last.rssMb / first.rssMb).toFixed(3),
    peakGrowthMb: { '48MP': peak48, '12MP': peak12 },
    liveObjectUrls: liveUrls,
  };
  writeFileSync(path.join(SHOT_DIR, 'memory.json'), JSON.stringify(result, null, 1));
  console.log('memory', JSON.stringify(result));
  assert.ok(result.heapRatio <= 1.2, `JS heap ${first.heapMb} → ${last.heapMb} MB`);
  assert.ok(result.rssRatio <= 1.2, `resident ${first.rssMb} → ${last.rssMb} MB`);
  // The thumbnail of the one photo shown (its upload copy); every replaced one revoked.
  assert.ok(liveUrls <= 1, `${liveUrls} object URLs alive`);
  await app.close();
});
