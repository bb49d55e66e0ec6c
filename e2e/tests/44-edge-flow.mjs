// The flowing edges: their dashes move while the clock runs, stand still when
// it is paused, and never move when the learner asks for reduced motion. They
// are moved by the app's timer, not by a CSS animation: Chromium repainted
// the canvas on every frame for one, which took a fifth of a core from the
// simulating worker (docs/benchmarks.md, session 13). Nothing else animates
// for as long as the clock runs: the run dot's ring pulses twice when it
// starts, then stays (an endless pulse cost 7 % of the main thread, session 14).

import { waitSimTime } from './lib/learner.mjs';

export const timeout = 120000;

/** The dash offsets of the flowing edges, sampled `n` times `everyMs` apart. */
async function offsets(page, n, everyMs) {
  const seen = [];
  for (let i = 0; i < n; i++) {
    seen.push(
      await page.$$eval('#topology .edge-flow:not(.idle)', (paths) =>
        paths.map((p) => `${p.getAttribute('stroke-dashoffset')}|${getComputedStyle(p).strokeDashoffset}`).join(' ')),
    );
    await page.waitForTimeout(everyMs);
  }
  return seen;
}

/** Running CSS animations (not transitions) anywhere on the page. */
function pageAnimations(page) {
  return page.evaluate(() =>
    document.getAnimations()
      .filter((a) => a.playState === 'running' && a instanceof CSSAnimation)
      .map((a) => `${a.animationName} on ${a.effect?.target?.className ?? '?'}`));
}

/** Running animations on the canvas (CSS animations and transitions included). */
function canvasAnimations(page) {
  return page.evaluate(() =>
    document.getAnimations()
      .filter((a) => a.playState === 'running' && a.effect?.target?.closest?.('#topology'))
      .map((a) => `${a.constructor.name} ${a.animationName ?? a.transitionProperty ?? ''}`));
}

export default async function edgeFlow({ page, open, screenshot, errors, assert, log }) {
  await open();
  await page.selectOption('#scenario-menu', '04-load-balancer.json');
  await page.waitForSelector('#design-status[data-valid="true"]');
  await page.selectOption('#speed', '10');
  await page.click('#play');
  const playedAt = Date.now();
  const starting = await pageAnimations(page);
  assert.ok(starting.some((a) => a.startsWith('pulse')), `the run dot pulses when the clock starts: ${starting}`);
  await waitSimTime(page, 3);
  await page.waitForSelector('#topology .edge-flow:not(.idle)', { state: 'attached' });
  const flowing = await page.$$eval('#topology .edge-flow:not(.idle)', (x) => x.length);
  assert.ok(flowing > 0, 'some edges carry traffic');

  const running = await offsets(page, 8, 60);
  log(`running: ${new Set(running).size} distinct offsets in 8 samples of ${flowing} edges: ${running[0]}`);
  assert.ok(new Set(running).size >= 3, `the dashes move while the clock runs: ${running.join(' / ')}`);
  for (const sample of running) {
    for (const edge of sample.split(' ')) {
      const [attr] = edge.split('|');
      const px = -Number(attr);
      assert.ok(Number.isInteger(px) && px >= 0 && px < 28, `an offset within two dash patterns: ${attr}`);
    }
  }
  const animations = await canvasAnimations(page);
  assert.deepEqual(animations.filter((a) => !/Transition/.test(a)), [], 'no CSS animation repaints the canvas every frame');
  await screenshot('44-flowing');
  // Two pulses of 1.6 s, then nothing animates while the clock runs.
  await page.waitForTimeout(Math.max(0, playedAt + 3600 - Date.now()));
  assert.ok(await page.$('.run-dot.on'), 'the clock still runs');
  assert.deepEqual(await pageAnimations(page), [], 'no endless CSS animation while the clock runs');

  await page.click('#pause');
  await page.waitForTimeout(150);
  const paused = await offsets(page, 6, 60);
  assert.equal(new Set(paused).size, 1, `the dashes stand still while paused: ${paused.join(' / ')}`);

  // Reduced motion: the dashes stay at their origin, running or not.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.click('#play');
  await page.waitForTimeout(300);
  const reduced = await offsets(page, 6, 60);
  log(`reduced motion: ${reduced[0]}`);
  assert.equal(new Set(reduced).size, 1, `no motion when reduced motion is asked for: ${reduced.join(' / ')}`);
  for (const edge of reduced[0].split(' ')) {
    assert.equal(edge.split('|')[1], '0px', `the dash offset reads 0 with reduced motion: ${edge}`);
  }
  await page.click('#pause');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
