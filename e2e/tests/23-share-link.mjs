// Copy the share link and open it in a new page (a fresh browser profile):
// same components, parameters and seed, and the same first-window metrics.

import { buildWebDesign, exportJson, readout, selectNode, setField } from './lib/learner.mjs';

export const timeout = 90000;

async function firstWindow(page) {
  await page.click('#reset');
  await page.click('#step');
  await page.waitForFunction(() => Number(document.querySelector('#readout').dataset.simTimeS) >= 1);
  return readout(page);
}

export default async function shareLink({ browser, page, open, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  await buildWebDesign(page);
  await selectNode(page, 'users');
  await setField(page, 'users', 350);
  await page.fill('#seed', '4242');
  await page.press('#seed', 'Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="node-users"] .node-sub')?.textContent.startsWith('350'));
  const design = await exportJson(page);
  assert.equal(design.seed, 4242);
  const first = await firstWindow(page);
  log(`first window: p50=${first.p50} p99=${first.p99} thr=${first.thr}`);
  assert.ok(first.thr > 0);

  await page.click('#share');
  const link = await page.inputValue('#share-link');
  log(`link: ${link.length} characters`);
  assert.match(link, /#s=[A-Za-z0-9_-]+$/);
  await screenshot('23-share-dialog');
  await page.keyboard.press('Escape');

  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const p2 = await other.newPage();
    const errs2 = [];
    p2.on('pageerror', (e) => errs2.push(e.message));
    await p2.goto(link);
    await p2.waitForSelector('#topology[data-components="4"]', { timeout: 30000 });
    await p2.waitForSelector('#notice[data-kind="info"]');
    const opened = await exportJson(p2);
    assert.deepEqual(opened, design, 'the same design, parameters and seed');
    assert.equal(await p2.inputValue('#seed'), '4242');
    assert.equal(new URL(p2.url()).hash, '', 'the link is consumed from the address bar');
    const again = await firstWindow(p2);
    assert.deepEqual(again, first, 'the same first-window metrics');
    await p2.screenshot({ path: `${process.cwd()}/e2e/artifacts/23-opened-link.png`, fullPage: true });
    assert.deepEqual(errs2, []);
  } finally {
    await other.close();
  }
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
