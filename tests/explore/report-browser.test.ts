// The HTML report in a real browser: Debian's Chromium, headless, driven by playwright-core (no
// browser download). .ci/run installs chromium when it is missing; on a machine without it the
// test is skipped, except in CI, where a missing browser fails.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadLabelIndex } from '../../src/explore/load.js';
import { renderReport, reportData } from '../../src/explore/report.js';
import { findLabels } from '../../src/explore/index.js';
import { ROOT } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);

describe.skipIf(!haveBrowser)('labelmap report in headless Chromium (shipped sheets)', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'labelmap-report-'));
  const file = path.join(dir, 'report.html');
  const loaded = loadLabelIndex(path.join(ROOT, 'sheets'));
  const data = reportData('labelmap report', 'sheets', loaded.index, loaded.bundles);

  beforeAll(async () => {
    writeFileSync(file, renderReport(data));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    // Any request beyond the file itself would be a network dependency: record and refuse it.
    await page.route('**/*', (route) => {
      if (route.request().url() === pathToFileURL(file).href) return route.continue();
      errors.push(`request: ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console error and no request beyond the file', () => {
    expect(errors).toEqual([]);
  });

  it('shows the taxonomy tree with every class, collapsed, and a click expands a node', async () => {
    expect(await page.locator('#tree details.node').count()).toBe(loaded.index.classes.length);
    const vehicle = page.locator('#tree details.node[data-name="vehicle"]');
    expect(await vehicle.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
    expect(await page.locator('details.node[data-name="car"] > summary').isVisible()).toBe(false);
    await vehicle.locator(':scope > summary').click();
    expect(await vehicle.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    expect(await page.locator('details.node[data-name="car"] > summary').isVisible()).toBe(true);
  });

  it('has one coverage cell per (output label, dataset) of each vertical, with the status as text', async () => {
    for (const v of data.verticals) {
      const cells = page.locator(`table.matrix[data-vertical="${v.name}"] td.cov`);
      expect(await cells.count()).toBe(v.labels.length * v.coverage.length);
    }
    const first = data.verticals[0]!;
    const statuses = await page.locator(`table.matrix[data-vertical="${first.name}"] td.cov`).evaluateAll((tds) => tds.map((td) => td.getAttribute('data-status')));
    expect(statuses).toEqual(first.labels.flatMap((_, i) => first.coverage.map((c) => c.cells[i]!.status)));
    // Legible without colour: the word is in the cell.
    const texts = await page.locator(`table.matrix[data-vertical="${first.name}"] td.cov`).allTextContents();
    expect(texts.every((t) => /full|partial|none/.test(t))).toBe(true);
  });

  it('the search box shows the classes that `labelmap find` finds, and hides the rest', async () => {
    await page.fill('#search', 'traffic lights');
    const visible = await page.locator('#tree details.node:not(.hidden)').evaluateAll((ds) => ds.map((d) => d.getAttribute('data-name')));
    const found = findLabels(loaded.index, 'traffic lights').groups.map((g) => g.target).filter((t) => t !== 'ignore' && t !== 'background');
    expect(found.length).toBeGreaterThan(0);
    for (const name of found) expect(visible).toContain(name);
    expect(visible).not.toContain('car');
    expect(await page.locator('details.node[data-name="traffic_light"] > summary').isVisible()).toBe(true);
    await page.fill('#search', '');
    expect(await page.locator('#tree details.node.hidden').count()).toBe(0);
  });

  it('switching the vertical shows its matrix and its lookup-table landings', async () => {
    const names = data.verticals.map((v) => v.name);
    const target = names.includes('self-driving') ? 'self-driving' : names[0]!;
    await page.selectOption('#vertical-pick', target);
    expect(await page.locator(`.matrix-wrap[data-vertical="${target}"]`).isVisible()).toBe(true);
    for (const other of names.filter((n) => n !== target)) expect(await page.locator(`.matrix-wrap[data-vertical="${other}"]`).isVisible()).toBe(false);
    const cityscapes = page.locator('details.lut[data-dataset="cityscapes"]');
    await cityscapes.locator('summary').click();
    const car = await cityscapes.locator('tr[data-source="car"] td.landing').textContent();
    const expected = loaded.index.sources.find((s) => s.dataset === 'cityscapes' && s.name === 'car')!.landings.find((l) => l.vertical === target)!;
    expect(car).toBe(expected.output);
  });

  it('takes a screenshot that shows the page (not blank)', async () => {
    const shot = path.join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: false });
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // A blank page compresses to a few kB; the header, tree and table text make it far larger.
    expect(png.length).toBeGreaterThan(20_000);
  });
});
