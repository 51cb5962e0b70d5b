// The identity form, driven through its DOM contract in headless Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CJK,
  STATUSES,
  blur,
  chooseDocType,
  closeSuite,
  expectField,
  fillAndBlur,
  input,
  openSuite,
  readField,
  recordStatusChanges,
  statusLog,
  switchLocale,
  typeSlowly,
  withAppIn,
} from './helpers.mjs';

let suite;
before(async () => {
  suite = await openSuite();
});
after(async () => {
  await closeSuite(suite);
});

const withApp = (fn, opts) => withAppIn(suite, fn, opts);

describe('initial page', () => {
  test('defaults to zh-CN and the ID-card form', async () => {
    await withApp(async (page) => {
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
      assert.equal(await page.locator('input[type="radio"][name="doc-type"][value="id-card"]').isChecked(), true);
      assert.equal(await page.locator('input[type="radio"][name="doc-type"][value="passport"]').isChecked(), false);
      for (const name of ['name', 'phone', 'id-number']) {
        assert.equal(await input(page, name).isVisible(), true, `input[name=${name}] visible`);
      }
      for (const name of ['passport-number', 'passport-country', 'passport-expiry', 'mrz']) {
        assert.equal(await page.locator(`[name="${name}"]:visible`).count(), 0, `${name} hidden with id-card`);
      }
      for (const loc of ['en', 'zh-CN']) {
        assert.equal(await page.locator(`button[data-action="locale"][data-locale="${loc}"]`).count(), 1, `locale button ${loc}`);
      }
    });
  });

  test('every form control has a label and every field message is a polite live region', async () => {
    await withApp(async (page) => {
      for (const doc of ['id-card', 'passport']) {
        await chooseDocType(page, doc);
        const unlabeled = await page.evaluate(() =>
          [...document.querySelectorAll('input, select, textarea')]
            .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
            .filter((el) => {
              const labels = [...(el.labels ?? [])].filter((l) => l.textContent.trim() !== '');
              return labels.length === 0;
            })
            .map((el) => el.outerHTML.slice(0, 120)),
        );
        assert.deepEqual(unlabeled, [], `${doc}: controls without a non-empty <label>`);

        const fields = doc === 'id-card' ? ['name', 'phone', 'id-number'] : ['name', 'phone', 'passport-number', 'passport-expiry', 'mrz'];
        for (const f of fields) {
          const m = await readField(page, f);
          assert.ok(m, `${doc}: [data-field="${f}"] exists`);
          assert.equal(m.ariaLive, 'polite', `${doc}: [data-field="${f}"] aria-live`);
          assert.ok(STATUSES.includes(m.status), `${doc}: [data-field="${f}"] data-status=${m.status}`);
          assert.equal(m.status, 'empty', `${doc}: [data-field="${f}"] is empty before input`);
        }
      }
    });
  });
});

describe('ID card number', () => {
  test('valid number passes and shows the birth date', async () => {
    await withApp(async (page) => {
      await fillAndBlur(page, 'id-number', '360426199101010071');
      const m = await expectField(page, 'id-number', { status: 'pass' });
      assert.match(m.text, /1991-01-01/, `message shows the birth date: ${m.text}`);
    });
  });

  test('wrong check digit fails with id-number.check-mismatch', async () => {
    await withApp(async (page) => {
      await fillAndBlur(page, 'id-number', '360426199101010070');
      await expectField(page, 'id-number', { status: 'fail', code: 'id-number.check-mismatch' });
    });
  });

  test('birth date in the future fails with id-number.date-future', async () => {
    await withApp(async (page) => {
      await fillAndBlur(page, 'id-number', '110101209901010017');
      await expectField(page, 'id-number', { status: 'fail', code: 'id-number.date-future' });
    });
  });

  test('validation is debounced while typing (no blur)', async () => {
    await withApp(async (page) => {
      await recordStatusChanges(page);
      await typeSlowly(page, 'id-number', '360426199101010071');
      await expectField(page, 'id-number', { status: 'pass', timeout: 3_000 });
      const { log, keyups } = await statusLog(page);
      const changes = log.filter((e) => e.field === 'id-number');
      assert.ok(!changes.some((e) => e.status === 'fail'), `no fail while typing: ${JSON.stringify(changes)}`);
      const passAt = changes.find((e) => e.status === 'pass').t;
      const lastKey = keyups[keyups.length - 1];
      const delay = passAt - lastKey;
      assert.ok(delay >= 150, `status should settle ~300 ms after the last keystroke, took ${delay.toFixed(0)} ms`);
      assert.ok(delay <= 2_000, `status took ${delay.toFixed(0)} ms after the last keystroke`);
    });
  });

  test('too short: stays empty while typing, fails with id-number.too-short on blur', async () => {
    await withApp(async (page) => {
      await recordStatusChanges(page);
      await typeSlowly(page, 'id-number', '1101011990');
      await page.waitForTimeout(600);
      const typing = await readField(page, 'id-number');
      assert.equal(typing.status, 'empty', `while typing: ${JSON.stringify(typing)}`);
      const { log } = await statusLog(page);
      assert.ok(
        !log.some((e) => e.field === 'id-number' && e.status === 'fail'),
        `never fail before blur: ${JSON.stringify(log)}`,
      );
      await blur(page, 'id-number');
      await expectField(page, 'id-number', { status: 'fail', code: 'id-number.too-short' });
    });
  });
});

describe('name', () => {
  test('Uyghur name with a bullet separator passes and is shown normalized to U+00B7', async () => {
    await withApp(async (page) => {
      await fillAndBlur(page, 'name', '阿卜杜热合曼•买买提');
      const m = await expectField(page, 'name', { status: 'pass' });
      assert.ok(m.text.includes('阿卜杜热合曼·买买提'), `normalized display in message: ${JSON.stringify(m.text)}`);
    });
  });

  const cases = [
    ['王𠀀', 'pass', 'CJK Extension B character (astral plane)'],
    ['张三1', 'fail', 'digit in a name'],
    ['张', 'warn', 'single character'],
  ];
  for (const [value, status, why] of cases) {
    test(`${value} -> ${status} (${why})`, async () => {
      await withApp(async (page) => {
        await fillAndBlur(page, 'name', value);
        await expectField(page, 'name', { status });
      });
    });
  }
});

describe('phone', () => {
  test('+86 138 0013 8000 passes', async () => {
    await withApp(async (page) => {
      await fillAndBlur(page, 'phone', '+86 138 0013 8000');
      await expectField(page, 'phone', { status: 'pass' });
    });
  });

  test('1440123456789 (data-only number) fails with phone.data-only', async () => {
    await withApp(async (page) => {
      await fillAndBlur(page, 'phone', '1440123456789');
      await expectField(page, 'phone', { status: 'fail', code: 'phone.data-only' });
    });
  });
});

describe('passport', () => {
  test('switching to passport shows the passport fields', async () => {
    await withApp(async (page) => {
      await chooseDocType(page, 'passport');
      assert.equal(await input(page, 'passport-number').isVisible(), true);
      assert.equal(await page.locator('select[name="passport-country"]').inputValue(), 'CHN');
      assert.equal(await page.locator('input[name="passport-expiry"]').getAttribute('type'), 'date');
      assert.equal(await page.locator('textarea[name="mrz"]').isVisible(), true);
      assert.equal(await page.locator('[name="id-number"]:visible').count(), 0, 'id-number hidden with passport');
      assert.equal(await input(page, 'name').isVisible(), true);
      assert.equal(await input(page, 'phone').isVisible(), true);

      await chooseDocType(page, 'id-card');
      assert.equal(await input(page, 'id-number').isVisible(), true, 'id-number back after switching to id-card');
      assert.equal(await page.locator('[name="passport-number"]:visible').count(), 0);
    });
  });

  test('CHN G12345678 -> warn', async () => {
    await withApp(async (page) => {
      await chooseDocType(page, 'passport');
      await fillAndBlur(page, 'passport-number', 'G12345678');
      await expectField(page, 'passport-number', { status: 'warn' });
    });
  });

  test('CHN E1234567 -> fail after blur', async () => {
    await withApp(async (page) => {
      await chooseDocType(page, 'passport');
      await typeSlowly(page, 'passport-number', 'E1234567');
      await page.waitForTimeout(600);
      const before = await readField(page, 'passport-number');
      assert.notEqual(before?.status, 'pass', `before blur: ${JSON.stringify(before)}`);
      await blur(page, 'passport-number');
      await expectField(page, 'passport-number', { status: 'fail' });
    });
  });
});

describe('locale', () => {
  test('switching to English changes html[lang] and the message language, and back', async () => {
    await withApp(async (page) => {
      await fillAndBlur(page, 'id-number', '360426199101010070');
      const zh = await expectField(page, 'id-number', { status: 'fail', code: 'id-number.check-mismatch' });
      assert.match(zh.text, CJK, `zh-CN message has Chinese text: ${zh.text}`);
      const labelText = () =>
        page.evaluate(() => document.querySelector('[name="id-number"]')?.labels?.[0]?.textContent.trim() ?? null);
      const zhLabel = await labelText();

      await switchLocale(page, 'en');
      const en = await expectField(page, 'id-number', { status: 'fail', code: 'id-number.check-mismatch' });
      assert.match(en.text, /[A-Za-z]{3,}/, `en message has English words: ${en.text}`);
      assert.doesNotMatch(en.text, CJK, `en message has no Chinese text: ${en.text}`);
      assert.notEqual(en.text, zh.text);
      assert.equal(await input(page, 'id-number').inputValue(), '360426199101010070', 'value kept across locale switch');
      assert.notEqual(await labelText(), zhLabel, 'label text of id-number changes with the locale');

      await switchLocale(page, 'zh-CN');
      const back = await expectField(page, 'id-number', { status: 'fail', code: 'id-number.check-mismatch' });
      assert.equal(back.text, zh.text, 'zh-CN text restored');
    });
  });
});
