/**
 * Turns simulated customers into an order export in "the generated format"
 * (`customer_id,order_id,order_date,amount,quantity,status,channel`, ~47 bytes a line,
 * chronological like a real export), exactly `orders` lines, plus the ground truth.
 * Memory: O(orders) in typed arrays (13 bytes an order), not strings.
 * `dirty` injects, deterministically, the problems custkit must handle: exact duplicate
 * lines, orders split over several lines, cancellations and refund lines, guest customers,
 * unreadable rows, and currency-formatted amounts.
 */
import { createRng } from '../core/math/rng.js';
import { formatDay } from '../core/time/day.js';
import { calibrateRate, simulateCustomers, type SimOptions } from './simulate.js';

export interface ExportOptions extends SimOptions {
  orders: number;
  customers?: number;
  dirty?: boolean;
}

export interface DirtyCounts {
  duplicates: number;
  splitOrders: number;
  cancelled: number;
  refunds: number;
  guests: number;
  badRows: number;
  formattedAmounts: number;
}

export interface TruthRow {
  customerId: string;
  birth: number;
  death: number;
  aliveAtEnd: boolean;
  rate: number;
  meanSpend: number;
  orders: number;
}

export const EXPORT_HEADER = 'customer_id,order_id,order_date,amount,quantity,status,channel\n';
const CHANNELS = ['web', 'app', 'store'];

const cid = (i: number): string => 'C' + String(i + 1).padStart(7, '0');
const oid = (i: number): string => 'O' + String(i + 1).padStart(12, '0');
const money = (c: number): string => {
  const neg = c < 0;
  const a = Math.abs(c);
  const s = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
  return neg ? '-' + s : s;
};

/**
 * Generates the export; `write` receives text blocks (~1 MiB), `truth` one row per customer.
 * Returns the number of customers and the dirty counts.
 */
export function generateOrders(o: ExportOptions, write: (text: string) => void, truth?: (t: TruthRow) => void): { customers: number; lines: number; dirty: DirtyCounts } {
  const perCustomer = o.customers ? Math.max(1, o.orders / o.customers) : (o.ordersPerCustomer ?? 10);
  const sim: SimOptions = { ...o, ordersPerCustomer: perCustomer };
  const rate = calibrateRate(sim);
  const n = o.orders;
  const day = new Int32Array(n);
  const cust = new Int32Array(n);
  const cents = new Int32Array(n);
  const qty = new Uint8Array(n);
  let k = 0;
  let customers = 0;
  for (const c of simulateCustomers(sim, rate)) {
    if (k >= n) break;
    customers++;
    const take = Math.min(c.days.length, n - k);
    for (let j = 0; j < take; j++, k++) {
      day[k] = c.days[j]!;
      cust[k] = c.index;
      cents[k] = c.cents[j]!;
      qty[k] = c.quantity[j]!;
    }
    truth?.({ customerId: cid(c.index), birth: c.birth, death: c.death, aliveAtEnd: c.death > o.end, rate: c.rate, meanSpend: c.meanSpend, orders: take });
  }
  // Counting sort by day (stable: customers in index order within a day).
  const span = o.end - o.start + 1;
  const count = new Int32Array(span + 1);
  for (let i = 0; i < n; i++) count[day[i]! - o.start + 1]!++;
  for (let d = 1; d <= span; d++) count[d]! += count[d - 1]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[count[day[i]! - o.start]!++] = i;

  const dirty: DirtyCounts = { duplicates: 0, splitOrders: 0, cancelled: 0, refunds: 0, guests: 0, badRows: 0, formattedAmounts: 0 };
  const rng = createRng(o.seed ^ 0xd1e7);
  let buf = EXPORT_HEADER;
  let lines = 0;
  let dayText = '';
  let lastDay = -1;
  const pendingRefunds: string[] = [];
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    if (day[i] !== lastDay) {
      lastDay = day[i]!;
      dayText = formatDay(lastDay);
      if (pendingRefunds.length) {
        for (const l of pendingRefunds) buf += l.replace('@DAY@', dayText);
        lines += pendingRefunds.length;
        pendingRefunds.length = 0;
      }
    }
    const ch = CHANNELS[(i * 7 + r) % 3]!;
    let id = cid(cust[i]!);
    let amount = money(cents[i]!);
    let status = 'paid';
    if (o.dirty) {
      const u = rng.next();
      if (u < 0.004) {
        id = rng.next() < 0.5 ? '' : 'guest';
        dirty.guests++;
      } else if (u < 0.014) {
        status = 'cancelled';
        dirty.cancelled++;
      } else if (u < 0.019) {
        // A refund line on the next order day: same order id, negative amount.
        pendingRefunds.push(`${id},${oid(r)},@DAY@,-${money(Math.round(cents[i]! / 2))},1,refunded,${ch}\n`);
        dirty.refunds++;
      } else if (u < 0.0195) {
        buf += `${id},${oid(r)},${rng.next() < 0.5 ? 'not-a-date' : dayText},${rng.next() < 0.5 ? 'abc' : amount},${qty[i]},paid,${ch}\n`;
        lines++;
        dirty.badRows++;
        continue;
      } else if (u < 0.0395) {
        const c = cents[i]!;
        amount = `"$${Math.floor(c / 100).toLocaleString('en-US')}.${String(c % 100).padStart(2, '0')}"`;
        dirty.formattedAmounts++;
      } else if (u < 0.0495 && cents[i]! > 1) {
        // One order on two lines (lines of an order are listed together).
        const a = Math.floor(cents[i]! / 3);
        buf += `${id},${oid(r)},${dayText},${money(a)},1,${status},${ch}\n`;
        amount = money(cents[i]! - a);
        lines++;
        dirty.splitOrders++;
      }
    }
    const line = `${id},${oid(r)},${dayText},${amount},${qty[i]},${status},${ch}\n`;
    buf += line;
    lines++;
    if (o.dirty && rng.next() < 0.005) {
      buf += line;
      lines++;
      dirty.duplicates++;
    }
    if (buf.length > 1 << 20) {
      write(buf);
      buf = '';
    }
  }
  for (const l of pendingRefunds) buf += l.replace('@DAY@', dayText);
  lines += pendingRefunds.length;
  write(buf);
  return { customers, lines, dirty };
}
