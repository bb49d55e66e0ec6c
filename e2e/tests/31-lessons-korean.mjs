// Lesson 5 in Korean: switching the app's language switches the lesson text;
// ?lang=ko&lesson=5 opens it in Korean directly.

const HANGUL = /[가-힣]/;

export default async function lessonsKorean({ page, open, baseUrl, screenshot, errors, assert }) {
  await open('?lesson=5');
  await page.waitForSelector('#lesson-panel[data-lesson="5"] #lesson-title');
  const en = await page.textContent('#lesson-title');
  assert.doesNotMatch(en, HANGUL, 'English first');
  await page.click('#lang-ko');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  await page.waitForFunction((before) => document.querySelector('#lesson-title')?.textContent !== before, en);
  const ko = await page.textContent('#lesson-panel');
  assert.match(await page.textContent('#lesson-title'), HANGUL, 'the title is Korean');
  assert.match(await page.textContent('#lesson-explanation'), HANGUL, 'the explanation is Korean');
  assert.match(ko, /목표/, 'the goal lines are Korean');
  assert.match(await page.textContent('#lessons-open'), /레슨/);
  await screenshot('31-lesson5-ko');

  await page.goto(`${baseUrl}?lang=ko&lesson=5`);
  await page.waitForSelector('#lesson-panel[data-lesson="5"] #lesson-title');
  assert.match(await page.textContent('#lesson-title'), HANGUL, '?lang=ko opens the lesson in Korean');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
