// The simulation runs in a web worker (crates/worker), not on the page's
// thread: the worker exists, play/pause/step drive it, and its batches of
// windows reach the page.

import { pickPreset, readout, waitSimTime } from './lib/learner.mjs';

export const timeout = 120000;

export default async function worker({ page, open, screenshot, errors, assert, log }) {
  await open();
  await pickPreset(page, '13-millions-of-users.json');
  await page.waitForSelector('#design-status[data-valid="true"]');

  const workers = page.workers().map((w) => w.url());
  log(`workers: ${workers.join(', ')}`);
  assert.equal(workers.length, 1, 'one web worker');
  assert.match(workers[0], /scalelab-worker_loader\.js$/, 'spawned from static/scalelab-worker_loader.js');

  // Step while paused: exactly to the next window boundary (1 s windows), twice.
  await page.click('#step');
  await page.waitForFunction(() => Number(document.querySelector('#readout').dataset.simTimeS) >= 1);
  assert.equal((await readout(page)).t, 1, 'one step = one window');
  await page.click('#step');
  await page.waitForFunction(() => Number(document.querySelector('#readout').dataset.simTimeS) >= 2);
  const stepped = await readout(page);
  assert.equal(stepped.t, 2);
  assert.ok(stepped.thr > 50000, `the stepped windows carry figures (throughput ${stepped.thr})`);

  // Play as fast as possible; the page keeps rendering what the worker streams.
  await page.selectOption('#speed', '0');
  await page.click('#play');
  await waitSimTime(page, 6, 90000);
  // How busy is the page's thread meanwhile? (logged, not asserted: speed is for benchmarks)
  const gaps = await page.evaluate(
    () =>
      new Promise((done) => {
        const out = [];
        let last = performance.now();
        const until = last + 1500;
        const frame = (t) => {
          out.push(t - last);
          last = t;
          if (t < until) requestAnimationFrame(frame);
          else done(out.sort((a, b) => a - b));
        };
        requestAnimationFrame(frame);
      }),
  );
  log(`while stage 13 runs: ${gaps.length} frames in 1.5 s, median ${gaps[gaps.length >> 1].toFixed(1)} ms, max ${gaps[gaps.length - 1].toFixed(1)} ms`);
  await page.click('#pause');
  await page.waitForTimeout(300);
  const paused = (await readout(page)).t;
  await page.waitForTimeout(1000);
  assert.equal((await readout(page)).t, paused, 'pause stops simulated time');
  assert.ok(paused >= 6, `played on from the steps (t = ${paused})`);
  await screenshot('28-worker-stage13');
  assert.deepEqual(errors, [], 'no console errors');
}
