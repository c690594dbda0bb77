/**
 * Opens the fixture report in headless Chromium (playwright-core, system /usr/bin/chromium):
 * no console errors, every chart drawn, key figures visible. Saves test/artifacts/report.png.
 * Skipped only when /usr/bin/chromium is absent (CI installs it).
 */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../helpers/shared.js';
import { fixtureModel } from './report-fixture.js';
import { renderHtml } from '../../src/render/html.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`[custkit tests] ${CHROMIUM} not found: HTML browser test skipped (apt-get install chromium)`);

describe.skipIf(!HAS_CHROMIUM)('HTML report in headless Chromium', () => {
  it('renders every chart, shows the key figures and logs no errors', async () => {
    const artifacts = resolve(REPO_ROOT, 'test/artifacts');
    mkdirSync(artifacts, { recursive: true });
    const file = resolve(artifacts, 'report.html');
    writeFileSync(file, renderHtml(fixtureModel('en')));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(String(e)));
      const requests: string[] = [];
      page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
      await page.goto('file://' + file);
      // The <script> customer id must be text, not a script: no dialog, no script elements.
      expect(await page.locator('script').count()).toBe(0);
      const charts = await page.$$eval('svg.chart', (els) =>
        els.map((e) => {
          const b = e.getBoundingClientRect();
          return { cls: e.getAttribute('class'), children: e.querySelectorAll('rect,circle,polyline,polygon,line').length, w: b.width, h: b.height };
        }),
      );
      // Fixture has every section: Lorenz, pyramid bars, segment bars, heatmap, scatter, funnel, histogram.
      expect(charts.map((c) => c.cls!.replace('chart ', '')).sort()).toEqual(['bars', 'bars', 'funnel', 'heatmap', 'histogram', 'lorenz', 'scatter']);
      for (const c of charts) {
        expect(c.children).toBeGreaterThan(3);
        expect(c.w).toBeGreaterThan(100);
        expect(c.h).toBeGreaterThan(50);
      }
      const text = await page.innerText('body');
      // 30 customers and revenue 34,458.70 (sum of the fixture's revenue column; see render.test.ts).
      expect(text).toContain('30');
      expect(text).toContain('34,458.70');
      expect(text).toContain('<script>alert(1)</script>'); // shown as text
      await page.screenshot({ path: resolve(artifacts, 'report.png'), fullPage: true });
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
