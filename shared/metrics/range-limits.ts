// domain: how long a metrics report's range may be, and its default, in days. Pure and free of zod and node modules,
// so the API's query parser (metrics-query.ts) and the CX console, which keeps its Overview within the limit, read the
// same figures.

/** a report with no `from`: the 30 days ending with the interval that holds `to` */
export const DEFAULT_RANGE_DAYS = 30;
/** interval=hour: 31 days (744 points) at most */
export const MAX_HOUR_RANGE_DAYS = 31;
/** any other interval: 731 days (2 years) at most (732 daily, 106 weekly or 25 monthly points) */
export const MAX_RANGE_DAYS = 731;
