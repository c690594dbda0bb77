/**
 * Stable keys for the categories a report shows, and how names found in the customer table
 * map to them. Renderers translate keys through i18n.ts; the JSON report carries the keys.
 */

/**
 * The 11-segment RFM map (the widely used "Champions … Lost" map, as in Putler's and the
 * R rfm package's vignettes), in display order from best to worst.
 */
export const SEGMENT11_KEYS = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose',
  'hibernating',
  'lost',
] as const;
export type Segment11Key = (typeof SEGMENT11_KEYS)[number] | 'others';

/**
 * The Chinese 8-class RFM map (重要价值 … 一般挽留): each of R, F, M is "high" or "low"
 * against the population mean. Key order = R F M bits 111, 101, 011, 001, 110, 100, 010, 000.
 */
export const ZH8_KEYS = [
  'important_value', // R↑ F↑ M↑ 重要价值客户
  'important_develop', // R↑ F↓ M↑ 重要发展客户
  'important_retain', // R↓ F↑ M↑ 重要保持客户
  'important_winback', // R↓ F↓ M↑ 重要挽留客户
  'general_value', // R↑ F↑ M↓ 一般价值客户
  'general_develop', // R↑ F↓ M↓ 一般发展客户
  'general_retain', // R↓ F↑ M↓ 一般保持客户
  'general_winback', // R↓ F↓ M↓ 一般挽留客户
] as const;
export type Zh8Key = (typeof ZH8_KEYS)[number];

/** zh8 class from the three high/low flags ("high R" = more recent than average). */
export function zh8Key(rHigh: boolean, fHigh: boolean, mHigh: boolean): Zh8Key {
  if (mHigh) return rHigh ? (fHigh ? 'important_value' : 'important_develop') : fHigh ? 'important_retain' : 'important_winback';
  return rHigh ? (fHigh ? 'general_value' : 'general_develop') : fHigh ? 'general_retain' : 'general_winback';
}

/** Value tiers of the customer pyramid, top first. */
export const TIER_KEYS = ['vip', 'key', 'medium', 'ordinary'] as const;
export type TierKey = (typeof TIER_KEYS)[number];

/** Sleep states, from awake to gone. Every state but `active` counts as "sleeping". */
export const SLEEP_STATES = ['active', 'drowsy', 'half-asleep', 'deep-sleep', 'lost'] as const;
export type SleepState = (typeof SLEEP_STATES)[number];

/** Churn-risk bands written by `score`. */
export const CHURN_BANDS = ['low', 'medium', 'high'] as const;
export type ChurnBand = (typeof CHURN_BANDS)[number];

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');

const SEG11_ALIASES: Record<string, Segment11Key> = {
  champions: 'champions',
  champion: 'champions',
  loyal: 'loyal',
  loyalcustomers: 'loyal',
  potentialloyalist: 'potential_loyalist',
  potentialloyalists: 'potential_loyalist',
  new: 'new',
  newcustomers: 'new',
  recentcustomers: 'new',
  promising: 'promising',
  needattention: 'need_attention',
  customersneedingattention: 'need_attention',
  abouttosleep: 'about_to_sleep',
  atrisk: 'at_risk',
  cantlosethem: 'cant_lose',
  cantlose: 'cant_lose',
  hibernating: 'hibernating',
  hibernatingcustomers: 'hibernating',
  lost: 'lost',
  lostcustomers: 'lost',
  others: 'others',
  other: 'others',
};

/**
 * Key of an 11-map segment name as written by `segment` ("Champions", "Loyal",
 * "Can't Lose Them", …; case, spaces and punctuation ignored; the R rfm package's
 * "Loyal Customers"/"New Customers" accepted). Unknown names → null.
 */
export function segment11FromName(name: string): Segment11Key | null {
  return SEG11_ALIASES[squash(name)] ?? null;
}

const ZH8_NAMES: Record<string, Zh8Key> = {
  重要价值客户: 'important_value',
  重要发展客户: 'important_develop',
  重要保持客户: 'important_retain',
  重要挽留客户: 'important_winback',
  一般价值客户: 'general_value',
  一般发展客户: 'general_develop',
  一般保持客户: 'general_retain',
  一般挽留客户: 'general_winback',
};

/** Key of a zh8 name: the Chinese name (with or without 客户) or the key itself in any case. */
export function zh8FromName(name: string): Zh8Key | null {
  const s = name.trim();
  const zh = ZH8_NAMES[s] ?? ZH8_NAMES[s + '客户'];
  if (zh) return zh;
  const k = s.toLowerCase().replace(/[\s-]+/g, '_').replace(/win_back/, 'winback');
  return (ZH8_KEYS as readonly string[]).includes(k) ? (k as Zh8Key) : null;
}
