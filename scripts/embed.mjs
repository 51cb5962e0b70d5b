// Trunk post-build hook: writes the embed module into <dist>/embed/ with stable, unhashed
// names (see README, "Embedding"): id-precheck.js (from embed/), its wasm-bindgen glue
// id-precheck-core.js and id-precheck_bg.wasm (the app's, so the site and the module run the
// same build), the photo worker, id-precheck.css (static/app.css scoped to `.id-precheck`),
// the .d.ts and package.json. Also copies the example host page static/examples/ to
// <dist>/examples/.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scopeCss } from './scope_css.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('embed: TRUNK_STAGING_DIR is not set (run by trunk as a hook)');
  process.exit(1);
}
const files = readdirSync(dir);
const one = (re, what) => {
  const found = files.filter((f) => re.test(f));
  if (found.length !== 1) {
    console.error(`embed: expected one ${what} in ${dir}, found ${found.join(', ') || 'none'}`);
    process.exit(1);
  }
  return found[0];
};
const glue = one(/^app-[0-9a-f]+\.js$/, 'app glue (app-<hash>.js)');
const wasm = one(/^app-[0-9a-f]+_bg\.wasm$/, 'app wasm');
const out = path.join(dir, 'embed');
mkdirSync(out, { recursive: true });
copyFileSync(path.join(dir, glue), path.join(out, 'id-precheck-core.js'));
copyFileSync(path.join(dir, wasm), path.join(out, 'id-precheck_bg.wasm'));
// The glue imports its JS snippets (the crash restart) from ./snippets/.
if (existsSync(path.join(dir, 'snippets'))) {
  cpSync(path.join(dir, 'snippets'), path.join(out, 'snippets'), { recursive: true });
}
for (const f of ['worker_loader.js', 'worker.js', 'worker_bg.wasm']) {
  copyFileSync(path.join(dir, f), path.join(out, f));
}
for (const f of ['id-precheck.js', 'id-precheck.d.ts', 'package.json']) {
  copyFileSync(path.join(root, 'embed', f), path.join(out, f));
}
writeFileSync(path.join(out, 'id-precheck.css'), scopeCss(readFileSync(path.join(root, 'static', 'app.css'), 'utf8'), '.id-precheck'));
const examples = path.join(root, 'static', 'examples');
if (existsSync(examples)) {
  cpSync(examples, path.join(dir, 'examples'), { recursive: true });
  copyFileSync(path.join(root, 'static', 'favicon.svg'), path.join(dir, 'examples', 'favicon.svg'));
}
