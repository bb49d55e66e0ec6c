// From an empty canvas, drag users, a load balancer, a web tier (3 instances)
// and a database onto the canvas with pointer events, connect them, press play:
// p99 and throughput are non-zero and the throughput is near the offered load.

import { buildWebDesign, dragFromPalette, connect, readout, waitSimTime } from './lib/learner.mjs';

export const timeout = 90000;

export default async function buildFromEmpty({ page, open, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  await buildWebDesign(page);
  await screenshot('20-built');

  // An invalid connection is refused, with the reason, and nothing changes.
  await dragFromPalette(page, 'cache', 470, 340);
  await page.waitForFunction(() => document.querySelector('#topology')?.dataset.components === '5');
  await connect(page, 'lb', 'cache');
  await page.waitForSelector('#notice[data-kind="error"]');
  const why = await page.textContent('#notice');
  log(`refused: ${why.trim()}`);
  assert.match(why, /load balancer cannot send requests to a cache/);
  assert.equal(await page.$eval('#topology', (e) => e.dataset.edges), '3', 'no edge added');
  // The lone cache makes the design incomplete: the core says so and Play refuses.
  await page.waitForSelector('#design-status[data-valid="false"]');
  assert.match(await page.textContent('#design-status'), /cache/);
  await screenshot('20-invalid-connection');
  await page.keyboard.press('Delete'); // the new cache is selected
  await page.waitForSelector('#design-status[data-valid="true"]');

  const offered = 200; // default users: 200 × 1 request/s
  await page.selectOption('#speed', '10');
  await page.click('#play');
  await waitSimTime(page, 12);
  const r = await readout(page);
  log(`t=${r.t.toFixed(1)} s p99=${r.p99} ms throughput=${r.thr} rps errors=${r.errors}`);
  assert.ok(r.p99 > 0, `p99 is non-zero (${r.p99})`);
  assert.ok(r.thr > 0, `throughput is non-zero (${r.thr})`);
  assert.ok(Math.abs(r.thr - offered) / offered < 0.25, `throughput ${r.thr} near the offered ${offered} rps`);
  assert.equal(r.errors, 0, 'no errors');
  // The canvas colours nodes from the latest window.
  const util = await page.$eval('[data-testid="node-web"]', (e) => Number(e.dataset.utilization));
  assert.ok(util > 0, `web utilization shown (${util})`);
  await page.click('#pause');
  await screenshot('20-running');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
