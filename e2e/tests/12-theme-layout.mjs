// Light and dark themes (charts follow the color scheme) and a ~900 px iframe-sized layout.

export const timeout = 90000;

/** RGB of the top-left pixel of a chart canvas. */
async function canvasBg(page, id) {
  return page.$eval(id, (c) => Array.from(c.getContext('2d').getImageData(2, 2, 1, 1).data.slice(0, 3)));
}

async function runAt(page, rps, seconds) {
  await page.fill('#traffic-rps-input', String(rps));
  await page.selectOption('#speed', '10');
  await page.click('#play');
  await page.waitForFunction(
    (s) => Number(document.querySelector('#readout')?.dataset.simTimeS) >= s,
    seconds,
    { timeout: 40000, polling: 100 },
  );
  await page.click('#pause');
}

export default async function themeLayout({ page, open, screenshot, errors, assert, log }) {
  await page.emulateMedia({ colorScheme: 'light' });
  await open();
  await page.waitForSelector('#latency-chart');
  // 30 s at 360 rps (90% load), then 20 s at 600 rps (overload): every state on screen.
  await runAt(page, 360, 30);
  await runAt(page, 600, 50);
  const light = await canvasBg(page, '#latency-chart');
  await screenshot('12-light');

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300);
  const dark = await canvasBg(page, '#latency-chart');
  await screenshot('12-dark');
  log(`chart background light=${light} dark=${dark}`);
  const lum = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
  assert.ok(lum(light) > 200, `light chart background is light (${light})`);
  assert.ok(lum(dark) < 60, `dark chart background is dark (${dark})`);

  // An iframe-sized viewport: nothing overflows horizontally.
  await page.setViewportSize({ width: 900, height: 900 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal overflow at 900 px (overflow ${overflow} px)`);
  await screenshot('12-dark-900');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForTimeout(300);
  await screenshot('12-light-900');

  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
