/** run's two id lists beside the customer table: actions.csv and the --pseudonym-map file. */
import { join } from 'node:path';
import type { StageContext } from './stage-context.js';
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import type { Pseudonymizer } from '../core/privacy/pseudonym.js';
import type { SegmentResult } from '../core/segment/classify.js';
import { csvLine } from '../io/csv-format.js';
import { openSink } from '../io/text-output.js';
import { runActionList, writeActionLines, type ActionSettings } from './actions-stage.js';
import { withoutPersonalAttributes } from './pseudonymize-table.js';
import { valueAtRisk, type ScoreResult } from './score-stage.js';
import type { RunOptions } from './run-options.js';

/** value_at_risk per customer. */
function riskOf(sc: ScoreResult): Float64Array {
  const risk = new Float64Array(sc.clv.length);
  for (let i = 0; i < risk.length; i++) risk[i] = valueAtRisk(sc.pAlive[i]!, sc.clv[i]!);
  return risk;
}

/** actions.csv (actions-stage.ts), or a note saying why there is none. */
export async function writeActions(
  ctx: StageContext,
  o: RunOptions,
  outDir: string,
  ids: readonly string[],
  seg: SegmentResult,
  sc: ScoreResult | null,
  attributes: AttributeCells | null,
  settings: ActionSettings,
  exclude: ReadonlySet<string>,
): Promise<number | null> {
  if (settings.table === null) {
    ctx.msgs.note(`run: no actions.csv: ${settings.why ?? 'no action table'}`);
    return null;
  }
  const clv = sc ? sc.clv : null;
  // Contacts are the list's purpose (shown, masked or not), except under --pii drop.
  if (attributes && o.pii === 'drop') {
    const w = withoutPersonalAttributes(attributes, ids.length);
    if (w.dropped.length) ctx.msgs.note(`run: actions.csv: --pii drop leaves out ${w.dropped.join(', ')}`);
    attributes = w.cells;
  }
  const risk = sc ? riskOf(sc) : null;
  const list = runActionList(ids, seg, clv, risk, { ...settings, table: settings.table }, exclude);
  const out = openSink(join(outDir, 'actions.csv'));
  await writeActionLines(out, list, ids, seg, clv, risk, attributes, o.report.lang);
  await out.close();
  ctx.msgs.note(`run: actions.csv: ${list.rows.length} customers to act on${list.noAction ? `, ${list.noAction} in segments without an action` : ''}${list.suppressed ? `, ${list.suppressed} suppressed (--suppress)` : ''}${list.excluded ? `, ${list.excluded} excluded` : ''}`);
  return list.rows.length;
}

/**
 * The id ↔ pseudonym table of --pseudonym-map: everyone pseudonymised in this run (customers,
 * and the ids of rejected rows), sorted by id. Outside the output folder by the user's choice.
 */
export async function writePseudonymMap(path: string, p: Pseudonymizer): Promise<void> {
  const sink = openSink(path);
  sink.write('customer_id,pseudonym\n');
  for (const [id, pid] of p.pairs()) sink.write(csvLine([id, pid]));
  await sink.close();
}
