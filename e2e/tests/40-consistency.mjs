// Consistency made visible: stage 5 (database replication) with 500 ms of
// replication lag. With reads going to any replica the consistency chart
// counts stale reads (a user reading a replica that has not yet applied that
// user's own write); switching the database to read-your-writes in the
// inspector (an ordinary edit) sends those reads to the primary and the
// count drops to zero. The primary fails at 20 s: lost writes are charted.

import { pickPreset, selectNode, setField, waitSimTime } from './lib/learner.mjs';

export const timeout = 150000;

const consistency = (page) =>
  page.$eval('#consistency', (e) => ({
    stale: Number(e.dataset.staleReads),
    lost: Number(e.dataset.lostWrites),
  }));

export default async function consistencyChart({ page, open, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  await pickPreset(page, '05-database-replication.json');
  await page.waitForSelector('#consistency');
  await selectNode(page, 'db');
  await setField(page, 'lag', 500);
  await page.waitForFunction(() => document.querySelector('#f-lag')?.value === '500');
  assert.equal(await page.inputValue('#f-ryw'), 'replica', 'reads go to any replica by default');

  await page.selectOption('#speed', '10');
  await page.click('#play');
  // Before the failover at 20 s.
  await waitSimTime(page, 19, 60000);
  await page.click('#pause');
  const offBefore = await consistency(page);
  await page.click('#play');
  await waitSimTime(page, 26, 60000);
  await page.click('#pause');
  const off = await consistency(page);
  const utilOff = await page.$eval('[data-testid="node-db"]', (e) => e.dataset.utilization);
  log(`read-your-writes off: stale reads ${off.stale}, lost writes ${off.lost}, db utilization ${utilOff}`);
  assert.ok(offBefore.stale > 0, 'stale reads are counted with 500 ms of lag');
  assert.ok(off.lost > 0, 'the failover at 20 s loses acknowledged writes');
  await screenshot('40-consistency-off');

  // Read-your-writes: an ordinary edit; the simulation restarts from t = 0.
  await page.selectOption('#f-ryw', 'primary');
  await page.waitForFunction(() => Number(document.querySelector('#consistency')?.dataset.staleReads) === 0);
  await page.click('#play');
  // 3 simulated s (0.3 wall s at 10×) before the failover: the pause lands
  // in time even on a loaded machine (at 19 s it once landed past 20 s).
  await waitSimTime(page, 17, 60000);
  await page.click('#pause');
  const on = await consistency(page);
  log(`read-your-writes on, up to 17 s: stale reads ${on.stale} (off, up to 19 s: ${offBefore.stale})`);
  assert.equal(on.stale, 0, 'no stale reads with read-your-writes while the primary is up');
  // While no primary is left (20 s until a replica is promoted) reads can only
  // go to replicas: a few may be stale even with read-your-writes.
  await page.click('#play');
  await waitSimTime(page, 26, 60000);
  await page.click('#pause');
  const onAfter = await consistency(page);
  log(`read-your-writes on, up to 26 s: stale reads ${onAfter.stale}, lost writes ${onAfter.lost}`);
  assert.ok(onAfter.stale < off.stale, 'fewer stale reads than without read-your-writes');
  await screenshot('40-consistency-on');
  // Undo brings the replica reads (and the stale reads) back.
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('#f-ryw')?.value === 'replica');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
