// Keyboard-only completion of the ID-card form with its four photos: Tab and
// typing for the fields, Space/Enter on each photo control (the OS file dialog
// is the only non-keyboard step: Playwright's filechooser), Enter on submit and
// on the confirm button if warnings are asked about.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closeSuite, expectField, fixture, openApp, openSuite, readSlot, waitVerdict } from './helpers.mjs';

let suite;
before(async () => {
  suite = await openSuite();
});
after(async () => {
  await closeSuite(suite);
});

/** Press Tab until the focused element matches `selector` (fails after `max` presses). */
async function tabTo(page, selector, max = 60) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const { match, desc } = await page.evaluate((sel) => {
      const a = document.activeElement;
      return {
        match: !!a && a.matches(sel),
        desc: a ? `${a.tagName.toLowerCase()}${a.id ? '#' + a.id : ''}${a.getAttribute('data-action') ? `[${a.getAttribute('data-action')}]` : ''}` : 'none',
      };
    }, selector);
    seen.push(desc);
    if (match) return seen;
  }
  assert.fail(`Tab never reached ${selector}; focus went through: ${seen.join(' → ')}`);
}

const PHOTOS = {
  'id-front': 'card-front-01__none.jpg',
  'id-back': 'card-back-02__none.jpg',
  face: 'presence/portrait-01.jpg',
  'selfie-with-document': 'presence/selfie-00.jpg',
};

test('the whole form and its photos can be completed with the keyboard alone', async () => {
  const app = await openApp(suite);
  const { page } = app;
  try {
    await page.evaluate(() => {
      window.__submits = [];
      document.addEventListener('precheck:submit', (e) => window.__submits.push(e.detail));
    });
    // One file-chooser listener for the whole test: Playwright intercepts the OS
    // dialog only while a listener exists, and (re)enabling that is asynchronous,
    // so a per-photo waitForEvent can race the key press.
    const choosers = [];
    let waiting = null;
    page.on('filechooser', (fc) => {
      if (waiting) {
        waiting(fc);
        waiting = null;
      } else choosers.push(fc);
    });
    const nextChooser = (timeout) =>
      choosers.length
        ? Promise.resolve(choosers.shift())
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no filechooser within ${timeout} ms`)), timeout);
            waiting = (fc) => {
              clearTimeout(timer);
              resolve(fc);
            };
          });

    // Start from the top of the document.
    await page.evaluate(() => document.activeElement?.blur());

    await tabTo(page, 'input[name="name"]');
    await page.keyboard.type('张三');
    await tabTo(page, 'input[name="id-number"]');
    await page.keyboard.type('11010519491231002X');
    await tabTo(page, 'input[name="phone"]');
    await page.keyboard.type('13800138000');
    for (const f of ['name', 'id-number', 'phone']) await expectField(page, f, { status: 'pass', timeout: 5_000 });

    let key = 'Space';
    for (const [slot, file] of Object.entries(PHOTOS)) {
      await tabTo(page, `input[type="file"][data-slot="${slot}"]`);
      // The visually hidden input's label shows where the focus is.
      const ring = await page.evaluate((s) => {
        const label = document.querySelector(`article[data-slot-card="${s}"] label[data-action="choose"]`);
        const cs = getComputedStyle(label);
        return { style: cs.outlineStyle, width: cs.outlineWidth, color: cs.outlineColor };
      }, slot);
      assert.notEqual(ring.style, 'none', `${slot}: focus indicator on the choose label: ${JSON.stringify(ring)}`);
      assert.ok(parseFloat(ring.width) >= 2, `${slot}: outline ≥ 2px: ${JSON.stringify(ring)}`);

      const pending = nextChooser(5_000);
      await page.keyboard.press(key);
      const chooser = await pending.catch(async (e) => {
        const active = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
        assert.fail(`${slot}: ${key} on the focused photo control opened no file chooser (focus: ${active}): ${e.message}`);
      });
      assert.equal(chooser.isMultiple(), false);
      await chooser.setFiles(fixture(file));
      const shown = await waitVerdict(page, slot, { upload: true });
      assert.equal(shown.status, 'pass', `${slot}: ${JSON.stringify(shown.checks)}`);
      assert.equal(
        await page.evaluate((s) => document.activeElement?.matches(`input[data-slot="${s}"]`), slot),
        true,
        `${slot}: focus stays on the photo control after choosing`,
      );
      key = key === 'Space' ? 'Enter' : 'Space';
    }

    await tabTo(page, 'button[data-action="submit"]');
    assert.equal(await page.locator('button[data-action="submit"]').isDisabled(), false);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'focus indicator on submit');
    await page.keyboard.press('Enter');
    // Warnings (if any) are confirmed with the keyboard too.
    const done = page.locator('p[data-submitted]');
    const confirm = page.locator('div[data-confirm]');
    await Promise.race([done.waitFor({ timeout: 5_000 }), confirm.waitFor({ timeout: 5_000 })]);
    if ((await done.count()) === 0) {
      await tabTo(page, 'button[data-action="confirm-submit"]', 10);
      await page.keyboard.press('Enter');
      await done.waitFor({ timeout: 5_000 });
    }
    await page.waitForFunction(() => window.__submits.length === 1, null, { timeout: 5_000 });
    const detail = await page.evaluate(() => {
      const d = window.__submits[0];
      return { fields: d.fields, photos: d.photos.map((p) => ({ slot: p.slot, type: p.file.type, status: p.status })) };
    });
    assert.equal(detail.fields.name, '张三');
    assert.equal(detail.fields['id-number'], '11010519491231002X');
    assert.deepEqual(detail.photos.map((p) => p.slot).sort(), Object.keys(PHOTOS).sort());
    assert.ok(detail.photos.every((p) => p.type === 'image/jpeg'), JSON.stringify(detail.photos));
    for (const slot of Object.keys(PHOTOS)) assert.equal((await readSlot(page, slot)).status, 'pass');
  } finally {
    await app.close();
  }
});

// Pressing Remove with the keyboard removes the button itself: the focus moves to the
// slot's file input instead of falling back to <body>.
test('Remove (keyboard) keeps the focus in the slot', async () => {
  const app = await openApp(suite);
  const { page } = app;
  try {
    await page.setInputFiles('input[type="file"][data-slot="id-front"]', fixture(PHOTOS['id-front']));
    await waitVerdict(page, 'id-front', { upload: true });
    await page.evaluate(() => document.activeElement?.blur());
    await tabTo(page, 'article[data-slot-card="id-front"] button[data-action="remove"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('article[data-slot-card="id-front"][data-status="empty"]', { timeout: 5_000 });
    const focus = await page.evaluate(() => {
      const a = document.activeElement;
      return { inSlot: !!a?.closest('article[data-slot-card="id-front"]'), what: a?.outerHTML.slice(0, 80) };
    });
    assert.ok(focus.inSlot, `focus after Remove: ${focus.what}`);
  } finally {
    await app.close();
  }
});
