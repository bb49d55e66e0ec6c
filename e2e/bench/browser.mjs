#!/usr/bin/env node
// ScaleLab in-browser benchmark, run by `cargo xtask bench`.
//
//   node e2e/bench/browser.mjs [--dist DIR] [--seconds S] [--loads N] [--memory-at-sim-s M]
//                              [--soak-sim-s S]
//
// With --soak-sim-s it runs the soak instead (cargo xtask soak): stage 13 at
// the fastest speed until S simulated seconds, sampling every 300 simulated s
// the page's JS heap, its wasm memory, the worker's wasm memory
// (<body data-worker-memory-bytes>) and the number of DOM elements.
//
// Serves DIR (default <repo>/dist, the release build of `cargo xtask dist`) on
// 127.0.0.1 under /scalelab/ (the same static server as e2e/run.mjs, copied:
// importing run.mjs would run the tests), drives Debian's Chromium headless
// through playwright-core, and prints one JSON object:
//
//   first_render_ms      navigation start → #app-root holds the app (its boot
//                        placeholder replaced), median of N fresh loads
//   raf_p95_ms, raf_late_share, raf_frames
//                        requestAnimationFrame intervals while stage 13 runs at
//                        the fastest speed for S wall seconds (a rAF loop in
//                        page.evaluate, next to the app's own)
//   sim_s_start, sim_s_end, wall_s, sim_per_wall
//                        #readout[data-sim-time-s] before and after
//   memory               once the same run reaches M simulated s (default 600,
//                        10 simulated minutes): sim_s, js_heap_bytes
//                        (performance.memory.usedJSHeapSize), page_wasm_bytes
//                        (the page's wasm memory; trunk's TrunkApplicationStarted
//                        event carries the exports), worker_wasm_bytes (the
//                        worker's, <body data-worker-memory-bytes>), dom_elements
//   engine_mm4, engine_stage13
//                        the engine alone in the page's web worker (wasm,
//                        release): {events, sim_s, wall_ms} for the M/M/4 model
//                        (λ = 320/s, μ = 100/s, c = 4, 625 s = 200 000
//                        customers, as `scalelab bench`; the median-rate run
//                        of five, all five in engine_mm4_all) and 10 s of
//                        stage 13, through the app's `scalelab-bench` event hook

import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { waitSimTime } from '../tests/lib/learner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const MOUNT = '/scalelab/';
const STAGE13 = '13-millions-of-users.json';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-precise-memory-info',
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function parseArgs(argv) {
  const opts = { dist: path.join(repoRoot, 'dist'), seconds: 20, loads: 3, memoryAtSimS: 600, soakSimS: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dist') opts.dist = path.resolve(argv[++i] ?? '');
    else if (a === '--seconds') opts.seconds = Number(argv[++i]);
    else if (a === '--memory-at-sim-s') opts.memoryAtSimS = Number(argv[++i]);
    else if (a === '--loads') opts.loads = Math.max(1, Number(argv[++i]));
    else if (a === '--soak-sim-s') opts.soakSimS = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

/** Serves `root` read-only at http://127.0.0.1:<free port>/scalelab/ (as e2e/run.mjs). */
async function startServer(root) {
  const server = http.createServer(async (req, res) => {
    const send = (code, msg) => {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(msg);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!url.pathname.startsWith(MOUNT)) return send(404, 'not found');
      let rel = decodeURIComponent(url.pathname.slice(MOUNT.length));
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(root, rel);
      if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden');
      const info = await stat(file).catch(() => null);
      if (!info || !info.isFile()) return send(404, 'not found');
      res.writeHead(200, {
        'content-type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-store',
      });
      createReadStream(file).pipe(res);
    } catch (e) {
      send(500, String(e));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, baseUrl: `http://127.0.0.1:${server.address().port}${MOUNT}` };
}

/**
 * Runs in the page before its scripts: records performance.now() (ms since
 * navigation start) when #app-root first holds more than the boot
 * placeholder, and keeps the wasm exports trunk announces.
 */
function initScript() {
  window.__bench = { firstRenderMs: null, wasm: null };
  addEventListener('TrunkApplicationStarted', (e) => {
    window.__bench.wasm = e.detail?.wasm ?? null;
  });
  const rendered = () => {
    const root = document.getElementById('app-root');
    return !!root && [...root.children].some((c) => !c.classList.contains('boot') && c.tagName !== 'NOSCRIPT');
  };
  const obs = new MutationObserver(() => {
    if (window.__bench.firstRenderMs === null && rendered()) {
      window.__bench.firstRenderMs = performance.now();
      obs.disconnect();
    }
  });
  obs.observe(document, { childList: true, subtree: true });
}

async function openApp(page, baseUrl, errors) {
  await page.goto(baseUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__bench?.firstRenderMs !== null, null, { timeout: 30_000 }).catch((e) => {
    throw new Error(`the app did not render within 30 s: ${errors.join('; ') || e.message}`);
  });
  return page.evaluate(() => window.__bench.firstRenderMs);
}

/** Collects rAF intervals and the simulated clock for `ms` wall milliseconds. */
function measureFrames(ms) {
  const sim = () => Number(document.querySelector('#readout')?.dataset.simTimeS);
  return new Promise((resolve) => {
    const intervals = [];
    let last = null;
    let t0 = null;
    let sim0 = null;
    const tick = (ts) => {
      if (last === null) {
        t0 = performance.now();
        sim0 = sim();
      } else intervals.push(ts - last);
      last = ts;
      if (performance.now() - t0 < ms) requestAnimationFrame(tick);
      else resolve({ intervals, wallMs: performance.now() - t0, sim0, sim1: sim() });
    };
    requestAnimationFrame(tick);
  });
}

/** The M/M/4 model of `scalelab bench` (crates/cli/src/bench.rs): 200 000 customers. */
const MM4 = {
  version: 1,
  name: 'bench M/M/4',
  seed: 1,
  duration_s: 625,
  network: { same_dc_ms: 0, user_to_region_ms: 0, cross_region_ms: 0 },
  components: [
    { id: 'users', spec: { kind: 'users', users: 320, requests_per_user_per_s: 1,
      mix: { static: 0, read: 1, write: 0, async: 0 }, client_timeout_ms: 0 } },
    { id: 'web', spec: { kind: 'web_tier', instances: 1, size: 'large',
      service: { dist: 'exponential', mean_ms: 11 }, queue_capacity: 1000000 } },
  ],
  edges: [{ from: 'users', to: 'web' }],
};

/** Runs the engine alone in the app's worker (the `scalelab-bench` hook, src/sim_link.rs). */
function engineBench(request) {
  return new Promise((resolve) => {
    addEventListener('scalelab-bench-result', (e) => resolve(JSON.parse(e.detail)), { once: true });
    dispatchEvent(new CustomEvent('scalelab-bench', { detail: JSON.stringify(request) }));
  });
}

/** Memory and DOM figures of the page now. */
function pageFigures() {
  return {
    sim_s: Number(document.querySelector('#readout')?.dataset.simTimeS),
    js_heap_bytes: performance.memory?.usedJSHeapSize ?? null,
    page_wasm_bytes: window.__bench.wasm?.memory?.buffer?.byteLength ?? null,
    worker_wasm_bytes: Number(document.body.dataset.workerMemoryBytes ?? NaN),
    dom_elements: document.getElementsByTagName('*').length,
  };
}

/** Stage 13 at the fastest speed until `simS`, a sample every 300 simulated s. */
async function soak(page, simS) {
  await page.selectOption('#scenario-menu', STAGE13);
  await page.waitForSelector('#design-status[data-valid="true"]');
  await page.selectOption('#speed', '0');
  await page.click('#play');
  const started = Date.now();
  const samples = [];
  for (let next = 300; next <= simS; next += 300) {
    await waitSimTime(page, next, 0); // no timeout: an hour's run
    // Let the garbage collector settle the heap figure a little.
    await page.waitForTimeout(200);
    const f = await page.evaluate(pageFigures);
    samples.push({ ...f, wall_s: (Date.now() - started) / 1000 });
    console.error(`soak: ${JSON.stringify(samples[samples.length - 1])}`);
  }
  await page.click('#pause').catch(() => {});
  return samples;
}

function percentile(xs, p) {
  const v = [...xs].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)];
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!(await stat(path.join(opts.dist, 'index.html')).catch(() => null))) {
    throw new Error(`${opts.dist}/index.html not found; build it first (cargo xtask dist)`);
  }
  const { chromium } = await import('playwright-core');
  const { server, baseUrl } = await startServer(opts.dist);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const out = {};
  try {
    // First render: N fresh contexts (cold cache, no saved design).
    const loads = [];
    let page;
    const errors = [];
    for (let i = 0; i < opts.loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(initScript);
      page = await context.newPage();
      errors.length = 0;
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      loads.push(await openApp(page, baseUrl, errors));
      if (i + 1 < opts.loads) await context.close();
    }
    out.first_render_ms_all = loads;
    out.first_render_ms = percentile(loads, 50);

    if (opts.soakSimS > 0) {
      out.soak = await soak(page, opts.soakSimS);
      out.page_errors = errors;
      console.log(JSON.stringify(out));
      return;
    }
    // Stage 13 at the fastest speed, measured for S wall seconds.
    await page.waitForSelector('#scenario-menu');
    await page.selectOption('#scenario-menu', STAGE13);
    await page.waitForSelector('#design-status[data-valid="true"]');
    const fastest = await page.$$eval('#speed option', (os) => {
      const v = os.map((o) => Number(o.value));
      return String(v.includes(0) ? 0 : Math.max(...v));
    });
    await page.selectOption('#speed', fastest);
    out.speed = fastest === '0' ? 'max' : `${fastest}x`;
    await page.click('#play');
    await page.waitForTimeout(1000); // let the first frames and charts settle
    // The page's main-thread work (Chromium's TaskDuration) over the same span.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskS = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
    const task0 = await taskS();
    const f = await page.evaluate(measureFrames, opts.seconds * 1000);
    out.main_thread_busy_share = ((await taskS()) - task0) / (f.wallMs / 1000);
    const late = f.intervals.filter((x) => x > 25).length;
    out.raf_frames = f.intervals.length;
    out.raf_p50_ms = percentile(f.intervals, 50);
    out.raf_p95_ms = percentile(f.intervals, 95);
    out.raf_max_ms = Math.max(...f.intervals);
    out.raf_late_share = f.intervals.length ? late / f.intervals.length : NaN;
    out.wall_s = f.wallMs / 1000;
    out.sim_s_start = f.sim0;
    out.sim_s_end = f.sim1;
    out.sim_per_wall = (f.sim1 - f.sim0) / (f.wallMs / 1000);
    // Memory after 10 simulated minutes: the run goes on at the same speed
    // (a page slower than real time fails the wait rather than hang).
    await waitSimTime(page, opts.memoryAtSimS, Math.max(60_000, opts.memoryAtSimS * 1000));
    await page.click('#pause').catch(() => {});
    await page.waitForTimeout(200); // let the worker's last memory report land
    out.memory = await page.evaluate(pageFigures);
    // The engine alone, in the worker (wasm), while the page is paused.
    // A run of M/M/4 takes about 60 ms of wall time, short enough for one
    // pause (a JIT tier-up, another process) to halve its figure: the run
    // with the median rate of five is reported, the five in `engine_mm4_all`.
    const mm4Runs = [];
    for (let i = 0; i < 5; i++) {
      mm4Runs.push(await page.evaluate(engineBench, { scenario: JSON.stringify(MM4), duration_s: 625 }));
    }
    const mm4Rate = (r) => (r.error ? -1 : r.events / r.wall_ms);
    out.engine_mm4_all = mm4Runs;
    out.engine_mm4 = [...mm4Runs].sort((a, b) => mm4Rate(a) - mm4Rate(b))[2];
    const stage13 = await readFile(path.join(repoRoot, 'scenarios', STAGE13), 'utf8');
    out.engine_stage13 = await page.evaluate(engineBench, { scenario: stage13, duration_s: 10 });
    out.page_errors = errors;
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }
  console.log(JSON.stringify(out));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench browser: ${e?.stack ?? e}`);
    process.exit(1);
  },
);
