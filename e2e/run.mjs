#!/usr/bin/env node
// ScaleLab end-to-end test runner.
//
//   node e2e/run.mjs [--dist DIR] [FILTER...]
//
// 1. Serves the built app (default: <repo>/dist, as made by `cargo xtask dist`)
//    on 127.0.0.1 at a free port, under the sub-path /scalelab/ so that every
//    asset URL must be relative (the app is embedded in course pages and iframes).
// 2. Launches Debian's Chromium (/usr/bin/chromium, override with $CHROMIUM)
//    headless through playwright-core. No browser is ever downloaded.
// 3. Runs every e2e/tests/*.mjs in name order (only those whose file name
//    contains one of the FILTER words, if any are given).
//
// A test file default-exports one async function that receives a context:
//
//   export default async function ({ page, baseUrl, open, screenshot, errors, assert }) {
//     await open();                     // goto baseUrl, wait for #app-root
//     await screenshot('smoke');        // e2e/artifacts/smoke.png
//     assert.deepEqual(errors, []);     // page errors + console errors so far
//   }
//
// Context fields:
//   browser      the playwright Browser
//   context      a fresh BrowserContext for this test (own storage, 1280x800)
//   page         a fresh Page in that context
//   baseUrl      URL of the app, ends with '/', e.g. http://127.0.0.1:PORT/scalelab/
//   open(q, sel) goto baseUrl + q (q = '' | '?embed=1' | '#...'), wait until the
//                wasm app has started (trunk sets window.wasmBindings), then for
//                the selector sel (default '#app-root'); returns the page
//   errors       live array of strings: uncaught page errors ("pageerror: ...")
//                and console.error messages ("console: ...")
//   warnings     live array of console.warn messages, the page's and its
//                worker's ("console: ...")
//   screenshot(name)  full-page PNG into e2e/artifacts/<name>.png, returns path
//   artifactsDir absolute path of e2e/artifacts/
//   assert       node:assert/strict
//   log(...)     prints an indented line under the test's name
//
// A test may also `export const timeout = <ms>` (default 60000, or $E2E_TIMEOUT).
// On failure the page is saved as e2e/artifacts/<test>-failure.png.
// The last line printed is the summary: `e2e: N passed, M failed`.
// Exit code: 0 when every test passed (and at least one ran), 1 otherwise.

import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const testsDir = path.join(here, 'tests');
const artifactsDir = path.join(here, 'artifacts');

/** Terminal colour codes (playwright puts them in its error messages). */
const ANSI = /\x1b\[[0-9;]*m/g;

/** Sub-path the app is served under: checks that the build uses relative URLs. */
const MOUNT = '/scalelab/';

/** Chromium flags: headless as root in a container, no network chatter. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

function parseArgs(argv) {
  const opts = { dist: path.join(repoRoot, 'dist'), filters: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dist') opts.dist = path.resolve(argv[++i] ?? '');
    else if (a === '-h' || a === '--help') {
      console.log('usage: node e2e/run.mjs [--dist DIR] [FILTER...]');
      process.exit(0);
    } else opts.filters.push(a);
  }
  return opts;
}

/**
 * Serves `root` read-only at http://127.0.0.1:<free port>/scalelab/.
 * `/` redirects to the mount; paths outside `root` are refused.
 */
async function startServer(root) {
  const server = http.createServer(async (req, res) => {
    const send = (code, msg) => {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(msg);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/' || url.pathname === MOUNT.slice(0, -1)) {
        res.writeHead(302, { location: MOUNT + url.search });
        return res.end();
      }
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
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch (e) {
      send(500, String(e));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return { server, baseUrl: `http://127.0.0.1:${port}${MOUNT}` };
}

/** Rejects after `ms` milliseconds unless `promise` settles first. */
function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

/** Runs one test file in a fresh browser context; returns true when it passed. */
async function runOne(browser, baseUrl, file) {
  const name = path.basename(file, '.mjs');
  const started = Date.now();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  const warnings = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    const into = { error: errors, warning: warnings }[m.type()];
    if (!into) return;
    const where = m.location()?.url;
    into.push(`console: ${m.text()}${where ? ` (${where})` : ''}`);
  });
  const screenshot = async (shot) => {
    const out = path.join(artifactsDir, `${shot}.png`);
    await page.screenshot({ path: out, fullPage: true });
    return out;
  };
  const ctx = {
    browser,
    context,
    page,
    baseUrl,
    errors,
    warnings,
    artifactsDir,
    assert,
    screenshot,
    log: (...a) => console.log('    ', ...a),
    open: async (query = '', selector = '#app-root') => {
      await page.goto(baseUrl + query, { waitUntil: 'load' });
      // trunk's loader sets window.wasmBindings once the wasm is instantiated
      // and its start function (the app's main) has returned.
      // An uncaught error (e.g. a panic in main) fails at once instead of timing out.
      for (const deadline = Date.now() + 30_000; ; await page.waitForTimeout(100)) {
        const crash = errors.find((x) => x.startsWith('pageerror: '));
        if (crash) throw new Error(`the wasm app failed to start: ${crash}`);
        if (await page.evaluate(() => window.wasmBindings !== undefined)) break;
        if (Date.now() > deadline) throw new Error('the wasm app did not start within 30 s (window.wasmBindings unset)');
      }
      if (selector) await page.waitForSelector(selector, { timeout: 30_000 });
      return page;
    },
  };
  let ok = true;
  try {
    const mod = await import(pathToFileURL(file).href);
    if (typeof mod.default !== 'function') throw new Error('no default-exported function');
    const ms = Number(mod.timeout ?? process.env.E2E_TIMEOUT ?? 60_000);
    await withTimeout(Promise.resolve(mod.default(ctx)), ms, name);
  } catch (e) {
    ok = false;
    console.log(`  FAIL ${name} (${Date.now() - started} ms)`);
    console.log(String(e?.stack ?? e).replace(ANSI, '').replace(/^/gm, '       '));
    if (errors.length) console.log(`       page errors:\n${errors.map((x) => `         ${x}`).join('\n')}`);
    await screenshot(`${name}-failure`).then(
      (p) => console.log(`       screenshot: ${path.relative(repoRoot, p)}`),
      () => {},
    );
  }
  if (ok) console.log(`  ok   ${name} (${Date.now() - started} ms)`);
  await context.close().catch(() => {});
  return ok;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const index = path.join(opts.dist, 'index.html');
  if (!(await stat(index).catch(() => null))) {
    console.error(`e2e: ${index} not found; build it first (cargo xtask dist)`);
    console.log('e2e: 0 passed, 1 failed');
    return 1;
  }
  const files = (await readdir(testsDir))
    .filter((f) => f.endsWith('.mjs'))
    .filter((f) => opts.filters.length === 0 || opts.filters.some((w) => f.includes(w)))
    .sort()
    .map((f) => path.join(testsDir, f));
  await mkdir(artifactsDir, { recursive: true });

  const { chromium } = await import('playwright-core');
  const { server, baseUrl } = await startServer(opts.dist);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  console.log(`e2e: ${files.length} test file(s), serving ${path.relative(repoRoot, opts.dist) || '.'} at ${baseUrl}`);
  let passed = 0;
  let failed = 0;
  try {
    for (const f of files) {
      if (await runOne(browser, baseUrl, f)) passed++;
      else failed++;
    }
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }
  if (files.length === 0) console.log('e2e: no test files matched');
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 && files.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e?.stack ?? e);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
