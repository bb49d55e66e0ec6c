// Canvas gestures: drop a component into a data-center frame (it joins the
// data center), drag a node into a frame, zoom with the wheel, the keyboard and
// a two-finger pinch, pan by dragging the background, select with a band.

import { dragFromPalette, emptyCanvas, selectNode } from './lib/learner.mjs';

const zoom = (page) => page.$eval('.zoom-level', (e) => parseInt(e.textContent, 10));

export default async function gestures({ page, open, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  await emptyCanvas(page);
  await dragFromPalette(page, 'dc', 330, 160);
  await dragFromPalette(page, 'web', 420, 240);
  await dragFromPalette(page, 'cache', 120, 330);
  await page.waitForSelector('#topology[data-components="3"]');
  await selectNode(page, 'web');
  assert.equal(await page.inputValue('#f-dc'), 'dc', 'dropped inside the frame: joins the data center');
  // Drag the cache into the frame.
  const cache = await page.locator('[data-testid="node-cache"] .node-title').boundingBox();
  const frame = await page.locator('[data-testid="node-dc"] .dc-box').boundingBox();
  await page.mouse.move(cache.x + 5, cache.y + 3);
  await page.mouse.down();
  await page.mouse.move(frame.x + frame.width - 60, frame.y + frame.height - 20, { steps: 8 });
  await page.mouse.up();
  await selectNode(page, 'cache');
  assert.equal(await page.inputValue('#f-dc'), 'dc', 'dragged into the frame: joins too');
  await screenshot('27-data-center');

  // Band selection (shift-drag on the background) picks both nodes.
  const box = await page.locator('#topology').boundingBox();
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + 8, box.y + 8);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 8, box.y + box.height - 8, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  assert.match(await page.textContent('#inspector'), /3 selected|2 selected/);

  // Zoom: wheel, keyboard, pinch.
  const z0 = await zoom(page);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((z) => parseInt(document.querySelector('.zoom-level').textContent, 10) > z, z0);
  const z1 = await zoom(page);
  await page.click('#topology', { position: { x: 4, y: 4 } });
  await page.keyboard.press('-');
  await page.waitForFunction((z) => parseInt(document.querySelector('.zoom-level').textContent, 10) < z, z1);
  const z2 = await zoom(page);
  await page.$eval('#topology', (svg) => {
    const r = svg.getBoundingClientRect();
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    const ev = (type, id, x) =>
      svg.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: 'touch', isPrimary: id === 21, clientX: x, clientY: cy, button: 0, bubbles: true }));
    ev('pointerdown', 21, cx - 40);
    ev('pointerdown', 22, cx + 40);
    ev('pointermove', 22, cx + 120);
    ev('pointerup', 22, cx + 120);
    ev('pointerup', 21, cx - 40);
  });
  await page.waitForFunction((z) => parseInt(document.querySelector('.zoom-level').textContent, 10) > z, z2);
  log(`zoom: ${z0}% → wheel ${z1}% → key ${z2}% → pinch ${await zoom(page)}%`);
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
