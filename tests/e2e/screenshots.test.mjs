// Screenshots of the filled form (a mix of pass/warn/fail) in both locales at
// a phone and a desktop viewport, saved to target/e2e/form-<locale>-<w>x<h>.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SHOT_DIR, closeSuite, expectField, fillAndBlur, openApp, openSuite, switchLocale, VIEWPORTS } from './helpers.mjs';

let suite;
before(async () => {
  suite = await openSuite();
});
after(async () => {
  await closeSuite(suite);
});


for (const locale of ['zh-CN', 'en']) {
  for (const viewport of VIEWPORTS) {
    const file = `form-${locale}-${viewport.width}x${viewport.height}.png`;
    test(`screenshot ${file}`, async () => {
      const app = await openApp(suite, { viewport });
      const { page } = app;
      try {
        if (locale !== 'zh-CN') await switchLocale(page, locale);
        await fillAndBlur(page, 'name', '张'); // warn
        await fillAndBlur(page, 'id-number', '360426199101010071'); // pass
        await fillAndBlur(page, 'phone', '1440123456789'); // fail
        await expectField(page, 'name', { status: 'warn' });
        await expectField(page, 'id-number', { status: 'pass' });
        await expectField(page, 'phone', { status: 'fail' });
        assert.equal(await page.evaluate(() => document.documentElement.lang), locale);

        // Nothing may stick out sideways on a phone.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `page is ${overflow}px wider than the ${viewport.width}px viewport`);

        await page.evaluate(() => document.fonts.ready);
        await page.evaluate(() => document.activeElement?.blur());
        await page.screenshot({ path: path.join(SHOT_DIR, file), fullPage: true });
      } finally {
        await app.close();
      }
    });
  }
}

// The passport form (country, expiry, MRZ cross-check) in both locales on a phone.
for (const locale of ['zh-CN', 'en']) {
  const viewport = { width: 390, height: 844 };
  const file = `passport-${locale}-${viewport.width}x${viewport.height}.png`;
  test(`screenshot ${file}`, async () => {
    const app = await openApp(suite, { viewport });
    const { page } = app;
    try {
      if (locale !== 'zh-CN') await switchLocale(page, locale);
      await page.locator('input[type="radio"][name="doc-type"][value="passport"]').check();
      await fillAndBlur(page, 'name', 'ERIKSSON ANNA MARIA');
      await fillAndBlur(page, 'passport-number', 'EO1234567'); // warn: E0… ?
      await page.locator('input[name="passport-expiry"]').fill('2027-03-01');
      await page.locator('input[name="passport-expiry"]').blur();
      await fillAndBlur(page, 'mrz', 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10');
      await fillAndBlur(page, 'phone', '+86 138 0013 8000');
      await expectField(page, 'passport-number', { status: 'warn', code: 'passport-number.chn-letter-for-digit' });
      await expectField(page, 'passport-expiry', { status: 'warn', code: 'passport-expiry.soon' });
      await expectField(page, 'mrz', { status: 'fail', code: 'mrz.number-mismatch' });
      await expectField(page, 'phone', { status: 'pass' });
      await page.evaluate(() => document.fonts.ready);
      await page.evaluate(() => document.activeElement?.blur());
      await page.screenshot({ path: path.join(SHOT_DIR, file), fullPage: true });
    } finally {
      await app.close();
    }
  });
}
