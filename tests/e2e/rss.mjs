// Resident memory of the Chromium that a test file launched, read from /proc (Linux only).
//
//   import { chromiumProcesses, sampleRss } from './rss.mjs';
//   const s = sampleRss();            // every ~10 ms, in this process's event loop
//   ...do something in the page...
//   const r = s.stop();               // { samples, peak: { totalMb, byType, … }, median, … }
//
// The browser is the chromium child of this node process (openSuite launches one per test
// file); its processes are that one and every descendant (zygotes, renderers, the GPU process,
// utility services). VmRSS counts shared pages in each process that maps them, so the sum is an
// upper bound of what the browser holds; peak − baseline is the growth.

import { readdirSync, readFileSync } from 'node:fs';

const MB = 1024 * 1024;

/** { pid: ppid } of every process (a snapshot of /proc). */
function parents() {
  const out = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.set(Number(d), ppid);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** A process's arguments. Chromium's children retitle themselves (setproctitle): their whole
 *  command line is then one space-separated string, so split on spaces too (good enough to
 *  find the --type= flags). */
function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).filter(Boolean);
  } catch {
    return [];
  }
}

/** "browser", "renderer", "gpu-process", "zygote", "utility:NetworkService", … from a command line. */
export function processType(args) {
  const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
  if (!type) return 'browser';
  if (type === 'utility') {
    const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.split('.').pop();
    return sub ? `utility:${sub}` : 'utility';
  }
  return type;
}

/**
 * The processes of the Chromium launched by this node process: [{ pid, type }], the browser
 * first. `rootPid` overrides the browser's pid.
 */
export function chromiumProcesses(rootPid) {
  const pp = parents();
  let roots = rootPid ? [rootPid] : [];
  if (!rootPid) {
    for (const [pid, ppid] of pp) {
      if (ppid !== process.pid) continue;
      const args = cmdline(pid);
      if (/chrom/.test(args[0] ?? '') && processType(args) === 'browser') roots.push(pid);
    }
  }
  const children = new Map();
  for (const [pid, ppid] of pp) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const out = [];
  const stack = [...roots];
  while (stack.length) {
    const pid = stack.shift();
    out.push({ pid, type: processType(cmdline(pid)) });
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** { rss, anon, shmem } of a process in bytes (null once it is gone). */
export function memoryOf(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (key) => {
    const m = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), shmem: kb('RssShmem') };
}

/** Renderer, GPU, utility… with one bucket per kind (zygotes and the browser as they are). */
const bucket = (type) => (type.startsWith('utility') ? 'utility' : type === 'gpu-process' ? 'gpu' : type);

/** One reading: { t, total, anon, shmem, byType: { type: bytes }, byPid: { pid: bytes } }. */
function reading(procs) {
  const r = { t: performance.now(), total: 0, anon: 0, shmem: 0, byType: {}, byPid: {} };
  for (const { pid, type } of procs) {
    const m = memoryOf(pid);
    if (!m) continue;
    const b = bucket(type);
    r.total += m.rss;
    r.anon += m.anon;
    r.shmem += m.shmem;
    r.byType[b] = (r.byType[b] ?? 0) + m.rss;
    r.byPid[pid] = m.rss;
  }
  return r;
}

const toMb = (bytes) => +(bytes / MB).toFixed(1);
const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Sample the summed VmRSS every `intervalMs` (the process list is refreshed every
 * `refreshMs`, so a process started meanwhile is counted) until stop(), which returns
 * { samples, ms, peak, median, processes } where peak/median are { totalMb, anonMb, shmemMb,
 * byType: { type: MB } } (each entry the largest, or median, value of that sum over the samples).
 */
export function sampleRss({ intervalMs = 10, refreshMs = 100, rootPid } = {}) {
  let procs = chromiumProcesses(rootPid);
  if (procs.length === 0) throw new Error('no Chromium process of this node process found in /proc');
  const seen = new Map(procs.map((p) => [p.pid, p.type]));
  let lastRefresh = performance.now();
  const readings = [];
  const tick = () => {
    if (performance.now() - lastRefresh >= refreshMs) {
      procs = chromiumProcesses(rootPid);
      for (const p of procs) seen.set(p.pid, p.type);
      lastRefresh = performance.now();
    }
    readings.push(reading(procs));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      const types = [...new Set(readings.flatMap((r) => Object.keys(r.byType)))].sort();
      const summary = (f) => ({
        totalMb: toMb(f(readings.map((r) => r.total))),
        anonMb: toMb(f(readings.map((r) => r.anon))),
        shmemMb: toMb(f(readings.map((r) => r.shmem))),
        byType: Object.fromEntries(types.map((k) => [k, toMb(f(readings.map((r) => r.byType[k] ?? 0)))])),
      });
      const pids = [...seen.keys()];
      return {
        samples: readings.length,
        ms: +(readings.at(-1).t - readings[0].t).toFixed(0),
        peak: summary((xs) => Math.max(...xs)),
        median: summary(median),
        processes: pids.map((pid) => {
          const xs = readings.map((r) => r.byPid[pid]).filter((x) => x !== undefined);
          return {
            pid,
            type: seen.get(pid),
            firstMb: xs.length ? toMb(xs[0]) : null,
            peakMb: xs.length ? toMb(Math.max(...xs)) : null,
          };
        }),
      };
    },
  };
}

/** peak − baseline of two summaries (MB), per type and in total. */
export function growth(baseline, peak) {
  const d = (a, b) => +(a - b).toFixed(1);
  const types = [...new Set([...Object.keys(baseline.byType), ...Object.keys(peak.byType)])].sort();
  return {
    totalMb: d(peak.totalMb, baseline.totalMb),
    anonMb: d(peak.anonMb, baseline.anonMb),
    shmemMb: d(peak.shmemMb, baseline.shmemMb),
    byType: Object.fromEntries(types.map((k) => [k, d(peak.byType[k] ?? 0, baseline.byType[k] ?? 0)])),
  };
}
