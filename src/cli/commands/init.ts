export const HELP = `
custkit init SAMPLE.csv — write a config file for exports like SAMPLE.

Sniffs the sample (encoding, delimiter, header, column mapping, date format, decimal
mark), reads it through ingest to check it, and writes custkit.config.json (or --output)
with every option of every stage and its default, the sniffed values filled in. Edit it,
then: custkit run --config custkit.config.json [FILES...]
Cost: reads the sample once, streaming.

Examples:
  custkit init exports/2026-01.csv
  custkit init orders.txt --no-header --map customer_id=2,order_date=3,amount=5\\
      -o cdnow.json
`;
import { existsSync } from 'node:fs';
import type { CommandSpec } from '../command.js';
import { EXIT, usageError } from '../../errors.js';
import { ingestFiles } from '../../pipeline/ingest-stage.js';
import { defaultConfig } from '../../config/config-file.js';
import { writeFileAtomic } from '../../io/atomic-file.js';
import { ingestOptionsFrom } from '../../config/ingest-options.js';
import { countsLine } from '../../pipeline/ingest-summary.js';

export const initCommand: CommandSpec = {
  name: 'init',
  args: '<sample>',
  summary: 'sniff a sample export and write a config file',
  help: HELP,
  stages: ['ingest'],
  extra: [
    { flags: '-o, --output <file>', description: 'config file to write', default: 'custkit.config.json' },
    { flags: '--force', description: 'overwrite an existing config file' },
  ],
  async run(ctx, args, o) {
    const sample = args[0]!;
    const out = String(o.output);
    if (existsSync(out) && !o.force) throw usageError(`${out} already exists`, 'use --force to overwrite it, or -o another file');
    const res = await ingestFiles([sample], ingestOptionsFrom(o, ctx.today()), { onSchema() {}, onTx() {}, onReject() {} });
    const f = res.files[0]!;
    const cfg = defaultConfig();
    cfg.ingest.encoding = f.encoding;
    cfg.ingest.delimiter = f.delimiter;
    cfg.ingest.header = f.header;
    // Names that --map cannot carry (a comma, '=') are written as column numbers.
    cfg.ingest.map = f.mapSpec;
    cfg.ingest['date-format'] = f.dateFormat;
    cfg.ingest.decimal = f.decimal;
    if (o.keep) cfg.ingest.keep = o.keep as string;
    const doc = {
      $schema: './schema/custkit.config.schema.json',
      '//': `written by custkit init from ${sample}: ${f.rows} rows, ${res.rowsOut} readable, rejected: ${countsLine(res.rejected)}. Every option is listed with its default; see README "Config file".`,
      ...cfg,
    };
    writeFileAtomic(out, JSON.stringify(doc, null, 2) + '\n');
    ctx.msgs.note(`init: ${sample}: ${f.encoding}, delimiter ${f.delimiter}, ${f.header ? 'header' : 'no header'}, dates ${f.dateFormat}, decimal "${f.decimal}"`);
    ctx.msgs.note(`init: ${f.mapping}`);
    if (f.amountless) ctx.msgs.warn(`init: ${sample}: no amount column maps: transactions without amounts, money-only outputs (revenue, CLV, value at risk) will be absent; map one with --map amount=<column> if the file has one`);
    ctx.msgs.note(`init: wrote ${out}`);
    return EXIT.OK;
  },
};
