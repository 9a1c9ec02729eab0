// unit: when an answered invitation stops taking answers (answersCloseAt). Every revision of its response keeps the
// first answer's receivedAt, so the last answer it takes must still be stored unexpired and counted by the rollup,
// whatever the retention; the finaliser's longest delay must end before it; the margin must outlast the queue.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailSurveySettings } from '../../functions/commons/email-survey-settings.js';
import { topology } from '../../infra/topology.js';
import { ANSWER_CLOSE_MARGIN_MS, answersCloseAt, answersClosed, MAX_FINALISE_DELAY_MS, provisionalAnswersClosed } from '../../shared/invitations/invitation.js';
import { expiresAtFor } from '../../shared/privacy/retention.js';
import { hourRecomputedUntil } from '../../shared/rollup/bucket.js';

const HOUR = 3_600_000;

describe('an invitation taking answers', () => {
  it('takes them for ever until it is first answered', () => {
    expect(answersCloseAt({}, 1)).toBeUndefined();
    expect(answersClosed({}, 1, new Date('2099-01-01T00:00:00Z'))).toBe(false);
  });

  it('stops an hour before the rollup stops recomputing the hour of its first answer', () => {
    // Prepare: first answered at 09:59:59, a survey keeping responses 1 day: the rollup recomputes hour 09 until 09:00 next day
    const invitation = { answeredAt: '2026-11-02T09:59:59.000Z' };

    // Act
    const closes = answersCloseAt(invitation, 1);

    // Assess
    expect(closes?.toISOString()).toBe('2026-11-03T08:00:00.000Z');
    expect(answersClosed(invitation, 1, new Date('2026-11-03T07:59:59.999Z'))).toBe(false);
    expect(answersClosed(invitation, 1, new Date('2026-11-03T08:00:00.000Z'))).toBe(true);
    expect(answersClosed(invitation, 30, new Date('2026-11-05T09:00:00.000Z'))).toBe(false);
  });

  it('closes by the retention its first answer was stored with when the survey keeps responses longer since', () => {
    // Prepare: first answered under a 30-day retention, raised to a year since: the hour's responses still expire at 30 days
    const invitation = { answeredAt: '2026-11-02T09:30:00.000Z', answeredRetentionDays: 30 };

    // Act
    const closes = answersCloseAt(invitation, 365);

    // Assess: as at 30 days, not a year; a retention lowered since still closes it sooner; an invitation answered
    // before the retention was recorded closes by the survey's retention as it is
    expect(closes?.toISOString()).toBe('2026-12-02T08:00:00.000Z');
    expect(answersClosed(invitation, 365, new Date('2026-12-10T00:00:00.000Z'))).toBe(true);
    expect(answersCloseAt(invitation, 7)?.toISOString()).toBe('2026-11-09T08:00:00.000Z');
    expect(answersCloseAt({ answeredAt: invitation.answeredAt }, 365)?.toISOString()).toBe('2027-11-02T08:00:00.000Z');
  });

  it('closes, for any first answer and retention, before the response expires and the rollup stops counting it, 22 hours at the earliest', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 3650 }), (answeredAt, retentionDays) => {
        const closes = answersCloseAt({ answeredAt: answeredAt.toISOString() }, retentionDays)!.getTime();
        expect(closes + ANSWER_CLOSE_MARGIN_MS).toBeLessThanOrEqual(hourRecomputedUntil(answeredAt, retentionDays).getTime());
        expect(closes + ANSWER_CLOSE_MARGIN_MS).toBeLessThanOrEqual(expiresAtFor(answeredAt, retentionDays) * 1000);
        expect(closes - answeredAt.getTime()).toBeGreaterThanOrEqual(22 * HOUR);
      }),
    );
  });

  it('takes a provisional answer only while the finaliser\'s longest delay still ends before the close: for any first answer, retention and moment', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 3650 }),
        fc.integer({ min: 0, max: 3660 * 24 * HOUR }),
        (answeredAt, retentionDays, after) => {
          const invitation = { answeredAt: answeredAt.toISOString() };
          const now = new Date(answeredAt.getTime() + after);
          const closes = answersCloseAt(invitation, retentionDays)!.getTime();
          // one taken is made final, at the latest, before the answers close (so the finaliser never drops it as late)
          if (!provisionalAnswersClosed(invitation, retentionDays, now)) expect(now.getTime() + MAX_FINALISE_DELAY_MS).toBeLessThan(closes);
          // and the first answer's own provisional answer is always taken
          expect(provisionalAnswersClosed(invitation, retentionDays, answeredAt)).toBe(false);
        },
      ),
    );
  });

  it('leaves the last answer more time than a message can spend on the responses queue, and the finaliser room to finish first', () => {
    const { visibilityTimeoutSeconds, maxReceiveCount } = topology.queues.responses;
    expect(ANSWER_CLOSE_MARGIN_MS).toBeGreaterThan(visibilityTimeoutSeconds * maxReceiveCount * 1000);
    // the longest finalise delay the settings accept, plus a late run of the every-minute schedule, ends before 22 hours
    expect(emailSurveySettings.EMAIL_SURVEY_FINALISE_MINUTES.safeParse('1200').success).toBe(true);
    expect(emailSurveySettings.EMAIL_SURVEY_FINALISE_MINUTES.safeParse('1201').success).toBe(false);
    expect(1200 * 60_000 + HOUR).toBeLessThan(22 * HOUR);
  });
});
