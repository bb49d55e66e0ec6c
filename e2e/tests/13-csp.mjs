// Security: the release page carries a Content-Security-Policy that lets only
// the app's own scripts run (plus compiling its WebAssembly), and nothing the
// app does — running a design in the worker, fetching the Korean table and
// the lessons — violates it. Embed mode works from another origin.

import http from 'node:http';

import { waitSimTime } from './lib/learner.mjs';

export const timeout = 120000;

export default async function csp({ page, open, baseUrl, screenshot, errors, assert, log }) {
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await open();
  const policy = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  log(`policy: ${policy}`);
  const scriptSrc = policy.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
  assert.ok(scriptSrc.includes("'self'"), 'scripts from the app itself');
  assert.ok(!/'unsafe-inline'|'unsafe-eval'/.test(scriptSrc), `no inline script or eval allowed: ${scriptSrc}`);

  // Exercise everything that loads code or data: the worker, fetches, the lessons.
  await page.selectOption('#scenario-menu', '04-load-balancer.json');
  await page.waitForSelector('#design-status[data-valid="true"]');
  await page.selectOption('#speed', '100');
  await page.click('#play');
  await waitSimTime(page, 3);
  await page.click('#pause');
  await page.click('#lang-ko');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  await page.goto(`${baseUrl}?lesson=5`);
  await page.waitForSelector('#lesson-panel', { timeout: 30000 });
  const violations = await page.evaluate(() => window.__csp);
  assert.deepEqual(violations, [], 'no CSP violation');
  assert.deepEqual(errors.filter((e) => /Content Security Policy/i.test(e)), [], 'no CSP message in the console');

  // Embed from another origin: a course page on another port frames the app.
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Course</title><h1>Course page</h1>
      <iframe id="lesson" src="${baseUrl}?embed=1&lesson=4" width="800" height="500"></iframe>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const course = `http://127.0.0.1:${server.address().port}/`;
    assert.notEqual(new URL(course).origin, new URL(baseUrl).origin, 'a different origin');
    await page.goto(course, { waitUntil: 'load' });
    const frame = await (await page.waitForSelector('#lesson')).contentFrame();
    await frame.waitForSelector('#app-root #embed #topology', { timeout: 30000 });
    const nodes = await frame.$$eval('#topology [data-node]', (x) => x.length);
    log(`cross-origin embed: ${nodes} nodes drawn`);
    assert.ok(nodes > 0, 'the embedded design renders');
    await screenshot('13-cross-origin-embed');
  } finally {
    server.close();
  }
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
