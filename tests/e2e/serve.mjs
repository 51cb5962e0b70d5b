// A tiny dependency-free static file server for the E2E tests.
//
//   import { start, stop } from './serve.mjs';
//   const server = await start('dist');        // 127.0.0.1, free port
//   server.url  // 'http://127.0.0.1:40123/'
//   await stop(server);
//
// Also usable by hand: `node tests/e2e/serve.mjs [dir] [port]`.
//
// Serves files with correct MIME types (application/wasm for .wasm, so that
// WebAssembly.instantiateStreaming works), answers HEAD, refuses paths that
// escape the root, and falls back to index.html for unknown paths that look
// like SPA routes (no file extension). Missing assets (with an extension) are
// a real 404, so a broken asset reference is not hidden behind index.html.

import { createServer } from 'node:http';
import { createReadStream, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
};

/** Types a host would compress. */
const COMPRESSIBLE = /^(text\/|application\/(javascript|json|wasm|manifest\+json)|image\/svg)/;

export function mimeType(file) {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

async function fileAt(p) {
  try {
    const s = await stat(p);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

/**
 * Start serving `root` on `host` (default 127.0.0.1) and `port` (default 0:
 * a free port chosen by the OS). Resolves to { url, port, host, root, server,
 * log } where `log` collects { method, path, status } of every request.
 * `headers` are added to every response (e.g. a Content-Security-Policy).
 * `route(req, res)`, when given, sees every request first and returns true for those it
 * answers itself (the upload test servers). `gzip: true` sends text, scripts and wasm
 * gzip-compressed (level 9) to clients that accept it, as any production host would.
 */
export async function start(root = 'dist', { host = '127.0.0.1', port = 0, spaFallback = true, headers: extra = {}, route = null, gzip = false } = {}) {
  const absRoot = path.resolve(root);
  const index = path.join(absRoot, 'index.html');
  const log = [];
  const gzipped = new Map();

  const server = createServer(async (req, res) => {
    const send = (status, file, s) => {
      log.push({ method: req.method, path: req.url, status });
      const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra };
      if (!file) {
        res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(req.method === 'HEAD' ? undefined : `${status}\n`);
        return;
      }
      const type = mimeType(file);
      if (gzip && COMPRESSIBLE.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        const key = `${file}:${s.mtimeMs}`;
        if (!gzipped.has(key)) gzipped.set(key, gzipSync(readFileSync(file), { level: 9 }));
        const body = gzipped.get(key);
        res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding', 'Content-Length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': s.size });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    };

    if (route && route(req, res)) {
      log.push({ method: req.method, path: req.url, status: 'routed' });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405);
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      send(400);
      return;
    }
    if (pathname.includes('\0')) {
      send(400);
      return;
    }
    let file = path.join(absRoot, path.normalize(pathname));
    if (file !== absRoot && !file.startsWith(absRoot + path.sep)) {
      send(403);
      return;
    }
    if (pathname.endsWith('/')) file = path.join(file, 'index.html');

    let s = await fileAt(file);
    if (s) {
      send(200, file, s);
      return;
    }
    // SPA fallback: a route such as /check or /en/form gets index.html.
    if (spaFallback && path.extname(pathname) === '') {
      s = await fileAt(index);
      if (s) {
        send(200, index, s);
        return;
      }
    }
    send(404);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  return { url: `http://${host}:${actualPort}/`, host, port: actualPort, root: absRoot, server, log };
}

/** Stop a server returned by start(); resolves once it is closed. */
export async function stop(handle) {
  if (!handle?.server?.listening) return;
  handle.server.closeAllConnections?.();
  await new Promise((resolve) => handle.server.close(() => resolve()));
}

// `node tests/e2e/serve.mjs [dir] [port]`
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const dir = process.argv[2] ?? 'dist';
  const port = Number(process.argv[3] ?? 8080);
  const handle = await start(dir, { port });
  console.log(`serving ${handle.root} on ${handle.url} (Ctrl-C to stop)`);
  const shutdown = async () => {
    await stop(handle);
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
