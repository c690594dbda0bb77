/**
 * run's previous table streamed from its file (run-compare.ts streamChanges): blocks read by
 * one builder that starts over in the same arrays give the rows of the whole table, and the
 * changes section equals the one from the table loaded whole (fixtures/report, sorted by id).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport, PREVIOUS_TABLE_FIELDS } from '../../src/core/report/build-report.js';
import { textAt } from '../../src/core/report/customer-record.js';
import { loadCustomerTable, readCustomerTableBlocks } from '../../src/pipeline/customer-table-reader.js';
import { streamChanges } from '../../src/pipeline/run-compare.js';
import { fixture } from '../helpers/cli.js';
import { tempDir } from '../cli/cli-test-utils.js';

const tmp = tempDir('custkit-prev-stream-');
afterAll(() => tmp.cleanup());

/** A fixture table with its rows sorted by id, as custkit writes them (its rows have no quoted line ends). */
function sortedCopy(name: string, reversed = false): string {
  const [header, ...rows] = readFileSync(fixture('report', name), 'utf8').trimEnd().split('\n');
  const id = (r: string): string => (r.startsWith('"') ? r.slice(1, r.indexOf('"', 1)) : r.slice(0, r.indexOf(',')));
  rows.sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
  if (reversed) rows.reverse();
  const path = tmp.path(`${reversed ? 'reversed-' : ''}${name}`);
  writeFileSync(path, [header, ...rows].join('\n') + '\n');
  return path;
}

describe('the previous table streamed', () => {
  const cur = sortedCopy('customers_small.csv');
  const prev = sortedCopy('customers_previous.csv');

  it('reads blocks of rows in one builder: the rows of the whole table, in order', async () => {
    const whole = await loadCustomerTable(prev, PREVIOUS_TABLE_FIELDS);
    const seen: [string, number, string | null, string | null][] = [];
    const sizes: number[] = [];
    await readCustomerTableBlocks(prev, 4, (t) => {
      sizes.push(t.length);
      for (let i = 0; i < t.length; i++) seen.push([t.ids[i]!, t.num.revenue[i]!, textAt(t.txt.rfmSegment, i), textAt(t.txt.sleepState, i)]);
    }, PREVIOUS_TABLE_FIELDS);
    expect(sizes).toEqual([4, 4, 4, 4, 4, 4, 3]); // 27 rows
    expect(seen).toEqual(Array.from({ length: whole.length }, (_, i) => [whole.ids[i]!, whole.num.revenue[i]!, textAt(whole.txt.rfmSegment, i), textAt(whole.txt.sleepState, i)]));
  });

  it('gives the changes section of the table loaded whole, for any block size', async () => {
    const table = await loadCustomerTable(cur);
    const opts = { lang: 'en' as const, top: 5, generatedBy: 'custkit test' };
    const expected = buildReport(table, { ...opts, previous: await loadCustomerTable(prev, PREVIOUS_TABLE_FIELDS) }).changes!;
    expect(expected.in_both).toBeGreaterThan(0);
    expect(expected.lost_from_table.customers).toBeGreaterThan(0);
    for (const rows of [1, 2, 5, 16384]) expect(await streamChanges(prev, table, 5, null, rows)).toEqual(expected);
  });

  it('leaves a table out of id order to be loaded whole', async () => {
    const table = await loadCustomerTable(cur);
    expect(await streamChanges(sortedCopy('customers_previous.csv', true), table, 5, null, 4)).toBeUndefined();
    expect(await streamChanges(prev, await loadCustomerTable(sortedCopy('customers_small.csv', true)), 5, null, 4)).toBeUndefined();
  });
});
