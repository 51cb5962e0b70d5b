// Live guided capture with a real (fake) camera: Chromium plays the videos of
// tools/camera_videos.py (target/camera-videos, made here when missing) as its
// camera. Asserts the guidance each segment gets, that auto-capture fires only
// in the steady good segment and its still passes the full check, the
// fallbacks (permission denied, no getUserMedia, the page hidden) and that the
// camera track is stopped; measures frames analysed per second against the
// camera's rate, the per-frame analysis time (document and face slots) and the
// main thread's longest frame gap while previewing (target/e2e/camera.json).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import {
  CHROMIUM_PATH,
  DIST,
  LAUNCH_ARGS,
  ROOT,
  SHOT_DIR,
  fixture,
  generatedIndex,
  openApp,
  readManifest,
  readSlot,
  switchLocale,
  waitVerdict,
} from './helpers.mjs';
import { start, stop } from './serve.mjs';

const VIDEOS = path.resolve(ROOT, process.env.CAMERA_VIDEOS ?? 'target/camera-videos');
// Made once (about 70 s on two cores), again whenever the generator changed.
const META = generatedIndex('camera_videos.py', VIDEOS, 'segments.json');
const [CALIB, HELD_OUT] = Object.keys(META.videos);
const results = {};

// Remembers every camera stream the page opens (to assert its tracks end) and
// records the sheet's phase and guidance changes with their times.
const RECORDER = () => {
  window.__streams = [];
  const md = navigator.mediaDevices;
  if (md?.getUserMedia) {
    const original = md.getUserMedia.bind(md);
    md.getUserMedia = async (c) => {
      const s = await original(c);
      window.__streams.push(s);
      return s;
    };
  }
  window.__camera = [];
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target;
      if (r.type !== 'attributes' || !el.matches?.('[data-camera-sheet]')) continue;
      const v = el.getAttribute(r.attributeName);
      const last = window.__camera.findLast((e) => e.kind === r.attributeName);
      if (last?.value !== v) window.__camera.push({ kind: r.attributeName, value: v, t: performance.now() });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-guide', 'data-phase'] });
  // The main thread's frame gaps while previewing.
  window.__gaps = [];
  let prev = performance.now();
  const tick = (t) => {
    if (document.querySelector('[data-camera-sheet][data-phase="live"]')) window.__gaps.push(t - prev);
    prev = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

const NO_CAMERA_API = () => {
  Object.defineProperty(Navigator.prototype, 'mediaDevices', { get: () => undefined, configurable: true });
};

/** A browser whose camera plays `video`; `grant`: camera permission for the page. */
async function cameraSuite(video) {
  const server = await start(DIST);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...LAUNCH_ARGS, '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${path.join(VIDEOS, video)}`],
  });
  return { server, browser };
}

async function closeCameraSuite(s) {
  await s?.browser?.close().catch(() => {});
  if (s?.server) await stop(s.server);
}

async function openWithCamera(s, { grant = true, viewport = { width: 390, height: 844 }, initScript = RECORDER } = {}) {
  const origin = new URL(s.server.url).origin;
  const app = await openApp(s, {
    viewport,
    initScript,
    contextOptions: grant ? { permissions: ['camera'], hasTouch: true, isMobile: true } : { hasTouch: true, isMobile: true },
  });
  if (grant) await app.context.grantPermissions(['camera'], { origin });
  return app;
}

const sheet = (slot) => `[data-camera-sheet="${slot}"]`;
const cameraButton = (slot) => `article[data-slot-card="${slot}"] button[data-action="camera"]`;

/** Opens the camera of `slot`; resolves with the time (page clock) its preview went live. */
async function openCamera(page, slot) {
  await page.click(cameraButton(slot));
  await page.waitForSelector(`${sheet(slot)}[data-phase="live"]`, { timeout: 15_000 });
  return page.evaluate(() => window.__camera.find((e) => e.kind === 'data-phase' && e.value === 'live')?.t);
}

/** The guidance shown while the sheet was open, as [seconds since live, code]. */
async function guidance(page, t0) {
  const events = await page.evaluate(() => window.__camera);
  return events.filter((e) => e.kind === 'data-guide' && e.value).map((e) => [+((e.t - t0) / 1000).toFixed(2), e.value]);
}

async function captureTime(page, t0) {
  const t = await page.evaluate(() => window.__camera.find((e) => e.kind === 'data-phase' && e.value === 'taking')?.t);
  return t === undefined ? null : (t - t0) / 1000;
}

const tracksEnded = (page) =>
  page.evaluate(() => window.__streams.length > 0 && window.__streams.every((s) => s.getTracks().every((t) => t.readyState === 'ended')));

async function stats(page, slot) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const n = (k) => Number(el?.getAttribute(k));
    return {
      cameraFrames: n('data-camera-frames'),
      analysed: n('data-analysed'),
      analysisMs: n('data-analysis-ms'),
      readbackMs: n('data-readback-ms'),
      worstMs: n('data-worst-ms'),
      elapsedMs: n('data-elapsed-ms'),
      gapMs: Math.max(0, ...window.__gaps),
    };
  }, sheet(slot));
}

/**
 * Rates over 4 s of steady preview (after a 1 s warm-up: model build, JIT): frames from the
 * camera and analysed per second, mean and worst analysis, the longest main-thread gap.
 */
async function steadyWindow(page, slot) {
  await page.waitForTimeout(1_000);
  const a = await stats(page, slot);
  await resetGaps(page);
  await page.waitForTimeout(4_000);
  const b = await stats(page, slot);
  const seconds = (b.elapsedMs - a.elapsedMs) / 1000;
  return {
    cameraFps: +((b.cameraFrames - a.cameraFrames) / seconds).toFixed(1),
    analysedFps: +((b.analysed - a.analysed) / seconds).toFixed(1),
    meanAnalysisMs: +((b.analysisMs - a.analysisMs) / Math.max(1, b.analysed - a.analysed)).toFixed(1),
    meanReadbackMs: +((b.readbackMs - a.readbackMs) / Math.max(1, b.analysed - a.analysed)).toFixed(1),
    worstAnalysisMs: b.worstMs,
    longestFrameGapMs: +b.gapMs.toFixed(1),
  };
}

/** Starts a measurement window: the frame gaps from now on. */
async function resetGaps(page) {
  await page.evaluate(() => {
    window.__gaps = [];
  });
}

/**
 * The document video's capture (the sheet already closed): taken in the steady segment, the
 * camera stopped, and the still's full check passes framing and blur. Returns when it was
 * taken (s since live).
 */
async function assertSteadyCapture(page, t0) {
  // Good frames start at 5.6 s and must hold 1 s: never before 6.2 s (the live event's
  // clock may lead the video by a few frames), and within the steady segment (the video
  // loops after it).
  const taken = await captureTime(page, t0);
  const steadyEnd = META.segments.document.at(-1).to;
  assert.ok(taken >= 6.2 && taken <= steadyEnd, `captured at ${taken} s (steady until ${steadyEnd} s)`);
  assert.ok(await tracksEnded(page), 'camera stopped after the photo');
  const slot = await waitVerdict(page, 'id-front');
  const byId = Object.fromEntries(slot.checks.map((c) => [c.id, c.status]));
  assert.notEqual(slot.status, 'fail', JSON.stringify(slot.checks));
  assert.equal(byId.framing, 'pass', JSON.stringify(slot.checks));
  assert.equal(byId.blur, 'pass', JSON.stringify(slot.checks));
  return taken;
}

describe('live camera capture', () => {
  after(() => {
    writeFileSync(path.join(SHOT_DIR, 'camera.json'), JSON.stringify(results, null, 1));
  });

  for (const source of [CALIB, HELD_OUT]) {
    test(`document video (${source}): no card, sliding in, blurred, then steady → one auto-capture in the steady segment`, async () => {
      const s = await cameraSuite(META.videos[source].document);
      try {
        const app = await openWithCamera(s);
        const { page } = app;
        if (source === CALIB) await switchLocale(page, 'zh-CN');
        const t0 = await openCamera(page, 'id-front');
        // The sheet closes by itself once the photo is taken.
        await page.waitForSelector(sheet('id-front'), { state: 'detached', timeout: 20_000 });
        const shown = await guidance(page, t0);
        const first = shown[0]?.[1];
        const during = (a, b) => shown.filter(([t]) => t >= a && t < b).map(([, c]) => c);
        results[`document-${source}`] = { shown, taken: await captureTime(page, t0) };
        assert.equal(first, 'guide.no-document', JSON.stringify(shown));
        assert.ok(during(3.6, 6.7).includes('guide.blurry'), `blurred segment named: ${JSON.stringify(shown)}`);
        await assertSteadyCapture(page, t0);
        await app.close();
      } finally {
        await closeCameraSuite(s);
      }
    });
  }

  test('without ImageCapture (Safari, Firefox): the still is the sharpest steady frame of the last second, at the stream\'s resolution', async () => {
    const s = await cameraSuite(META.videos[CALIB].document);
    try {
      // The browser has no ImageCapture; the files the page gives the worker are recorded.
      const noImageCapture = () => {
        delete window.ImageCapture;
        window.__posted = [];
        const post = Worker.prototype.postMessage;
        Worker.prototype.postMessage = function (message, ...rest) {
          if (message?.blob instanceof File) window.__posted.push(message.blob);
          return post.call(this, message, ...rest);
        };
      };
      const app = await openWithCamera(s, { initScript: { content: `(${RECORDER})(); (${noImageCapture})();` } });
      const { page } = app;
      assert.equal(await page.evaluate(() => typeof window.ImageCapture), 'undefined');
      const t0 = await openCamera(page, 'id-front');
      await page.waitForSelector(sheet('id-front'), { state: 'detached', timeout: 20_000 });
      const taken = await assertSteadyCapture(page, t0);
      const still = await page.evaluate(async () => {
        const file = window.__posted.at(-1);
        const bitmap = await createImageBitmap(file);
        const out = { name: file.name, type: file.type, width: bitmap.width, height: bitmap.height };
        bitmap.close();
        return out;
      });
      results.stillWithoutImageCapture = { taken, still };
      // A kept frame, not the one on screen at the shutter; at the camera's resolution.
      assert.deepEqual(still, { name: 'camera-sharpest-frame.jpg', type: 'image/jpeg', width: META.size[0], height: META.size[1] });
      await app.close();
    } finally {
      await closeCameraSuite(s);
    }
  });

  test('a slow device (its first 3 frames each over 400 ms): tap-to-capture, said so; no auto-capture; the shutter takes the photo', async () => {
    const s = await cameraSuite(META.videos[CALIB].document);
    try {
      // From outside the worker: every frame's answer reports 500 ms of analysis, as a
      // phone too slow for live tips would (CPU throttling slows the page, not the worker).
      const slowWorker = () => {
        const Native = window.Worker;
        window.Worker = class extends Native {
          constructor(...args) {
            super(...args);
            this.addEventListener('message', (e) => {
              const framed = e.data?.message?.outcome?.framed;
              if (framed) framed.analysisMs = 500;
            });
          }
        };
      };
      const app = await openWithCamera(s, { initScript: { content: `(${RECORDER})(); (${slowWorker})();` } });
      const { page } = app;
      await switchLocale(page, 'en');
      const t0 = await openCamera(page, 'id-front');
      await page.waitForSelector(`${sheet('id-front')}[data-phase="tap-only"]`, { timeout: 10_000 });
      const analysedAtSwitch = Number(await page.getAttribute(sheet('id-front'), 'data-analysed'));
      assert.equal(await page.locator(`${sheet('id-front')} [data-action="shutter"]`).isEnabled(), true);
      assert.match(await page.locator(`${sheet('id-front')} .camera-hint`).innerText(), /too slow for live tips/);
      await page.screenshot({ path: path.join(SHOT_DIR, 'camera-slow-en-390.png') });
      // Past the steady segment's start and its hold: a guided camera would have taken it.
      await page.waitForTimeout(Math.max(0, 8_000 - (await page.evaluate(() => performance.now())) + t0));
      assert.equal(await captureTime(page, t0), null, 'no auto-capture on a slow device');
      assert.equal(await page.getAttribute(sheet('id-front'), 'data-phase'), 'tap-only');
      // The third frame's answer switches (the sheet shows the two before it), and no
      // frame is sent after it.
      const analysed = Number(await page.getAttribute(sheet('id-front'), 'data-analysed'));
      assert.equal(analysedAtSwitch, 2, 'switched on the third frame');
      assert.equal(analysed, analysedAtSwitch, 'no frame analysed after the switch');
      await page.click(`${sheet('id-front')} [data-action="shutter"]`);
      await page.waitForSelector(sheet('id-front'), { state: 'detached', timeout: 10_000 });
      assert.ok(await tracksEnded(page), 'camera stopped after the photo');
      const slot = await waitVerdict(page, 'id-front');
      assert.ok(['pass', 'warn', 'fail'].includes(slot.status), JSON.stringify(slot));
      assert.ok(slot.checks.some((c) => c.id === 'framing'), JSON.stringify(slot.checks));
      results.slowDevice = { analysed, status: slot.status };
      await app.close();
    } finally {
      await closeCameraSuite(s);
    }
  });

  for (const [kind, code] of [
    ['dark', 'guide.too-dark'],
    ['glare', 'guide.glare'],
  ]) {
    test(`${kind} scene: the guidance says ${code} and nothing is captured; closing stops the camera`, async () => {
      const s = await cameraSuite(META.videos[CALIB][kind]);
      try {
        const app = await openWithCamera(s);
        const { page } = app;
        await switchLocale(page, 'en');
        const t0 = await openCamera(page, 'id-front');
        await page.waitForTimeout(5_000);
        const shown = await guidance(page, t0);
        results[kind] = { shown, stats: await stats(page, 'id-front') };
        assert.equal(await captureTime(page, t0), null, 'no auto-capture');
        // From the first analysed frame to the end, the one problem, never replaced.
        assert.ok(shown.length > 0 && shown.every(([, c]) => c === code), JSON.stringify(shown));
        assert.ok(shown[0][0] < 1.5, `named within 1.5 s: ${JSON.stringify(shown)}`);
        if (kind === 'glare') await page.screenshot({ path: path.join(SHOT_DIR, 'camera-glare-en-390.png') });
        if (kind === 'dark') {
          // Keyboard: the dialog holds the focus, Escape closes it, focus returns.
          assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-action')), 'close-camera');
          await page.keyboard.press('Escape');
        } else {
          await page.click(`${sheet('id-front')} button[data-action="close-camera"]`);
        }
        await page.waitForSelector(sheet('id-front'), { state: 'detached' });
        assert.ok(await tracksEnded(page), 'camera stopped on close');
        assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-action')), 'camera');
        // The slot is as it was: empty, the file input ready.
        assert.equal((await readSlot(page, 'id-front')).status, 'empty');
        await app.close();
      } finally {
        await closeCameraSuite(s);
      }
    });
  }

  test('face video: the front camera guides the face slot to a capture whose face check passes; bench', async () => {
    const s = await cameraSuite(META.face);
    try {
      const app = await openWithCamera(s);
      const { page } = app;
      await switchLocale(page, 'zh-CN');
      const t0 = await openCamera(page, 'face');
      await page.waitForSelector(`${sheet('face')}[data-analysed="3"], ${sheet('face')}:not([data-analysed="0"])`);
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(SHOT_DIR, 'camera-face-zh-390.png') });
      const bench = await stats(page, 'face');
      await page.waitForSelector(sheet('face'), { state: 'detached', timeout: 20_000 });
      const shown = await guidance(page, t0);
      results.face = { shown, taken: await captureTime(page, t0), bench };
      assert.ok(shown.some(([, c]) => c === 'guide.good'), JSON.stringify(shown));
      const slot = await waitVerdict(page, 'face');
      const face = slot.checks.find((c) => c.id === 'face');
      assert.equal(face?.status, 'pass', JSON.stringify(slot.checks));
      assert.ok(await tracksEnded(page));
      await app.close();
    } finally {
      await closeCameraSuite(s);
    }
  });

  test('bench: frames analysed per second against the camera, per-frame cost, main-thread gaps', async () => {
    const s = await cameraSuite(META.videos[CALIB].glare);
    try {
      const app = await openWithCamera(s);
      const { page } = app;
      await switchLocale(page, 'zh-CN');
      await openCamera(page, 'id-front');
      const bench = await steadyWindow(page, 'id-front');
      await page.screenshot({ path: path.join(SHOT_DIR, 'camera-glare-zh-390.png') });
      await page.click(`${sheet('id-front')} button[data-action="close-camera"]`);
      // The face slot's guidance runs the face detector on every frame: its steady cost on
      // frames without a face (the detector scans every window; nothing is captured).
      await openCamera(page, 'face');
      bench.face = await steadyWindow(page, 'face');
      results.bench = bench;
      console.log('camera bench', JSON.stringify(bench));
      assert.ok(bench.analysedFps > 0 && bench.cameraFps > 0 && bench.face.analysedFps > 0);
      // The main thread only copies frames: no long task while previewing (the target is
      // ≤ 50 ms, reported in docs/camera.md; 100 ms here, as two cores also run the camera,
      // the worker and this runner).
      assert.ok(bench.longestFrameGapMs <= 100 && bench.face.longestFrameGapMs <= 100, JSON.stringify(bench));
      await app.close();
    } finally {
      await closeCameraSuite(s);
    }
  });

  test('fallbacks: denied permission, no getUserMedia, no camera and a busy camera leave the file input working; a hidden page stops the camera', async () => {
    const s = await cameraSuite(META.videos[CALIB].document);
    const good = fixture(readManifest().find((r) => r.split === 'calib' && r.degradation === 'none' && r.source.startsWith('card-front')).file);
    try {
      // Denied: the browser refuses (no permission granted, prompts dismissed).
      const denied = await openWithCamera(s, { grant: false });
      await switchLocale(denied.page, 'en');
      await denied.page.click(cameraButton('id-front'));
      const note = denied.page.locator('article[data-slot-card="id-front"] [data-camera-error]');
      await note.waitFor({ timeout: 10_000 });
      assert.equal(await note.getAttribute('data-camera-error'), 'camera-denied');
      assert.match(await note.textContent(), /allow/i);
      await denied.page.screenshot({ path: path.join(SHOT_DIR, 'camera-denied-en-390.png') });
      await denied.page.setInputFiles('input[type="file"][data-slot="id-front"]', good);
      assert.notEqual((await waitVerdict(denied.page, 'id-front')).status, 'empty');
      await denied.close({ allowProblems: true });

      // No getUserMedia (in-app browsers, insecure pages).
      const none = await openWithCamera(s, { initScript: NO_CAMERA_API });
      await switchLocale(none.page, 'zh-CN');
      // Said at once, no dead button; the phone's own camera stays behind "拍照".
      const n2 = none.page.locator('article[data-slot-card="id-back"] [data-camera-error]');
      await n2.waitFor();
      assert.equal(await n2.getAttribute('data-camera-error'), 'camera-unsupported');
      assert.match(await n2.textContent(), /选择照片/);
      assert.equal(await none.page.locator(cameraButton('id-back')).count(), 0);
      assert.equal(await none.page.locator('input[data-camera="id-back"][capture="environment"]').count(), 1);
      await n2.scrollIntoViewIfNeeded();
      await none.page.screenshot({ path: path.join(SHOT_DIR, 'camera-unsupported-zh-390.png') });
      await none.page.setInputFiles('input[type="file"][data-slot="id-back"]', good);
      assert.notEqual((await waitVerdict(none.page, 'id-back')).status, 'empty');
      await none.close();

      // No camera, and a camera another app holds: getUserMedia rejects as browsers do.
      for (const [name, code, text] of [
        ['NotFoundError', 'camera-none', /choose a photo/i],
        ['NotReadableError', 'camera-busy', /another app/i],
      ]) {
        const rejecting = await openWithCamera(s, {
          initScript: `navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('test', '${name}'));`,
        });
        await switchLocale(rejecting.page, 'en');
        await rejecting.page.click(cameraButton('id-front'));
        const n3 = rejecting.page.locator('article[data-slot-card="id-front"] [data-camera-error]');
        await n3.waitFor();
        assert.equal(await n3.getAttribute('data-camera-error'), code);
        assert.match(await n3.textContent(), text);
        await rejecting.page.setInputFiles('input[type="file"][data-slot="id-front"]', good);
        assert.notEqual((await waitVerdict(rejecting.page, 'id-front')).status, 'empty');
        await rejecting.close();
      }

      // The page hidden while previewing: the camera stops, the sheet closes.
      const hidden = await openWithCamera(s);
      await openCamera(hidden.page, 'id-front');
      await hidden.page.evaluate(() => {
        Object.defineProperty(document, 'hidden', { get: () => true, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await hidden.page.waitForSelector(sheet('id-front'), { state: 'detached' });
      assert.ok(await tracksEnded(hidden.page), 'stopped when hidden');
      await hidden.close();
    } finally {
      await closeCameraSuite(s);
    }
  });
});
