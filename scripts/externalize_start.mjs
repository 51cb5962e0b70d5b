// Trunk post-build hook: moves the inline start-up <script type="module"> that Trunk writes
// into index.html to its own file (start-<hash>.js, with a Subresource Integrity hash), so the
// page runs under a strict `script-src 'self'` Content-Security-Policy.
// Trunk sets TRUNK_STAGING_DIR and TRUNK_PUBLIC_URL for hooks.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('externalize_start: TRUNK_STAGING_DIR is not set (run by trunk as a hook)');
  process.exit(1);
}
const publicUrl = process.env.TRUNK_PUBLIC_URL ?? '/';
const indexPath = path.join(dir, 'index.html');
const html = readFileSync(indexPath, 'utf8');
const inline = /<script type="module">([\s\S]*?)<\/script>/;
const match = html.match(inline);
if (!match) {
  console.error('externalize_start: no inline module script in index.html');
  process.exit(1);
}
const code = `${match[1].trim()}\n`;
const name = `start-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
writeFileSync(path.join(dir, name), code);
const sri = `sha384-${createHash('sha384').update(code).digest('base64')}`;
const tag = `<script type="module" src="${publicUrl}${name}" integrity="${sri}" crossorigin="anonymous"></script>`;
writeFileSync(indexPath, html.replace(inline, tag));
