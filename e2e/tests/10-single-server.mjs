// Stage 1 (users -> one web server): low traffic is fast and error-free;
// traffic past capacity blows up p99 and starts queue_full errors.

import { readout } from './lib/learner.mjs';

export const timeout = 90000;


/** Wait until simulated time has reached `seconds`. */
async function waitSimTime(page, seconds) {
  await page.waitForFunction(
    (s) => Number(document.querySelector('#readout')?.dataset.simTimeS) >= s,
    seconds,
    { timeout: 40000, polling: 100 },
  );
}

export default async function singleServer({ page, open, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#readout');
  await page.waitForSelector('#play');

  // Low load: 100 rps against ~400 rps of capacity.
  await page.fill('#traffic-rps-input', '100');
  assert.equal(await page.inputValue('#traffic-rps'), '100', 'slider follows the numeric field');
  await page.selectOption('#speed', '10');
  await page.click('#play');
  await waitSimTime(page, 12);
  const low = await readout(page);
  log(`100 rps: t=${low.t.toFixed(1)}s p50=${low.p50.toFixed(1)} p95=${low.p95.toFixed(1)} p99=${low.p99.toFixed(1)} ms, ${low.thr} rps, errors=${low.errors}`);
  assert.ok(Number.isFinite(low.p99) && low.p99 > 0, `p99 finite and > 0 (got ${low.p99})`);
  assert.ok(low.p50 <= low.p95 && low.p95 <= low.p99, 'percentiles are ordered');
  assert.ok(low.p99 < 200, `p99 at 25% load stays low (got ${low.p99} ms)`);
  assert.equal(low.errors, 0, 'no errors at low load');
  assert.ok(low.thr > 60 && low.thr < 140, `throughput ~100 rps (got ${low.thr})`);
  assert.equal(low.availability, 1, 'availability 100%');
  assert.match(low.text, /p99/i, 'the readout has a visible legend');
  await screenshot('10-single-server-low');

  // Overload: 800 rps, twice the capacity.
  await page.fill('#traffic-rps-input', '800');
  assert.equal(await page.inputValue('#traffic-rps'), '800');
  await waitSimTime(page, low.t + 12);
  const high = await readout(page);
  log(`800 rps: t=${high.t.toFixed(1)}s p50=${high.p50.toFixed(1)} p95=${high.p95.toFixed(1)} p99=${high.p99.toFixed(1)} ms, ${high.thr} rps, errors=${high.errors}, availability=${high.availability}`);
  assert.ok(high.p99 > 4 * low.p99, `p99 blows up past capacity (${low.p99} -> ${high.p99} ms)`);
  assert.ok(high.errors > 0, `errors start past capacity (got ${high.errors})`);
  assert.ok(high.availability < 0.9, `availability drops (got ${high.availability})`);
  assert.ok(high.thr < 600, `throughput is capped near capacity (got ${high.thr})`);
  assert.match(await page.textContent('#readout'), /queue full/i, 'errors are labelled by cause');
  await screenshot('10-single-server-overload');

  // Pause stops the clock; reset returns to t = 0 with the traffic kept.
  await page.click('#pause');
  // Batches the worker finished before it read the pause still arrive (at
  // most three are in flight); after that the clock must stand still.
  await page.waitForTimeout(300);
  const paused = (await readout(page)).t;
  await page.waitForTimeout(400);
  assert.equal((await readout(page)).t, paused, 'pause stops simulated time');
  await page.click('#reset');
  const reset = await readout(page);
  assert.equal(reset.t, 0, 'reset goes back to t = 0');
  assert.equal(reset.errors, 0, 'reset clears the error count');
  assert.equal(await page.inputValue('#traffic-rps-input'), '800', 'reset keeps the traffic');

  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
