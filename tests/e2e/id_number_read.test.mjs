// The resident ID number read from the portrait side's photo, in headless
// Chromium: a synthetic portrait side whose number line is OCR-B
// (tools/synth_documents.py, made by `make test`'s fixtures step into
// target/synth-documents). With two digits typed the other way round, the
// ID number field warns `id-number.photo-mismatch` naming positions 13 and 14,
// and the card shows the read number with those two digits marked; "use the
// number from the photo" puts it into the field, and warning and card go.
// With the field empty, the card offers the number and fills nothing unasked.
// A real foreign ID card (MIDV-500), whose number line is not a resident ID
// number, shows no card. Screenshots at 390×844 in zh-CN and en.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  REAL_PHOTOS,
  ROOT,
  SHOT_DIR,
  choosePhoto,
  closeSuite,
  expectField,
  fillAndBlur,
  input,
  openApp,
  openSuite,
  switchLocale,
} from './helpers.mjs';

const SYNTH = path.resolve(ROOT, process.env.SYNTH_DOCUMENTS ?? 'target/synth-documents');
const CARD = 'idfront-00__none.jpg';
const FOREIGN = path.join(REAL_PHOTOS, 'midv500_1_02_02.jpg');

/** The true number of the synthetic card, from the set's manifest. */
function cardNumber() {
  const manifest = path.join(SYNTH, 'manifest.jsonl');
  if (!existsSync(manifest)) return null;
  const row = readFileSync(manifest, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .find((r) => r.file === CARD);
  return row?.id_number ?? null;
}

const NUMBER = cardNumber();
const present = NUMBER !== null && existsSync(path.join(SYNTH, CARD)) && existsSync(FOREIGN);
if (!present) assert.notEqual(process.env.CI, 'true', `${SYNTH}/${CARD} or ${FOREIGN} missing (CI makes and needs them)`);

/** `n` with the characters at 1-based positions `a` and `a + 1` swapped. */
function swapped(n, a) {
  const c = [...n];
  [c[a - 1], c[a]] = [c[a], c[a - 1]];
  return c.join('');
}

let suite;
before(async () => {
  if (present) suite = await openSuite();
});
after(async () => closeSuite(suite));

for (const locale of ['zh-CN', 'en']) {
  test(`a typed ID number is cross-checked with the number read from the photo (${locale})`, { skip: !present }, async () => {
    // Two digits swapped where they differ (the sequence digits, 15-16, or the date's 13-14).
    const at = NUMBER[14] !== NUMBER[15] ? 15 : 13;
    assert.notEqual(NUMBER[at - 1], NUMBER[at], `${NUMBER}: positions ${at}, ${at + 1} are equal`);
    const typed = swapped(NUMBER, at);
    const app = await openApp(suite, { viewport: { width: 390, height: 844 } });
    const { page } = app;
    try {
      if (locale !== 'zh-CN') await switchLocale(page, locale);
      await fillAndBlur(page, 'id-number', typed);
      const before = await expectField(page, 'id-number', { timeout: 5_000 });
      assert.ok(!before.codes.includes('id-number.photo-mismatch'), JSON.stringify(before));
      await choosePhoto(page, 'id-front', path.join(SYNTH, CARD), { timeout: 30_000 });

      const field = await expectField(page, 'id-number', { code: 'id-number.photo-mismatch', timeout: 10_000 });
      const positions = locale === 'en' ? `${at}, ${at + 1}` : `${at}、${at + 1}`;
      assert.ok(field.text.includes(NUMBER) && field.text.includes(positions), field.text);
      const card = page.locator('section.id-offer');
      await card.waitFor({ state: 'visible' });
      assert.equal(await card.getAttribute('data-id-number'), NUMBER);
      assert.equal(await card.getAttribute('data-differs-at'), `${at},${at + 1}`);
      assert.deepEqual(await card.locator('mark').allTextContents(), [NUMBER[at - 1], NUMBER[at]]);
      const body = (await card.textContent()).replace(/\s+/g, ' ');
      assert.match(body, locale === 'en' ? /Read from your ID card photo/ : /已从身份证照片读出/);
      await page.evaluate(() => document.fonts.ready);
      await input(page, 'id-number').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOT_DIR, `id-number-mismatch-${locale}-390x844.png`) });
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOT_DIR, `id-number-offer-${locale}-390x844.png`) });

      await card.locator('button').click();
      assert.equal(await input(page, 'id-number').inputValue(), NUMBER);
      const fixed = await expectField(page, 'id-number', { status: 'pass', timeout: 5_000 });
      assert.ok(!fixed.codes.includes('id-number.photo-mismatch'), JSON.stringify(fixed));
      await card.waitFor({ state: 'detached' });
    } finally {
      await app.close();
    }
  });
}

test('with the field empty the read number is offered, not filled in unasked', { skip: !present }, async () => {
  const app = await openApp(suite);
  const { page } = app;
  try {
    await choosePhoto(page, 'id-front', path.join(SYNTH, CARD), { timeout: 30_000 });
    const card = page.locator('section.id-offer');
    await card.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await card.getAttribute('data-differs-at'), '');
    assert.equal(await card.locator('mark').count(), 0);
    assert.equal(await input(page, 'id-number').inputValue(), '');
    await card.locator('button').click();
    assert.equal(await input(page, 'id-number').inputValue(), NUMBER);
    await expectField(page, 'id-number', { status: 'pass', timeout: 5_000 });
    await card.waitFor({ state: 'detached' });
  } finally {
    await app.close();
  }
});

test('a foreign ID card, whose number is no resident ID number, shows no card', { skip: !present }, async () => {
  const app = await openApp(suite);
  const { page } = app;
  try {
    await choosePhoto(page, 'id-front', FOREIGN, { timeout: 30_000 });
    await page.waitForTimeout(300);
    assert.equal(await page.locator('section.id-offer').count(), 0);
  } finally {
    await app.close();
  }
});
