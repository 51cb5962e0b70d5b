// The JS API host pages call (window.wasmBindings, exposed by Trunk once the app loaded).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closeSuite, openApp, openSuite } from './helpers.mjs';

let suite;
before(async () => {
  suite = await openSuite();
});
after(async () => {
  await closeSuite(suite);
});

test('validateField and messageCatalogue on window.wasmBindings', async () => {
  const app = await openApp(suite);
  try {
    const out = await app.page.evaluate(() => {
      const api = window.wasmBindings;
      const thrown = (f) => {
        try {
          f();
          return null;
        } catch (e) {
          return String(e.message ?? e);
        }
      };
      return {
        id: api.validateField('id-number', '360426199101010070', { locale: 'en' }),
        idZh: api.validateField('id-number', '３６０４２６１９９１０１０１００７１'),
        passport: api.validateField('passport-number', 'A1234567', { country: 'USA' }),
        mrz: api.validateField(
          'mrz',
          'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',
          { passportNumber: 'L898902C3', name: 'Anna Maria Eriksson', country: 'UTO', locale: 'en' },
        ),
        badKind: thrown(() => api.validateField('shoe-size', '42')),
        badLocale: thrown(() => api.validateField('name', '张三', { locale: 'fr' })),
        catalogue: api.messageCatalogue('en'),
      };
    });
    assert.equal(out.id.status, 'fail');
    assert.equal(out.id.issues[0].code, 'id-number.check-mismatch');
    assert.match(out.id.issues[0].message, /mistyped/);
    assert.equal(out.idZh.status, 'pass');
    assert.equal(out.idZh.normalized, '360426199101010071');
    assert.match(out.idZh.issues[0].message, /出生日期 1991-01-01/);
    assert.equal(out.passport.status, 'pass');
    // The specimen expired in 2012: every check digit is right, the expiry is not.
    assert.deepEqual(out.mrz.issues.map((i) => i.code), ['mrz.expired']);
    assert.match(out.badKind, /unknown field kind/);
    assert.match(out.badLocale, /unsupported locale/);
    assert.match(out.catalogue['phone.data-only'], /cannot receive SMS/);
  } finally {
    await app.close();
  }
});
