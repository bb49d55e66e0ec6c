// The numeric traffic field rejects bad input with a visible message and keeps the previous rate.

export default async function trafficInput({ page, open, screenshot, errors, assert }) {
  await open();
  await page.waitForSelector('#traffic-rps-input');

  await page.fill('#traffic-rps-input', '250');
  assert.equal(await page.inputValue('#traffic-rps'), '250', 'valid input moves the slider');
  assert.equal(await page.isVisible('#input-error'), false, 'no message for valid input');

  for (const bad of ['abc', '-5', 'NaN', '5000000']) {
    await page.fill('#traffic-rps-input', bad);
    assert.equal(await page.isVisible('#input-error'), true, `message shown for "${bad}"`);
    const msg = (await page.textContent('#input-error')).trim();
    assert.ok(msg.length > 10, `message has text for "${bad}": ${msg}`);
    assert.equal(await page.inputValue('#traffic-rps'), '250', `"${bad}" keeps the previous rate`);
    assert.equal(
      await page.getAttribute('#traffic-rps-input', 'aria-invalid'),
      'true',
      `field marked invalid for "${bad}"`,
    );
    if (bad === 'abc') await screenshot('11-traffic-input-error');
  }

  // Leaving the field shows the rate still in effect.
  await page.press('#traffic-rps-input', 'Tab');
  assert.equal(await page.inputValue('#traffic-rps-input'), '250', 'field reverts to the rate in effect');

  // A valid value clears the message.
  await page.fill('#traffic-rps-input', '300');
  assert.equal(await page.isVisible('#input-error'), false, 'message cleared by a valid value');
  assert.equal(await page.inputValue('#traffic-rps'), '300');

  // The page never shows a Rust panic.
  const body = await page.textContent('body');
  assert.doesNotMatch(body, /panicked|RuntimeError|unreachable/i);
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
