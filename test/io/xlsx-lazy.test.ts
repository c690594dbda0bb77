/**
 * exceljs (and its dependencies) load only when a workbook is opened: the reader thread of
 * `run` imports the ingest stage, and it read no CSV line before that load was done. Runs the
 * compiled code from dist/ (npm test builds first) in a fresh process.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../cli/cli-test-utils.js';

const dist = resolve(import.meta.dirname, '../../dist');
const tmp = tempDir('custkit-xlsx-lazy-');
afterAll(() => tmp.cleanup());

/** Whether a module of exceljs is loaded after importing `module` (and running `then`, which may print first). */
function loadsExcel(module: string, then = ''): string {
  const url = pathToFileURL(join(dist, module)).href;
  const code = `import { createRequire } from 'node:module';
const m = await import(${JSON.stringify(url)});
${then}
const loaded = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/exceljs/'));
process.stdout.write(String(loaded));`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
}

describe('exceljs loads lazily', () => {
  it('importing the reader job and the ingest stage does not load it', () => {
    expect(loadsExcel('parallel/reader-job.js')).toBe('false');
    expect(loadsExcel('pipeline/ingest-stage.js')).toBe('false');
  });
  it('opening a workbook loads it and reads the sheet (the check sees a load)', async () => {
    const file = tmp.path('lazy.xlsx');
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('Orders');
    ws.addRow(['customer_id', 'amount']);
    ws.addRow(['c1', 12.5]);
    await book.xlsx.writeFile(file);
    const read = `const x = await m.openXlsxRows(${JSON.stringify(file)}, null);
for await (const b of x.batches) process.stdout.write(JSON.stringify(b.rows) + ' ');
await x.close();`;
    expect(loadsExcel('io/xlsx-reader.js', read)).toBe('[["customer_id","amount"],["c1","12.5"]] true');
  });
});
