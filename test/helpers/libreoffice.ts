/**
 * LibreOffice Calc, headless, as the independent reader of the workbooks custkit writes:
 * every sheet converted to CSV (UTF-8, raw values), parsed with csv-parse. Tests that need it
 * skip with a message when `soffice` is absent (.ci/run installs libreoffice-calc-nogui).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';

function findSoffice(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v soffice || command -v libreoffice'], { encoding: 'utf8' });
  const p = r.stdout.trim().split('\n')[0];
  return r.status === 0 && p ? p : null;
}

export const SOFFICE = findSoffice();
if (!SOFFICE) console.warn('[custkit tests] soffice not found: LibreOffice workbook tests skipped (apt-get install libreoffice-calc-nogui)');

/** Every sheet of `xlsx` as rows of cells, as LibreOffice reads it, by sheet name. */
export function sheetsByLibreOffice(xlsx: string): Record<string, string[][]> {
  const work = mkdtempSync(join(tmpdir(), 'custkit-lo-'));
  try {
    // Field 44 (,), text 34 ("), UTF-8 (76), from line 1, no "as shown" formatting, every sheet (-1).
    const filter = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';
    // A fresh profile can make the first start exit before converting: one more try then.
    for (let attempt = 0; attempt < 3 && !existsSync(join(work, 'out')); attempt++) {
      const r = spawnSync(SOFFICE!, [`-env:UserInstallation=file://${join(work, 'profile')}`, '--headless', '--convert-to', filter, '--outdir', join(work, 'out'), xlsx], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0 && r.status !== 81) throw new Error(`soffice failed (${r.status}): ${r.stderr}`);
    }
    const base = basename(xlsx).replace(/\.xlsx$/, '');
    const out: Record<string, string[][]> = {};
    for (const f of readdirSync(join(work, 'out'))) {
      const sheet = f.slice(base.length + 1).replace(/\.csv$/, '');
      out[sheet] = parse(readFileSync(join(work, 'out', f), 'utf8'), { relax_column_count: true }) as string[][];
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
