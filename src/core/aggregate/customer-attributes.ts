/**
 * Per-customer attributes from the kept columns of the transaction stream (`ingest --keep`),
 * one rule per column (`segment --attr col=rule`, default `last`):
 * - `first` / `last`: the value of the customer's earliest / latest order (by day; on one day
 *   the first / last row in input order);
 * - `mode`: the most frequent value over the customer's rows (ties: the smallest in UTF-16 order);
 * - `distinct-count`: how many different values the customer's rows carry;
 * - `sum` / `mean`: of a numeric column, over the rows that carry a number.
 * Empty cells are skipped by every rule: a row without the value does not erase it. A customer
 * with no value gets an empty cell (distinct-count: 0).
 *
 * Stored compactly, indexed like the CustomerAccumulator's customers: text is interned per column
 * (one dictionary of distinct values; an Int32Array of [code, day] pairs by customer),
 * sums in a Float64Array with an Int32Array count; mode and distinct-count keep a small
 * [code, count, …] Int32Array per customer. So memory grows with customers × kept attributes
 * (8–12 bytes each; mode/distinct-count more, with each customer's distinct values).
 * Mergeable: a share read later in the stream merges after an earlier one, giving what one
 * sequential pass gives (ties of first/last break by stream order, as sequentially).
 */
import { formatMoney, formatRounded, roundMoney } from '../money.js';
import { plainDecimal } from '../plain-decimal.js';

export const ATTR_RULES = ['first', 'last', 'mode', 'distinct-count', 'sum', 'mean'] as const;
export type AttrRule = (typeof ATTR_RULES)[number];

export interface AttrSpec {
  name: string;
  rule: AttrRule;
}

/** A value a numeric rule (sum, mean) cannot read. */
export class AttrValueError extends Error {
  constructor(readonly column: string, readonly value: string) {
    super(`attribute ${column}: "${value}" is not a number`);
  }
}

/** Plain-data form of one attribute column (structured-clone friendly). */
export interface AttrColumnState {
  values: string[];
  at: Int32Array;
  a: Int32Array;
  sum: Float64Array;
  lists: (Int32Array | null)[];
}

const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** The number of a cell of a sum/mean column; NaN when empty; throws when not a plain number. */
function numberOf(s: string, column: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  let v = plainDecimal(t);
  if (!Number.isFinite(v)) {
    v = +t;
    if (!Number.isFinite(v) || !NUMERIC.test(t)) throw new AttrValueError(column, s);
  }
  return v;
}

/** One attribute column: see the module comment for what `at`, `a`, `sum` and `lists` hold per rule. */
class AttrColumn {
  readonly dict = new Map<string, number>();
  values: string[] = [];
  /**
   * first/last: customer i's [value code (−1: none), day of the value] at `at[stride·i + off]`:
   * the first/last columns of a CustomerAttributes share one record per customer (TextSlots),
   * one cache line per row instead of two per column (at a million customers each is a miss).
   */
  at = new Int32Array(0);
  stride = 0;
  off = 0;
  /** sum/mean: rows counted. */
  a: Int32Array;
  sum: Float64Array;
  /** mode/distinct-count: per customer [code, count, code, count, …] (the first slot pair count in lists[i][0]). */
  lists: (Int32Array | null)[] = [];

  constructor(readonly spec: AttrSpec, capacity: number) {
    const num = spec.rule === 'sum' || spec.rule === 'mean';
    this.a = new Int32Array(num ? capacity : 0);
    this.sum = new Float64Array(num ? capacity : 0);
  }

  /** Whether the column keeps a [code, day] slot per customer (first, last). */
  get slotted(): boolean {
    return this.spec.rule === 'first' || this.spec.rule === 'last';
  }

  grow(capacity: number): void {
    if (this.a.length) {
      const y = new Int32Array(capacity);
      y.set(this.a);
      this.a = y;
    }
    if (this.sum.length) {
      const s = new Float64Array(capacity);
      s.set(this.sum);
      this.sum = s;
    }
  }

  code(s: string): number {
    let c = this.dict.get(s);
    if (c === undefined) {
      c = this.values.length;
      this.dict.set(s, c);
      this.values.push(s);
    }
    return c;
  }

  /** One row's value for customer i (non-empty for text rules). */
  add(i: number, day: number, s: string): void {
    switch (this.spec.rule) {
      case 'first':
        if (this.at[this.stride * i + this.off]! < 0 || day < this.at[this.stride * i + this.off + 1]!) this.setText(i, this.code(s), day);
        return;
      case 'last':
        if (this.at[this.stride * i + this.off]! < 0 || day >= this.at[this.stride * i + this.off + 1]!) this.setText(i, this.code(s), day);
        return;
      case 'mode':
      case 'distinct-count':
        this.count(i, this.code(s), 1);
        return;
      default: {
        const v = numberOf(s, this.spec.name);
        if (v !== v) return;
        this.sum[i] = roundMoney(this.sum[i]! + v);
        this.a[i]! += 1;
      }
    }
  }

  private setText(i: number, code: number, day: number): void {
    const j = this.stride * i + this.off;
    this.at[j] = code;
    this.at[j + 1] = day;
  }

  /** Adds `n` to customer i's count of `code`. */
  count(i: number, code: number, n: number): void {
    let l = this.lists[i] ?? null;
    if (l === null) {
      l = new Int32Array(5);
      this.lists[i] = l;
    }
    const used = l[0]!;
    for (let k = 0; k < used; k++) {
      if (l[1 + 2 * k] === code) {
        l[2 + 2 * k]! += n;
        return;
      }
    }
    if (1 + 2 * (used + 1) > l.length) {
      const m = new Int32Array(1 + 4 * (used + 1));
      m.set(l);
      l = m;
      this.lists[i] = l;
    }
    l[1 + 2 * used] = code;
    l[2 + 2 * used] = n;
    l[0] = used + 1;
  }

  /** Merges customer j of `o` (a share read later in the stream) into customer i. */
  merge(i: number, o: AttrColumn, j: number): void {
    switch (this.spec.rule) {
      case 'first': {
        const c = o.at[o.stride * j + o.off]!, day = o.at[o.stride * j + o.off + 1]!;
        if (c >= 0 && (this.at[this.stride * i + this.off]! < 0 || day < this.at[this.stride * i + this.off + 1]!)) this.setText(i, this.code(o.values[c]!), day);
        return;
      }
      case 'last': {
        const c = o.at[o.stride * j + o.off]!, day = o.at[o.stride * j + o.off + 1]!;
        if (c >= 0 && (this.at[this.stride * i + this.off]! < 0 || day >= this.at[this.stride * i + this.off + 1]!)) this.setText(i, this.code(o.values[c]!), day);
        return;
      }
      case 'mode':
      case 'distinct-count': {
        const l = o.lists[j];
        if (l) for (let k = 0; k < l[0]!; k++) this.count(i, this.code(o.values[l[1 + 2 * k]!]!), l[2 + 2 * k]!);
        return;
      }
      default:
        if (o.a[j]! > 0) {
          this.sum[i] = roundMoney(this.sum[i]! + o.sum[j]!);
          this.a[i]! += o.a[j]!;
        }
    }
  }

  /** Customer i's value as text (empty: no value). */
  text(i: number): string {
    switch (this.spec.rule) {
      case 'first':
      case 'last':
        return this.at[this.stride * i + this.off]! < 0 ? '' : this.values[this.at[this.stride * i + this.off]!]!;
      case 'mode': {
        const l = this.lists[i];
        if (!l) return '';
        let best = -1, bestN = 0;
        for (let k = 0; k < l[0]!; k++) {
          const c = l[1 + 2 * k]!, n = l[2 + 2 * k]!;
          if (n > bestN || (n === bestN && this.values[c]! < this.values[best]!)) {
            best = c;
            bestN = n;
          }
        }
        return this.values[best]!;
      }
      case 'distinct-count':
        return String(this.lists[i]?.[0] ?? 0);
      case 'sum':
        return this.a[i]! > 0 ? formatMoney(this.sum[i]!) : '';
      case 'mean':
        return this.a[i]! > 0 ? formatRounded(this.sum[i]! / this.a[i]!, 6) : '';
    }
  }

  /** Whether the cell is text (quoted as needed) rather than a number. */
  get isText(): boolean {
    return this.spec.rule === 'first' || this.spec.rule === 'last' || this.spec.rule === 'mode';
  }

  state(n: number): AttrColumnState {
    const at = new Int32Array(this.slotted ? 2 * n : 0);
    for (let i = 0; i < at.length / 2; i++) {
      at[2 * i] = this.at[this.stride * i + this.off]!;
      at[2 * i + 1] = this.at[this.stride * i + this.off + 1]!;
    }
    return { values: this.values, at, a: this.a.slice(0, this.a.length ? n : 0), sum: this.sum.slice(0, this.sum.length ? n : 0), lists: this.lists.slice(0, n) };
  }

  /** Takes over `st` (state(n) of a column of the same spec); slotted columns must be placed in their TextSlots first. */
  load(st: AttrColumnState): void {
    for (const v of st.values) this.code(v);
    for (let i = 0; i < st.at.length / 2; i++) {
      this.at[this.stride * i + this.off] = st.at[2 * i]!;
      this.at[this.stride * i + this.off + 1] = st.at[2 * i + 1]!;
    }
    if (st.a.length) this.a.set(st.a);
    if (st.sum.length) this.sum.set(st.sum);
    this.lists = st.lists.slice();
  }
}

/** Every kept attribute of every customer (customer indexes from the accumulator). */
export class CustomerAttributes {
  private cols: AttrColumn[];
  private capacity: number;
  /** Indexes of the sum/mean attributes. */
  private readonly numeric: number[];
  /** The first/last columns, whose [code, day] slots share one record per customer. */
  private readonly slotted: AttrColumn[];

  /**
   * `keepEmpty`: an empty cell is a value too (the key indicators' first-order values, where
   * a first order without the value is a group of its own); by default it is skipped.
   */
  constructor(readonly specs: readonly AttrSpec[], capacity = 1024, private readonly keepEmpty = false) {
    this.capacity = Math.max(16, capacity);
    this.numeric = specs.flatMap((s, k) => (s.rule === 'sum' || s.rule === 'mean' ? [k] : []));
    this.cols = specs.map((s) => new AttrColumn(s, this.capacity));
    this.slotted = this.cols.filter((c) => c.slotted);
    this.slotted.forEach((c, k) => {
      c.stride = 2 * this.slotted.length;
      c.off = 2 * k;
    });
    this.placeSlots(new Int32Array(0));
  }

  /** Gives the first/last columns a record array of the capacity holding `old`'s records (new slots: no value). */
  private placeSlots(old: Int32Array): void {
    if (this.slotted.length === 0) return;
    const at = new Int32Array(2 * this.slotted.length * this.capacity);
    for (let j = old.length; j < at.length; j += 2) at[j] = -1;
    at.set(old);
    for (const c of this.slotted) c.at = at;
  }

  private ensure(i: number): void {
    if (i < this.capacity) return;
    let c = this.capacity;
    while (c <= i) c *= 2;
    for (const col of this.cols) col.grow(c);
    this.capacity = c;
    if (this.slotted.length) this.placeSlots(this.slotted[0]!.at);
  }

  /**
   * The first/last columns' records, room made for customers below `n`: customer i's record
   * starts at `at[stride · i]` (for touching a batch's records first, see CustomerAccumulator.flush);
   * null without such columns.
   */
  records(n: number): { at: Int32Array; stride: number } | null {
    const c = this.slotted[0];
    if (c === undefined) return null;
    if (n > 0) this.ensure(n - 1);
    return { at: c.at, stride: c.stride };
  }

  /** One row of customer i: `values[k]` is the cell of attribute k (the stream's kept columns, in spec order). */
  add(i: number, day: number, values: readonly string[]): void {
    this.ensure(i);
    const cols = this.cols;
    for (let k = 0; k < cols.length; k++) {
      const s = values[k] ?? '';
      if (s !== '' || this.keepEmpty) cols[k]!.add(i, day, s);
    }
  }

  /**
   * Throws AttrValueError when a numeric attribute's cell is not a number: callers check each
   * row as it is read, so that the error names its line (the accumulator applies rows in batches).
   */
  check(values: readonly string[]): void {
    for (const k of this.numeric) numberOf(values[k] ?? '', this.specs[k]!.name);
  }

  /** Merges customer j of `other` (a share read later in the stream) into customer i. */
  merge(i: number, other: CustomerAttributes, j: number): void {
    this.ensure(i);
    for (let k = 0; k < this.cols.length; k++) this.cols[k]!.merge(i, other.cols[k]!, j);
  }

  /** Attribute k of customer i as its cell text. */
  text(k: number, i: number): string {
    return i < this.capacity ? this.cols[k]!.text(i) : this.cols[k]!.spec.rule === 'distinct-count' ? '0' : '';
  }

  /** Whether attribute k's cells are text (else numbers, never quoted). */
  isText(k: number): boolean {
    return this.cols[k]!.isText;
  }

  toState(n: number): AttrColumnState[] {
    this.ensure(n);
    return this.cols.map((c) => c.state(n));
  }

  static fromState(specs: readonly AttrSpec[], st: AttrColumnState[], n: number, keepEmpty = false): CustomerAttributes {
    const a = new CustomerAttributes(specs, n, keepEmpty);
    a.cols.forEach((c, k) => c.load(st[k]!));
    return a;
  }
}

/**
 * The attribute specs of a stream's kept columns: rule `last` unless `--attr name=rule` says
 * otherwise. Returns an error text for an --attr naming no kept column or an unknown rule.
 */
export function attrSpecs(dimNames: readonly string[], rules: Readonly<Record<string, string>>): AttrSpec[] | { error: string; hint: string } {
  for (const [name, rule] of Object.entries(rules)) {
    if (!dimNames.includes(name)) {
      return {
        error: `--attr ${name}=${rule}: the input has no kept column ${name}${dimNames.length ? ` (kept: ${dimNames.join(', ')})` : ''}`,
        hint: 'keep it at ingest: custkit ingest FILE --keep COLUMN',
      };
    }
    if (!(ATTR_RULES as readonly string[]).includes(rule)) return { error: `--attr ${name}=${rule}: unknown rule`, hint: `use ${ATTR_RULES.join(', ')}` };
  }
  return dimNames.map((name) => ({ name, rule: (rules[name] ?? 'last') as AttrRule }));
}

/** Parses `--attr country=mode,discount=sum` (a list) into name → rule. */
export function parseAttrOption(items: readonly string[]): Record<string, string> | { error: string } {
  const out: Record<string, string> = {};
  for (const part of items) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0 || eq === part.length - 1) return { error: `bad --attr entry "${part}"` };
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** "country (last), discount (sum)" for notes. */
export const describeAttrs = (specs: readonly AttrSpec[]): string => specs.map((s) => `${s.name} (${s.rule})`).join(', ');

/** The attribute cells of a customer table, by attribute and table row. */
export interface AttributeCells {
  specs: readonly AttrSpec[];
  /** Attribute k of row `row` as its cell text ('' = empty). */
  text(k: number, row: number): string;
  /** Whether attribute k is text (else a number). */
  isText(k: number): boolean;
}

/** The cells of `attrs` for table rows whose accumulator indexes are `index`. */
export function attributeCells(attrs: CustomerAttributes, index: Int32Array): AttributeCells {
  return { specs: attrs.specs, text: (k, row) => attrs.text(k, index[row]!), isText: (k) => attrs.isText(k) };
}
