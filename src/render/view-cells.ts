/** Cell and column makers shared by the report's view sections (sections.ts, cohort-sections.ts). */
import { fmtInt, fmtMoney, fmtNum, fmtPct } from './format.js';
import type { Cell, Column } from './sections.js';

export const txt = (s: string | null, na = ''): Cell => ({ text: s ?? na, value: s });
export const int = (x: number): Cell => ({ text: fmtInt(x), value: x });
export const money = (x: number | null): Cell => ({ text: x === null ? '–' : fmtMoney(x), value: x });
export const pct = (x: number | null): Cell => ({ text: x === null ? '–' : fmtPct(x), value: x });
export const num = (x: number | null, d = 1): Cell => ({ text: fmtNum(x, d), value: x });
export const L = (label: string): Column => ({ label, align: 'left' });
export const R = (label: string): Column => ({ label, align: 'right' });
