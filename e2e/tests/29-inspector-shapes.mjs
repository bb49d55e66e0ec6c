// The inspector edits every parameter, shapes included, as a learner would:
// (a) a web tier's service time made constant, then log-normal (cv 3, same
//     mean): the same simulated time gives a clearly higher p99;
// (b) the users get a spike (×3 from 5 s to 10 s): the throughput of the
//     windows during it is well above the windows before it;
// (c) Ctrl+Z steps the load shape back edit by edit, Ctrl+Shift+Z forward.
// Then a day/night wave, and a database's read and write times.
// Bad values (cv 0, cv 11, factor 101) are refused with the field's message
// (cv: the core takes (0, 10]; the field takes 0.1 … 10).

import path from 'node:path';
import { exportJson, pickPreset, readout, selectNode, setField } from './lib/learner.mjs';

export const timeout = 180000;

/** Step one window at a time (paused) until simulated time reaches `seconds`; returns every window's readout. */
async function stepWindows(page, seconds) {
  const windows = [];
  let t = (await readout(page)).t;
  while (t < seconds) {
    await page.click('#step');
    await page.waitForFunction((prev) => Number(document.querySelector('#readout').dataset.simTimeS) > prev, t, {
      timeout: 20000,
    });
    const r = await readout(page);
    t = r.t;
    windows.push(r);
  }
  return windows;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The spec of component `id` in the exported design. */
async function spec(page, id) {
  return (await exportJson(page)).components.find((c) => c.id === id).spec;
}

/** Leave the focused field (keyboard shortcuts ignore keys typed into fields). */
async function blur(page) {
  await page.click('#inspector .insp-head h2');
}

export default async function inspectorShapes({ page, open, screenshot, artifactsDir, errors, assert, log }) {
  await page.emulateMedia({ colorScheme: 'light' });
  await open();
  await pickPreset(page, '01-single-server.json');
  await page.waitForSelector('#design-status[data-valid="true"]');

  // (a) Service-time distribution of the web server.
  await selectNode(page, 'web');
  assert.equal(await page.inputValue('#f-service_dist'), 'exponential', 'the preset web server is exponential');
  assert.equal(await page.locator('#f-service_cv').count(), 0, 'no cv for an exponential');
  const meanMs = await page.inputValue('#f-service');

  await page.selectOption('#f-service_dist', 'constant');
  await page.waitForFunction(() => document.querySelector('#f-service_dist').value === 'constant');
  assert.deepEqual((await spec(page, 'web')).service, { dist: 'constant', mean_ms: Number(meanMs) }, 'constant, same mean');
  await page.click('#reset');
  const constant = await stepWindows(page, 12);
  const p99Constant = median(constant.slice(2).map((w) => w.p99));
  log(`constant ${meanMs} ms: per-window p99 ${constant.map((w) => w.p99.toFixed(1)).join(' ')} -> median ${p99Constant.toFixed(1)} ms`);

  await page.click('#reset');
  await page.selectOption('#f-service_dist', 'log_normal');
  await page.waitForSelector('#f-service_cv');
  assert.equal(await page.inputValue('#f-service'), meanMs, 'switching the kind keeps the mean');
  // The core accepts a cv in (0, 10]: the field refuses the rest and keeps the design.
  for (const [bad, why] of [
    ['0', /at least 0.1/],
    ['11', /at most 10/],
    ['1.2.3', /not a number/],
  ]) {
    await setField(page, 'service_cv', bad);
    await page.waitForSelector('#f-service_cv-error');
    assert.match(await page.textContent('#f-service_cv-error'), why, `cv ${bad} refused`);
    await page.press('#f-service_cv', 'Escape');
    await page.waitForSelector('#f-service_cv-error', { state: 'detached' });
  }
  await setField(page, 'service_cv', 3);
  await page.waitForFunction(() => document.querySelector('#f-service_cv').value === '3');
  assert.deepEqual(
    (await spec(page, 'web')).service,
    { dist: 'log_normal', mean_ms: Number(meanMs), cv: 3 },
    'log-normal, same mean, cv 3',
  );
  await page.click('#reset');
  const heavy = await stepWindows(page, 12);
  const p99Heavy = median(heavy.slice(2).map((w) => w.p99));
  log(`log-normal cv 3: per-window p99 ${heavy.map((w) => w.p99.toFixed(1)).join(' ')} -> median ${p99Heavy.toFixed(1)} ms`);
  assert.ok(p99Constant > 0, 'the constant run has a p99');
  assert.ok(p99Heavy > 2 * p99Constant, `the long tail shows in p99: ${p99Heavy} vs ${p99Constant} ms`);
  assert.ok(
    Math.abs(mean(heavy.slice(2).map((w) => w.thr)) - mean(constant.slice(2).map((w) => w.thr))) < 0.2 * mean(constant.map((w) => w.thr)),
    'same mean service time: same throughput',
  );
  await screenshot('29-web-lognormal');
  await page.locator('#inspector').screenshot({ path: path.join(artifactsDir, '29-inspector-web.png') });

  // (b) A spike of users: ×3 from 5 s to 10 s.
  await selectNode(page, 'users');
  assert.equal(await page.inputValue('#f-load'), 'constant');
  assert.equal(await page.locator('#f-load_at').count(), 0, 'a constant load has no parameters');
  await page.selectOption('#f-load', 'spike');
  await page.waitForSelector('#f-load_duration');
  assert.deepEqual(
    [await page.inputValue('#f-load_at'), await page.inputValue('#f-load_duration'), await page.inputValue('#f-load_factor')],
    ['10', '10', '3'],
    'a new spike: at 10 s for 10 s, ×3',
  );
  await setField(page, 'load_factor', 101);
  await page.waitForSelector('#f-load_factor-error');
  assert.match(await page.textContent('#f-load_factor-error'), /at most 100/, 'factor above 100 refused');
  await page.press('#f-load_factor', 'Escape');
  await setField(page, 'load_at', 5);
  await page.waitForFunction(() => document.querySelector('#f-load_at').value === '5');
  await setField(page, 'load_duration', 5);
  await page.waitForFunction(() => document.querySelector('#f-load_duration').value === '5');
  assert.deepEqual((await spec(page, 'users')).load, { shape: 'spike', at_s: 5, duration_s: 5, factor: 3 });
  await page.locator('#inspector').screenshot({ path: path.join(artifactsDir, '29-inspector-users.png') });

  await page.click('#reset');
  const run = await stepWindows(page, 14);
  // Window k covers [k-1, k) s.
  const at = (a, b) => run.filter((w) => w.t > a && w.t <= b);
  const before = at(1, 5);
  const during = at(6, 10);
  const after = at(12, 14);
  log(`per-window throughput: ${run.map((w) => `${w.t}s:${w.thr}`).join(' ')}`);
  log(`offered before ${mean(before.map((w) => w.offered)).toFixed(0)} during ${mean(during.map((w) => w.offered)).toFixed(0)} rps`);
  const thrBefore = mean(before.map((w) => w.thr));
  const thrDuring = mean(during.map((w) => w.thr));
  const thrAfter = mean(after.map((w) => w.thr));
  assert.ok(thrDuring > 1.5 * thrBefore, `throughput during the spike (${thrDuring}) well above before (${thrBefore})`);
  const offeredRatio = mean(during.map((w) => w.offered)) / mean(before.map((w) => w.offered));
  assert.ok(offeredRatio > 2.5 && offeredRatio < 3.5, `offered load ×3 during the spike (×${offeredRatio.toFixed(2)})`);
  assert.ok(thrAfter < 1.3 * thrBefore, `back to the base load after the spike (${thrAfter} vs ${thrBefore})`);
  await screenshot('29-spike');

  // (c) Undo walks the shape back edit by edit; redo brings it back.
  await blur(page);
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('#f-load_duration')?.value === '10');
  assert.equal(await page.inputValue('#f-load_at'), '5', 'first undo: the duration only');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('#f-load_at')?.value === '10');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('#f-load')?.value === 'constant');
  assert.equal(await page.locator('#f-load_at').count(), 0, 'the spike fields are gone');
  assert.deepEqual((await spec(page, 'users')).load ?? { shape: 'constant' }, { shape: 'constant' }, 'constant load again');
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+Shift+z');
  await page.waitForFunction(() => document.querySelector('#f-load_duration')?.value === '5');
  assert.equal(await page.inputValue('#f-load'), 'spike', 'redo restores the spike');
  // The web server kept its log-normal through all of this.
  assert.deepEqual((await spec(page, 'web')).service, { dist: 'log_normal', mean_ms: Number(meanMs), cv: 3 });

  // A day/night wave has its own parameters; a database edits both of its service times.
  await page.selectOption('#f-load', 'diurnal');
  await page.waitForSelector('#f-load_period');
  assert.deepEqual([await page.inputValue('#f-load_period'), await page.inputValue('#f-load_amplitude')], ['120', '30']);
  assert.equal(await page.locator('#f-load_at').count(), 0, 'no spike fields for a wave');
  await pickPreset(page, '05-database-replication.json');
  await page.waitForSelector('#design-status[data-valid="true"]');
  await selectNode(page, 'db');
  await page.selectOption('#f-write_service_dist', 'log_normal');
  await page.waitForSelector('#f-write_service_cv');
  assert.equal(await page.locator('#f-read_service_cv').count(), 0, 'only the write time became log-normal');
  assert.equal((await spec(page, 'db')).write_service.dist, 'log_normal');
  await page.locator('#inspector').screenshot({ path: path.join(artifactsDir, '29-inspector-db.png') });
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
