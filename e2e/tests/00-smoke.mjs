// Smoke test: the built app loads, renders its root element, and logs no errors.

export default async function smoke({ open, page, screenshot, errors, assert }) {
  await open(); // navigates to the app and waits for #app-root
  // Give the wasm app a moment to finish its first render and any async start-up work.
  await page.waitForLoadState('networkidle');
  await screenshot('smoke');
  const root = await page.$('#app-root');
  assert.ok(root, '#app-root is present');
  assert.ok(await root.isVisible(), '#app-root is visible');
  assert.deepEqual(errors, [], 'no page errors and no console errors');
}
