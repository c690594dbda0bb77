/**
 * The HTML report on a phone (390 px) and a laptop (1280 px) in headless Chromium: the page never
 * scrolls sideways and every chart stays inside its card, with its drawing inside its own box.
 * Skipped only when /usr/bin/chromium is absent (CI installs it).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { fixtureModel } from './report-fixture.js';
import { renderHtml } from '../../src/render/html.js';
import type { ReportModel } from '../../src/core/report/report-model.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);

/** The fixture with long cluster labels (as k-means writes when two profiles coincide) and a long id. */
function longModel(lang: 'en' | 'zh'): ReportModel {
  const m = fixtureModel(lang);
  m.clusters!.profiles = m.clusters!.profiles.map((p) => ({ ...p, label: 'recent · frequent · high spend · revenue ≈ 123456 · orders ≈ 12.5' }));
  m.sleeping!.call_list[0]!.customer_id = 'X'.repeat(120);
  return m;
}

describe.skipIf(!HAS_CHROMIUM)('HTML report width in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'custkit-html-phone-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const lang of ['en', 'zh'] as const)
    for (const width of [390, 1280])
      it(`${lang} at ${width} px: no sideways scroll, charts inside their cards`, async () => {
        const file = join(dir, `report-${lang}-${width}.html`);
        writeFileSync(file, renderHtml(longModel(lang)));
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        try {
          await page.goto('file://' + file);
          // Page-side code as text: the test project has no DOM typings.
          const scroll = (await page.evaluate(
            '({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, inner: window.innerWidth })',
          )) as { doc: number; body: number; inner: number };
          expect(scroll.inner).toBe(width);
          expect(scroll.doc).toBeLessThanOrEqual(width);
          expect(scroll.body).toBeLessThanOrEqual(width);
          const charts = (await page.evaluate(`[...document.querySelectorAll('svg.chart')].map((svg) => {
            const card = svg.closest('section').getBoundingClientRect();
            const box = svg.getBoundingClientRect();
            const vb = svg.viewBox.baseVal;
            // Union of the drawing's boxes in viewBox units: must lie inside the viewBox (nothing clipped).
            let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
            for (const el of svg.querySelectorAll('text,rect,circle,line,polyline,polygon')) {
              if ((el.getAttribute('transform') || '').includes('rotate')) continue; // rotated axis titles: getBBox is pre-rotation
              const b = el.getBBox();
              x0 = Math.min(x0, b.x); x1 = Math.max(x1, b.x + b.width); y0 = Math.min(y0, b.y); y1 = Math.max(y1, b.y + b.height);
            }
            return { cls: svg.getAttribute('class'), card: [card.left, card.right], box: [box.left, box.right, box.width], vb: [vb.width, vb.height], draw: [x0, x1, y0, y1] };
          })`)) as { cls: string; card: number[]; box: number[]; vb: number[]; draw: number[] }[];
          expect(charts.length).toBe(7);
          for (const c of charts) {
            expect(c.box[2], c.cls!).toBeGreaterThan(100);
            expect(c.box[0], c.cls!).toBeGreaterThanOrEqual(c.card[0]!);
            expect(c.box[1], c.cls!).toBeLessThanOrEqual(c.card[1]!);
            expect(c.draw[0], c.cls!).toBeGreaterThanOrEqual(-0.5);
            expect(c.draw[1], c.cls!).toBeLessThanOrEqual(c.vb[0]! + 0.5);
            expect(c.draw[2], c.cls!).toBeGreaterThanOrEqual(-0.5);
            expect(c.draw[3], c.cls!).toBeLessThanOrEqual(c.vb[1]! + 0.5);
          }
        } finally {
          await page.close();
        }
      });
});
