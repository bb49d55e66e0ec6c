// Export, as a learner: after four steps of stage 4, the export dialog
// downloads the charts as one PNG (a valid image of non-zero size), the
// metrics as CSV (one row per window run), the design as JSON (re-importing
// it gives identical JSON) and a printable HTML report (picture, figures,
// review findings), which is opened and photographed; in Korean, the report
// is in Korean.

import { readFileSync } from 'node:fs';
import { emptyCanvas, pickPreset, readout } from './lib/learner.mjs';

export const timeout = 120000;

/** Click `selector` and return the download's file name and bytes. */
async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

export default async function exportTest({ browser, page, open, screenshot, errors, assert, log }) {
  await open();
  await pickPreset(page, '04-load-balancer.json');
  await page.waitForSelector('#design-status[data-valid="true"]');
  const steps = 4;
  for (let i = 1; i <= steps; i++) {
    await page.click('#step');
    await page.waitForFunction((s) => Number(document.querySelector('#readout').dataset.simTimeS) >= s, i);
  }
  const r = await readout(page);

  await page.click('#export');
  await page.waitForSelector('#export-dialog');

  // Charts: one PNG.
  const png = await download(page, '#export-png');
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  assert.deepEqual([...png.bytes.subarray(0, 8)], sig, 'PNG signature');
  assert.equal(png.bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  const width = png.bytes.readUInt32BE(16);
  const height = png.bytes.readUInt32BE(20);
  log(`${png.name}: ${png.bytes.length} bytes, ${width} × ${height}`);
  assert.equal(png.name, 'scalelab-charts.png');
  assert.ok(width > 100 && height > 100, `a real picture (${width} × ${height})`);
  const charts = await page.$$eval('canvas.chart-canvas', (cs) => ({ h: cs.reduce((s, c) => s + c.height, 0), w: Math.max(...cs.map((c) => c.width)) }));
  assert.deepEqual({ w: width, h: height }, { w: charts.w, h: charts.h }, 'the charts stacked');

  // Metrics: CSV, one row per window run.
  const csv = await download(page, '#export-csv');
  const lines = csv.bytes.toString('utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  log(`${csv.name}: ${header.length} columns, ${rows.length} rows`);
  assert.equal(rows.length, steps, 'one row per window run');
  assert.ok(header.includes('latency_ms_p99') && header.includes('throughput_rps') && header.includes('end_s'));
  for (const row of rows) {
    assert.equal(row.length, header.length);
    assert.ok(row.every((v) => Number.isFinite(Number(v))), `numbers only: ${row}`);
  }
  const col = (name) => header.indexOf(name);
  assert.deepEqual(rows.map((row) => Number(row[col('end_s')])), [1, 2, 3, 4]);
  assert.equal(Number(rows[steps - 1][col('latency_ms_p99')]).toFixed(1), Number(r.p99).toFixed(1), 'the last row is the last window');

  // Design: JSON, and re-importing it gives identical JSON.
  const shown = await page.inputValue('#export-json');
  const json = await download(page, '#download-json');
  assert.equal(json.bytes.toString('utf8'), shown);
  const reportDl = await download(page, '#export-report');
  await page.click('#dialog-close');
  await emptyCanvas(page);
  await page.setInputFiles('#import-file', { name: json.name, mimeType: 'application/json', buffer: json.bytes });
  await page.waitForFunction(() => document.querySelector('#topology')?.dataset.components === '4');
  await page.click('#export');
  const again = await page.inputValue('#export-json');
  await page.click('#dialog-close');
  assert.equal(again, shown, 'the re-imported design exports identical JSON');
  assert.deepEqual(JSON.parse(again), JSON.parse(json.bytes.toString('utf8')));

  // Report: a standalone page with the picture, the figures and the findings.
  const html = reportDl.bytes.toString('utf8');
  log(`${reportDl.name}: ${html.length} characters`);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<svg[^>]*id="topology"/);
  assert.match(html, /data-kind="no_replica"/);
  // The page's own stylesheet (fetched by the page; the worker keeps no copy).
  assert.match(html, /<style>[\s\S]*--chart-bg[\s\S]*<\/style>/, "the page's stylesheet is in the report");
  const report = await browser.newContext({ viewport: { width: 1000, height: 1100 } });
  try {
    const p = await report.newPage();
    await p.setContent(html);
    const nodes = await p.$$eval('.picture [data-testid^="node-"]', (n) => n.length);
    assert.equal(nodes, 4, 'the picture shows the four components');
    const figures = await p.$$eval('#figures tr', (rows) => rows.length);
    assert.ok(figures >= 8, `${figures} key figures`);
    await p.screenshot({ path: new URL('../artifacts/36-report.png', import.meta.url).pathname, fullPage: true });
  } finally {
    await report.close();
  }

  // In Korean the report is in Korean: labels, headings and the review's sentences.
  await page.click('#lang-ko');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  await page.click('#export');
  const ko = (await download(page, '#export-report')).bytes.toString('utf8');
  await page.click('#dialog-close');
  assert.match(ko, /<html lang="ko">/);
  assert.match(ko, /<h2>핵심 수치<\/h2>/, 'the figures heading is Korean');
  assert.match(ko, /<h2>설계 검토<\/h2>/, 'the review heading is Korean');
  assert.match(ko, /data-kind="no_replica">[^<]*복제본이 없습니다/, 'the finding is Korean');
  assert.doesNotMatch(ko.slice(ko.indexOf('<body')), /Key figures|has no replica/, 'no English left');
  assert.deepEqual(errors, [], 'no page errors');
}
