// id-precheck embed module: the identity form's pre-check for any checkout page.
//
//   import init, { mount, validateField, checkPhoto } from './id-precheck/id-precheck.js';
//   await init();
//   const form = mount(document.querySelector('#kyc'), { locale: 'en' });
//   document.querySelector('#kyc').addEventListener('precheck:submit', (e) => upload(e.detail));
//
// The wasm (`id-precheck_bg.wasm`), the photo worker (`worker_loader.js`, `worker.js`,
// `worker_bg.wasm`) and the stylesheet (`id-precheck.css`) are found beside this file, or
// under `baseUrl`. Nothing is fetched from anywhere else and nothing is stored. Every error
// thrown is an `Error` with a stable `code` (see id-precheck.d.ts).
import initCore, * as firstCore from './id-precheck-core.js';

/** The wasm instance's exports: a fresh instance's after a crash restarted the forms. */
let core = firstCore;

const INIT_KEYS = new Set(['baseUrl']);
let started = null;
let base = null;
/** The wasm is instantiated (init() resolved). */
let loaded = false;

function coded(code, message) {
  const error = new Error(message);
  error.code = code;
  return error;
}

function assetBase(baseUrl) {
  if (baseUrl === undefined) return new URL('./', import.meta.url);
  if (typeof baseUrl !== 'string' || baseUrl.trim() === '') {
    throw coded('options-invalid', 'baseUrl: expected a non-empty string');
  }
  const url = new URL(baseUrl, document.baseURI);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function plainObject(value, what) {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw coded(what === 'config' ? 'config-invalid' : 'options-invalid', `${what}: expected an object`);
  }
  return value;
}

/**
 * Loads the module's wasm (once; later calls return the same promise). Options: `baseUrl`,
 * where the module's files are served (default: this file's folder).
 */
export default function init(options) {
  if (started) return started;
  let opts;
  try {
    opts = plainObject(options, 'options');
    for (const key of Object.keys(opts)) {
      if (!INIT_KEYS.has(key)) throw coded('options-invalid', `init: unknown option \`${key}\``);
    }
    base = assetBase(opts.baseUrl);
  } catch (e) {
    return Promise.reject(e);
  }
  started = initCore({ module_or_path: new URL('id-precheck_bg.wasm', base) })
    .then(() => {
      loaded = true;
    })
    .catch((e) => {
      started = null;
      throw coded('load-failed', `id-precheck could not load its wasm: ${e?.message ?? e}`);
    });
  return started;
}

function ready() {
  if (!loaded) throw coded('not-initialised', 'call (and await) init() first');
}

function workerUrl(from) {
  return new URL('worker_loader.js', from ?? base).href;
}

/** Checks one field value (synchronous once `init()` resolved). */
export function validateField(kind, value, options) {
  ready();
  if (typeof value !== 'string') throw coded('input-invalid', 'validateField: value must be a string');
  return core.validateField(kind, value, plainObject(options, 'options'));
}

/** Every issue code with its message template in `locale`. */
export function messageCatalogue(locale) {
  ready();
  return core.messageCatalogue(locale ?? 'zh-CN');
}

/** A Blob the worker can decode, from any accepted input. */
async function asBlob(input) {
  if (input instanceof Blob) return input;
  let width;
  let height;
  let draw;
  if (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap) {
    ({ width, height } = input);
    draw = (ctx) => ctx.drawImage(input, 0, 0);
  } else if (typeof ImageData !== 'undefined' && input instanceof ImageData) {
    ({ width, height } = input);
    draw = (ctx) => ctx.putImageData(input, 0, 0);
  } else {
    throw coded('input-invalid', 'checkPhoto: input must be a Blob, File, ImageBitmap or ImageData');
  }
  if (!width || !height) throw coded('input-invalid', 'checkPhoto: the image is empty');
  const canvas = new OffscreenCanvas(width, height);
  draw(canvas.getContext('2d'));
  // Lossless, so the worker sees exactly these pixels.
  return canvas.convertToBlob({ type: 'image/png' });
}

/**
 * Checks a photo for `slot` in the worker, as the form does. Resolves with the report
 * (`{slot, width, height, status, checks: [...], metrics, ...}`, as `precheck photo` prints).
 */
export async function checkPhoto(input, slot, options) {
  ready();
  const opts = plainObject(options, 'options');
  const blob = await asBlob(input);
  return core.checkPhoto(blob, slot, opts, workerUrl());
}

const STYLE_ATTR = 'data-id-precheck-style';

function ensureStylesheet(from) {
  const href = new URL('id-precheck.css', from).href;
  const present = [...document.querySelectorAll(`link[${STYLE_ATTR}]`)].some((l) => l.href === href);
  if (present) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  link.setAttribute(STYLE_ATTR, '');
  document.head.append(link);
}

/**
 * Mounts the whole form and capture flow in `element`. Returns
 * `{ destroy(), getState(), submit(), reset() }`; events are dispatched on `element`.
 */
export function mount(element, config) {
  ready();
  if (!(element instanceof Element)) throw coded('element-invalid', 'mount needs an Element to render into');
  const cfg = plainObject(config, 'config');
  let json;
  try {
    json = JSON.stringify(cfg);
  } catch (e) {
    throw coded('config-invalid', `config: ${e.message}`);
  }
  const from = cfg.baseUrl === undefined ? base : assetBase(cfg.baseUrl);
  // After a crash the form is restarted, with the shopper's inputs, in a fresh instance
  // (`precheck:restarted` on the element); this handle then works on that form.
  const onRestart = (restarted, fresh) => {
    if (restarted) form = restarted;
    if (fresh) core = fresh;
  };
  let form = core.mount(element, json, workerUrl(from), onRestart);
  ensureStylesheet(from);
  let destroyed = false;
  return Object.freeze({
    destroy() {
      if (destroyed) return;
      destroyed = true;
      form.destroy();
      form.free();
    },
    getState() {
      if (destroyed) throw coded('destroyed', 'this form was destroyed');
      return form.getState();
    },
    submit() {
      if (destroyed) throw coded('destroyed', 'this form was destroyed');
      return form.submit();
    },
    reset() {
      if (destroyed) throw coded('destroyed', 'this form was destroyed');
      form.reset();
    },
  });
}
