// Fail one web instance of the learner's design: errors appear (instance_down),
// then stop once the load balancer's health check has taken it out; availability
// since the run started reads below 100% and above a floor.

import { buildWebDesign, readout, selectNode, waitSimTime } from './lib/learner.mjs';

export const timeout = 120000;

export default async function failWebInstance({ page, open, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  await buildWebDesign(page);
  await page.selectOption('#speed', '10');
  await page.click('#play');
  await waitSimTime(page, 6);
  const before = await readout(page);
  assert.equal(before.errors, 0, 'no errors before the failure');

  await selectNode(page, 'web');
  await page.click('#fail-web-1');
  const failedAt = (await readout(page)).t;
  log(`failed web#1 at t=${failedAt.toFixed(1)} s`);
  await page.waitForSelector('#recover-web-1');
  // Errors appear while the load balancer still sends a third of the traffic to it.
  await page.waitForFunction(() => Number(document.querySelector('#readout').dataset.errors) > 0, null, { timeout: 20000 });
  const during = await readout(page);
  log(`errors=${during.errors} causes=${during.causes}`);
  assert.match(during.causes, /instance_down/, 'errors are counted as instance_down');
  await screenshot('21-failing');

  // Default health check: every 2 s, 3 failures → detected within ~6 s. Wait well past that.
  await waitSimTime(page, failedAt + 12);
  const a = await readout(page);
  await waitSimTime(page, a.t + 4);
  const b = await readout(page);
  log(`after detection: errors ${a.errors} -> ${b.errors}, window errors ${b.windowErrors}, availability total ${b.availabilityTotal}`);
  assert.equal(b.errors, a.errors, 'errors stop once the health check has detected the failure');
  assert.equal(b.windowErrors, 0, 'the latest window has no errors');
  assert.ok(b.availabilityTotal < 1, `availability below 100% (${b.availabilityTotal})`);
  assert.ok(b.availabilityTotal > 0.9, `availability above the 90% floor (${b.availabilityTotal})`);
  // The failure is marked on the canvas and on the charts.
  assert.equal(await page.$eval('[data-testid="node-web"]', (e) => e.dataset.instancesUp), '2', 'two web instances up');
  assert.match(await page.textContent('#events'), /fail web#1/);
  await page.click('#pause');
  await screenshot('21-detected');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
