// Design review, as a learner: stage 4's database has no replica. The review
// panel lists it with the component's name and the reason; "Fix" adds a
// replica (an ordinary edit), the finding disappears, Ctrl+Z brings it back.

import { exportJson, pickPreset } from './lib/learner.mjs';

export const timeout = 90000;

const finding = (kind, id) => `#review-panel li.finding[data-kind="${kind}"][data-component="${id}"]`;

export default async function review({ page, open, screenshot, errors, assert, log }) {
  await open();
  await pickPreset(page, '04-load-balancer.json');
  await page.waitForSelector('#design-status[data-valid="true"]');
  await page.waitForFunction(() => Number(document.querySelector('#review-button .count')?.textContent) > 0);
  await page.click('#review-button');
  const db = finding('no_replica', 'db');
  await page.waitForSelector(db);
  const item = await page.$eval(db, (li) => ({ name: li.querySelector('strong').textContent, text: li.innerText }));
  log(`finding: ${item.text.replace(/\s+/g, ' ')}`);
  assert.equal(item.name, 'Database');
  assert.match(item.text, /has no replica/);
  assert.match(item.text, /read replicas to 1/);
  const count = Number(await page.textContent('#review-button .count'));
  assert.equal(count, await page.$$eval('#review-panel li.finding', (l) => l.length), 'the badge counts the findings');
  await screenshot('35-review-panel');

  await page.click(`${db} .review-fix`);
  await page.waitForSelector(db, { state: 'detached' });
  const fixed = await exportJson(page);
  assert.equal(fixed.components.find((c) => c.id === 'db').spec.replicas, 1, 'the fix gave the database a replica');
  log(`after the fix: ${await page.$$eval('#review-panel li.finding', (l) => l.length)} findings`);

  // Undo is an ordinary undo: the replica goes, the finding comes back.
  await page.click('#topology');
  await page.keyboard.press('Control+z');
  await page.waitForSelector(db);
  const undone = await exportJson(page);
  assert.ok(!undone.components.find((c) => c.id === 'db').spec.replicas, 'Ctrl+Z took the replica back');
  await page.keyboard.press('Control+Shift+z');
  await page.waitForSelector(db, { state: 'detached' });

  // Another stage: stage 8's session store runs on one instance; its fix runs two.
  await page.selectOption('#scenario-menu', '08-stateless-web.json');
  await page.waitForSelector(finding('single_instance', 'sessions'));
  await page.click(`${finding('single_instance', 'sessions')} .review-fix`);
  await page.waitForSelector(finding('single_instance', 'sessions'), { state: 'detached' });
  const store = (await exportJson(page)).components.find((c) => c.id === 'sessions');
  assert.equal(store.spec.instances, 2);
  assert.deepEqual(errors, [], 'no page errors');
}
