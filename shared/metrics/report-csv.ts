// domain: a metrics report as CSV (GET /v1/surveys/{id}/metrics.csv), for spreadsheets. Pure; written by the one CSV
// writer (shared/csv.ts: quoting, formula guard, numbers to 2 decimals, nulls as empty cells).
// Rows: the all-responses block first (group "(all)"), then one block per group; each block has one row per interval
// and ends with its total row, whose start and end are the report's own from and to. The last column, `approximate`,
// is true on every row of a group the rollup's per-bucket cap may have shortened (report.ts; the JSON says why).
import { csvRecords, type CsvCell } from '../csv.js';
import type { Metrics } from './indices.js';
import type { MetricsReport, SeriesPoint, Totals } from './report.js';

/** the group of the rows about every response (segment values never contain parentheses, so it cannot clash) */
export const ALL_GROUP = '(all)';

const FIXED_COLUMNS = [
  'group', 'start', 'end', 'responses',
  'nps', 'nps_promoters', 'nps_passives', 'nps_detractors', 'nps_answers', 'nps_margin',
  'csat_pct', 'csat_margin', 'csat_mean', 'csat_answers',
  'ces_mean', 'ces_margin', 'ces_easy_pct', 'ces_answers',
  'csi', 'csi_margin',
] as const;
const SENTIMENT_COLUMNS = [
  'sentiment_net', 'sentiment_margin', 'sentiment_positive', 'sentiment_negative', 'sentiment_neutral', 'sentiment_mixed', 'sentiment_answers',
] as const;

/** the header: fixed columns, csi_<dimension> per rating question (csi_<dimension>_<questionId> if that name is taken), sentiment, approximate */
export function csvColumns(report: Pick<MetricsReport, 'csiDimensions'>): string[] {
  const taken = new Set<string>([...FIXED_COLUMNS, ...SENTIMENT_COLUMNS, 'approximate']);
  const dimensions = report.csiDimensions.map(({ dimension, questionId }) => {
    const name = taken.has(`csi_${dimension}`) ? `csi_${dimension}_${questionId}` : `csi_${dimension}`;
    taken.add(name);
    return name;
  });
  return [...FIXED_COLUMNS, ...dimensions, ...SENTIMENT_COLUMNS, 'approximate'];
}

function rowOf(report: MetricsReport, group: string, approximate: boolean, start: string, end: string, m: Metrics): CsvCell[] {
  const { nps, csat, ces, csi, sentiment } = m;
  const dimensionScore = (questionId: string) => csi?.dimensions.find((d) => d.questionId === questionId)?.score;
  return [
    group, start, end, m.responses,
    nps?.score, nps?.promoters, nps?.passives, nps?.detractors, nps?.answers, nps?.marginOfError,
    csat?.percentage, csat?.marginOfError, csat?.mean, csat?.answers,
    ces?.mean, ces?.marginOfError, ces?.easyPercentage, ces?.answers,
    csi?.score, csi?.marginOfError,
    ...report.csiDimensions.map((d) => dimensionScore(d.questionId)),
    sentiment?.net, sentiment?.marginOfError,
    sentiment?.counts.POSITIVE, sentiment?.counts.NEGATIVE, sentiment?.counts.NEUTRAL, sentiment?.counts.MIXED, sentiment?.answers,
    String(approximate),
  ];
}

/** the report as one CSV document */
export function metricsCsv(report: MetricsReport): string {
  const block = (group: string, approximate: boolean, series: SeriesPoint[], totals: Totals) => [
    ...series.map((point) => rowOf(report, group, approximate, point.start, point.end, point.metrics)),
    rowOf(report, group, approximate, report.from, report.to, totals.metrics),
  ];
  return csvRecords([
    csvColumns(report),
    ...block(ALL_GROUP, false, report.series, report.totals),
    ...(report.groups ?? []).flatMap((g) => block(g.key, g.approximate, g.series, g.totals)),
  ]);
}
