// Instructor controls (src/pins.rs): `?lock=web.instances` shows the field
// with a lock and it cannot be changed through the UI (the field is disabled;
// even a change event forced on it is refused by the reducer, and the design
// keeps its value); other fields still edit. `?lock=db` locks a whole
// component (no edit, no delete). `?readonly=1` hides the palette, refuses
// every edit (Delete key, dragging a node) and still runs the simulation.

import { pickPreset, presetName, readout, selectNode, setField, waitSimTime } from './lib/learner.mjs';

export const timeout = 120000;

const webInstances = (page) =>
  page.$eval('[data-testid="node-web"] .node-sub', (e) => e.textContent.trim());

export default async function pins({ page, open, screenshot, errors, assert, log }) {
  // 1. One locked field.
  await open('?lock=web.instances,db');
  await page.waitForSelector('#topology');
  await pickPreset(page, '04-load-balancer.json');
  await page.waitForSelector('#pin-badge');
  await selectNode(page, 'web');
  await page.waitForSelector('#f-instances-lock');
  assert.ok(await page.$eval('#f-instances', (e) => e.disabled), 'the locked field is disabled');
  const before = await webInstances(page);
  assert.match(before, /^3 ×/, 'stage 4 has three web instances');
  // A learner cannot type into it (playwright refuses to fill a disabled field)...
  let typed = true;
  try {
    await page.fill('#f-instances', '7', { timeout: 1000 });
  } catch {
    typed = false;
  }
  assert.equal(typed, false, 'a disabled field cannot be filled');
  // ...and a change forced past the disabled attribute is refused by the reducer.
  await page.$eval('#f-instances', (e) => {
    e.disabled = false;
    e.readOnly = false;
    e.value = '7';
    e.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForSelector('#notice[data-kind="error"]');
  const notice = (await page.textContent('#notice')).trim();
  log(`forced change: ${notice}`);
  assert.match(notice, /[Ll]ocked/, 'the notice says the field is locked');
  assert.equal(await webInstances(page), before, 'the design keeps three instances');
  // An unlocked field of the same component still edits.
  await setField(page, 'queue', 321);
  await page.waitForFunction(() => document.querySelector('#f-queue')?.value === '321');
  await screenshot('39-locked-field');
  // The pin badge takes room from the design's name, never from the title:
  // "ScaleLab" stays whole, left of the Lessons button (they overlapped).
  const box = async (sel) => (await page.$(sel)).boundingBox();
  const [title, lessons] = [await box('.brand-text h1'), await box('#lessons-open')];
  const titleText = await page.$eval('.brand-text h1', (e) => e.scrollWidth <= e.clientWidth + 1);
  assert.ok(titleText, 'the title is not cut');
  assert.ok(title.x + title.width <= lessons.x, `title ends at ${title.x + title.width}, Lessons starts at ${lessons.x}`);

  // A whole locked component: every control disabled, no delete.
  await selectNode(page, 'db');
  await page.waitForSelector('#pin-note');
  assert.ok(await page.$eval('#delete-selection', (e) => e.disabled), 'delete is disabled');
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => document.querySelector('#topology')?.dataset.components === '4');
  assert.equal(await page.$$eval('[data-testid="node-db"]', (n) => n.length), 1, 'the database is still there');

  // 2. Read-only view.
  await open('?readonly=1');
  await page.waitForSelector('#topology');
  // The design is part 1's stage 4, autosaved: a read-only page refuses
  // every edit, loading a preset included.
  const stage4 = await presetName(page, '04-load-balancer.json');
  await page.waitForFunction((n) => document.querySelector('#design-name')?.textContent === n, stage4);
  assert.equal(await page.$$eval('.palette', (n) => n.length), 0, 'no palette');
  assert.equal(await page.isVisible('#scenario-menu'), false, 'no scenario menu: loading is refused');
  assert.equal(await page.isVisible('.track-hint'), false, 'no hint on editing the fault timeline');
  await page.waitForSelector('#pin-badge');
  await selectNode(page, 'web');
  assert.ok(await page.$eval('#f-instances', (e) => e.disabled), 'fields are disabled');
  await page.keyboard.press('Delete');
  await page.waitForSelector('#notice[data-kind="error"]');
  assert.match((await page.textContent('#notice')).trim(), /read-only/);
  assert.equal(await page.$eval('#topology', (e) => e.dataset.components), '4', 'nothing was deleted');
  // The simulation still runs.
  await page.selectOption('#speed', '10');
  await page.click('#play');
  await waitSimTime(page, 3);
  const r = await readout(page);
  log(`read-only run: t=${r.t.toFixed(1)} s, successes ${r.successes ?? '?'}`);
  assert.ok(r.t >= 3, 'simulated time advances');
  await page.click('#pause');
  await screenshot('39-readonly');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
