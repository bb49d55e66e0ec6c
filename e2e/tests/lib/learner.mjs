// Helpers that act as a learner would: pointer drags from the palette,
// connections from a node's output port, reading figures from the page.

/** The #readout figures as numbers. */
export async function readout(page) {
  return page.$eval('#readout', (el) => {
    const num = (k) => (el.dataset[k] === '' || el.dataset[k] === undefined ? NaN : Number(el.dataset[k]));
    return {
      t: num('simTimeS'),
      p50: num('latencyMsP50'),
      p95: num('latencyMsP95'),
      p99: num('latencyMsP99'),
      thr: num('throughputRps'),
      offered: num('offeredRps'),
      windowErrors: num('windowErrors'),
      errors: num('errors'),
      availability: num('availability'),
      availabilityTotal: num('availabilityTotal'),
      causes: el.dataset.errorCauses ?? '',
      text: el.innerText,
    };
  });
}

/** Wait until simulated time has reached `seconds`. */
export async function waitSimTime(page, seconds, timeout = 40000) {
  await page.waitForFunction(
    (s) => Number(document.querySelector('#readout')?.dataset.simTimeS) >= s,
    seconds,
    { timeout, polling: 100 },
  );
}

/** Center of an element's box. */
async function center(page, selector) {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drag a palette item (by kind slug) onto the canvas at (x, y) relative to the canvas' top-left. */
export async function dragFromPalette(page, slug, x, y) {
  await page.locator(`[data-testid="palette-${slug}"]`).scrollIntoViewIfNeeded();
  const from = await center(page, `[data-testid="palette-${slug}"]`);
  const canvas = await page.locator('#topology').boundingBox();
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 30, from.y + 5, { steps: 3 });
  await page.mouse.move(canvas.x + x, canvas.y + y, { steps: 8 });
  await page.mouse.up();
}

/** Drag from `from`'s output port onto node `to`. */
export async function connect(page, from, to) {
  const a = await center(page, `[data-testid="port-out-${from}"] .port-out`);
  const b = await center(page, `[data-testid="node-${to}"] .node-box`);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
  await page.mouse.move(b.x, b.y, { steps: 4 });
  await page.mouse.up();
}

/** Click a node to select it. */
export async function selectNode(page, id) {
  const c = await center(page, `[data-testid="node-${id}"] .node-title`);
  await page.mouse.click(c.x, c.y);
  await page.waitForSelector('#inspector .insp-kind');
}

/** Type a value into an inspector field and commit it with Enter. */
export async function setField(page, field, value) {
  await page.fill(`#f-${field}`, String(value));
  await page.press(`#f-${field}`, 'Enter');
}

/**
 * Pick a chapter scenario from the menu and wait until it is loaded (the page
 * fetches it). The name alone is no signal when the design already has it (the
 * first page shows stage 1): `#design-name[data-loads]` counts loaded designs.
 */
export async function pickPreset(page, file) {
  const name = await presetName(page, file);
  const loads = await page.$eval('#design-name', (e) => Number(e.dataset.loads));
  await page.selectOption('#scenario-menu', file);
  await page.waitForFunction(
    ([n, before]) => {
      const e = document.querySelector('#design-name');
      return e?.textContent === n && Number(e.dataset.loads) > before;
    },
    [name, loads],
  );
}

/** The design name of chapter scenario `file` (its entry in the menu). */
export async function presetName(page, file) {
  return page.$eval(`#scenario-menu option[value="${file}"]`, (o) => o.textContent);
}

/** Start from an empty canvas. */
export async function emptyCanvas(page) {
  await page.selectOption('#scenario-menu', '');
  await page.waitForFunction(() => document.querySelector('#topology')?.dataset.components === '0');
}

/** Build users → load balancer → web tier (3 instances) → database from an empty canvas. */
export async function buildWebDesign(page) {
  await emptyCanvas(page);
  await dragFromPalette(page, 'users', 90, 200);
  await dragFromPalette(page, 'lb', 280, 200);
  await dragFromPalette(page, 'web', 470, 200);
  await dragFromPalette(page, 'db', 660, 200);
  await page.waitForFunction(() => document.querySelector('#topology')?.dataset.components === '4');
  await selectNode(page, 'web');
  await setField(page, 'instances', 3);
  await page.waitForFunction(() => document.querySelector('[data-testid="node-web"] .node-sub')?.textContent.startsWith('3 ×'));
  await connect(page, 'users', 'lb');
  await connect(page, 'lb', 'web');
  await connect(page, 'web', 'db');
  await page.waitForFunction(() => document.querySelector('#topology')?.dataset.edges === '3');
  await page.waitForSelector('#design-status[data-valid="true"]');
}

/** The design as exported JSON (opens and closes the export dialog). */
export async function exportJson(page) {
  await page.click('#export');
  const text = await page.inputValue('#export-json');
  await page.click('#dialog-close');
  return JSON.parse(text);
}
