// Bad input never loses the learner's design: a corrupted share link, a link of
// a newer format version, an imported file that is not a scenario and an invalid
// parameter each show a specific message, and the autosaved design is still there.

import zlib from 'node:zlib';
import { exportJson, pickPreset, selectNode, setField } from './lib/learner.mjs';

export const timeout = 90000;

const b64url = (buf) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export default async function badInput({ context, page, open, baseUrl, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  // The learner's design: stage 4 with the web tier grown to 5 instances (autosaved).
  await pickPreset(page, '04-load-balancer.json');
  await page.waitForSelector('#topology[data-components="4"]');
  await selectNode(page, 'web');
  await setField(page, 'instances', 5);
  await page.waitForFunction(() => document.querySelector('[data-testid="node-web"] .node-sub')?.textContent.startsWith('5 ×'));
  const saved = await exportJson(page);

  // An invalid parameter: visible message, the value is kept.
  await setField(page, 'instances', -2);
  await page.waitForSelector('#f-instances-error');
  log(`parameter: ${(await page.textContent('#f-instances-error')).trim()}`);
  await setField(page, 'service', 'abc');
  await page.waitForSelector('#f-service-error');
  assert.deepEqual(await exportJson(page), saved, 'invalid parameters change nothing');
  await screenshot('24-bad-parameter');

  // A corrupted share link, opened in a new page of the same browser profile.
  const p2 = await context.newPage();
  await p2.goto(`${baseUrl}#s=eJyrVkrOz0nNTVOyUjI0MDBQqgUAKq8Fhg_CORRUPTED!!`);
  await p2.waitForSelector('#notice[data-kind="error"]', { timeout: 30000 });
  const msg = (await p2.textContent('#notice')).trim();
  log(`corrupted link: ${msg}`);
  assert.match(msg, /link/i);
  assert.match(msg, /unchanged/);
  assert.deepEqual(await exportJson(p2), saved, 'the autosaved design is still there');
  await p2.screenshot({ path: `${process.cwd()}/e2e/artifacts/24-corrupted-link.png`, fullPage: true });

  // A link from a newer ScaleLab (format version 99).
  const newer = b64url(zlib.deflateRawSync(Buffer.from(JSON.stringify({ ...saved, version: 99 }))));
  await p2.goto(`${baseUrl}#s=${newer}`);
  await p2.waitForFunction(() => /version 99/.test(document.querySelector('#notice')?.textContent ?? ''));
  log(`newer link: ${(await p2.textContent('#notice')).trim()}`);
  assert.deepEqual(await exportJson(p2), saved, 'still the same design');

  // An imported file that is not a scenario.
  await p2.setInputFiles('#import-file', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": "world"}') });
  await p2.waitForFunction(() => /notes\.json/.test(document.querySelector('#notice')?.textContent ?? ''));
  const imp = (await p2.textContent('#notice')).trim();
  log(`import: ${imp}`);
  assert.match(imp, /not a valid scenario|version/);
  assert.deepEqual(await exportJson(p2), saved, 'still the same design after a bad import');

  // Labels are text, never markup.
  await selectNode(p2, 'users');
  await p2.fill('#f-label', '<img src=x onerror="window.__pwned=1">Users');
  await p2.press('#f-label', 'Enter');
  await p2.waitForFunction(() => document.querySelector('[data-testid="node-users"] .node-title')?.textContent.startsWith('<img'));
  assert.equal(await p2.evaluate(() => window.__pwned), undefined, 'no markup executed');
  assert.equal(await p2.$$eval('#topology img', (x) => x.length), 0, 'no element created from a label');
  await p2.close();
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
