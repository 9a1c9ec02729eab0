// console: how a trend from the metrics API reads. Pure. The API judges significance (shared/metrics/significance.ts);
// the console only shows that verdict, and says when it is "not significant" because a period had too few answers.

/** a trend as the metrics API sends it (answers and minimumSample are absent from older servers) */
export interface ApiTrend {
  change: number;
  marginOfError: number;
  significant: boolean;
  reason?: string | null;
  answers?: { current: number; previous: number };
  minimumSample?: number;
}

export type TrendVerdict = 'up' | 'down' | 'tooFewAnswers' | 'withinMargin';

/** the API's verdict: a significant rise or fall, or why not (too few answers, or within the margin) */
export function trendVerdict(trend: ApiTrend): TrendVerdict {
  if (trend.significant) return trend.change < 0 ? 'down' : 'up';
  const { answers, minimumSample } = trend;
  if (answers && minimumSample !== undefined && Math.min(answers.current, answers.previous) < minimumSample) return 'tooFewAnswers';
  return 'withinMargin';
}
