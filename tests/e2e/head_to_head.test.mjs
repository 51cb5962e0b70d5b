// Head-to-head in one Chromium run, on the same JPEG files (12 MP fixtures, and one 48 MP photo):
//   (a) the browser's bare decode: createImageBitmap(file), in the app page;
//   (b) the app: the file input's change event → every verdict of the slot in the DOM (the
//       upload-ready copy, made after the verdicts, is timed apart);
//   (c) OpenCV.js (npm @techstark/opencv-js) in a page of its own (the app's CSP would not load
//       it): createImageBitmap → canvas → getImageData → cv.matFromImageData → grey →
//       Laplacian (CV_64F) → meanStdDev, i.e. the classic blur score and nothing else;
// and the peak resident memory (summed VmRSS of Chromium's processes, every ~10 ms) while the
// app checks one 12 MP and one 48 MP photo.
//
// Numbers are recorded, not asserted (target/e2e/head-to-head.json and .md, printed at the end);
// the test fails only when a pipeline gives no result or a nonsensical one.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  ROOT,
  SHOT_DIR,
  bigFixture,
  chooseDocType,
  choosePhoto,
  closeSuite,
  fixture,
  openApp,
  openSuite,
  readManifest,
  removePhoto,
  waitVerdict,
} from './helpers.mjs';
import { growth, sampleRss } from './rss.mjs';
import { start, stop } from './serve.mjs';

const RUNS = 3;
// 12 MP fixtures the capture bench in photos.test.mjs does not use (it has card-front-01__*,
// card-back-02__none, card-front-03__none and wp-BytheWater__none).
const FILES_12 = [
  'card-front-03__gauss_1.jpg',
  'card-back-02__glare_1.jpg',
  'card-front-03__exposure_0.5.jpg',
  'wp-ColdRipple__none.jpg',
  'card-back-02__motion_10@0.jpg',
  'card-front-03__glare_1.jpg',
];
const WARM_PHOTO = 'card-front-01__none.jpg';
const MEMORY_REPEATS = 2;
const BIG = { source: 'card-front-03__none.jpg', width: 8000, height: 6000 };
const OPENCV_DIR = path.join(ROOT, 'node_modules', '@techstark', 'opencv-js');

const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r1 = (x) => +x.toFixed(1);
const ratio = (x, y) => +(x / y).toFixed(2);
const stats = (runs) => ({ runs: runs.map(r1), median: r1(median(runs)) });

let suite;
let bench; // the OpenCV.js page's static server and its temp dir
const results = {};

before(async () => {
  suite = await openSuite();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'id-precheck-h2h-'));
  assert.ok(existsSync(path.join(OPENCV_DIR, 'dist', 'opencv.js')), 'node_modules/@techstark/opencv-js missing: run npm ci');
  copyFileSync(path.join(OPENCV_DIR, 'dist', 'opencv.js'), path.join(dir, 'opencv.js'));
  writeFileSync(path.join(dir, 'index.html'), BENCH_HTML);
  bench = { dir, server: await start(dir) };
  const pkg = JSON.parse(readFileSync(path.join(OPENCV_DIR, 'package.json'), 'utf8'));
  Object.assign(results, {
    when: new Date().toISOString(),
    chromium: suite.browser.version(),
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    node: process.version,
    // The other core may be busy (a build, another test run): the load average says how much.
    loadavgAtStart: os.loadavg().map((x) => +x.toFixed(2)),
    opencv: { package: pkg.name, version: pkg.version },
    runsPerFile: RUNS,
  });
});

after(async () => {
  await closeSuite(suite);
  if (bench) {
    await stop(bench.server);
    rmSync(bench.dir, { recursive: true, force: true });
  }
  if (results.photos12 || results.photo48 || results.memory) {
    results.loadavgAtEnd = os.loadavg().map((x) => +x.toFixed(2));
    const md = save();
    // The file has every process's figures too; the log gets the rest.
    const brief = JSON.stringify(results, (k, v) => (k === 'processes' ? undefined : v), 1);
    console.log(`head-to-head (${path.join(SHOT_DIR, 'head-to-head.json')}):`, brief);
    console.log(md);
  }
});

// ---------------------------------------------------------------------------
// The OpenCV.js page: cv is ready either as a promise (newer builds) or through
// onRuntimeInitialized. Never resolve a promise with `cv` itself: emscripten's Module is a
// thenable in some builds, and resolving with it loops.
const BENCH_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OpenCV.js head-to-head</title></head>
<body>
<input type="file" id="src" multiple>
<script src="opencv.js"></script>
<script>
window.cvReady = new Promise((resolve, reject) => {
  const c = window.cv;
  const done = (m) => { window.cv = m; window.cvReadyAt = performance.now(); resolve(); };
  if (!c) reject(new Error('opencv.js did not define cv'));
  else if (c instanceof Promise) c.then(done, reject);
  else if (c.Mat) done(c);
  else c.onRuntimeInitialized = () => done(c);
});
window.files = {};
document.getElementById('src').addEventListener('change', (e) => {
  for (const f of e.target.files) window.files[f.name] = f;
});
// createImageBitmap → canvas → getImageData → cv.matFromImageData → grey → Laplacian → meanStdDev.
window.laplacianVariance = async (name) => {
  const cv = window.cv;
  const t0 = performance.now();
  const bitmap = await createImageBitmap(window.files[name]);
  const t1 = performance.now();
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g.drawImage(bitmap, 0, 0);
  bitmap.close();
  const image = g.getImageData(0, 0, width, height);
  const t2 = performance.now();
  const mats = [];
  const mat = (m) => (mats.push(m), m);
  let variance;
  try {
    const rgba = mat(cv.matFromImageData(image));
    const grey = mat(new cv.Mat());
    const lap = mat(new cv.Mat());
    const mean = mat(new cv.Mat());
    const sd = mat(new cv.Mat());
    cv.cvtColor(rgba, grey, cv.COLOR_RGBA2GRAY);
    cv.Laplacian(grey, lap, cv.CV_64F);
    cv.meanStdDev(lap, mean, sd);
    variance = sd.data64F[0] ** 2;
  } finally {
    for (const m of mats) m.delete();
  }
  const t3 = performance.now();
  return { ms: t3 - t0, decodeMs: t1 - t0, pixelsMs: t2 - t1, cvMs: t3 - t2, variance, width, height };
};
</script>
</body></html>
`;

async function openOpenCv() {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(bench.server.url, { waitUntil: 'load' });
  await page.evaluate(() => window.cvReady);
  const readyMs = await page.evaluate(() => window.cvReadyAt);
  return { page, context, errors, readyMs: r1(readyMs) };
}

// ---------------------------------------------------------------------------
// The app page: a capturing `change` listener (t0) and a MutationObserver that stamps the first
// moment the slot shows its verdicts, and the first moment it shows the upload-ready copy (the
// DOM contract of helpers.mjs readSlot/waitVerdict). A hidden input of its own, outside #app,
// hands the same files to the bare decode.
async function instrumentApp(page) {
  await page.evaluate(() => {
    const h = (window.__h2h = { slot: null, t0: null, verdict: null, upload: null, files: {} });
    const stamp = () => {
      if (h.t0 === null) return;
      const card = document.querySelector(`article[data-slot-card="${h.slot}"]`);
      if (!card) return;
      const status = card.getAttribute('data-status');
      const rows = card.querySelectorAll('ul.checks > li[data-check]');
      if (
        h.verdict === null &&
        status !== 'checking' &&
        status !== 'empty' &&
        card.querySelector('.slot-body[data-elapsed-ms]') &&
        rows.length > 0 &&
        [...rows].every((li) => li.hasAttribute('data-status'))
      ) {
        h.verdict = performance.now();
      }
      if (
        h.upload === null &&
        card.querySelector('p.upload-size[data-upload-bytes]') &&
        card.querySelector('figure.thumb img[src^="blob:"]')
      ) {
        h.upload = performance.now();
      }
    };
    document.addEventListener(
      'change',
      (e) => {
        const t = e.target;
        if (!(t instanceof HTMLInputElement) || t.type !== 'file') return;
        if (t.id === 'h2h-src') {
          for (const f of t.files) h.files[f.name] = f;
        } else if (t.dataset.slot) {
          Object.assign(h, { slot: t.dataset.slot, t0: performance.now(), verdict: null, upload: null });
        }
      },
      true,
    );
    new MutationObserver(stamp).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const src = document.createElement('input');
    src.type = 'file';
    src.id = 'h2h-src';
    src.multiple = true;
    src.hidden = true;
    document.body.append(src);
  });
}

/** Hand files (paths) to the page's hidden input, by file name. */
const giveFiles = (page, selector, files) => page.setInputFiles(selector, files);

/** (a) createImageBitmap of a file the page holds, then close(). */
async function bareDecode(page, name) {
  return page.evaluate(async (n) => {
    const file = window.__h2h.files[n];
    const t = performance.now();
    const bitmap = await createImageBitmap(file);
    const ms = performance.now() - t;
    const out = { ms, width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return out;
  }, name);
}

/** (b) choose → every verdict, and → upload-ready copy; the slot is empty before and after. */
async function appRun(page, slot, file, { timeout = 60_000 } = {}) {
  await removePhoto(page, slot);
  await page.setInputFiles(`input[type="file"][data-slot="${slot}"]`, file);
  const shown = await waitVerdict(page, slot, { upload: true, timeout });
  await page.waitForFunction(() => window.__h2h.verdict !== null && window.__h2h.upload !== null, null, { timeout: 5_000 });
  const h = await page.evaluate(() => ({ ...window.__h2h, files: undefined }));
  await removePhoto(page, slot);
  assert.equal(h.slot, slot, 'the change listener saw the slot input');
  assertVerdicts(shown, path.basename(file));
  const [decode, check, encode] = shown.upload.timings.split(' ').map(Number);
  return {
    verdictMs: h.verdict - h.t0,
    uploadReadyMs: h.upload - h.t0,
    elapsedMs: shown.elapsedMs,
    workerDecodeMs: decode,
    workerCheckMs: check,
    encodeMs: encode,
    status: shown.status,
    checks: shown.checks.map((c) => `${c.id}:${c.status}`),
  };
}

function assertVerdicts(shown, what) {
  assert.ok(['pass', 'warn', 'fail'].includes(shown.status), `${what}: card status ${shown.status}`);
  assert.ok(shown.checks.length > 0, `${what}: check rows shown`);
  assert.ok(!shown.checks.some((c) => c.id === 'file'), `${what}: could not be checked: ${JSON.stringify(shown.checks)}`);
  assert.ok(shown.upload?.bytes > 0, `${what}: upload-ready copy`);
}

/** The slot a fixture is for, when the ID card form has it (else the front, as the capture bench does). */
function slotFor(name) {
  const row = readManifest().find((r) => r.file === name);
  return ['id-front', 'id-back'].includes(row?.slot) ? row.slot : 'id-front';
}

const bigPhoto = () => bigFixture(BIG);

// ---------------------------------------------------------------------------

test('head-to-head: 12 MP JPEGs: bare decode (a), the app choose → verdicts (b), OpenCV.js Laplacian variance (c)', async () => {
  const files = FILES_12.map((n) => ({ name: n, path: fixture(n), slot: slotFor(n) }));
  const app = await openApp(suite);
  const cv = await openOpenCv();
  try {
    await chooseDocType(app.page, 'id-card');
    await instrumentApp(app.page);
    await giveFiles(app.page, '#h2h-src', files.map((f) => f.path));
    await giveFiles(cv.page, '#src', files.map((f) => f.path));

    const one = async (f) => {
      const a = await bareDecode(app.page, f.name);
      const b = await appRun(app.page, f.slot, f.path);
      const c = await cv.page.evaluate((n) => window.laplacianVariance(n), f.name);
      return { a, b, c };
    };
    // Warm: the worker starts and compiles, OpenCV's code paths and heap grow, files are cached.
    const warm = [];
    for (const f of files) warm.push({ file: f.name, ...(await one(f)) });
    const runs = new Map(files.map((f) => [f.name, []]));
    for (let i = 0; i < RUNS; i++) for (const f of files) runs.get(f.name).push(await one(f));

    const rows = files.map((f) => {
      const rs = runs.get(f.name);
      for (const { a, c } of rs) {
        assert.deepEqual([a.width, a.height], [4032, 3024], `${f.name}: a 12 MP JPEG`);
        assert.deepEqual([c.width, c.height], [4032, 3024], `${f.name}: OpenCV saw 4032×3024`);
        assert.ok(Number.isFinite(c.variance) && c.variance > 0, `${f.name}: Laplacian variance ${c.variance}`);
      }
      const a = stats(rs.map((r) => r.a.ms));
      const b = stats(rs.map((r) => r.b.verdictMs));
      const c = stats(rs.map((r) => r.c.ms));
      return {
        file: f.name,
        slot: f.slot,
        bytes: statSync(f.path).size,
        a,
        b,
        c,
        bOverA: ratio(b.median, a.median),
        cOverB: ratio(c.median, b.median),
        bUploadReady: stats(rs.map((r) => r.b.uploadReadyMs)),
        bAppElapsedMs: stats(rs.map((r) => r.b.elapsedMs)),
        bWorker: {
          decodeMs: median(rs.map((r) => r.b.workerDecodeMs)),
          checkMs: median(rs.map((r) => r.b.workerCheckMs)),
          encodeMs: median(rs.map((r) => r.b.encodeMs)),
        },
        cSteps: {
          decodeMs: r1(median(rs.map((r) => r.c.decodeMs))),
          pixelsMs: r1(median(rs.map((r) => r.c.pixelsMs))),
          cvMs: r1(median(rs.map((r) => r.c.cvMs))),
        },
        laplacianVariance: +rs[0].c.variance.toFixed(3),
        status: rs[0].b.status,
        checks: rs[0].b.checks,
      };
    });
    for (const r of rows) {
      assert.ok(r.a.median > 0 && r.b.median > 0 && r.c.median > 0, `${r.file}: a, b, c > 0`);
      assert.ok(r.bUploadReady.median >= r.b.median, `${r.file}: upload copy after the verdicts`);
    }
    const med = (f) => r1(median(rows.map(f)));
    const m = { a: med((r) => r.a.median), b: med((r) => r.b.median), c: med((r) => r.c.median) };
    results.photos12 = {
      size: '4032x3024',
      fixtures: files.map((f) => f.name),
      warmFirstRun: warm.map((w) => ({ file: w.file, aMs: r1(w.a.ms), bMs: r1(w.b.verdictMs), cMs: r1(w.c.ms) })),
      opencvReadyMs: cv.readyMs,
      rows,
      median: {
        ...m,
        bOverA: ratio(m.b, m.a),
        cOverB: ratio(m.c, m.b),
        bUploadReady: med((r) => r.bUploadReady.median),
        cSteps: {
          decodeMs: med((r) => r.cSteps.decodeMs),
          pixelsMs: med((r) => r.cSteps.pixelsMs),
          cvMs: med((r) => r.cSteps.cvMs),
        },
      },
    };
    assert.deepEqual(cv.errors, [], 'OpenCV page errors');
    save();
  } finally {
    await cv.context.close();
    await app.close();
  }
});

test('head-to-head: 48 MP (8000×6000) JPEG: bare decode (a) and the app (b)', async () => {
  const big = bigPhoto();
  const name = path.basename(big);
  const app = await openApp(suite);
  try {
    await chooseDocType(app.page, 'id-card');
    await instrumentApp(app.page);
    await giveFiles(app.page, '#h2h-src', [big]);
    await bareDecode(app.page, name);
    await appRun(app.page, 'id-front', big); // warm (worker start, heap growth)
    const rs = [];
    for (let i = 0; i < RUNS; i++) rs.push({ a: await bareDecode(app.page, name), b: await appRun(app.page, 'id-front', big) });
    for (const { a } of rs) assert.deepEqual([a.width, a.height], [BIG.width, BIG.height], `${name}: 48 MP`);
    const a = stats(rs.map((r) => r.a.ms));
    const b = stats(rs.map((r) => r.b.verdictMs));
    assert.ok(a.median > 0 && b.median > 0, 'a, b > 0');
    results.photo48 = {
      file: name,
      madeFrom: BIG.source,
      size: `${BIG.width}x${BIG.height}`,
      bytes: statSync(big).size,
      a,
      b,
      bOverA: ratio(b.median, a.median),
      bUploadReady: stats(rs.map((r) => r.b.uploadReadyMs)),
      bWorker: {
        decodeMs: median(rs.map((r) => r.b.workerDecodeMs)),
        checkMs: median(rs.map((r) => r.b.workerCheckMs)),
        encodeMs: median(rs.map((r) => r.b.encodeMs)),
      },
      status: rs[0].b.status,
      checks: rs[0].b.checks,
    };
    save();
  } finally {
    await app.close();
  }
});

test('head-to-head: peak resident memory of Chromium while the app checks one 12 MP and one 48 MP photo', async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  /** Median of ~0.5 s of samples, the page idle. */
  const idle = async () => {
    const s = sampleRss();
    await sleep(500);
    return s.stop();
  };
  /** Samples from setInputFiles until the verdicts and the upload copy are shown. */
  const measure = async (page, file) => {
    await sleep(1_000); // let the removal's frees and any closing process settle
    const base = await idle();
    const s = sampleRss();
    await page.setInputFiles('input[type="file"][data-slot="id-front"]', file);
    const shown = await waitVerdict(page, 'id-front', { upload: true, timeout: 60_000 });
    const during = s.stop();
    assertVerdicts(shown, path.basename(file));
    await removePhoto(page, 'id-front');
    return {
      baseline: base.median,
      peak: during.peak,
      growth: growth(base.median, during.peak),
      samples: during.samples,
      sampledMs: during.ms,
      processes: during.processes,
    };
  };
  const files = { '12MP': fixture(FILES_12[0]), '48MP': bigPhoto() };
  const memory = { method: 'summed VmRSS (/proc/<pid>/status) of the browser process and its descendants, every ~10 ms; baseline = median of 0.5 s idle after a warm-up 12 MP photo and its removal' };
  for (const [label, file] of Object.entries(files)) {
    // A fresh page per size, so one size's heap growth is not the other's baseline.
    const app = await openApp(suite);
    try {
      await chooseDocType(app.page, 'id-card');
      const cold = await idle();
      await choosePhoto(app.page, 'id-front', fixture(WARM_PHOTO), { upload: true });
      await removePhoto(app.page, 'id-front');
      const first = await measure(app.page, file);
      // The same photo again (after removing it): the growth varies from run to run (when the
      // page's and the worker's garbage is collected), and the baseline shows what stays.
      const again = [];
      for (let i = 0; i < MEMORY_REPEATS; i++) again.push(await measure(app.page, file));
      for (const m of [first, ...again]) assert.ok(m.peak.totalMb > 0 && m.baseline.totalMb > 0 && m.samples > 10, `${label}: RSS sampled`);
      const all = [first, ...again].map((m) => m.growth.totalMb);
      memory[label] = {
        file: path.basename(file),
        coldPageTotalMb: cold.median.totalMb,
        first,
        again,
        growthTotalMb: { runs: all, median: r1(median(all)), min: Math.min(...all), max: Math.max(...all) },
        retainedAfterFirstMb: r1(again[0].baseline.totalMb - first.baseline.totalMb),
      };
    } finally {
      await app.close();
    }
  }
  results.memory = memory;
  save();
});

// ---------------------------------------------------------------------------

/** Write target/e2e/head-to-head.json and .md; returns the markdown. */
function save() {
  mkdirSync(SHOT_DIR, { recursive: true });
  writeFileSync(path.join(SHOT_DIR, 'head-to-head.json'), JSON.stringify(results, null, 1));
  const md = markdown(results);
  writeFileSync(path.join(SHOT_DIR, 'head-to-head.md'), md);
  return md;
}

function markdown(r) {
  const out = [
    `# Head-to-head (${r.when}, Chromium ${r.chromium}, ${r.cores} cores, load ${r.loadavgAtStart[0]} → ${r.loadavgAtEnd?.[0] ?? '?'}, ${r.opencv.package} ${r.opencv.version})`,
    '',
    `Median of ${r.runsPerFile} runs per file after one warm-up run, ms. a: \`createImageBitmap\` of the file;`,
    'b: the app, file input `change` → every verdict of the slot in the DOM (upload-ready copy not included);',
    'c: OpenCV.js, file → `createImageBitmap` → canvas → `getImageData` → grey → Laplacian (CV_64F) → variance.',
    '',
    '| file | a decode | b app | c OpenCV.js | b/a | c/b |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  const p = r.photos12;
  if (p) {
    for (const x of p.rows) out.push(`| ${x.file} | ${x.a.median} | ${x.b.median} | ${x.c.median} | ${x.bOverA} | ${x.cOverB} |`);
    const m = p.median;
    out.push(`| **median (12 MP)** | **${m.a}** | **${m.b}** | **${m.c}** | **${m.bOverA}** | **${m.cOverB}** |`);
  }
  const b = r.photo48;
  if (b) out.push(`| ${b.file} (48 MP) | ${b.a.median} | ${b.b.median} | – | ${b.bOverA} | – |`);
  if (p) {
    out.push(
      '',
      `12 MP, medians: the app's upload-ready copy at ${p.median.bUploadReady} ms after the change event; ` +
        `OpenCV.js steps: decode ${p.median.cSteps.decodeMs}, canvas + getImageData ${p.median.cSteps.pixelsMs}, ` +
        `cv (mat, grey, Laplacian, meanStdDev) ${p.median.cSteps.cvMs}; opencv.js ready ${p.opencvReadyMs} ms after navigation.`,
    );
  }
  if (b) out.push(`48 MP: upload-ready copy at ${b.bUploadReady.median} ms; worker decode ${b.bWorker.decodeMs}, check ${b.bWorker.checkMs}, encode ${b.bWorker.encodeMs}.`);
  const mem = r.memory;
  if (mem) {
    const sizes = ['12MP', '48MP'].filter((k) => mem[k]);
    out.push(
      '',
      'Peak resident memory while the app checks one photo (choose → verdicts and upload copy shown), MB: summed VmRSS',
      "of Chromium's processes every ~10 ms; baseline = median of 0.5 s idle after a warm-up 12 MP photo and its removal",
      "(worker warm); 'again' = the same photo once more after removing it.",
      '',
      '| photo | baseline | peak | peak − baseline | of which anon | of which shmem |',
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const k of sizes) {
      for (const [which, m] of [['', mem[k].first], ...mem[k].again.map((m, i) => [`, again ${i + 1}`, m])]) {
        const g = m.growth;
        out.push(`| ${k}${which} | ${m.baseline.totalMb} | ${m.peak.totalMb} | **${g.totalMb}** | ${g.anonMb} | ${g.shmemMb} |`);
      }
    }
    out.push(
      '',
      sizes
        .map((k) => {
          const g = mem[k].growthTotalMb;
          return `${k}: growth median ${g.median} MB (${g.min}–${g.max}); the baseline after the first run is ${mem[k].retainedAfterFirstMb} MB higher (kept)`;
        })
        .join('; ') + '.',
    );
    const types = [...new Set(sizes.flatMap((k) => Object.keys(mem[k].first.peak.byType)))].sort();
    out.push(
      '',
      "Per process type (first run; each type's peak is its own maximum, so they need not add up to the total's):",
      '',
      `| process | ${sizes.map((k) => `${k} baseline | ${k} peak | ${k} Δ`).join(' | ')} |`,
      `|---|${sizes.map(() => '---:|---:|---:').join('|')}|`,
    );
    const cells = (m, t) => {
      const b = m.baseline.byType[t] ?? 0;
      const p = m.peak.byType[t] ?? 0;
      return `${b} | ${p} | ${m.growth.byType[t] ?? 0}`;
    };
    for (const t of types) out.push(`| ${t} | ${sizes.map((k) => cells(mem[k].first, t)).join(' | ')} |`);
    out.push(
      `| **total** | ${sizes.map((k) => `${mem[k].first.baseline.totalMb} | ${mem[k].first.peak.totalMb} | **${mem[k].first.growth.totalMb}**`).join(' | ')} |`,
    );
  }
  return out.join('\n') + '\n';
}
