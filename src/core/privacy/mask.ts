/**
 * Masking of personal data in people-facing outputs: e-mails keep their first character and
 * domain (`a***@example.com`), phone numbers their first three and last four digits
 * (`138****5678`, the form Chinese apps show), other personal text (names, addresses) its
 * first character (`张**`). Masked text can still be told apart by a person who knows the
 * customer, which is its purpose; it is not anonymisation (see --pseudonymize).
 */

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
/** An e-mail address inside longer text (for raw rejected lines). */
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+/g;
/** Mainland China mobile numbers (11 digits, 13x–19x), optionally +86. */
const CN_MOBILE = /^(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}$/;
/** Numbers written as phone numbers: a leading + or separators between digit groups. */
const FORMATTED_PHONE = /^(?:\+\d[\d ()\-.]{5,20}\d|\(?\d{2,4}\)?[ \-.]\d{3,4}[ \-.]\d{3,4})$/;
/** Phone numbers inside longer text: CN mobiles and + numbers, not bounded by other digits. */
const PHONE_IN_TEXT = /(?<![\d\w])(?:\+\d[\d \-]{6,18}\d|1[3-9]\d{9})(?![\d\w])/g;

/** True when the whole value is an e-mail address. */
export function looksLikeEmail(v: string): boolean {
  return v.length <= 254 && EMAIL.test(v.trim());
}

/** True when the whole value is a phone number (CN mobile, or +… / grouped digits with 7–15 digits). */
export function looksLikePhone(v: string): boolean {
  const t = v.trim();
  if (t.length < 7 || t.length > 24) return false;
  if (!CN_MOBILE.test(t) && !FORMATTED_PHONE.test(t)) return false;
  const digits = t.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
}

export function maskEmail(v: string): string {
  const t = v.trim();
  const at = t.lastIndexOf('@');
  return `${t.slice(0, 1)}***${t.slice(at)}`;
}

export function maskPhone(v: string): string {
  const t = v.trim();
  const plus = t.startsWith('+') ? '+' : '';
  const d = t.replace(/\D/g, '');
  const keep = d.length >= 11 ? 4 : 2;
  return plus + d.slice(0, 3) + '*'.repeat(Math.max(1, d.length - 3 - keep)) + d.slice(d.length - keep);
}

/** Names, addresses: the first character, then one star per further character (at most 3). */
export function maskText(v: string): string {
  const chars = [...v.trim()];
  if (chars.length === 0) return '';
  return chars[0]! + '*'.repeat(Math.min(3, Math.max(1, chars.length - 1)));
}

/** A value that looks like an e-mail or phone number, masked; anything else unchanged. */
export function maskIfContact(v: string): string {
  if (looksLikeEmail(v)) return maskEmail(v);
  if (looksLikePhone(v)) return maskPhone(v);
  return v;
}

/** A value of a column known to hold personal data: by its pattern, else as text. */
export function maskPersonal(v: string): string {
  if (v.trim() === '') return v;
  const m = maskIfContact(v);
  return m !== v ? m : maskText(v);
}

/** E-mail addresses and phone numbers inside free text (a raw rejected line) masked in place. */
export function maskContactsInText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (m) => maskEmail(m)).replace(PHONE_IN_TEXT, (m) => maskPhone(m));
}
