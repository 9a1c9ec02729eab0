// domain: the inclusive answer range of each kind of scored question. Pure and without zod, so the CX console can
// bundle it (schema.ts re-exports it for everything else).
import type { ScoredQuestion } from './schema.js';

const FIXED_RANGES = { nps: { min: 0, max: 10 }, csat: { min: 1, max: 5 }, ces: { min: 1, max: 7 } } as const;

/** the inclusive answer range of a scored question */
export function answerRange(question: ScoredQuestion): { min: number; max: number } {
  return question.type === 'rating' ? { min: 1, max: question.max } : FIXED_RANGES[question.type];
}
