import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { FIELDS, FIELD_SYNONYMS, normalizeHeader, parseMapOption, resolveMapping, type Mapping } from '../../../src/core/ingest/columns.js';
import { CustkitError, EXIT } from '../../../src/errors.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../../helpers/shared.js';

const map = (header: string[] | null, overrides: Record<string, string> = {}, keep: string[] = [], columnCount = header?.length ?? 0): Mapping =>
  resolveMapping({ header, columnCount, overrides, keep });

/** Runs f and returns the CustkitError it throws. */
function errorOf(f: () => unknown): CustkitError {
  try {
    f();
  } catch (e) {
    if (e instanceof CustkitError) return e;
    throw e;
  }
  throw new Error('expected a CustkitError');
}

describe('normalizeHeader', () => {
  it('ignores case, spaces, underscores, hyphens, dots, full-width letters and surrounding space', () => {
    for (const h of ['Customer ID', 'customer_id', 'CustomerID', ' customer-id ', 'ＣｕｓｔｏｍｅｒＩＤ', 'Customer\u00a0ID']) expect(normalizeHeader(h)).toBe('customerid');
    expect(normalizeHeader('订单付款时间 ')).toBe('订单付款时间'); // Tmall's trailing space
  });
});

describe('synonym table', () => {
  it('no normalised synonym belongs to two fields', () => {
    const owner = new Map<string, string>();
    for (const f of FIELDS)
      for (const s of FIELD_SYNONYMS[f]) {
        const k = normalizeHeader(s);
        expect(owner.get(k) ?? f, `${s} in ${f} and ${owner.get(k)}`).toBe(f);
        owner.set(k, f);
      }
  });
  it('contains the synonyms the brief lists (spot checks across languages)', () => {
    const has = (f: (typeof FIELDS)[number], h: string): boolean => FIELD_SYNONYMS[f].some((s) => normalizeHeader(s) === normalizeHeader(h));
    for (const h of ['CustomerID', 'Customer Email', 'member_id', '会员编号', '买家昵称']) expect(has('customer_id', h)).toBe(true);
    for (const h of ['InvoiceDate', 'created_at', '订单创建时间', '付款时间']) expect(has('order_date', h)).toBe(true);
    for (const h of ['Sales', 'dollar_value', '买家实际支付金额', '成交金额']) expect(has('amount', h)).toBe(true);
    for (const h of ['number_of_cds', '商品数量']) expect(has('quantity', h)).toBe(true);
    for (const h of ['Unit Price', '商品单价']) expect(has('unit_price', h)).toBe(true);
    for (const h of ['Name', 'Transaction ID', '交易号']) expect(has('order_id', h)).toBe(true);
    for (const h of ['Financial Status', '交易状态']) expect(has('status', h)).toBe(true);
    for (const h of ['StockCode', 'SKU', '货号']) expect(has('item', h)).toBe(true);
  });
});

describe('resolveMapping', () => {
  it('maps a Shopify-like header; Email is the customer when no id column exists', () => {
    const m = map(['Name', 'Email', 'Financial Status', 'Created at', 'Total', 'Lineitem sku']);
    expect(m.fields).toEqual({ order_id: 0, customer_id: 1, status: 2, order_date: 3, amount: 4, item: 5 });
    expect(m.describe).toBe('customer_id←Email, order_id←Name, order_date←Created at, amount←Total, status←Financial Status, item←Lineitem sku');
  });
  it('priority: customer_id before Email; paid amount before 总金额', () => {
    expect(map(['email', 'customer_id', 'order_date', 'revenue']).fields.customer_id).toBe(1);
    const zh = map(['客户ID', '总金额', '实付金额', '下单时间']);
    expect(zh.fields).toEqual({ customer_id: 0, amount: 2, order_date: 3 });
  });
  it('amount from quantity × unit price', () => {
    const m = map(['Customer', 'Date', 'Qty', 'Price']);
    expect(m.fields.amount).toBeUndefined();
    expect(m.describe).toBe('customer_id←Customer, order_date←Date, amount←Qty×Price, quantity←Qty, unit_price←Price');
  });
  it('overrides by name or 1-based number; header-less files', () => {
    const m = map(['a', 'b', 'c', 'Total'], { customer_id: 'b', order_date: '3' });
    expect(m.fields).toEqual({ customer_id: 1, order_date: 2, amount: 3 });
    const h = map(null, { customer_id: '2', order_date: '3', amount: '5' }, ['1'], 5);
    expect(h.fields).toEqual({ customer_id: 1, order_date: 2, amount: 4 });
    expect(h.dims).toEqual([{ name: 'column_1', index: 0 }]);
    expect(h.describe).toBe('customer_id←column 2, order_date←column 3, amount←column 5, keep←column 1');
  });
  it('an override takes the column away from automatic matching', () => {
    // 'date' would be order_date, but the user says it is the customer (odd but explicit).
    const m = map(['date', 'created_at', 'amount'], { customer_id: 'date' });
    expect(m.fields).toEqual({ customer_id: 0, order_date: 1, amount: 2 });
  });
  it('--keep by name or number', () => {
    const m = map(['CustomerID', 'InvoiceDate', 'amount', 'Country', 'Channel'], {}, ['Country', '5']);
    expect(m.dims).toEqual([{ name: 'Country', index: 3 }, { name: 'Channel', index: 4 }]);
    expect(m.describe.endsWith('keep←Country, keep←Channel')).toBe(true);
  });
  it('errors list the columns found and the synonyms expected', () => {
    const e = errorOf(() => map(['InvoiceNo', 'StockCode', 'InvoiceDate', 'amount']));
    expect(e.exitCode).toBe(EXIT.DATA);
    expect(e.message).toMatch(/^no column for customer_id among \[InvoiceNo, StockCode, InvoiceDate, amount\]; expected one of customer_id, CustomerID, Customer ID/);
    expect(e.hint).toBe('use --map customer_id=<column>');
    // No amount (nor quantity × unit price): not an error since issue #27 item 5, the rows carry an absent amount.
    const a = map(['customer_id', 'date', 'qty']);
    expect(a.amountless).toBe(true);
    expect(a.fields).toEqual({ customer_id: 0, order_date: 1, quantity: 2 });
    expect(a.describe).toBe('customer_id←customer_id, order_date←date, amount←(none), quantity←qty');
    expect(errorOf(() => map(['customer_id', 'amount'])).message).toContain('no column for order_date');
    expect(errorOf(() => map(null, {}, [], 4)).message).toContain('no header');
    const k = errorOf(() => map(['customer_id', 'date', 'amount'], {}, ['Region']));
    expect(k.message).toBe('--keep Region: no such column among [customer_id, date, amount]');
    const o = errorOf(() => map(['customer_id', 'date', 'amount'], { amount: 'Total' }));
    expect(o.message).toContain('--map amount=Total: no such column');
    expect(errorOf(() => map(null, { customer_id: '9' }, [], 3)).hint).toBe('columns are numbered 1…3');
  });
});

describe('parseMapOption', () => {
  it('parses pairs', () => {
    expect(parseMapOption('customer_id=2,order_date=3')).toEqual({ customer_id: '2', order_date: '3' });
    expect(parseMapOption(' customer_id = Customer Email , amount=Total ')).toEqual({ customer_id: 'Customer Email', amount: 'Total' });
  });
  it('rejects malformed entries and unknown fields as usage errors', () => {
    for (const bad of ['customer_id', '=2', 'customer_id=', 'cust=2']) expect(errorOf(() => parseMapOption(bad)).exitCode).toBe(EXIT.USAGE);
    expect(errorOf(() => parseMapOption('cust=2')).hint).toContain('customer_id, order_id');
  });
});

const headerOf = (name: string, split: (l: string) => string[] = (l) => l.split(',')): string[] =>
  split(readFileSync(sharedFile(name), 'utf8').split(/\r?\n/, 1)[0]!);

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'real headers in ../shared/data' : SKIP_SHARED_REASON, () => {
  it('UCI Online Retail (first 8000): amount = Quantity × UnitPrice', () => {
    const m = map(headerOf('uci_online_retail_first8000_mamtayadav28.csv'));
    // header: InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
    expect(m.fields).toEqual({ customer_id: 6, order_id: 0, order_date: 4, quantity: 3, unit_price: 5, item: 1 });
    expect(m.describe).toBe(
      'customer_id←CustomerID, order_id←InvoiceNo, order_date←InvoiceDate, amount←Quantity×UnitPrice, quantity←Quantity, unit_price←UnitPrice, item←StockCode',
    );
  });
  it('UCI Online Retail (R write.csv, quoted, empty first header)', () => {
    const h = headerOf('uci_online_retail_random2709_jerryaoverton.csv').map((c) => c.replace(/^"|"$/g, ''));
    expect(map(h).fields).toEqual({ customer_id: 7, order_id: 1, order_date: 5, quantity: 4, unit_price: 6, item: 2 });
  });
  it('R rfm orders: revenue is the amount; customer_id beats email', () => {
    // header: customer_id,order_date,revenue,first_name,last_name,email
    expect(map(headerOf('rfm_data_orders.csv')).fields).toEqual({ customer_id: 0, order_date: 1, amount: 2 });
  });
  it('CDNOW master (whitespace header): number_of_cds, dollar_value', () => {
    const m = map(headerOf('lifetimes_CDNOW_master.txt', (l) => l.trim().split(/\s+/)));
    expect(m.fields).toEqual({ customer_id: 0, order_date: 1, quantity: 2, amount: 3 });
  });
  it('lifetimes example transactions (date,id): no amount column → amount-less', () => {
    const m = map(headerOf('lifetimes_example_transactions.csv'));
    expect(m.amountless).toBe(true);
    expect(m.describe).toBe('customer_id←id, order_date←date, amount←(none)');
  });
  it('--no-amount maps no money column even when one matches; with --map amount it is a usage error', () => {
    const m = resolveMapping({ header: ['customer_id', 'date', 'amount', 'qty', 'price'], columnCount: 5, overrides: {}, keep: [], noAmount: true });
    expect(m.amountless).toBe(true);
    expect(m.fields).toEqual({ customer_id: 0, order_date: 1, quantity: 3 });
    const e = errorOf(() => resolveMapping({ header: ['customer_id', 'date', 'amount'], columnCount: 3, overrides: { amount: 'amount' }, keep: [], noAmount: true }));
    expect(e.exitCode).toBe(EXIT.USAGE);
    expect(e.message).toContain('--no-amount with --map amount');
  });
  it('Tmall has no customer id: the error lists its columns (trailing spaces trimmed)', () => {
    const h = headerOf('tmall_order_report_zh.csv');
    const e = errorOf(() => map(h));
    expect(e.exitCode).toBe(EXIT.DATA);
    expect(e.message).toMatch(/^no column for customer_id among \[订单编号, 总金额, 买家实际支付金额, 收货地址, 订单创建时间, 订单付款时间, 退款金额\]; expected one of /);
    // With a customer column forced, the rest maps by priority: creation time, refund and payment
    // time; amount is the order total, since 买家实际支付金额 is already net of the refund.
    const m = map(h, { customer_id: '收货地址' });
    expect(m.fields).toEqual({ customer_id: 3, order_id: 0, order_date: 4, amount: 1, refund: 6, paid_at: 5 });
    // An amount given with --map stays: then the refund is subtracted from it.
    expect(map(h, { customer_id: '收货地址', amount: '买家实际支付金额' }).fields).toMatchObject({ amount: 2, refund: 6 });
  });
});

describe('refund and paid_at columns', () => {
  it('map from their synonyms, English and Chinese', () => {
    expect(map(['customer_id', 'order_date', 'amount', 'Refunded Amount', 'Paid at']).fields).toEqual({ customer_id: 0, order_date: 1, amount: 2, refund: 3, paid_at: 4 });
    expect(map(['客户ID', '下单时间', '订单金额', '退款金额', '支付时间']).fields).toEqual({ customer_id: 0, order_date: 1, amount: 2, refund: 3, paid_at: 4 });
    expect(map(['customer_id', 'order_date', 'amount', 'refund_amount']).describe).toBe('customer_id←customer_id, order_date←order_date, amount←amount, refund←refund_amount');
  });
  it('付款时间 alone is still the order date; without refund columns nothing changes', () => {
    expect(map(['客户ID', '付款时间', '实付金额']).fields).toEqual({ customer_id: 0, order_date: 1, amount: 2 });
    expect(map(['客户ID', '订单创建时间', '总金额', '买家实际支付金额']).fields).toEqual({ customer_id: 0, order_date: 1, amount: 3 });
  });
  it('an amount net of refunds with no total column leaves the refund column unused (no double subtraction)', () => {
    expect(map(['客户ID', '下单时间', '买家实际支付金额', '退款金额']).fields).toEqual({ customer_id: 0, order_date: 1, amount: 2 });
  });
});
