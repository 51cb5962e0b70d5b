// Screenshots of the photo section with photos loaded — one passing, one
// failing with a glare box on its thumbnail, and a duplicate pair — in both
// locales on a phone and a desktop: target/e2e/photos-<locale>-<width>.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CJK, SHOT_DIR, closeSuite, fillAndBlur, fixture, openApp, openSuite, readSlot, switchLocale, waitVerdict, VIEWPORTS } from './helpers.mjs';

let suite;
before(async () => {
  suite = await openSuite();
});
after(async () => {
  await closeSuite(suite);
});


// id-front and the selfie are the same photo (a resized copy): both fail as duplicates.
const PHOTOS = {
  'id-front': 'card-front-01__none.jpg',
  'id-back': 'card-back-02__glare_8.jpg',
  face: 'presence/portrait-01.jpg',
  'selfie-with-document': 'card-front-01__downscale_1280.jpg',
};

const TEXTS = {
  'zh-CN': { retake: '重拍', glare: /反光/, duplicate: /^与“身份证人像面”是同一张照片/, upload: /^将上传 / },
  en: { retake: 'Retake', glare: /glare/i, duplicate: /^Same photo as “ID card, portrait side”/, upload: /^Will upload / },
};

for (const locale of ['zh-CN', 'en']) {
  for (const viewport of VIEWPORTS) {
    const file = `photos-${locale}-${viewport.width}.png`;
    test(`screenshot ${file}`, async () => {
      const app = await openApp(suite, { viewport });
      const { page } = app;
      try {
        if (locale !== 'zh-CN') await switchLocale(page, locale);
        await fillAndBlur(page, 'name', '张三');
        await fillAndBlur(page, 'id-number', '11010519491231002X');
        await fillAndBlur(page, 'phone', '13800138000');
        for (const [slot, f] of Object.entries(PHOTOS)) {
          await page.setInputFiles(`input[type="file"][data-slot="${slot}"]`, fixture(f));
          await waitVerdict(page, slot, { upload: true });
        }
        await page.waitForSelector('article[data-slot-card="id-front"] li[data-check="duplicate"]', { timeout: 5_000 });
        const t = TEXTS[locale];
        const s = Object.fromEntries(await Promise.all(Object.keys(PHOTOS).map(async (k) => [k, await readSlot(page, k)])));

        assert.equal(s.face.status, 'pass');
        // A glare spot of 7 % of the card: washed-out areas of up to 9 % of real acceptable
        // cards lie over titles and emblems, so glare below 10 % of the document warns
        // (docs/calibration.md, real photos).
        assert.equal(s['id-back'].status, 'warn');
        const glare = s['id-back'].checks.find((c) => c.id === 'glare');
        assert.equal(glare?.status, 'warn', JSON.stringify(s['id-back'].checks));
        assert.match(glare.tip, t.glare);
        assert.ok(s['id-back'].glareBoxes >= 1, 'glare box drawn');
        for (const slot of ['id-front', 'selfie-with-document']) {
          assert.equal(s[slot].status, 'fail', `${slot} duplicate`);
          assert.equal(s[slot].checks[0].id, 'duplicate');
        }
        assert.match(s['selfie-with-document'].checks[0].tip, t.duplicate);
        for (const slot of Object.keys(PHOTOS)) {
          assert.equal(s[slot].chooseText, t.retake, `${slot} choose label`);
          assert.match(s[slot].upload.text, t.upload, `${slot} upload note`);
        }

        // The texts are in the page's language.
        assert.equal(await page.evaluate(() => document.documentElement.lang), locale);
        const texts = await page.evaluate(() =>
          ['section.photos', 'section.review'].map((sel) => document.querySelector(sel)?.innerText ?? ''),
        );
        for (const [i, txt] of texts.entries()) {
          const where = ['photos', 'review'][i];
          if (locale === 'en') {
            const cjk = txt.split('\n').filter((l) => CJK.test(l));
            assert.deepEqual(cjk, [], `${where}: Chinese text on the English page`);
          } else {
            assert.match(txt, CJK, `${where}: Chinese text`);
            const english = txt.split('\n').filter((l) => /\b[A-Za-z]{4,}\b/.test(l) && !/\.(jpe?g|png)\b|MB|KB/.test(l));
            assert.deepEqual(english, [], `${where}: English words on the Chinese page`);
          }
        }

        // Thumbnails decoded, fonts loaded, nothing focused: then measure and shoot.
        await page.evaluate(async () => {
          await document.fonts.ready;
          await Promise.all([...document.querySelectorAll('figure.thumb img')].map((img) => img.decode()));
          document.activeElement?.blur();
        });
        const overflow = await page.evaluate(() => ({
          scroll: document.scrollingElement.scrollWidth,
          viewport: window.innerWidth,
          wide: [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 5)
            .map((el) => `${el.tagName.toLowerCase()}.${el.className?.baseVal ?? el.className} right=${el.getBoundingClientRect().right.toFixed(0)}`),
        }));
        assert.ok(overflow.scroll <= overflow.viewport, `page is ${overflow.scroll}px wide in a ${overflow.viewport}px viewport: ${overflow.wide}`);
        // Thumbnails keep their aspect ratio and the overlay sits on the image.
        const geom = await page.evaluate(() =>
          [...document.querySelectorAll('figure.thumb')].map((f) => {
            const img = f.querySelector('img').getBoundingClientRect();
            const svg = f.querySelector('svg.overlay').getBoundingClientRect();
            return { slot: f.closest('article').dataset.slotCard, img: [img.x, img.y, img.width, img.height], svg: [svg.x, svg.y, svg.width, svg.height] };
          }),
        );
        for (const g of geom) {
          assert.ok(g.img[2] > 40 && g.img[3] > 40, `${g.slot}: thumbnail is visible ${g.img}`);
          for (let i = 0; i < 4; i++) assert.ok(Math.abs(g.img[i] - g.svg[i]) <= 1, `${g.slot}: overlay box ${g.svg} = image box ${g.img}`);
        }
        await page.screenshot({ path: path.join(SHOT_DIR, file), fullPage: true });
      } finally {
        await app.close();
      }
    });
  }
}
