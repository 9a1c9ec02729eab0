// domain: how long a metrics report's range may be, its default, and how many intervals one report holds. Pure and
// free of zod and node modules, so the API (metrics-query.ts and report.ts refuse past these limits) and the CX
// console (which keeps its Overview and follow-up metrics within them, and asks for no report the API would refuse)
// read the same figures.
import { MAX_ANSWER_BODY_BYTES } from '../answer-size.js';
import type { Survey } from '../survey/schema.js';
import { boundariesOf, type Interval } from './report-intervals.js';

/** a report with no `from`: the 30 days ending with the interval that holds `to` */
export const DEFAULT_RANGE_DAYS = 30;
/** interval=hour: 31 days (744 points) at most */
export const MAX_HOUR_RANGE_DAYS = 31;
/** any other interval: 731 days (2 years) at most (732 daily, 106 weekly or 25 monthly points) */
export const MAX_RANGE_DAYS = 731;

/** groups in a grouped report (groupBy): the MAX_GROUPS − 1 largest, and "(other)" with the rest */
export const MAX_GROUPS = 12;
/** what a report and its follow-up block may take of a Lambda answer, estimated as the answer carries them (answer-size.ts) */
export const MAX_REPORT_BYTES = MAX_ANSWER_BODY_BYTES;

/**
 * a generous estimate of one point's JSON as a Lambda answer carries it (answer-size.ts), rounded as the API rounds,
 * with every metric and trend present. Measured: about 2,600 bytes + 160 per rating question and its id's and
 * dimension's characters (3 with ids of 10 and dimensions of 18 characters: 3,170; 27 with ids of 40 and dimensions of
 * 64: 9,751)
 */
export const pointBytesOf = (survey: Pick<Survey, 'questions'>) =>
  3_000 + survey.questions.reduce((sum, q) => sum + (q.type === 'rating' ? 200 + q.id.length + q.dimension.length : 0), 0);

/**
 * the intervals one report of `survey` holds at most, so it fits one answer (MAX_REPORT_BYTES): points × (1 +
 * MAX_GROUPS when grouped) of the survey's point size, less room for the totals and rolling windows. Fewer than
 * MAX_RANGE_DAYS allows by day once grouped: about 97 days for the demo survey
 */
export const maxReportIntervals = (survey: Pick<Survey, 'questions'>, grouped: boolean) => Math.floor(MAX_REPORT_BYTES / pointBytesOf(survey) / (grouped ? 1 + MAX_GROUPS : 1)) - 8;

/** the intervals of a report over [from, to) (epoch ms), widened to whole intervals as the report is */
export const reportIntervals = (interval: Interval, from: number, to: number) => boundariesOf(interval, from, to).length - 1;
