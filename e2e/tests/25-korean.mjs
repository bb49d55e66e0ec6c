// Switch to Korean: palette, inspector and chart labels are Korean; the choice
// is remembered across reloads, and ?lang=en switches back.

import { selectNode } from './lib/learner.mjs';

export default async function korean({ page, open, baseUrl, screenshot, errors, assert }) {
  await open();
  await page.waitForSelector('#topology');
  await page.click('#lang-ko');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  assert.match(await page.textContent('[data-testid="palette-users"]'), /사용자/);
  assert.match(await page.textContent('[data-testid="palette-lb"]'), /로드 밸런서/);
  await selectNode(page, 'web');
  const insp = await page.textContent('#inspector');
  assert.match(insp, /인스턴스 수/, 'inspector labels are Korean');
  assert.match(insp, /처리 시간/);
  const charts = await page.textContent('.charts');
  assert.match(charts, /지연 시간/, 'chart titles are Korean');
  assert.match(charts, /처리량/);
  assert.match(await page.textContent('.run-bar'), /재생/);
  await page.selectOption('#speed', '10');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.querySelector('#readout').dataset.simTimeS) >= 8);
  await page.click('#pause');
  await screenshot('25-korean');

  await page.reload();
  await page.waitForSelector('#topology');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  assert.match(await page.textContent('.palette'), /컴포넌트/, 'Korean is remembered');
  await page.goto(`${baseUrl}?lang=en`);
  await page.waitForSelector('#topology');
  assert.match(await page.textContent('.palette'), /Components/);
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
