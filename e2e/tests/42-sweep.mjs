// Capacity sweep, as a learner: "how far does stage 4 go?" The Capacity
// panel is prefilled from the analytic twin's maximum; Run sweep runs the
// design at rising loads in the worker (progress bar), then the chart and
// the table show p99 and availability per load, the knee and the busiest
// component. The knee lands within 10 % of the analytic maximum and p99
// rises with load. A second sweep cancelled after its first steps stops
// with fewer rows, and the page (and the design) are unchanged.

import { exportJson, pickPreset } from './lib/learner.mjs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const timeout = 120000;

const docShot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots/sweep-stage4.png');

const rows = (page) =>
  page.$$eval('#sweep-table tr.sweep-row', (trs) =>
    trs.map((tr) => ({
      offered: Number(tr.dataset.offeredRps),
      p99: Number(tr.dataset.p99Ms),
      availability: Number(tr.dataset.availability),
      bottleneck: tr.dataset.bottleneck,
      text: tr.innerText.replace(/\s+/g, ' '),
    })),
  );

export default async function sweep({ page, open, screenshot, errors, assert, log }) {
  await open();
  await pickPreset(page, '04-load-balancer.json');
  await page.waitForSelector('#design-status[data-valid="true"]');
  // The analytic twin's capacity is shown in the status line.
  await page.waitForFunction(() => /\d/.test(document.querySelector('#design-status')?.textContent ?? ''));
  const before = await exportJson(page);

  await page.click('#sweep-button');
  await page.waitForSelector('#sweep-panel[data-state="idle"]');
  const from = Number(await page.inputValue('#sweep-from'));
  const to = Number(await page.inputValue('#sweep-to'));
  const steps = Number(await page.inputValue('#sweep-steps'));
  log(`defaults: ${from} … ${to} requests/s in ${steps} steps`);
  assert.ok(from > 0 && to > from && steps >= 10, 'the range is prefilled');

  const t0 = Date.now();
  await page.click('#sweep-run');
  await page.waitForSelector('#sweep-progress');
  await page.waitForSelector('#sweep-panel[data-state="done"]', { timeout: 60000 });
  const wallMs = Date.now() - t0;
  const panel = await page.$eval('#sweep-panel', (p) => ({ ...p.dataset }));
  const progress = await page.$eval('#sweep-progress', (p) => [Number(p.value), Number(p.max)]);
  assert.deepEqual(progress, [steps, steps], 'the progress bar is full');

  const table = await rows(page);
  assert.equal(table.length, steps, 'one row per step');
  const knee = Number(panel.kneeRps);
  const max = Number(panel.analyticMaxRps);
  const off = Math.abs(knee - max) / max;
  log(`knee ${knee} requests/s, analytic maximum ${max} requests/s (${(off * 100).toFixed(1)} % off); sweep took ${wallMs} ms in the browser`);
  assert.ok(knee > 0 && max > 0, 'knee and maximum are shown');
  assert.ok(off <= 0.1, `knee within 10 % of the analytic maximum (${(off * 100).toFixed(1)} %)`);
  const summary = await page.textContent('#sweep-summary');
  assert.match(summary, /Knee at/);
  assert.ok(summary.includes(Math.round(max).toLocaleString('en-US')), `the summary shows the analytic maximum: ${summary}`);
  // The knee row is marked; the table names the busiest component by its label.
  assert.equal(await page.$eval('#sweep-table tr.knee', (tr) => Number(tr.dataset.offeredRps)), knee);
  const last = table[table.length - 1];
  log(`first row: ${table[0].text}`);
  log(`last row: ${last.text}`);
  assert.equal(last.bottleneck, 'web');
  const webLabel = before.components.find((c) => c.id === 'web').label;
  assert.ok(last.text.includes(webLabel), `the row names "${webLabel}"`);
  // p99 rises with load: the top step is far slower than the first, and
  // beyond the knee availability falls.
  assert.ok(last.p99 > 3 * table[0].p99, `p99 ${table[0].p99} → ${last.p99} ms`);
  const half = table.slice(0, table.length / 2).map((r) => r.p99);
  assert.ok(Math.max(...half) < Math.min(...table.slice(-3).map((r) => r.p99)), 'p99 at high load exceeds p99 at low load');
  assert.ok(last.availability < 0.9 && table[0].availability === 1, 'availability falls past the knee');
  // The chart was drawn (not a blank canvas).
  const inked = await page.$eval('#sweep-chart', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 37) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
    return seen.size;
  });
  assert.ok(inked > 5, `the chart has drawn colours (${inked})`);
  await screenshot('42-sweep-done');
  await mkdir(path.dirname(docShot), { recursive: true });
  await page.locator('#sweep-panel').screenshot({ path: docShot });

  // A longer sweep, cancelled after its first progress update.
  await page.fill('#sweep-steps', '80');
  await page.click('#sweep-run');
  await page.waitForFunction(() => Number(document.querySelector('#sweep-panel')?.dataset.done) >= 1);
  await page.click('#sweep-cancel');
  await page.waitForSelector('#sweep-panel[data-state="cancelled"]');
  const done = Number(await page.getAttribute('#sweep-panel', 'data-done'));
  const cancelledRows = (await rows(page)).length;
  log(`cancelled after ${done} of 80 steps`);
  assert.ok(done >= 1 && done < 80, `stopped early (${done})`);
  assert.equal(cancelledRows, done, 'one row per finished step');
  // No more progress arrives after the cancel.
  await page.waitForTimeout(500);
  assert.equal((await rows(page)).length, done, 'the sweep stopped');
  assert.match(await page.textContent('#sweep-panel'), /Cancelled after/);

  // The design is unchanged and the page still runs it.
  assert.deepEqual(await exportJson(page), before, 'a sweep does not change the design');
  await page.click('#sweep-button');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.querySelector('#readout')?.dataset.simTimeS) >= 2);
  await page.click('#pause');
  // And a new sweep can run after a cancel.
  await page.click('#sweep-button');
  await page.fill('#sweep-steps', '3');
  await page.click('#sweep-run');
  await page.waitForSelector('#sweep-panel[data-state="done"]');
  assert.equal((await rows(page)).length, 3);
  assert.deepEqual(errors, [], 'no page errors');
}
