// Prices, as a learner: with nothing selected the inspector's "Prices" section
// lists every price of crates/sim/data/prices.json with its unit, date and
// source. Changing the medium instance's price moves the readout's monthly
// cost by exactly (new − old monthly price) × the medium instances of the
// design, both read here from the price file and the exported design; undo
// takes it back, a negative price is refused with a message and changes
// nothing, "Reset to list prices" is one undoable edit. Selecting the web tier
// shows the size ladder's price curve: every size with its price from the
// file, the current size marked and the ceiling marked.

import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildWebDesign, exportJson, selectNode, setField } from './lib/learner.mjs';

export const timeout = 120000;

const prices = JSON.parse(readFileSync(new URL('../../crates/sim/data/prices.json', import.meta.url), 'utf8'));
const LADDER = ['small', 'medium', 'large', 'xlarge', 'x2large'];

/** Monthly price of one instance at `hourly`, rounded to the cent as the core does. */
const monthly = (hourly) => Math.round(hourly * prices.hours_per_month * 100) / 100;

/** Every number of the price file as [path, value] (`instance_usd_per_hour.medium`). */
function leaves(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'number' ? [[prefix + k, v]] : v && typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [],
  );
}

/** Instances of `size` in an exported design (nodes, primary + replicas, shards…). */
function instancesOf(design, size) {
  let n = 0;
  for (const c of design.components) {
    const s = c.spec;
    if (!('size' in s) || (s.size ?? 'medium') !== size) continue;
    if (s.kind === 'database') n += 1 + (s.replicas ?? 0);
    else if (s.kind === 'cache') n += s.nodes;
    else if (s.kind === 'sharded_database') n += s.shards;
    else n += s.instances;
  }
  return n;
}

const monthCost = (page) =>
  page.$eval('#readout', (el) => (el.dataset.costUsdPerMonth === '' ? NaN : Number(el.dataset.costUsdPerMonth)));
const costIs = (page, m) =>
  page.waitForFunction((x) => Number(document.querySelector('#readout')?.dataset.costUsdPerMonth) === x, m);
const costIsNot = (page, m) =>
  page.waitForFunction((x) => {
    const v = document.querySelector('#readout')?.dataset.costUsdPerMonth;
    return v !== '' && v !== undefined && Number(v) !== x;
  }, m);
/** The element id of a price's field (`instance_usd_per_hour.medium` -> `f-instance_usd_per_hour-medium`). */
const fieldId = (name) => name.replaceAll('.', '-');

/** Open the Prices section if it is closed. */
async function openPrices(page) {
  await page.waitForSelector('#prices');
  if (!(await page.$eval('#prices', (d) => d.open))) await page.click('#prices-toggle');
}

export default async function pricesTest({ page, open, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  await buildWebDesign(page);
  await page.waitForFunction(() => document.querySelector('#readout')?.dataset.costUsdPerMonth !== '');

  // (a) Nothing selected: the design's panel has the Prices section.
  await page.click('#topology');
  await page.keyboard.press('Escape');
  await openPrices(page);
  const source = await page.textContent('#prices-source');
  assert.ok(source.includes(prices.as_of) && source.includes(prices.source), `date and source shown: ${source}`);
  const fields = leaves(prices);
  for (const [name, value] of fields) {
    const sel = `#f-${fieldId(name)}`;
    assert.equal(Number(await page.inputValue(sel)), value, `${name} is prefilled with the list price`);
    const unit = await page.$eval(sel, (el) => el.parentElement.querySelector('.unit')?.textContent ?? '');
    assert.ok(unit.length > 0, `${name} shows its unit`);
  }
  log(`${fields.length} prices listed, as of ${prices.as_of}`);
  assert.equal(await page.isDisabled('#prices-reset'), true, 'nothing to reset yet');

  const design = await exportJson(page);
  const medium = instancesOf(design, 'medium');
  assert.ok(medium >= 4, `the design has medium instances (${medium})`);
  const before = await monthCost(page);
  const newHourly = 0.25;
  await setField(page, 'instance_usd_per_hour-medium', newHourly);
  await costIsNot(page, before);
  const after = await monthCost(page);
  const expected = medium * (monthly(newHourly) - monthly(prices.instance_usd_per_hour.medium));
  log(`medium $${prices.instance_usd_per_hour.medium}/h -> $${newHourly}/h on ${medium} instances: $${before.toFixed(2)} -> $${after.toFixed(2)} (expected +${expected.toFixed(2)})`);
  assert.ok(Math.abs(after - before - expected) < 1e-6, `the cost moved by ${after - before}, expected ${expected}`);
  assert.match(await page.textContent('#prices-toggle'), /1 changed/);
  assert.match(await page.textContent('#prices'), new RegExp(`list: ${prices.instance_usd_per_hour.medium}`));
  const saved = await exportJson(page);
  assert.deepEqual(saved.prices, { instance_usd_per_hour: { medium: newHourly } }, 'the design stores only the changed price');

  // Undo restores the list price and the cost.
  await page.click('#undo');
  await costIs(page, before);
  await page.waitForFunction(
    (v) => Number(document.querySelector('#f-instance_usd_per_hour-medium')?.value) === v,
    prices.instance_usd_per_hour.medium,
  );
  assert.equal((await exportJson(page)).prices, undefined, 'no prices after undo');

  // A negative price is refused with a message; the design and the cost stay.
  await openPrices(page);
  await setField(page, 'instance_usd_per_hour-medium', -1);
  await page.waitForSelector('#f-instance_usd_per_hour-medium-error');
  const msg = await page.textContent('#f-instance_usd_per_hour-medium-error');
  log(`-1 refused: ${msg}`);
  assert.match(msg, /at least 0/);
  await page.waitForTimeout(400);
  assert.equal(await monthCost(page), before, 'the cost is unchanged');
  assert.equal((await exportJson(page)).prices, undefined, 'the design is unchanged');
  await page.press('#f-instance_usd_per_hour-medium', 'Escape');

  // Two changes, then "Reset to list prices" is one undoable edit.
  await openPrices(page);
  mkdirSync(fileURLToPath(new URL('../artifacts/', import.meta.url)), { recursive: true });
  await setField(page, 'instance_usd_per_hour-medium', newHourly);
  await costIs(page, after);
  await setField(page, 'internet_egress_usd_per_gb', 0);
  await costIsNot(page, after);
  const two = await monthCost(page);
  assert.ok(two < after, 'free egress lowers the cost');
  assert.match(await page.textContent('#prices-toggle'), /2 changed/);
  await page.$eval('#prices-toggle', (el) => el.scrollIntoView({ block: 'start' }));
  await page.locator('#inspector').screenshot({ path: fileURLToPath(new URL('../artifacts/43-prices-panel.png', import.meta.url)) });
  await page.click('#prices-reset');
  await costIs(page, before);
  assert.equal((await exportJson(page)).prices, undefined, 'reset removes the override');
  await page.click('#undo');
  await costIs(page, two);
  await page.click('#undo');
  await costIs(page, after);
  await page.click('#undo');
  await costIs(page, before);

  // (b) The web tier's size curve: every size, its price from the file, current and ceiling marked.
  await selectNode(page, 'web');
  await page.waitForSelector('#size-curve');
  const size = await page.inputValue('#f-size');
  const rows = await page.$$eval('#size-curve tbody tr', (trs) =>
    trs.map((tr) => ({
      size: tr.dataset.size,
      usd: Number(tr.dataset.usdPerMonth),
      ceiling: tr.dataset.ceiling === 'true',
      current: tr.classList.contains('current'),
      text: tr.innerText.replace(/\s+/g, ' '),
    })),
  );
  log(rows.map((r) => r.text).join(' | '));
  assert.deepEqual(rows.map((r) => r.size), LADDER, 'every size, smallest first');
  for (const r of rows) {
    assert.equal(r.usd, monthly(prices.instance_usd_per_hour[r.size]), `${r.size} costs its list price`);
    assert.ok(r.text.includes(`$${r.usd.toLocaleString('en-US', { minimumFractionDigits: 2 })}`), `${r.size} shows $${r.usd}`);
  }
  assert.deepEqual(rows.filter((r) => r.current).map((r) => r.size), [size], 'the current size is marked');
  assert.deepEqual(rows.filter((r) => r.ceiling).map((r) => r.size), ['x2large'], 'the ceiling is the largest size');
  assert.match(await page.textContent('#size-ceiling'), /Largest size: x2large.*scale out/);

  // Another size: the mark follows.
  await page.selectOption('#f-size', 'large');
  await page.waitForSelector('#size-curve tr.current[data-size="large"]');
  const shot = fileURLToPath(new URL('../artifacts/43-prices-size-curve.png', import.meta.url));
  await page.locator('#inspector').screenshot({ path: shot });
  await screenshot('43-prices');
  await page.click('#undo');
  await page.waitForSelector(`#size-curve tr.current[data-size="${size}"]`);
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
