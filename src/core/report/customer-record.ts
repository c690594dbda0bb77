/**
 * The customer table written by `custkit segment` / `custkit score`, decoded for the report.
 *
 * Input: a header and rows of string cells (the CSV layer in src/io splits them). Columns
 * are found by name, so order does not matter; unknown extra columns are ignored; any of the
 * classification or score groups may be absent (their fields are then null / NaN).
 *
 * Two shapes:
 * - {@link CustomerRecord}: one object per customer (tests, small tables, `decode`);
 * - {@link CustomerTable}: columnar — one Float64Array per numeric column (NaN = empty)
 *   and one Int32Array of codes per text column — what `buildReport` reads. A million
 *   customers take ≈ 25 numeric columns × 8 MB plus the ids, and no per-row objects.
 */
import { TextArena } from './text-arena.js';
import { parseIsoDay, formatDay } from '../time/day.js';
import { CustkitError, EXIT } from '../../errors.js';
import { NUMERIC_COLUMNS, OWN_COLUMN_NAMES, TEXT_COLUMNS, type NumericKey, type TextKey } from '../customer-table/schema.js';

// The columns are the table's schema (customer-table/schema.ts); re-exported for the report's readers.
export { NUMERIC_COLUMNS, TEXT_COLUMNS, type NumericKey, type TextKey };

/** One customer. Dates are day numbers (days since 1970-01-01); absent or empty cells are null. */
export type CustomerRecord = { customerId: string } & { [K in NumericKey]: number | null } & {
  [K in TextKey]: string | null;
};

/** A decoder bound to one header. */
export interface CustomerDecoder {
  /** Which optional fields the header carries. */
  readonly present: ReadonlySet<NumericKey | TextKey>;
  /** Decodes one row; throws a data error naming the column (and `line` when given) on a bad cell. */
  decode(cells: readonly string[], line?: number): CustomerRecord;
}

interface Bound {
  idIdx: number;
  num: { key: NumericKey; col: string; idx: number; required: boolean; date: boolean }[];
  txt: { key: TextKey; col: string; idx: number }[];
}

function bind(header: readonly string[]): Bound {
  const pos = new Map<string, number>();
  header.forEach((h, i) => {
    const name = h.trim().replace(/^\uFEFF/, '');
    if (!pos.has(name)) pos.set(name, i);
  });
  const idIdx = pos.get('customer_id') ?? -1;
  const missing: string[] = [];
  if (idIdx < 0) missing.push('customer_id');
  const num: Bound['num'] = [];
  for (const [key, col, required, date] of NUMERIC_COLUMNS) {
    const idx = pos.get(col) ?? -1;
    if (idx < 0 && required) missing.push(col);
    num.push({ key, col, idx, required, date });
  }
  const txt: Bound['txt'] = TEXT_COLUMNS.map(([key, col]) => ({ key, col, idx: pos.get(col) ?? -1 }));
  if (missing.length > 0) {
    throw new CustkitError(
      `customer table lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      EXIT.DATA,
      'the report reads the customer table written by `custkit segment` or `custkit score`',
    );
  }
  return { idIdx, num, txt };
}

function badCell(col: string, cell: string, line: number | undefined, what: string): CustkitError {
  return new CustkitError(`column ${col}: ${what} ${JSON.stringify(cell)}`, EXIT.DATA, undefined, {
    line,
    column: col,
  });
}

/** Parses one numeric cell: '' → NaN (null) unless required; else a finite number or a thrown error. */
function parseNumberCell(cell: string | undefined, col: string, required: boolean, date: boolean, line?: number): number {
  if (cell === undefined || cell.length === 0) {
    // segment writes revenue empty for transactions without amounts (ingest --no-amount): the
    // report leaves its money sections out (build-report.ts amountless).
    if (col === 'revenue') return NaN;
    if (required) throw badCell(col, cell ?? '', line, 'empty value in required column');
    return NaN;
  }
  if (date) {
    const d = parseIsoDay(cell);
    if (d === null) throw badCell(col, cell, line, 'not a YYYY-MM-DD date:');
    return d;
  }
  const v = +cell;
  // `+' 5'` is 5 and `+'0x1f'` is 31: accept only plain decimal text.
  const c0 = cell.charCodeAt(0);
  const c1 = cell.length > 1 ? cell.charCodeAt(1) | 32 : 0;
  if (
    !Number.isFinite(v) ||
    c0 <= 32 ||
    cell.charCodeAt(cell.length - 1) <= 32 ||
    (c0 === 48 && (c1 === 120 || c1 === 111 || c1 === 98))
  ) {
    throw badCell(col, cell, line, 'not a number:');
  }
  return v;
}

/**
 * Binds a decoder to a header. Required columns: customer_id, orders, purchase_days, revenue,
 * first_order, last_order, days_since_last (always written by `segment`); a missing one is a
 * data error that names it.
 */
export function parseCustomerTable(header: readonly string[]): CustomerDecoder {
  const b = bind(header);
  const present = new Set<NumericKey | TextKey>();
  for (const n of b.num) if (n.idx >= 0) present.add(n.key);
  for (const t of b.txt) if (t.idx >= 0) present.add(t.key);
  return {
    present,
    decode(cells, line) {
      const rec = { customerId: cells[b.idIdx] ?? '' } as CustomerRecord;
      for (const n of b.num) {
        const v = n.idx < 0 ? NaN : parseNumberCell(cells[n.idx], n.col, n.required, n.date, line);
        rec[n.key] = Number.isNaN(v) ? null : v;
      }
      for (const t of b.txt) {
        const s = t.idx < 0 ? '' : (cells[t.idx] ?? '');
        rec[t.key] = s.length === 0 ? null : s;
      }
      return rec;
    },
  };
}

/**
 * Interned text column: codes[i] indexes values; −1 = empty. A nearly unique display-only
 * column (sleep_reason past RAW_AFTER distinct values) keeps its values in a TextArena
 * instead: `values` is then empty and `value(code)` reads one; use {@link textAt}.
 */
export interface TextColumn {
  codes: Int32Array;
  values: string[];
  value?: (code: number) => string;
}

/** Columnar customer table (see module comment). Numeric NaN = empty; text code −1 = empty. */
export interface CustomerTable {
  length: number;
  ids: string[];
  num: Record<NumericKey, Float64Array>;
  txt: Record<TextKey, TextColumn>;
  /** Optional fields the source carried (a column of all-empty cells still counts as present). */
  present: ReadonlySet<NumericKey | TextKey>;
  /** Customer attributes asked for by name (kept columns, for breakdowns), interned like the text columns. */
  attrs?: Readonly<Record<string, TextColumn>>;
}

/** Whether a column of a customer table is one custkit itself writes (else: a kept attribute). */
const OWN_COLUMNS = OWN_COLUMN_NAMES;

/** The position of each asked attribute column in the header; a data error naming the attribute columns there are when one is missing. */
export function attributePositions(header: readonly string[], names: readonly string[]): number[] {
  const trimmed = header.map((h) => h.trim().replace(/^\uFEFF/, ''));
  return names.map((name) => {
    const i = trimmed.indexOf(name);
    if (i >= 0 && !OWN_COLUMNS.has(name)) return i;
    const attrs = trimmed.filter((h) => !OWN_COLUMNS.has(h));
    throw new CustkitError(
      `--by ${name}: the customer table has no attribute column ${name} (${attrs.length ? `attributes: ${attrs.join(', ')}` : 'it has no attribute columns'})`,
      EXIT.DATA,
      'attributes are the columns kept with `custkit ingest --keep`, carried by `segment`',
    );
  });
}

/** Interns one attribute column's cells (first-seen order). */
class AttrInterner {
  readonly dict = new Map<string, number>();
  values: string[] = [];
  codes: Int32Array;
  constructor(capacity: number) {
    this.codes = new Int32Array(capacity);
  }
  set(i: number, s: string | undefined): void {
    let c = -1;
    if (s !== undefined && s.length > 0) {
      const got = this.dict.get(s);
      if (got === undefined) {
        c = this.values.length;
        this.dict.set(s, c);
        this.values.push(s);
      } else c = got;
    }
    this.codes[i] = c;
  }
  grow(capacity: number): void {
    const b = new Int32Array(capacity);
    b.set(this.codes);
    this.codes = b;
  }
  column(n: number): TextColumn {
    return { codes: this.codes.subarray(0, n), values: this.values };
  }
  /** Starts over in the same codes (CustomerTableBuilder.reset). */
  reset(): void {
    this.dict.clear();
    this.values = [];
  }
}

/** Text value of row i in a text column, or null. */
export function textAt(col: TextColumn, i: number): string | null {
  const c = col.codes[i]!;
  return c < 0 ? null : col.value ? col.value(c) : col.values[c]!;
}

/**
 * The optional numeric fields the report reads. Other numeric columns (avg_order_value,
 * tenure_days, T, m_score, …) are neither parsed nor checked by default: parsing is most of
 * the cost of reading a million customers, and the report does not show them.
 */
export const REPORT_NUMERIC_FIELDS: ReadonlySet<NumericKey> = new Set<NumericKey>([
  'firstOrder',
  'rScore',
  'fScore',
  'cluster',
  'valueAtRisk',
  'pAlive',
  'expectedOrders',
  'clv',
]);

/**
 * sleep_reason is nearly unique per customer (it quotes each customer's factor): past this many
 * distinct values it stops interning and codes become row numbers. It is only displayed, never
 * grouped; every other text column is always interned (grouping relies on equal codes).
 */
const RAW_AFTER = 50_000;

/**
 * Appends rows into growing typed arrays without building per-row objects
 * (the fast path for a million customers). Call `finish()` once.
 * Hot loop over plain parallel arrays; date cells are cached (few distinct dates).
 * `numericFields` chooses which optional numeric columns are parsed (default: the ones the
 * report reads, {@link REPORT_NUMERIC_FIELDS}; pass `'all'` to parse and check every one);
 * required columns and text columns are always read.
 */
export class CustomerTableBuilder {
  private readonly b: Bound;
  private readonly present: Set<NumericKey | TextKey>;
  private cap: number;
  private n = 0;
  private ids: string[] = [];
  // Present numeric columns, in parallel arrays.
  private readonly nSrc: number[] = [];
  private readonly nCol: string[] = [];
  private readonly nReq: boolean[] = [];
  private readonly nDate: boolean[] = [];
  private readonly nKey: NumericKey[] = [];
  private nArr: Float64Array[] = [];
  // Present text columns.
  private readonly tSrc: number[] = [];
  private readonly tKey: TextKey[] = [];
  private tArr: Int32Array[] = [];
  private readonly tDict: Map<string, number>[] = [];
  private readonly tVals: string[][] = [];
  private readonly dateCache = new Map<string, number>();
  /** Columns that stopped interning (more than RAW_AFTER distinct values) hold their values here. */
  private readonly tRaw: (TextArena | null)[] = [];
  /** Attribute columns asked for (breakdowns): names, header positions, interned cells. */
  private readonly aNames: readonly string[];
  private readonly aSrc: number[];
  private readonly aCol: AttrInterner[];
  /** The arrays of absent columns, kept for the next block of the same length. */
  private absent: { num: Float64Array; codes: Int32Array } | null = null;

  /**
   * `textFields`, when given, limits the text columns read to those (others are absent, as if
   * the header lacked them): the previous table of a comparison needs neither sleep_reason
   * nor cluster_label (PREVIOUS_TABLE_FIELDS in changes.ts).
   */
  constructor(header: readonly string[], initialCapacity = 1 << 14, numericFields: ReadonlySet<NumericKey> | 'all' = REPORT_NUMERIC_FIELDS, textFields?: ReadonlySet<TextKey>, attributes: readonly string[] = []) {
    this.b = bind(header);
    this.present = new Set();
    this.cap = Math.max(16, initialCapacity);
    this.aNames = attributes;
    this.aSrc = attributePositions(header, attributes);
    this.aCol = attributes.map(() => new AttrInterner(this.cap));
    for (const n of this.b.num) {
      if (n.idx < 0) continue;
      if (!n.required && numericFields !== 'all' && !numericFields.has(n.key)) continue;
      this.present.add(n.key);
      this.nSrc.push(n.idx);
      this.nCol.push(n.col);
      this.nReq.push(n.required);
      this.nDate.push(n.date);
      this.nKey.push(n.key);
      this.nArr.push(new Float64Array(this.cap));
    }
    for (const t of this.b.txt) {
      if (t.idx < 0 || (textFields !== undefined && !textFields.has(t.key))) continue;
      this.present.add(t.key);
      this.tSrc.push(t.idx);
      this.tKey.push(t.key);
      this.tArr.push(new Int32Array(this.cap));
      this.tDict.push(new Map());
      this.tVals.push([]);
      this.tRaw.push(null);
    }
  }

  /** Which columns of the header `add` reads (the id, the numeric and the text columns it keeps). */
  columnsRead(): boolean[] {
    const read = new Array<boolean>(Math.max(this.b.idIdx, ...this.nSrc, ...this.tSrc) + 1).fill(false);
    if (this.b.idIdx >= 0) read[this.b.idIdx] = true;
    for (const k of this.nSrc) read[k] = true;
    for (const k of this.tSrc) read[k] = true;
    for (const k of this.aSrc) read[k] = true;
    return read;
  }

  private grow(): void {
    const cap = this.cap * 2;
    this.nArr = this.nArr.map((a) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    });
    this.tArr = this.tArr.map((a) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    });
    for (const a of this.aCol) a.grow(cap);
    this.cap = cap;
  }

  private date(cell: string | undefined, j: number, line: number): number {
    if (cell === undefined || cell.length === 0) return parseNumberCell(cell, this.nCol[j]!, this.nReq[j]!, true, line);
    let d = this.dateCache.get(cell);
    if (d === undefined) {
      d = parseNumberCell(cell, this.nCol[j]!, this.nReq[j]!, true, line);
      if (this.dateCache.size < 100_000) this.dateCache.set(cell, d);
    }
    return d;
  }

  /**
   * Adds one row; `line` (1-based, for messages) defaults to row number + 1 (after the header).
   * `nums`, when given, holds the exact number of a numeric cell by column (NaN = empty cell);
   * the builder uses it instead of parsing that cell (undefined: parse). A required column
   * whose number is NaN is parsed, so a missing value is still reported.
   */
  add(cells: readonly string[], line?: number, nums?: readonly (number | undefined)[]): void {
    if (this.n === this.cap) this.grow();
    const i = this.n;
    const ln = line ?? i + 2;
    this.ids.push(cells[this.b.idIdx] ?? '');
    const nSrc = this.nSrc, nArr = this.nArr;
    for (let j = 0; j < nSrc.length; j++) {
      const v = nums === undefined ? undefined : nums[nSrc[j]!];
      if (v !== undefined && (v === v || !this.nReq[j])) {
        nArr[j]![i] = v;
        continue;
      }
      const cell = cells[nSrc[j]!];
      nArr[j]![i] = this.nDate[j] ? this.date(cell, j, ln) : parseNumberCell(cell, this.nCol[j]!, this.nReq[j]!, false, ln);
    }
    const tSrc = this.tSrc;
    for (let j = 0; j < tSrc.length; j++) {
      const s = cells[tSrc[j]!];
      let c = -1;
      if (s !== undefined && s.length > 0) {
        const raw = this.tRaw[j];
        if (raw) {
          // Nearly unique column (e.g. sleep_reason): one value per row, no dictionary.
          c = raw.push(s);
        } else {
          const vals = this.tVals[j]!;
          const d = this.tDict[j]!;
          const got = d.get(s);
          if (got === undefined) {
            c = vals.length;
            d.set(s, c);
            vals.push(s);
            if (c >= RAW_AFTER && this.tKey[j] === 'sleepReason') {
              // Codes so far index vals; the arena keeps them (same order, same indexes).
              const arena = new TextArena();
              for (const v of vals) arena.push(v);
              this.tRaw[j] = arena;
              this.tVals[j] = [];
              d.clear();
            }
          } else c = got;
        }
      }
      this.tArr[j]![i] = c;
    }
    for (let j = 0; j < this.aSrc.length; j++) this.aCol[j]!.set(i, cells[this.aSrc[j]!]);
    this.n++;
  }

  /**
   * Starts over in the same arrays, for a reader handing a table over block by block
   * (customer-table-reader.ts readCustomerTableBlocks): the next rows overwrite the table
   * `finish` gave, which its reader is done with. Nothing is allocated per block but the ids,
   * so a million rows read in blocks leave no megabytes of arrays for the collector to find.
   */
  reset(): void {
    this.n = 0;
    this.ids = [];
    for (let j = 0; j < this.tDict.length; j++) {
      this.tDict[j]!.clear();
      this.tVals[j] = [];
      this.tRaw[j] = null;
    }
    for (const a of this.aCol) a.reset();
  }

  /** The finished table (arrays trimmed to length; absent columns all NaN / −1). */
  finish(): CustomerTable {
    const n = this.n;
    // Absent columns share one all-NaN / all −1 array (the table is read-only): a table read
    // with a few columns (PREVIOUS_TABLE_FIELDS) would otherwise hold a full array per absent one.
    if (this.absent?.num.length !== n) this.absent = null;
    const absent = (): { num: Float64Array; codes: Int32Array } => (this.absent ??= { num: new Float64Array(n).fill(NaN), codes: new Int32Array(n).fill(-1) });
    const num = {} as Record<NumericKey, Float64Array>;
    for (const [key] of NUMERIC_COLUMNS) {
      const j = this.nKey.indexOf(key);
      num[key] = j >= 0 ? this.nArr[j]!.subarray(0, n) : absent().num;
    }
    const txt = {} as Record<TextKey, TextColumn>;
    for (const [key] of TEXT_COLUMNS) {
      const j = this.tKey.indexOf(key);
      const raw = j >= 0 ? this.tRaw[j] : null;
      if (raw) txt[key] = { codes: this.tArr[j]!.subarray(0, n), values: [], value: (c) => raw.get(c) };
      else txt[key] = j >= 0 ? { codes: this.tArr[j]!.subarray(0, n), values: this.tVals[j]! } : { codes: absent().codes, values: [] };
    }
    const table: CustomerTable = { length: n, ids: this.ids, num, txt, present: this.present };
    if (this.aNames.length) table.attrs = Object.fromEntries(this.aNames.map((name, j) => [name, this.aCol[j]!.column(n)]));
    return table;
  }
}

/**
 * A customer table's columns as functions of the row, for a caller that holds the values
 * already (`run`, from its stage results) instead of cells to parse. Keys are CSV column names.
 */
export interface ColumnSource {
  /** A numeric column's numbers, one per row (NaN = empty cell), exactly what parsing its cells gives. */
  num: Readonly<Record<string, Float64Array>>;
  /** Row i's text in a text column ('' = empty cell). */
  txt: Readonly<Record<string, (i: number) => string>>;
  /**
   * Display-only text columns never empty and nearly unique (sleep_reason): not stored, row
   * i's code is i and its text is computed when the report reads it (a few dozen rows).
   */
  lazy?: Readonly<Record<string, (i: number) => string>>;
}

/**
 * The table {@link CustomerTableBuilder} makes from the cells of these `n` rows, made from the
 * values themselves: the same columns present, the same numbers, text codes interned in the
 * same first-seen order (lazy columns excepted: same text through {@link textAt}, codes = rows).
 * A present column the source lacks is a programming error and throws.
 */
export function tableFromColumns(
  header: readonly string[],
  n: number,
  ids: string[],
  src: ColumnSource,
  numericFields: ReadonlySet<NumericKey> | 'all' = REPORT_NUMERIC_FIELDS,
  attributes: readonly string[] = [],
): CustomerTable {
  const b = bind(header);
  attributePositions(header, attributes);
  const present = new Set<NumericKey | TextKey>();
  const num = {} as Record<NumericKey, Float64Array>;
  // Absent columns share one all-NaN array (the table is read-only): a million customers'
  // worth of 8 MB arrays each also cost V8 a full collection per few allocations.
  let none: Float64Array | null = null;
  for (const c of b.num) {
    if (c.idx < 0 || (!c.required && numericFields !== 'all' && !numericFields.has(c.key))) {
      num[c.key] = none ??= new Float64Array(n).fill(NaN);
      continue;
    }
    present.add(c.key);
    const a = src.num[c.col];
    if (!a || a.length !== n) throw new Error(`tableFromColumns: no ${n} values for column ${c.col}`);
    if (c.required && c.col !== 'revenue') for (let i = 0; i < n; i++) if (Number.isNaN(a[i]!)) throw badCell(c.col, '', i + 2, 'empty value in required column');
    num[c.key] = a;
  }
  const txt = {} as Record<TextKey, TextColumn>;
  for (const t of b.txt) {
    const codes = new Int32Array(n).fill(-1);
    if (t.idx < 0) {
      txt[t.key] = { codes, values: [] };
      continue;
    }
    present.add(t.key);
    const lazy = src.lazy?.[t.col];
    if (lazy) {
      for (let i = 0; i < n; i++) codes[i] = i;
      txt[t.key] = { codes, values: [], value: lazy };
      continue;
    }
    const get = src.txt[t.col];
    if (!get) throw new Error(`tableFromColumns: no values for column ${t.col}`);
    const dict = new Map<string, number>();
    const values: string[] = [];
    for (let i = 0; i < n; i++) {
      const s = get(i);
      if (s.length === 0) continue;
      let c = dict.get(s);
      if (c === undefined) {
        c = values.length;
        dict.set(s, c);
        values.push(s);
      }
      codes[i] = c;
    }
    txt[t.key] = { codes, values };
  }
  const table: CustomerTable = { length: n, ids, num, txt, present };
  if (attributes.length) {
    table.attrs = Object.fromEntries(
      attributes.map((name) => {
        const get = src.txt[name];
        if (!get) throw new Error(`tableFromColumns: no values for attribute ${name}`);
        const a = new AttrInterner(n);
        for (let i = 0; i < n; i++) a.set(i, get(i));
        return [name, a.column(n)];
      }),
    );
  }
  return table;
}

/** Reads a whole table from a header and rows (rows numbered from line 2); see the builder for `numericFields`. */
export function readCustomerTable(
  header: readonly string[],
  rows: Iterable<readonly string[]>,
  numericFields: ReadonlySet<NumericKey> | 'all' = REPORT_NUMERIC_FIELDS,
): CustomerTable {
  const b = new CustomerTableBuilder(header, 1 << 14, numericFields);
  for (const r of rows) b.add(r);
  return b.finish();
}

/**
 * Columnar table from records (for tests and callers holding objects). `present` is every
 * optional field that is non-null in at least one record.
 */
export function tableFromRecords(records: readonly CustomerRecord[]): CustomerTable {
  const header = ['customer_id', ...NUMERIC_COLUMNS.map((c) => c[1]), ...TEXT_COLUMNS.map((c) => c[1])];
  const used = new Set<string>(['customer_id']);
  for (const [key, col, required] of NUMERIC_COLUMNS) if (required || records.some((r) => r[key] !== null)) used.add(col);
  for (const [key, col] of TEXT_COLUMNS) if (records.some((r) => r[key] !== null)) used.add(col);
  const h = header.filter((c) => used.has(c));
  const b = new CustomerTableBuilder(h, records.length, 'all');
  for (const r of records) {
    const row = h.map((col) => {
      if (col === 'customer_id') return r.customerId;
      const nc = NUMERIC_COLUMNS.find((c) => c[1] === col);
      if (nc) {
        const v = r[nc[0]];
        return v === null ? '' : nc[3] ? formatDay(v) : String(v);
      }
      const tc = TEXT_COLUMNS.find((c) => c[1] === col)!;
      return r[tc[0]] ?? '';
    });
    b.add(row);
  }
  return b.finish();
}
