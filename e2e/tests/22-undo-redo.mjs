// Undo the last three edits and redo them: the design is restored exactly
// (compared through the exported JSON); keyboard and buttons both work.

import { buildWebDesign, exportJson } from './lib/learner.mjs';

export default async function undoRedo({ page, open, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  await buildWebDesign(page);
  const full = await exportJson(page);
  assert.equal(full.edges.length, 3);

  // The last three edits were the three connections.
  await page.click('#topology', { position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await page.click('#undo');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('#topology').dataset.edges === '0');
  const undone = await exportJson(page);
  assert.equal(undone.edges.length, 0, 'three undos remove the three connections');
  assert.equal(undone.components.length, 4, 'components stay');
  assert.equal(await page.getAttribute('#design-status', 'data-valid'), 'false', 'the design is incomplete again');
  await screenshot('22-undone');

  await page.keyboard.press('Control+Shift+z');
  await page.click('#redo');
  await page.keyboard.press('Control+y');
  await page.waitForFunction(() => document.querySelector('#topology').dataset.edges === '3');
  const redone = await exportJson(page);
  assert.deepEqual(redone, full, 'redo restores the design exactly');
  assert.equal(await page.isDisabled('#redo'), true, 'nothing left to redo');
  await screenshot('22-redone');

  // Help lists the shortcuts.
  await page.keyboard.press('?');
  await page.waitForSelector('#help-dialog');
  assert.match(await page.textContent('#help-dialog'), /Ctrl\+Z/);
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
