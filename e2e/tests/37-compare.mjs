// A/B compare and the playhead, as a learner: stage 5 (database replication)
// is duplicated into B, B gets a cache between the web tier and the database,
// both run on the same traffic; the charts carry both and the table shows
// B − A with signs. The share link reopens the comparison. Then the playhead
// goes back to 5 s and stepping on regenerates the same windows.

import { connect, dragFromPalette, pickPreset, readout } from './lib/learner.mjs';

export const timeout = 240000;

/** The difference table: { key: { a, b, delta, cls } }. */
async function table(page) {
  return page.$$eval('#compare-table tbody tr', (rows) =>
    Object.fromEntries(
      rows.map((r) => [
        r.dataset.key,
        { a: Number(r.dataset.a), b: Number(r.dataset.b), delta: Number(r.dataset.delta), cls: r.querySelector('td:last-child').className, text: r.innerText },
      ]),
    ),
  );
}

/** Step once while paused and wait for the clock to reach `t`. */
async function stepTo(page, t) {
  await page.click('#step');
  await page.waitForFunction((s) => Number(document.querySelector('#readout').dataset.simTimeS) >= s, t);
  return readout(page);
}

export default async function compare({ browser, page, open, screenshot, errors, assert, log }) {
  await open();
  await pickPreset(page, '05-database-replication.json');
  await page.waitForSelector('#design-status[data-valid="true"]');

  // Compare: B is a copy of A and is the design being edited.
  await page.click('#compare');
  await page.waitForSelector('#side-b[aria-pressed="true"]');

  // B: web → cache → db instead of web → db.
  await page.click('[data-testid="edge-web→db"] .edge-hit', { force: true });
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => document.querySelector('#topology').dataset.edges === '2');
  await dragFromPalette(page, 'cache', 520, 330);
  await page.waitForFunction(() => document.querySelector('#topology').dataset.components === '5');
  const cacheId = await page.$eval('[data-testid^="node-cache"]', (n) => n.dataset.testid.slice(5));
  await connect(page, 'web', cacheId);
  await connect(page, cacheId, 'db');
  await page.waitForFunction(() => document.querySelector('#topology').dataset.edges === '4');
  await page.waitForSelector('#design-status[data-valid="true"]');

  // A is still the original design.
  await page.click('#side-a');
  await page.waitForFunction(() => document.querySelector('#topology').dataset.components === '4');
  await page.click('#side-b');
  await page.waitForFunction(() => document.querySelector('#topology').dataset.components === '5');

  // Run both for 30 simulated seconds (the primary fails at 20 s in both).
  await page.selectOption('#speed', '100');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.querySelector('#readout').dataset.simTimeS) >= 30, null, { timeout: 120000, polling: 200 });
  await page.click('#pause');
  await page.waitForTimeout(300);
  const t = await table(page);
  for (const [k, r] of Object.entries(t)) log(`${k.padEnd(20)} A ${r.a.toFixed(4).padStart(12)}  B ${r.b.toFixed(4).padStart(12)}  B−A ${r.delta >= 0 ? '+' : ''}${r.delta.toFixed(4)}`);
  for (const k of ['p50_ms', 'p95_ms', 'p99_ms', 'availability', 'lost_writes', 'stale_reads', 'cost_usd_per_month']) {
    assert.ok(k in t, `table row ${k}`);
    assert.ok(Math.abs(t[k].b - t[k].a - t[k].delta) < 1e-9, `${k}: delta = b − a`);
  }
  assert.ok(t.p50_ms.delta < 0, `the cache lowers p50 (${t.p50_ms.delta})`);
  assert.equal(t.p50_ms.cls, 'good');
  assert.match(t.p50_ms.text, /−|-/, 'a negative difference shows its sign');
  assert.ok(t.cost_usd_per_month.delta > 0, 'the cache costs money');
  assert.match(t.cost_usd_per_month.text, /\+\$/, 'a positive difference shows +');
  assert.equal(t.cost_usd_per_month.cls, 'bad');
  // Same traffic: A's readout is A's own figures (its p50 equals the table's A column).
  const r = await readout(page);
  assert.ok(r.t >= 30);
  await screenshot('37-compare-stage5');

  // The comparison as one link, reopened in a fresh profile.
  await page.click('#share');
  const link = await page.inputValue('#share-link');
  assert.match(link, /#s=[A-Za-z0-9_-]+&b=[A-Za-z0-9_-]+$/, 'the link carries A and B');
  await page.keyboard.press('Escape');
  const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const p2 = await other.newPage();
    const errs2 = [];
    p2.on('pageerror', (e) => errs2.push(e.message));
    await p2.goto(link);
    await p2.waitForSelector('#side-a[aria-pressed="true"]', { timeout: 30000 });
    await p2.waitForSelector('#topology[data-components="4"]');
    await p2.click('#side-b');
    await p2.waitForSelector('#topology[data-components="5"]');
    for (let s = 1; s <= 3; s++) await stepTo(p2, s);
    await p2.waitForSelector('#compare-table');
    const t2 = await table(p2);
    assert.ok('p99_ms' in t2 && 'cost_usd_per_month' in t2, 'the reopened link shows the difference table');
    assert.equal(t2.cost_usd_per_month.delta, t.cost_usd_per_month.delta, 'same designs, same costs');
    await p2.screenshot({ path: `${process.cwd()}/e2e/artifacts/37-compare-reopened.png`, fullPage: true });
    assert.deepEqual(errs2, []);
  } finally {
    await other.close();
  }

  // Rewind: from a fresh start step to 12 s, go back to 5 s, step on again.
  await page.click('#reset');
  await page.waitForFunction(() => Number(document.querySelector('#readout').dataset.simTimeS) === 0);
  const first = [];
  for (let s = 1; s <= 12; s++) first.push(await stepTo(page, s));
  const table12 = await table(page);
  await page.locator('#playhead').fill('5');
  await page.waitForFunction(() => Number(document.querySelector('#readout').dataset.simTimeS) === 5);
  const at5 = await readout(page);
  assert.deepEqual(at5, first[4], 'the page shows the moment t = 5 s');
  for (let s = 6; s <= 12; s++) {
    const again = await stepTo(page, s);
    assert.deepEqual(again, first[s - 1], `window ending at ${s} s regenerated identically`);
  }
  assert.deepEqual(await table(page), table12, 'the difference table too');
  log(`after the rewind: t=12 s p99 ${first[11].p99} ms, errors ${first[11].errors}`);
  await screenshot('37-seek');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
