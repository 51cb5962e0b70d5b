// The passport's MRZ read from a real photo (MIDV-500, the Ukrainian specimen
// passport, frame 15_45_01) in headless Chromium: the read zone fills the MRZ
// field, is cross-checked there with the number the shopper typed (one digit
// off: "number mismatch"), and the "fill in from the photo" card writes the
// number, expiry and issuing country, after which the zone agrees and the card
// goes. Screenshots at 390×844 in zh-CN and en. A photo whose zone cannot be
// read for certain (a glare frame, 12_41_07) leaves the field empty and shows
// no card. Photos: ROOT/../shared/realphotos (or REAL_PHOTOS); missing: a skip,
// or a failure under CI=true.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  REAL_PHOTOS,
  SHOT_DIR,
  chooseDocType,
  choosePhoto,
  closeSuite,
  expectField,
  fillAndBlur,
  input,
  openApp,
  openSuite,
  removePhoto,
  switchLocale,
} from './helpers.mjs';

const PHOTOS = REAL_PHOTOS;
const READABLE = path.join(PHOTOS, 'midv500_15_45_01.jpg');
const GLARE = path.join(PHOTOS, 'midv500_12_41_07.jpg');
const ZONE =
  'P<UKRTKACHENKO<<MARIANA<<<<<<<<<<<<<<<<<<<<<\nXX000000<0UKR9108242F23092571234567890<<<<70';
const present = existsSync(READABLE) && existsSync(GLARE);
if (!present) assert.notEqual(process.env.CI, 'true', `${PHOTOS}: the real photos are missing (CI needs them)`);

let suite;
before(async () => {
  if (present) suite = await openSuite();
});
after(async () => closeSuite(suite));

for (const locale of ['zh-CN', 'en']) {
  test(`the MRZ read from a passport photo is cross-checked and fills the fields (${locale})`, { skip: !present }, async () => {
    const app = await openApp(suite, { viewport: { width: 390, height: 844 } });
    const { page } = app;
    try {
      if (locale !== 'zh-CN') await switchLocale(page, locale);
      await chooseDocType(page, 'passport');
      await page.locator('select[name="passport-country"]').selectOption('CHN');
      await fillAndBlur(page, 'passport-number', 'XX000001');
      await choosePhoto(page, 'passport-data', READABLE, { timeout: 30_000 });

      // The zone, as read, is in the MRZ field; it disagrees with the typed number.
      await expectField(page, 'mrz', { code: 'mrz.number-mismatch', timeout: 10_000 });
      assert.equal(await input(page, 'mrz').inputValue(), ZONE);
      const card = page.locator('section.mrz-offer');
      await card.waitFor({ state: 'visible' });
      assert.equal(await card.getAttribute('data-mrz-number'), 'XX000000');
      const body = (await card.textContent()).replace(/\s+/g, ' ');
      assert.match(body, /XX000000/);
      assert.match(body, /2023-09-25/);
      assert.match(body, locale === 'en' ? /Read from your passport photo/ : /已从护照照片读出/);
      await card.scrollIntoViewIfNeeded();
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: path.join(SHOT_DIR, `mrz-offer-${locale}-390x844.png`) });

      await card.locator('button').click();
      assert.equal(await input(page, 'passport-number').inputValue(), 'XX000000');
      assert.equal(await input(page, 'passport-expiry').inputValue(), '2023-09-25');
      assert.equal(await page.locator('select[name="passport-country"]').inputValue(), 'UKR');
      const mrz = await expectField(page, 'mrz', { timeout: 5_000 });
      assert.ok(!mrz.codes.includes('mrz.number-mismatch'), JSON.stringify(mrz));
      assert.ok(!mrz.codes.includes('mrz.country-mismatch'), JSON.stringify(mrz));
      await card.waitFor({ state: 'detached' });

      // Removing the photo takes its zone away.
      await removePhoto(page, 'passport-data');
      await page.waitForFunction(() => document.querySelector('[name="mrz"]').value === '');
    } finally {
      await app.close();
    }
  });
}

test('a zone that cannot be read for certain says nothing', { skip: !present }, async () => {
  const app = await openApp(suite);
  const { page } = app;
  try {
    await chooseDocType(page, 'passport');
    await choosePhoto(page, 'passport-data', GLARE, { timeout: 30_000 });
    assert.equal(await input(page, 'mrz').inputValue(), '');
    assert.equal(await page.locator('section.mrz-offer').count(), 0);
  } finally {
    await app.close();
  }
});
