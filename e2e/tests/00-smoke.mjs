// Smoke test: the built app loads, renders its root element, starts its
// simulation worker, and logs no errors and no warnings (the page's or the
// worker's).

export default async function smoke({ open, page, screenshot, errors, warnings, assert }) {
  await open(); // navigates to the app and waits for #app-root
  // Give the wasm app a moment to finish its first render and any async start-up work.
  await page.waitForLoadState('networkidle');
  // The capacity in the status line is the worker's answer (ToSim::Predict):
  // the worker has loaded its wasm and run.
  await page.waitForFunction(() => /\d/.test(document.querySelector('#design-status')?.textContent ?? ''));
  await screenshot('smoke');
  const root = await page.$('#app-root');
  assert.ok(root, '#app-root is present');
  assert.ok(await root.isVisible(), '#app-root is visible');
  assert.equal(page.workers().length, 1, 'the simulation worker runs');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
  assert.deepEqual(warnings, [], 'no console warnings');
}
