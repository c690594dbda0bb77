/**
 * Reports people can read (#25 item 7): every label, reason and cluster description in Chinese
 * with --lang zh, changes first when there is a previous run, terminal tables as wide as the
 * terminal, and `run` ending with a short summary at a terminal.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { clusterLabelText, reasonName, sleepReasonText } from '../../src/core/report/i18n.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderHtml } from '../../src/render/html.js';
import { renderTable } from '../../src/render/table.js';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { fixtureModel } from './report-fixture.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'custkit-readable-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A stream that says it is a terminal of `columns` columns. */
class Terminal extends Writable {
  isTTY = true;
  chunks: string[] = [];
  constructor(public columns: number) {
    super();
  }
  override _write(c: Buffer | string, _e: BufferEncoding, cb: () => void): void {
    this.chunks.push(String(c));
    cb();
  }
  text = (): string => this.chunks.join('');
}

describe('Chinese report text', () => {
  it('cluster labels, including the distinguishing part', () => {
    expect(clusterLabelText('zh', 'recent · frequent · high spend')).toBe('近期购买 · 高频 · 高消费');
    expect(clusterLabelText('zh', 'lapsed · infrequent · low spend · revenue ≈ 812 · last ≈ 37 d')).toBe('久未购买 · 低频 · 低消费 · 销售额 ≈ 812 · 距上次购买 ≈ 37 天');
    expect(clusterLabelText('en', 'recent · frequent · high spend')).toBe('recent · frequent · high spend');
    expect(clusterLabelText('zh', 'my own label')).toBe('my own label'); // a user's own text passes
  });
  it('sleep reasons of both rules', () => {
    expect(sleepReasonText('zh', 'cycle: 2.31× expected 45 d ≥ 2')).toBe('周期：距上次购买为预期间隔 45 天的 2.31 倍 ≥ 2');
    expect(sleepReasonText('zh', 'days: 95 ≥ 90')).toBe('天数：95 ≥ 90');
    expect(sleepReasonText('zh', 'days (no repeat customers): 12 < 30')).toBe('天数（无复购客户）：12 < 30');
  });
  it('reject and removal reasons', () => {
    expect(reasonName('zh', 'missing_customer_id')).toBe('缺少客户编号');
    expect(reasonName('zh', 'cancelled')).toBe('已取消');
    expect(reasonName('en', 'cancelled')).toBe('cancelled');
  });

  it('run --lang zh on the demo export: no English words left in report.md or report.html', async () => {
    const out = tmp();
    const r = await runCli(['run', '--out', out, '--lang', 'zh', '-q']);
    expect(r.code).toBe(0);
    // Allowed: acronyms (BG/NBD, the model), option names, the generator line, customer ids (C0000123) and machine comments (run id).
    const strip = (s: string): string =>
      s.replace(/<!--[\s\S]*?-->/g, '').replace(/\b(CLV|RFM|ABC|VIP|BG|MBG|NBD|custkit|R|F|M|C\d+)\b|--[a-z-]+|[A-Za-z]+-\d[\w.-]*/g, '').replace(/&[a-z]+;/g, '');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const english = strip(md).match(/[A-Za-z]{2,}/g) ?? [];
    expect(english).toEqual([]);
    expect(md).toContain('周期：'); // the call list's reasons
    expect(md).toMatch(/(近期购买|久未购买) · (高频|低频) · (高消费|低消费)/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const body = html.slice(html.indexOf('<body>')).replace(/<[^>]*>/g, ' ');
    expect(strip(body).match(/[A-Za-z]{2,}/g) ?? []).toEqual([]);
  }, 60_000);
});

describe('changes since the last run come first', () => {
  it('right after the overview in markdown and the terminal table, first section of the HTML', () => {
    const m = fixtureModel('en');
    const md = renderMarkdown(m);
    expect(md.indexOf('## Changes since the previous report')).toBeGreaterThan(md.indexOf('## Overview'));
    expect(md.indexOf('## Changes since the previous report')).toBeLessThan(md.indexOf('## Revenue concentration'));
    const html = renderHtml(m);
    expect(html.match(/<section id="([a-z_]+)"/)![1]).toBe('changes');
    const tb = renderTable(m, { color: false });
    expect(tb.indexOf('Changes since the previous report')).toBeLessThan(tb.indexOf('Revenue concentration'));
  });
});

describe('terminal width', () => {
  it('report on a 120-column terminal uses the width: whole headers, lines up to 120', async () => {
    const dir = tmp();
    const table = join(dir, 'customers.csv');
    expect((await runCli(['run', '--out', dir, '-q'])).code).toBe(0);
    const wide = new Terminal(120), err = new Terminal(120);
    expect(await main(['report', table, '--format', 'table'], { stdout: wide, stderr: err, env: { NO_COLOR: '1' } })).toBe(0);
    const lines = wide.text().replace(/\x1b\[[0-9;]*m/g, '').split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeGreaterThan(80);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(120);
    expect(lines.join('\n')).toContain('│ Customer ');
    // Unknown width (a pipe): 80 columns as before.
    const piped = await runCli(['report', table, '--format', 'table']);
    expect(Math.max(...piped.stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(80);
  }, 60_000);
});

describe('run at a terminal', () => {
  it('ends with at most 5 lines: where the report is, customers, revenue, alerts; --verbose and logs keep the notes', async () => {
    const out = tmp();
    const stdout = new Terminal(100), stderr = new Terminal(100);
    const code = await main(['run', '--out', out, '--fail-if', 'customers>10'], { stdout, stderr, env: { NO_COLOR: '1' } });
    expect(code).toBe(4);
    // Progress lines overwrite themselves (ESC[2K); what stays on screen is after the last one.
    const lines = stderr.text().split('\x1b[2K').at(-1)!.trimEnd().split('\n');
    expect(lines).toEqual([
      `Report: ${join(out, 'report.html')} (also report.md; customers in customers.csv)`,
      'Customers: 503 (as of 2026-06-30)',
      'Revenue: 288,922.06',
      'Alerts: customers>10 (value 503)',
    ]);
    const verbose = new Terminal(100);
    expect(await main(['run', '--out', out, '--verbose'], { stdout, stderr: verbose, env: { NO_COLOR: '1' } })).toBe(0);
    expect(verbose.text()).toContain('run: segment: RFM segments');
    const log = await runCli(['run', '--out', out]); // stderr not a terminal: a log gets every note
    expect(log.stderr).toContain('run: segment: RFM segments');
    expect(log.stderr).not.toContain('Revenue: ');
  }, 60_000);
});
