// Real upload servers for the E2E tests, on the same 127.0.0.1 origin as the app, behind a
// failure-injecting front:
//   /upload/tus/…      the tus reference server (@tus/server with @tus/file-store)
//   /upload/multipart  a multipart receiver (busboy) that honours Idempotency-Key
// Faults are queued per test and each is used once, on the first request it matches:
//   { method, path, kind: 'drop', afterBytes }   the connection is dropped mid-body
//   { kind: 'status', status: 503 | 429 | 4xx, retryAfter }
//   { kind: 'stall' }                            no answer at all (the client must time out)
//   { kind: 'throttle', bytesPerSecond }         the body is read at that rate
// `bytesIn` counts every request body byte the front received (what the client sent).
import Busboy from 'busboy';
import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, stop } from './serve.mjs';

export async function startUploadServer(root, { headers = {} } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'id-precheck-tus-'));
  const state = {
    faults: [],
    bytesIn: 0,
    requests: [],
    multipart: [],
    duplicates: 0,
    tus: [],
    stalled: [],
  };
  const tus = new TusServer({
    path: '/upload/tus',
    datastore: new FileStore({ directory: dir }),
    async onUploadFinish(req, upload) {
      const file = path.join(dir, upload.id);
      state.tus.push({ id: upload.id, metadata: upload.metadata, size: upload.size, bytes: readFileSync(file) });
      return {};
    },
  });
  const byKey = new Map();

  function multipart(req, res) {
    const key = req.headers['idempotency-key'] ?? null;
    if (key && byKey.has(key)) {
      // A retried POST the server already took: the same answer, nothing stored twice.
      state.duplicates += 1;
      req.resume();
      req.on('end', () => {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(byKey.get(key));
      });
      return;
    }
    const fields = {};
    const files = [];
    let bb;
    try {
      bb = Busboy({ headers: req.headers });
    } catch {
      res.writeHead(400).end('not multipart');
      return;
    }
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('file', (name, stream, info) => {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => files.push({ name, filename: info.filename, mime: info.mimeType, bytes: Buffer.concat(chunks) }));
    });
    bb.on('close', () => {
      const id = `sub-${state.multipart.length + 1}`;
      state.multipart.push({ key, fields, files });
      const body = JSON.stringify({ id, received: files.length });
      if (key) byKey.set(key, body);
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    bb.on('error', () => res.headersSent || res.writeHead(400).end('bad multipart'));
    req.pipe(bb);
  }

  function route(req, res) {
    const url = new URL(req.url, 'http://localhost');
    if (!url.pathname.startsWith('/upload/')) return false;
    state.requests.push({ method: req.method, path: url.pathname, at: Date.now() });
    // Body bytes are counted on the socket: a 'data' listener on the request itself would
    // consume the body before the tus server reads it.
    const taps = [];
    const tap = (fn) => {
      req.socket.on('data', fn);
      taps.push(fn);
    };
    const untap = () => taps.forEach((fn) => req.socket?.off('data', fn));
    res.on('close', untap);
    res.on('finish', untap);
    tap((c) => (state.bytesIn += c.length));
    const i = state.faults.findIndex((f) => (!f.method || f.method === req.method) && (!f.path || url.pathname.startsWith(f.path)));
    const fault = i >= 0 ? state.faults.splice(i, 1)[0] : null;
    const handle = () => (url.pathname.startsWith('/upload/tus') ? tus.handle(req, res) : multipart(req, res));
    if (!fault) {
      handle();
      return true;
    }
    switch (fault.kind) {
      case 'drop': {
        let seen = 0;
        tap((c) => {
          seen += c.length;
          if (seen >= fault.afterBytes) req.socket.destroy();
        });
        handle();
        break;
      }
      case 'status':
        req.resume();
        req.on('end', () => {
          const h = { 'Content-Type': 'text/plain' };
          if (fault.retryAfter !== undefined) h['Retry-After'] = String(fault.retryAfter);
          res.writeHead(fault.status, h);
          res.end(`injected ${fault.status}`);
        });
        break;
      case 'stall':
        // Read the body, never answer; the test's stop() ends it.
        req.resume();
        state.stalled.push(res);
        break;
      case 'throttle': {
        let windowStart = Date.now();
        let inWindow = 0;
        const socket = req.socket;
        tap((c) => {
          inWindow += c.length;
          const due = (inWindow / fault.bytesPerSecond) * 1000 - (Date.now() - windowStart);
          if (due > 0) {
            socket.pause();
            setTimeout(() => {
              windowStart = Date.now();
              inWindow = 0;
              socket.resume();
            }, due);
          }
        });
        handle();
        break;
      }
      default:
        throw new Error(`unknown fault ${fault.kind}`);
    }
    return true;
  }

  const server = await start(root, { headers, route });
  return {
    url: server.url,
    log: server.log,
    state,
    reset() {
      state.faults.length = 0;
      state.bytesIn = 0;
      state.requests.length = 0;
      state.multipart.length = 0;
      state.tus.length = 0;
      state.duplicates = 0;
    },
    async close() {
      for (const res of state.stalled) res.socket?.destroy();
      await stop(server);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
