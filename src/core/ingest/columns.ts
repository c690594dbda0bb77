/**
 * Column mapping: which source column feeds which canonical field.
 *
 * Header names are matched after normalisation (normalizeHeader): trimmed, lower-cased, with
 * spaces (incl. NBSP and U+3000), underscores, hyphens and dots removed and full-width letters
 * folded, so `Customer ID`, `customer_id`, `CustomerID` and `客户ID ` all match. Priority: for each
 * field the synonyms are tried in the order of FIELD_SYNONYMS; the first synonym that matches any
 * column wins (leftmost column if a synonym matches twice). So paid amount (实付金额, 买家实际支付金额)
 * beats 总金额, and `customer_id` beats `Email`. A column feeds at most one field; `--map`
 * overrides are applied first.
 */
import { dataError, usageError } from '../../errors.js';
import { quoteDatum } from '../terminal-text.js';
import { foldFullWidth, trimAll } from './numbers.js';

/** Canonical fields a source column can feed. */
export const FIELDS = ['customer_id', 'order_id', 'order_date', 'amount', 'quantity', 'unit_price', 'status', 'item', 'order_time', 'refund', 'paid_at'] as const;
export type Field = (typeof FIELDS)[number];

/**
 * Header synonyms per field, in priority order (English, then Chinese). `id` (lifetimes'
 * example_transactions.csv) and `Name` (Shopify's order number, e.g. "#1001") are last resorts.
 */
export const FIELD_SYNONYMS: Readonly<Record<Field, readonly string[]>> = {
  customer_id: [
    'customer_id', 'CustomerID', 'Customer ID', 'customer_no', 'Customer Number', 'client_id', 'user_id', 'member_id', 'buyer_id',
    '客户ID', '客户编号', '会员ID', '会员编号', '用户ID', '买家ID',
    'Customer', 'Customer Email', 'Email', 'buyer', '客户', '用户名', '买家昵称', '买家会员名',
    'id',
  ],
  order_id: [
    'order_id', 'Order ID', 'InvoiceNo', 'Invoice', 'Invoice Number', 'Order Number', 'order_no', 'Transaction ID',
    '订单编号', '订单号', '订单ID', '交易号', '主订单编号',
    'Name',
  ],
  order_date: [
    'order_date', 'InvoiceDate', 'Order Date', 'Created at', 'Purchase Date', 'Transaction Date', 'date',
    '下单时间', '订单日期', '订单创建时间', '交易时间', '购买日期', '付款时间', '日期',
  ],
  amount: [
    '实付金额', '买家实际支付金额', '实付款',
    'amount', 'total', 'order_total', 'Total Amount', 'price_total', 'revenue', 'sales', 'dollar_value', 'value',
    '订单金额', '支付金额', '成交金额', '销售额', '金额', '总金额',
  ],
  quantity: ['quantity', 'qty', 'units', 'number_of_cds', 'Lineitem quantity', '数量', '购买数量', '商品数量'],
  unit_price: ['unit_price', 'UnitPrice', 'price', 'Lineitem price', '单价', '商品单价'],
  status: ['status', 'Financial Status', 'Order Status', '订单状态', '交易状态', '状态'],
  item: ['item', 'StockCode', 'SKU', 'Product ID', 'product_id', 'Lineitem sku', '商品编号', '商品ID', '货号'],
  order_time: ['order_time', 'Order Time', 'time', '下单时刻', '时间'],
  refund: ['refund', 'refund_amount', 'refunded', 'Refunded Amount', 'Amount Refunded', 'Total Refunded', '退款金额', '退款'],
  // Not 付款时间: that is an order_date synonym (a file whose only date it is).
  paid_at: ['paid_at', 'Paid at', 'Payment Date', 'payment_time', '订单付款时间', '付款日期', '支付时间'],
};

/**
 * Amount columns that are already net of refunds. Tmall's 买家实际支付金额 is what the buyer
 * kept paid: on every paid order of the Tmall reference export 总金额 = 买家实际支付金额 + 退款金额.
 * With a refund column, amount is the order total instead (net = total − refund), when the
 * file has one; without one, these stay the amount and the refund column is not used.
 */
const NET_OF_REFUND = ['买家实际支付金额', '实付金额', '实付款'].map(normalizeHeader);
const GROSS_AMOUNT = ['总金额', '订单金额', 'order_total', 'total', 'Total Amount'].map(normalizeHeader);

/** Header key used for matching: see the module comment. */
export function normalizeHeader(h: string): string {
  // One replace, not a string grown a character at a time: that builds a rope of one node per
  // character, many times the name's size for a huge header cell.
  return trimAll(foldFullWidth(h)).toLowerCase().replace(/[ _\-.\u00a0\t\ufeff]/g, '');
}

/** Input of resolveMapping. */
export interface MappingInput {
  /** Header cells, or null for a header-less file (then only --map by column number works). */
  header: string[] | null;
  columnCount: number;
  /** --map: canonical field → header name or 1-based column number. */
  overrides: Record<string, string>;
  /** --keep: header names or 1-based column numbers, copied to the output as dimensions. */
  keep: string[];
  /** --no-amount: map no money column even when one matches (transactions without amounts). */
  noAmount?: boolean;
}

/** Result of resolveMapping: 0-based column indexes. */
export interface Mapping {
  fields: Partial<Record<Field, number>>;
  dims: { name: string; index: number }[];
  /** One line, e.g. "customer_id←CustomerID, order_date←InvoiceDate, amount←Quantity×UnitPrice". */
  describe: string;
  /** No amount column (nor quantity × unit price): rows carry an absent amount (NaN). */
  amountless: boolean;
}

/**
 * Parses `--map customer_id=2,order_date=InvoiceDate` into {customer_id: '2', order_date: 'InvoiceDate'}.
 * Field names are canonical (FIELDS); the source side is a header name or a 1-based column number.
 * @throws CustkitError (usage, exit 1) on a malformed pair or an unknown field.
 */
export function parseMapOption(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1)
      throw usageError(`bad --map entry "${part.trim()}"`, 'write --map field=column, e.g. --map customer_id=Email,amount=5');
    const field = part.slice(0, eq).trim();
    const source = part.slice(eq + 1).trim();
    if (!(FIELDS as readonly string[]).includes(field))
      throw usageError(`unknown field "${field}" in --map`, `fields are ${FIELDS.join(', ')}`);
    if (source === '') throw usageError(`bad --map entry "${part.trim()}"`, 'the column after = is empty');
    out[field] = source;
  }
  return out;
}

function columnLabel(header: string[] | null, i: number): string {
  const h = header?.[i]?.trim();
  return h ? h : `column ${i + 1}`;
}

/** Normalised names of every synonym, to tell an orders header from any other first line. */
const KNOWN_NAMES: ReadonlySet<string> = new Set(Object.values(FIELD_SYNONYMS).flat().map(normalizeHeader));

/** Characters of header names an error lists before "…". */
const LIST_MAX = 200;

/**
 * The header for an error message: the names, escaped and cut to LIST_MAX characters in all.
 * A first line in which no name is a known field is described, not echoed: it may be any file
 * (/etc/shadow given as input), and its first line is not custkit's to print.
 */
function listColumns(header: string[] | null, columnCount: number): string {
  if (header === null) return `${columnCount} unnamed columns (no header)`;
  // No synonym is near 100 characters: longer names are not normalised (a 50 MB "name").
  if (!header.some((h) => h.length < 100 && KNOWN_NAMES.has(normalizeHeader(h)))) {
    return `the first line's ${header.length} column${header.length === 1 ? '' : 's'} (names not shown: none is an order field's name)`;
  }
  let out = '';
  for (let i = 0; i < header.length; i++) {
    const sep = i > 0 ? ', ' : '';
    const name = header[i]!.trim();
    if (out.length + sep.length + name.length > LIST_MAX) {
      const room = LIST_MAX - out.length - sep.length;
      return `[${out}${room > 0 ? sep + quoteDatum(name, room) : '…'} (${header.length} columns)]`;
    }
    out += sep + quoteDatum(name);
  }
  return `[${out}]`;
}

/** Finds a column by header name (exact, then normalised) or by 1-based number; -1 when none. */
function findColumn(spec: string, header: string[] | null, columnCount: number): number {
  if (header !== null) {
    const exact = header.findIndex((h) => h === spec || h.trim() === spec.trim());
    if (exact >= 0) return exact;
    const key = normalizeHeader(spec);
    const norm = header.findIndex((h) => normalizeHeader(h) === key);
    if (norm >= 0) return norm;
  }
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    if (n >= 1 && n <= columnCount) return n - 1;
  }
  return -1;
}

/**
 * Resolves the mapping of source columns to canonical fields (see the module comment for the
 * matching and priority rules). Required: customer_id and order_date. Amount: its column, or both
 * quantity and unit_price (then amount = quantity × unit_price, described as
 * "amount←Quantity×UnitPrice"), or neither (`amountless`, "amount←(none)", also with --no-amount).
 * @throws CustkitError (data, exit 2) naming the columns found and the synonyms expected, with a
 * `--map` hint, when a required field has no column or a --map/--keep column does not exist;
 * CustkitError (usage, exit 1) for an unknown field name in overrides.
 */
export function resolveMapping(input: MappingInput): Mapping {
  const { header, columnCount, overrides, keep } = input;
  if (input.noAmount && (overrides.amount !== undefined || overrides.unit_price !== undefined)) {
    throw usageError('--no-amount with --map amount/unit_price', 'drop one: --no-amount reads no money column');
  }
  const fields: Partial<Record<Field, number>> = {};
  const used = new Set<number>();
  for (const [field, spec] of Object.entries(overrides)) {
    if (!(FIELDS as readonly string[]).includes(field)) throw usageError(`unknown field "${field}" in --map`, `fields are ${FIELDS.join(', ')}`);
    const idx = findColumn(spec, header, columnCount);
    if (idx < 0)
      throw dataError(
        `--map ${field}=${spec}: no such column among ${listColumns(header, columnCount)}`,
        undefined,
        header === null ? `columns are numbered 1…${columnCount}` : 'give a header name or a 1-based column number',
      );
    fields[field as Field] = idx;
    used.add(idx);
  }
  if (header !== null) {
    const keys = header.map(normalizeHeader);
    for (const field of FIELDS) {
      if (fields[field] !== undefined) continue;
      for (const syn of FIELD_SYNONYMS[field]) {
        const k = normalizeHeader(syn);
        const idx = keys.findIndex((h, i) => h === k && !used.has(i));
        if (idx >= 0) {
          fields[field] = idx;
          used.add(idx);
          break;
        }
      }
    }
  }
  if (header !== null && overrides.amount === undefined && fields.refund !== undefined && fields.amount !== undefined) {
    const keys = header.map(normalizeHeader);
    if (NET_OF_REFUND.includes(keys[fields.amount]!)) {
      const gross = GROSS_AMOUNT.map((g) => keys.findIndex((k, i) => k === g && !used.has(i))).find((i) => i >= 0);
      if (gross !== undefined) {
        used.delete(fields.amount);
        fields.amount = gross;
        used.add(gross);
      } else {
        // Subtracting the refund from an amount already net of it would count it twice.
        used.delete(fields.refund);
        delete fields.refund;
      }
    }
  }
  const missing = (field: Field): never => {
    const syn = FIELD_SYNONYMS[field].join(', ');
    throw dataError(
      header === null
        ? `no column for ${field}: the file has no header, so columns must be given by number (${columnCount} columns)`
        : `no column for ${field} among ${listColumns(header, columnCount)}; expected one of ${syn}`,
      undefined,
      `use --map ${field}=<column>`,
    );
  };
  if (fields.customer_id === undefined) missing('customer_id');
  if (fields.order_date === undefined) missing('order_date');
  if (input.noAmount) {
    delete fields.amount;
    delete fields.unit_price;
  }
  // No money column: customer and date only (app events, visits, lifetimes' example
  // transactions). Rows flow with an absent amount and the caller says so.
  const amountless = fields.amount === undefined && (fields.quantity === undefined || fields.unit_price === undefined);
  const dims: { name: string; index: number }[] = [];
  for (const k of keep) {
    const idx = findColumn(k, header, columnCount);
    if (idx < 0)
      throw dataError(`--keep ${k}: no such column among ${listColumns(header, columnCount)}`, undefined, 'give a header name or a 1-based column number');
    dims.push({ name: header !== null ? columnLabel(header, idx) : `column_${idx + 1}`, index: idx });
  }
  const parts: string[] = [];
  for (const field of FIELDS) {
    const idx = fields[field];
    if (field === 'amount' && idx === undefined && amountless) parts.push('amount←(none)');
    else if (field === 'amount' && idx === undefined)
      parts.push(`amount←${columnLabel(header, fields.quantity!)}×${columnLabel(header, fields.unit_price!)}`);
    if (idx !== undefined) parts.push(`${field}←${columnLabel(header, idx)}`);
  }
  for (const d of dims) parts.push(`keep←${columnLabel(header, d.index)}`);
  return { fields, dims, describe: parts.join(', '), amountless };
}
