// Every chapter preset loads and renders from its own components and edges
// (data-center frames included); stage 13 runs; embed mode shows only the
// canvas, charts and run bar with an "open in ScaleLab" link.

import { pickPreset, readout, waitSimTime } from './lib/learner.mjs';

export const timeout = 200000;

export default async function presetsEmbed({ page, open, baseUrl, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  const presets = await page.$$eval('#scenario-menu option', (os) => os.map((o) => o.value).filter((v) => v.endsWith('.json')));
  assert.equal(presets.length, 13, 'the 13 chapter scenarios are in the menu');
  for (const file of presets) {
    await pickPreset(page, file);
    await page.waitForSelector('#design-status[data-valid="true"]');
    const n = await page.$$eval('#topology [data-node]', (x) => x.length);
    const comps = Number(await page.$eval('#topology', (e) => e.dataset.components));
    assert.equal(n, comps, `${file}: every component is drawn`);
    const edges = await page.$$eval('#topology [data-edge]', (x) => x.length);
    assert.equal(edges, Number(await page.$eval('#topology', (e) => e.dataset.edges)), `${file}: every edge is drawn`);
  }
  // Stage 13: two data-center frames; run it a little at 100×.
  assert.equal(await page.$$eval('#topology .dc-frame', (x) => x.length), 2);
  await page.selectOption('#speed', '0'); // as fast as possible
  await page.click('#play');
  await waitSimTime(page, 41, 150000);
  await page.click('#pause');
  const r = await readout(page);
  log(`stage 13 at t=${r.t.toFixed(0)} s: ${r.thr} rps, p99 ${r.p99} ms, errors ${r.errors}`);
  assert.ok(r.thr > 50000, 'stage 13 serves its users');
  await screenshot('26-stage13');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300);
  await screenshot('26-stage13-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Embed mode.
  await page.setViewportSize({ width: 900, height: 900 });
  await page.goto(`${baseUrl}?embed=1`);
  await page.waitForSelector('#embed #topology');
  assert.equal(await page.$$eval('.palette', (x) => x.length), 0, 'no palette in embed mode');
  assert.equal(await page.$$eval('#inspector', (x) => x.length), 0, 'no inspector in embed mode');
  assert.ok(await page.isVisible('#play'), 'run bar shown');
  assert.ok(await page.isVisible('#latency-chart'), 'charts shown');
  const href = await page.getAttribute('#open-full', 'href');
  assert.match(href, /#s=/, 'the open link carries the design');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal overflow (${overflow})`);
  await screenshot('26-embed');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
