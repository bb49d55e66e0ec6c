// Challenge cards, as a learner: open the Challenges panel, pick card 02
// ("A server crashes"), load its start design (an ordinary edit) and check
// it — the worker scores it against the card's traffic, crash and budget and
// at least one requirement is missed. The card's reference design, loaded the
// same way, meets every requirement; Ctrl+Z goes back to the start design.

import { exportJson } from './lib/learner.mjs';

export const timeout = 120000;

const score = async (page) => {
  await page.click('#chal-check');
  await page.waitForSelector('#chal-score');
  return page.$eval('#chal-score', (s) => ({
    total: s.querySelector('.chal-total').textContent,
    lines: [...s.querySelectorAll('.chal-line')].map((l) => ({
      met: l.classList.contains('met'),
      text: l.innerText.replace(/\s+/g, ' '),
    })),
  }));
};

export default async function challenges({ page, open, screenshot, errors, assert, log }) {
  await open();
  await page.waitForSelector('#topology');
  await page.click('#chal-button');
  await page.waitForSelector('#chal-panel .chal-card');
  assert.equal(await page.$$eval('#chal-panel .chal-card', (l) => l.length), 8, 'eight cards');
  await page.click('.chal-card[data-card="02-server-crash"]');
  await page.waitForSelector('.chal-detail[data-card="02-server-crash"]');
  assert.equal(await page.textContent('.chal-detail h3'), 'A server crashes');
  const goals = await page.$$eval('.chal-goals li', (l) => l.map((e) => e.textContent));
  log(`goals: ${goals.join(' | ')}`);
  assert.equal(goals.length, 3, 'two requirements and the budget');
  assert.match(goals[2], /\$2,500$/);

  await page.click('#chal-start');
  await page.waitForFunction(() => document.querySelector('#design-name')?.textContent.includes('start'));
  const start = await exportJson(page);
  assert.match(start.name, /start/);
  const s1 = await score(page);
  log(`start: ${s1.total} — ${s1.lines.map((l) => l.text).join(' | ')}`);
  assert.equal(s1.lines.length, 3);
  const met1 = s1.lines.filter((l) => l.met).length;
  assert.ok(met1 < s1.lines.length, 'the start design misses at least one requirement');
  assert.equal(s1.total, `${met1} of 3 met`);

  await page.click('#chal-reference');
  await page.waitForFunction(() => !document.querySelector('#design-name')?.textContent.includes('start'));
  const reference = await exportJson(page);
  assert.notDeepEqual(reference.components, start.components, 'the reference design was loaded');
  const s2 = await score(page);
  log(`reference: ${s2.total} — ${s2.lines.map((l) => l.text).join(' | ')}`);
  assert.ok(s2.lines.every((l) => l.met), 'the reference design meets every requirement');
  assert.equal(s2.total, '3 of 3 met');
  assert.match(s2.lines[2].text, /\$/, 'the cost line shows dollars');
  await screenshot('41-challenge-scored');

  // Loading a card's design is an ordinary edit: Ctrl+Z goes back to the start.
  await page.click('#topology');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('#design-name')?.textContent.includes('start'));
  assert.deepEqual(errors, [], 'no page errors');
}
