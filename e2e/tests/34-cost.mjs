// Cost: the run bar's readout shows the design's monthly cost and its cost per
// million requests (computed in the worker from crates/sim/data/prices.json).
// A learner adds one web instance in the inspector and sees the monthly cost
// rise by exactly that instance's monthly price, read here from the price file.

import { readFileSync } from 'node:fs';
import { buildWebDesign, selectNode, setField } from './lib/learner.mjs';

export const timeout = 90000;

const prices = JSON.parse(readFileSync(new URL('../../crates/sim/data/prices.json', import.meta.url), 'utf8'));

/** The monthly price of one instance of `size`, rounded to the cent as the core does. */
function instanceUsdPerMonth(size) {
  const hourly = prices.instance_usd_per_hour[size];
  if (typeof hourly !== 'number') throw new Error(`no price for size ${size}`);
  return Math.round(hourly * prices.hours_per_month * 100) / 100;
}

async function cost(page) {
  return page.$eval('#readout', (el) => ({
    month: el.dataset.costUsdPerMonth === '' ? NaN : Number(el.dataset.costUsdPerMonth),
    perMillion: el.dataset.costUsdPerMillionRequests === '' ? NaN : Number(el.dataset.costUsdPerMillionRequests),
    text: document.querySelector('#cost-month').textContent,
    sub: document.querySelector('#cost-per-million').textContent,
  }));
}

const dollars = (text) => Number(text.replace(/[$,]/g, ''));

export default async function costTest({ page, open, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  await buildWebDesign(page);
  await page.waitForFunction(() => document.querySelector('#readout')?.dataset.costUsdPerMonth !== '');
  await selectNode(page, 'web');
  const instances = Number(await page.inputValue('#f-instances'));
  const size = await page.inputValue('#f-size');
  // Wait until the cost belongs to the finished design (3 instances).
  await page.waitForFunction(() => document.querySelector('#readout')?.dataset.costUsdPerMonth !== '');
  const before = await cost(page);
  log(`${instances} × ${size}: ${before.text}/month, ${before.sub}`);
  assert.ok(before.month > 0, `a monthly cost is shown (${before.month})`);
  assert.ok(before.perMillion > 0, `a cost per million requests is shown (${before.perMillion})`);
  assert.match(before.sub, /per M requests/);
  assert.ok(Math.abs(dollars(before.text) - before.month) <= 0.005, 'the text shows the figure to the cent');

  await setField(page, 'instances', instances + 1);
  await page.waitForFunction(
    (m) => Number(document.querySelector('#readout')?.dataset.costUsdPerMonth) !== m,
    before.month,
  );
  const after = await cost(page);
  const price = instanceUsdPerMonth(size);
  log(`${instances + 1} × ${size}: ${after.text}/month (+${(after.month - before.month).toFixed(2)}; one ${size} instance is $${price})`);
  assert.ok(Math.abs(after.month - before.month - price) < 1e-6, `the cost rose by one ${size} instance ($${price}), not ${after.month - before.month}`);
  assert.ok(Math.abs(dollars(after.text) - dollars(before.text) - price) <= 0.011, 'the shown figures differ by the price too');
  await screenshot('34-cost');

  // Undo (the toolbar button) takes the instance and its price back.
  await page.click('#undo');
  await page.waitForFunction((m) => Number(document.querySelector('#readout')?.dataset.costUsdPerMonth) === m, before.month);
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
