// The sample course page (docs/embed-example.html, copied into dist/docs/ by
// trunk) embeds lessons 4 and 5 with relative iframes (../?embed=1&lesson=N):
// both render the app with the lesson goal, without scrollbars in 800×500.

export const timeout = 120000;

export default async function embedExample({ page, baseUrl, screenshot, errors, assert, log }) {
  await page.setViewportSize({ width: 1000, height: 1400 });
  await page.goto(`${baseUrl}docs/embed-example.html`, { waitUntil: 'load' });
  for (const n of [4, 5]) {
    const frame = await (await page.waitForSelector(`#lesson-${n}`)).contentFrame();
    await frame.waitForSelector('#app-root #embed #topology', { timeout: 30000 });
    await frame.waitForSelector(`#lesson-panel.embed[data-lesson="${n}"] .lesson-goal`, { timeout: 30000 });
    const children = await frame.$eval('#app-root', (e) => e.children.length);
    assert.ok(children > 0, `lesson ${n}: #app-root has content`);
    const box = await frame.evaluate(() => ({
      w: innerWidth, h: innerHeight,
      sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight,
    }));
    log(`lesson ${n} iframe ${box.w}×${box.h}, content ${box.sw}×${box.sh}`);
    assert.ok(box.sw <= box.w && box.sh <= box.h, `lesson ${n}: no scrollbars (${JSON.stringify(box)})`);
    assert.match(await frame.getAttribute('#open-full', 'href'), /#s=/, 'open in ScaleLab link');
  }
  await screenshot('32-embed-example');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
