// The fault timeline track: stage 5 (database replication) with its own
// timeline removed on the track, a "fail db primary" action added and dragged
// with the pointer to t = 20 s, moved by the arrow keys and back. The run then
// has no write errors (no_primary) in any window before 20 s, some in the
// window starting at 20 s, and its lost-write counter changes after 20 s.
// Undo takes back each edit in turn, down to the stage's own timeline; a
// chaos preset replaces the timeline, and one the design cannot take is
// refused with the core's message.

import { pickPreset, readout, waitSimTime } from './lib/learner.mjs';

export const timeout = 150000;

const track = (page) =>
  page.$eval('#fault-track', (s) => ({
    n: Number(s.dataset.actions),
    markers: [...s.querySelectorAll('.track-marker')].map((m) => ({
      at: Number(m.dataset.atS),
      text: m.dataset.text,
      label: m.getAttribute('aria-label'),
    })),
  }));

const waitActions = (page, n) =>
  page.waitForFunction((k) => Number(document.querySelector('#fault-track')?.dataset.actions) === k, n);

const waitMarkerAt = (page, s) =>
  page.waitForFunction((t) => document.querySelector('#fault-track .track-marker')?.dataset.atS === String(t), s);

/** Errors of one cause since the run started, from the readout. */
const causeCount = async (page, cause) => {
  const m = (await readout(page)).causes.match(new RegExp(`${cause}:(\\d+)`));
  return m ? Number(m[1]) : 0;
};

const lostWrites = (page) => page.$eval('#consistency', (e) => Number(e.dataset.lostWrites));

export default async function faultTrack({ page, open, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  await pickPreset(page, '05-database-replication.json');
  await waitActions(page, 1);
  const own = await track(page);
  log(`stage 5's own timeline: ${own.markers.map((m) => m.label).join(', ')}`);
  assert.equal(own.markers[0].label, 'fail db primary at 20 s');

  // Remove it on the track: select the marker, press Delete (the design's
  // components stay: the page's Delete shortcut does not see the key).
  await page.locator('#fault-track .track-marker').click();
  await page.locator('#fault-track .track-marker').press('Delete');
  await waitActions(page, 0);
  assert.equal(await page.$eval('#topology', (e) => e.dataset.components), '4');

  // Add "fail db primary" (at the default second, half the run).
  await page.selectOption('#track-kind', 'fail');
  await page.selectOption('#track-target', 'db');
  await page.click('#track-add');
  await waitActions(page, 1);
  const added = (await track(page)).markers[0];
  log(`added: ${added.label}`);
  assert.equal(added.at, 30);

  // Drag it with the pointer to t = 20 s on the track's time axis.
  const lane = await page.locator('#track-lane').boundingBox();
  const [x0, x1] = await page.$eval('#track-lane', (l) => [Number(l.dataset.x0S), Number(l.dataset.x1S)]);
  const m = await page.locator('#fault-track .track-marker').boundingBox();
  const from = { x: m.x + m.width / 2, y: m.y + m.height / 2 };
  const toX = lane.x + ((20 - x0) / (x1 - x0)) * lane.width;
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x - 10, from.y, { steps: 3 });
  await page.mouse.move(toX, from.y + 4, { steps: 12 });
  await page.mouse.up();
  await waitMarkerAt(page, 20);
  const dragged = (await track(page)).markers[0];
  log(`dragged from x=${from.x.toFixed(0)} to x=${toX.toFixed(0)} (axis ${x0}..${x1} s): ${dragged.label}`);
  assert.equal(dragged.label, 'fail db primary at 20 s');
  const json = await page.evaluate(() => localStorage.getItem('scalelab.design'));
  assert.deepEqual(JSON.parse(json).timeline, [{ at_s: 20, action: { do: 'fail', component: 'db' } }], 'the design holds the moved action');

  // The arrow keys move the selected marker by 1 s.
  await page.locator('#fault-track .track-marker').press('ArrowRight');
  await waitMarkerAt(page, 21);
  await page.locator('#fault-track .track-marker').press('ArrowLeft');
  await waitMarkerAt(page, 20);

  // Run to 15 s, then window by window: no write errors before 20 s.
  await page.selectOption('#speed', '10');
  await page.click('#play');
  await waitSimTime(page, 15, 60000);
  await page.click('#pause');
  let t = (await readout(page)).t;
  while (t < 20) {
    await page.click('#step');
    await page.waitForFunction((s) => Number(document.querySelector('#readout').dataset.simTimeS) > s, t);
    t = (await readout(page)).t;
    assert.equal(await causeCount(page, 'no_primary'), 0, `no write errors in the windows up to ${t} s`);
  }
  assert.equal(t, 20);
  const lostBefore = await lostWrites(page);
  assert.equal(lostBefore, 0, 'no lost writes before 20 s');
  await page.click('#step');
  await waitSimTime(page, 21);
  const at21 = await causeCount(page, 'no_primary');
  log(`no_primary errors: 0 up to 20 s, ${at21} in the window 20-21 s`);
  assert.ok(at21 > 0, 'write errors (no_primary) in the window starting at 20 s');
  await page.click('#play');
  await waitSimTime(page, 26, 60000);
  await page.click('#pause');
  const lostAfter = await lostWrites(page);
  log(`lost writes: ${lostBefore} up to 20 s, ${lostAfter} by 26 s`);
  assert.ok(lostAfter > lostBefore, 'the lost-write counter changes after 20 s');
  await screenshot('38-fault-track');

  // Undo: ← then → then the drag then the add, then the deletion.
  for (const at of [21, 20, 30]) {
    await page.keyboard.press('Control+z');
    await waitMarkerAt(page, at);
  }
  await page.keyboard.press('Control+z');
  await waitActions(page, 0);
  await page.keyboard.press('Control+z');
  await waitActions(page, 1);
  assert.equal((await track(page)).markers[0].label, 'fail db primary at 20 s', "undo brings the stage's own action back");

  // Chaos presets: rolling restarts of the three web instances replace the timeline.
  await page.selectOption('#track-chaos', 'rolling_restart');
  await waitActions(page, 6);
  const rolling = await track(page);
  log(`rolling restarts: ${rolling.markers.map((m) => m.label).join(', ')}`);
  assert.deepEqual(
    rolling.markers.filter((m) => m.text.startsWith('fail')).map((m) => m.text),
    ['fail web #0', 'fail web #1', 'fail web #2'],
  );
  await screenshot('38-fault-track-chaos');
  // Stage 5 has no cache: refused with the core's message, the timeline kept.
  await page.selectOption('#track-chaos', 'cache_flush_at_peak');
  await page.waitForSelector('#notice[data-kind="error"]');
  const notice = await page.textContent('#notice');
  log(`cache flush on stage 5: ${notice}`);
  assert.match(notice, /needs a cache/);
  assert.equal((await track(page)).n, 6);
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
