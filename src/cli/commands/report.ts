export const HELP = `
custkit report [FILE|-] — the customer table as a report people act on.

Reads the customer table from segment or score and writes: overview, Pareto/ABC with the
Lorenz curve and Gini, value pyramid, RFM segments (11-segment and Chinese 8-class maps)
with recommended actions and the R×F heatmap, clusters, sleeping customers with the call
list (--top N), lifetime value when scored, data quality (--audit-in) and changes since an
earlier run (--compare); with --cohorts FILE (from segment --cohorts-out) cohorts and
retention, and with --drivers as well the key indicators of retention.
Formats: table (default on a terminal), md (default otherwise), json (schema_version 1),
html (one self-contained file with SVG charts), csv (summary tables; --excel adds a UTF-8
BOM; formula injection neutralised), xlsx (the workbook \`run\` writes: typed customer table,
segments, data quality; needs FILE and -o). --by ATTR breaks the report down by a customer
attribute (kept columns): top --by-top values by revenue, the rest as other.
--fail-if 'metric>value' exits 4 after writing the report when a condition holds.
Cost: memory grows with customers (columnar, ~100 bytes each).

Examples:
  custkit report customers.csv
  custkit report scored.csv --format html --lang zh -o report.html
  custkit report customers.csv --format xlsx -o out.xlsx --audit-in audit.json
  custkit report customers.csv --format json --fail-if 'sleeping_value_share>.2'
  custkit report scored.csv --fit fit.json --fail-if 'fit_unreliable > 0'
  custkit report scored.csv --by country --format html -o report.html
`;
import type { CommandSpec } from '../command.js';
import { asOfOption } from '../shared.js';
import { EXIT, usageError } from '../../errors.js';
import { listValue } from '../../config/options.js';
import { isStdoutPath, openSink } from '../../io/text-output.js';
import { isStdin } from '../../io/text-input.js';
import { inputFile } from '../command-io.js';
import { colourWanted } from '../../io/messages.js';
import { loadCustomerTable } from '../../pipeline/customer-table-reader.js';
import { loadAudit, loadFitSummary, makeReport, renderReport, type ReportFormat } from '../../pipeline/report-stage.js';
import { loadRetention } from '../../pipeline/cohort-stage.js';
import { parseFailIf } from '../../core/report/fail-if.js';
import { METRICS } from '../../core/report/metrics.js';
import { failIfExit } from '../../pipeline/exit-checks.js';
import { PREVIOUS_TABLE_FIELDS } from '../../core/report/build-report.js';
import { VERSION_STRING } from '../version.js';
import { writeCustomerWorkbook } from '../../pipeline/customer-workbook.js';
import type { PiiMode } from '../../core/privacy/pii-columns.js';

export const reportCommand: CommandSpec = {
  name: 'report',
  args: '[file]',
  summary: 'render the customer table as a report (table, md, json, html, csv, xlsx)',
  help: HELP,
  stages: ['report'],
  extra: [
    { flags: '-o, --output <file>', description: 'write the report here (atomically) instead of stdout' },
    { flags: '--audit-in <file>', description: 'audit JSON from clean or run (data-quality section)' },
    { flags: '--compare <file>', description: 'previous customer table (changes section)' },
    asOfOption('as-of date to print', 'derived from the table: default'),
    { flags: '--cohorts <file>', description: 'cohorts JSON from segment --cohorts-out: adds the cohorts and retention section' },
    { flags: '--drivers', description: 'with --cohorts FILE: adds the key indicators of retention (outcome, interval and strength in docs/definitions.md)' },
    { flags: '--fit <file>', description: 'fit summary from score --model-out or run (fit.json): warns when the fit is unreliable; metric fit_unreliable' },
  ],
  async run(ctx, args, o) {
    const file = inputFile(args);
    const toTty = !o.output && Boolean(ctx.stdout.isTTY);
    const format = (o.format ?? (toTty ? 'table' : 'md')) as ReportFormat | 'xlsx';
    if (format === 'html' && !o.output && toTty) {
      throw usageError('--format html writes a file', 'add -o report.html');
    }
    if (format === 'xlsx' && (isStdoutPath(o.output as string | undefined) || isStdin(file))) {
      throw usageError('--format xlsx writes a workbook file from a customer-table file', 'e.g. custkit report customers.csv --format xlsx -o customers.xlsx');
    }
    if (o.failIf === 'help') {
      ctx.stdout.write(Object.entries(METRICS).map(([k, v]) => `${k.padEnd(24)} ${v}`).join('\n') + '\n');
      return EXIT.OK;
    }
    const conditions = o.failIf ? parseFailIf(String(o.failIf)) : [];
    const fit = o.fit ? loadFitSummary(String(o.fit)) : undefined;
    if (o.drivers && !o.cohorts) throw usageError('--drivers needs --cohorts FILE', 'write it with `custkit segment --cohorts-out FILE`; the customer table alone has no second-purchase dates');
    const retention = o.cohorts ? loadRetention(String(o.cohorts)) : undefined;
    const by = [...new Set(listValue(o.by))];
    const table = await loadCustomerTable(file, undefined, by);
    const previous = o.compare ? await loadCustomerTable(String(o.compare), PREVIOUS_TABLE_FIELDS) : undefined;
    const model = makeReport(table, {
      lang: (o.lang ?? 'en') as 'en' | 'zh',
      top: Number(o.top ?? 20),
      asOf: o.asOf ? String(o.asOf) : undefined,
      audit: o.auditIn ? loadAudit(String(o.auditIn)) : undefined,
      fit,
      cohorts: retention?.cohorts,
      drivers: o.drivers ? retention?.drivers ?? undefined : undefined,
      previous,
      generatedBy: VERSION_STRING,
      by,
      byTop: Number(o.byTop ?? 10),
      pii: (o.pii ?? 'mask') as PiiMode,
    });
    if (retention) {
      // Read from another file than the table: say when the two do not describe the same customers.
      const c = retention.cohorts, ov = model.overview;
      if (c.as_of !== ov.as_of || c.customers !== ov.customers) ctx.msgs.warn(`report: --cohorts ${String(o.cohorts)} is as of ${c.as_of ?? 'unknown'} with ${c.customers} customers; the table is as of ${ov.as_of ?? 'unknown'} with ${ov.customers}: different data or dates`);
    }
    if (format === 'xlsx') await writeCustomerWorkbook(String(o.output), { customersCsv: file, customers: table.length, model });
    else {
      // Tables use the terminal's width (80 when unknown: a pipe, a file).
      const width = toTty && (ctx.stdout.columns ?? 0) >= 40 ? ctx.stdout.columns : 80;
      const text = renderReport(model, format, { color: toTty && colourWanted(ctx.stdout, ctx.env), excel: Boolean(o.excel), width });
      const out = openSink(o.output as string | undefined, { stdout: ctx.stdout });
      out.write(text);
      await out.close();
    }
    ctx.msgs.note(`report: ${table.length} customers, as of ${model.overview.as_of ?? 'unknown'}, format ${format}${o.output ? ` → ${String(o.output)}` : ''}`);
    return failIfExit(ctx.msgs, conditions, model);
  },
};
