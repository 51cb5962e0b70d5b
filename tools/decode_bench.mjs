// The browser's JPEG decoders on the same files, in one headless Chromium run: the bare
// `createImageBitmap` (the head-to-head bench's "a") against WebCodecs' `ImageDecoder` asked
// for the full, half and quarter size (`desiredWidth`/`desiredHeight`: libjpeg-turbo's
// scaled IDCT), including the copy of its RGBA pixels out of the frame. Median of 9 each.
//
//   node tools/decode_bench.mjs photo1.jpg photo2.jpg …   (12 MP JPEGs; prints JSON)
//
// Evidence for the pipeline-speed issue: see docs/decode_speed.md.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node tools/decode_bench.mjs FILE.jpg…');
  process.exit(2);
}
// ImageDecoder needs a secure context: an empty page on 127.0.0.1.
const server = createServer((_, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html' });
  res.end('<!DOCTYPE html><title>decode bench</title>');
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const rows = [];
  for (const file of files) {
    const b64 = readFileSync(file).toString('base64');
    const row = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const blob = new Blob([bytes], { type: 'image/jpeg' });
      const median = async (run) => {
        const ms = [];
        for (let i = 0; i < 9; i++) {
          const t = performance.now();
          await run();
          ms.push(performance.now() - t);
        }
        return +ms.sort((a, b) => a - b)[4].toFixed(1);
      };
      const probe = await createImageBitmap(blob);
      const [W, H] = [probe.width, probe.height];
      probe.close();
      const out = { size: `${W}x${H}`, createImageBitmapMs: await median(async () => (await createImageBitmap(blob)).close()) };
      for (const k of [1, 2, 4]) {
        out[`imageDecoder1of${k}RgbaMs`] = await median(async () => {
          const decoder = new ImageDecoder({ data: bytes, type: 'image/jpeg', desiredWidth: W / k, desiredHeight: H / k });
          const { image } = await decoder.decode();
          const pixels = new Uint8Array(image.allocationSize({ format: 'RGBA' }));
          await image.copyTo(pixels, { format: 'RGBA' });
          image.close();
          decoder.close();
        });
      }
      return out;
    }, b64);
    rows.push({ file: path.basename(file), ...row });
  }
  console.log(JSON.stringify(rows, null, 1));
} finally {
  await browser.close();
  server.close();
}
