/** Loads fixtures/report/* and builds the report model the render tests share. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { REPO_ROOT } from '../helpers/shared.js';
import { readCustomerTable, type CustomerTable } from '../../src/core/report/customer-record.js';
import { buildReport } from '../../src/core/report/build-report.js';
import type { ReportModel } from '../../src/core/report/report-model.js';
import type { Lang } from '../../src/core/report/i18n.js';

export const FIXTURE_DIR = resolve(REPO_ROOT, 'fixtures/report');
export const EXPECTED_DIR = resolve(FIXTURE_DIR, 'expected');

/** Rows of a fixture CSV (header first). */
export function fixtureRows(name: string): string[][] {
  return parse(readFileSync(resolve(FIXTURE_DIR, name), 'utf8'), { relax_column_count: false }) as string[][];
}

export function fixtureTable(name: string): CustomerTable {
  const [header, ...rows] = fixtureRows(name);
  return readCustomerTable(header!, rows);
}

/** The full fixture report: small table + previous + audit, top 5. */
export function fixtureModel(lang: Lang = 'en'): ReportModel {
  return buildReport(fixtureTable('customers_small.csv'), {
    lang,
    top: 5,
    generatedBy: 'custkit test',
    audit: JSON.parse(readFileSync(resolve(FIXTURE_DIR, 'audit.json'), 'utf8')),
    previous: fixtureTable('customers_previous.csv'),
    segmentInfo: { silhouette: 0.61 },
  });
}
