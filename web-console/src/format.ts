// console: numbers and times as people read them. Pure.

/** a figure to `digits` decimals, or "—" when there is none */
export function num(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** a signed change: "+3.2", "−1.5" (a real minus sign), "0" */
export function signed(value: number, digits = 1): { sign: string; value: string } {
  const rounded = Number(value.toFixed(digits));
  return { sign: rounded > 0 ? '+' : rounded < 0 ? '−' : '', value: Math.abs(rounded).toFixed(digits) };
}

export const pct = (share: number | null | undefined, digits = 0) => (share === null || share === undefined ? '—' : `${(share * 100).toFixed(digits)}%`);

/** a percentage the API gives as 0–100 (e.g. closureRatePct) as "82%", or "—" when there is none */
export const percent = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${num(value)}%`);

/** an ISO instant as "2026-11-23 09:41" (UTC), compact for tables */
export const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
