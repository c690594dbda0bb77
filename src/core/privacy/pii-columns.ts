/**
 * Which kept columns hold personal data: by header (English and Chinese synonyms for e-mail,
 * phone, name and address, matched like ingest's column synonyms) or by values (most non-empty
 * sampled values are e-mails or phone numbers).
 */
import { normalizeHeader } from '../ingest/columns.js';
import { looksLikeEmail, looksLikePhone } from './mask.js';

export type PiiKind = 'email' | 'phone' | 'name' | 'address';

/** `--pii`: show personal data, mask it (default), or drop the columns from reports. */
export type PiiMode = 'show' | 'mask' | 'drop';
export const PII_MODES: readonly PiiMode[] = ['show', 'mask', 'drop'];

/** Header words per kind; a normalised header equal to one, or containing one of CONTAINS, is personal. */
const HEADERS: Record<PiiKind, string[]> = {
  email: ['email', 'e-mail', 'mail', 'email address', 'customer email', 'contact email', '邮箱', '电子邮箱', '电子邮件', '邮件'],
  phone: ['phone', 'mobile', 'telephone', 'tel', 'cell', 'phone number', 'mobile phone', 'contact phone', 'billing phone', 'shipping phone', '手机', '手机号', '手机号码', '电话', '联系电话', '联系方式', '收货人手机', '收货人电话'],
  name: ['name', 'full name', 'first name', 'last name', 'customer name', 'contact name', 'billing name', 'shipping name', '姓名', '收货人', '收货人姓名', '联系人', '客户姓名', '真实姓名'],
  address: ['address', 'street', 'shipping address', 'billing address', 'address1', 'address2', 'shipping street', 'billing street', '地址', '收货地址', '详细地址', '联系地址'],
};
/** Substrings that mark a header as personal whatever surrounds them. */
const CONTAINS: [string, PiiKind][] = [['email', 'email'], ['phone', 'phone'], ['mobile', 'phone'], ['邮箱', 'email'], ['手机', 'phone'], ['电话', 'phone'], ['姓名', 'name'], ['收货人', 'name'], ['地址', 'address'], ['address', 'address']];

const BY_KEY = new Map<string, PiiKind>();
for (const [kind, words] of Object.entries(HEADERS) as [PiiKind, string[]][]) for (const w of words) BY_KEY.set(normalizeHeader(w), kind);

/** The kind of personal data a header names, or null. */
export function piiKindOfHeader(header: string): PiiKind | null {
  const k = normalizeHeader(header);
  const exact = BY_KEY.get(k);
  if (exact) return exact;
  for (const [s, kind] of CONTAINS) if (k.includes(s)) return kind;
  return null;
}

/** The kind suggested by values: e-mail or phone when at least half of the non-empty ones are. */
export function piiKindOfValues(values: Iterable<string>): PiiKind | null {
  let n = 0, emails = 0, phones = 0;
  for (const v of values) {
    if (v.trim() === '') continue;
    n++;
    if (looksLikeEmail(v)) emails++;
    else if (looksLikePhone(v)) phones++;
  }
  if (n === 0) return null;
  if (emails * 2 >= n) return 'email';
  if (phones * 2 >= n) return 'phone';
  return null;
}

/** A column's kind by header first, then by its values (sample); null when not personal. */
export function piiKindOf(header: string, sample: Iterable<string> = []): PiiKind | null {
  return piiKindOfHeader(header) ?? piiKindOfValues(sample);
}

/**
 * 0-based columns of a source header that name personal data, leaving out columns mapped to a
 * canonical field other than the customer id (`Name` is Shopify's order number).
 */
export function personalCells(header: readonly string[] | null, fields: Partial<Record<string, number>>): number[] {
  if (header === null) return [];
  const mapped = new Set<number>();
  for (const [f, i] of Object.entries(fields)) if (f !== 'customer_id' && i !== undefined) mapped.add(i);
  const out: number[] = [];
  header.forEach((h, i) => {
    if (!mapped.has(i) && piiKindOfHeader(h) !== null) out.push(i);
  });
  return out;
}
