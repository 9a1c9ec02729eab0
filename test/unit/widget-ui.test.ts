// unit: the widget's pure UI decisions: which locale's texts and which direction, the steps a survey becomes, the
// scales, and the default theme's contrast (WCAG AA).
import { describe, expect, it } from 'vitest';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { publicSurveyOf, type PublicQuestion } from '../../shared/survey/public-survey.js';
import { surveySchema } from '../../shared/survey/schema.js';
import { isRtl, pickLocale, scaleOf, stepsOf } from '../../web-widget/src/ui/model.js';
import { stringsFor } from '../../web-widget/src/ui/strings.js';
import { THEME } from '../../web-widget/src/ui/styles.js';

const demo = publicSurveyOf(surveySchema.parse(demoSurvey([])));

/** WCAG 2 contrast ratio of two #rrggbb colours */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('the widget\'s locale', () => {
  it('is the first wanted tag the survey has texts for, exactly or by language, else the default', () => {
    expect(pickLocale(demo, ['zh-CN'])).toBe('zh-CN');
    expect(pickLocale(demo, ['zh'])).toBe('zh-CN');
    expect(pickLocale(demo, ['ZH-cn'])).toBe('zh-CN');
    expect(pickLocale(demo, ['en-GB'])).toBe('en');
    expect(pickLocale(demo, [undefined, 'fr-FR', 'zh-TW'])).toBe('zh-CN');
    expect(pickLocale(demo, ['fr', 'de'])).toBe('en');
    expect(pickLocale(demo, [])).toBe('en');
  });

  it('brings built-in English and Simplified Chinese strings, and right-to-left for RTL scripts', () => {
    expect(stringsFor('zh-CN').send).toBe('提交');
    expect(stringsFor('zh').next).toBe('下一步');
    expect(stringsFor('en-GB').send).toBe('Send');
    expect(stringsFor('fr').send).toBe('Send');
    expect(['ar', 'he-IL', 'fa', 'ur-PK'].map(isRtl)).toEqual([true, true, true, true]);
    expect(['en', 'zh-CN', 'arn', 'hu'].map(isRtl)).toEqual([false, false, false, false]);
  });

  it('has every built-in string in both languages', () => {
    expect(Object.keys(stringsFor('zh')).sort()).toEqual(Object.keys(stringsFor('en')).sort());
  });
});

describe('a survey\'s steps', () => {
  it('are one per question, with consecutive rating dimensions on one step', () => {
    expect(stepsOf(demo.questions).map((step) => step.map((q) => q.id))).toEqual([['nps'], ['csat'], ['ces'], ['product', 'service', 'price'], ['comment']]);
  });

  it('leave out a hidden comment box and question types this widget does not know', () => {
    // Prepare
    const questions = [
      { id: 'a', type: 'rating', required: false, dimension: 'x', max: 5 },
      { id: 'nps', type: 'nps', required: true },
      { id: 'b', type: 'rating', required: false, dimension: 'y', max: 10 },
      { id: 'video', type: 'video' },
      { id: 'comment', type: 'text', shown: false },
    ] as PublicQuestion[];

    // Assess
    expect(stepsOf(questions).map((step) => step.map((q) => q.id))).toEqual([['a'], ['nps'], ['b']]);
  });

  it('use the scales the API checks: NPS 0–10, CSAT 1–5, CES 1–7, ratings 1–max', () => {
    expect(scaleOf({ id: 'n', type: 'nps', required: true })).toEqual([0, 10]);
    expect(scaleOf({ id: 'c', type: 'csat', required: false })).toEqual([1, 5]);
    expect(scaleOf({ id: 'e', type: 'ces', required: false })).toEqual([1, 7]);
    expect(scaleOf({ id: 'r', type: 'rating', required: false, dimension: 'd', max: 10 })).toEqual([1, 10]);
  });
});

describe('the default theme', () => {
  it('meets WCAG AA: 4.5:1 for text, 3:1 for borders and focus rings', () => {
    expect(contrast(THEME.fg, THEME.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(THEME.muted, THEME.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(THEME.onAccent, THEME.accent)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(THEME.accent, THEME.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(THEME.error, THEME.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(THEME.border, THEME.bg)).toBeGreaterThanOrEqual(3);
  });
});
