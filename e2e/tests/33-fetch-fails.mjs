// Files the page fetches at run time (a chapter scenario from the menu, the
// Korean UI table, a lesson's scenario) can fail to arrive: each failure shows
// a message and the learner's design stays as it was.

export default async function fetchFails({ page, open, errors, assert, log }) {
  await page.route(/\/(scenarios\/06-cache|i18n\/ko|lessons\/scenarios\/04-[^/]*)\.json$/, (r) => r.fulfill({ status: 404, body: 'gone' }));
  await open();
  await page.waitForSelector('#design-status[data-valid="true"]');
  const name = await page.textContent('#design-name');
  const components = await page.getAttribute('#topology', 'data-components');

  const notice = async (what) => {
    await page.waitForSelector('#notice[data-kind="error"]');
    const text = (await page.textContent('#notice span')).trim();
    log(`${what}: ${text}`);
    assert.equal(await page.textContent('#design-name'), name, `${what}: the design is kept`);
    assert.equal(await page.getAttribute('#topology', 'data-components'), components);
    await page.click('#notice .notice-close');
    return text;
  };

  await page.selectOption('#scenario-menu', '06-cache.json');
  assert.match(await notice('preset'), /06-cache\.json.*unchanged/);

  await page.click('#lang-ko');
  assert.match(await notice('Korean'), /i18n\/ko\.json/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'still English');

  await page.click('#lessons-open');
  await page.click('#lesson-list li[data-lesson="4"] .lesson-link');
  assert.match(await notice('lesson'), /Load balancer.*unchanged/);
  assert.equal(await page.$$eval('#lesson-panel', (x) => x.length), 0, 'no lesson opened');
  // The only errors are the refused fetches themselves.
  assert.deepEqual(errors.filter((e) => !/404|Failed to load resource/.test(e)), []);
}
