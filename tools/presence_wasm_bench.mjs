// Times the presence checks in WebAssembly under Node (see examples/presence_wasm.rs).
// Usage: node tools/presence_wasm_bench.mjs PKG_DIR IMAGE.rgba WIDTH HEIGHT
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [pkg, file, w, h] = process.argv.slice(2);
const require = createRequire(import.meta.url);
// wasm-bindgen's nodejs target is CommonJS; the project's package.json says "module".
fs.writeFileSync(path.join(pkg, 'package.json'), '{"type": "commonjs"}\n');
const m = require(path.resolve(pkg, 'presence_wasm.js'));
const rgba = new Uint8Array(fs.readFileSync(file));
const width = Number(w);
const height = Number(h);
const median = (f) => {
  const t = [];
  let out;
  for (let i = 0; i < 7; i++) {
    const s = performance.now();
    out = f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { ms: Number(t[3].toFixed(1)), out };
};
const first = performance.now();
m.faces_only(rgba, width, height); // builds the detector (parses the model) once
const firstFace = performance.now() - first;
const r = {
  image: `${path.basename(file)} ${width}x${height}`,
  workOnlyMs: median(() => m.work_only(rgba, width, height)).ms,
  framing: median(() => m.framing_only(rgba, width, height)),
  faces: median(() => m.faces_only(rgba, width, height)),
  firstFaceCallMs: Number(firstFace.toFixed(1)),
  analyzeSelfie: median(() => m.analyze_selfie(rgba, width, height)),
};
console.log(JSON.stringify(r));
