// domain: who a new task goes to, by its survey's followUp.assignment. Pure; open-tasks.ts reads the leads and, for
// round-robin, takes the survey's next turn (AssignmentTurns) before calling chooseAssignee.
//   manual: nobody
//   round-robin: the survey's leads (non-revoked cx tokens granted it) ordered by token id, the turn's one
//   touchpoint: the lead the task's touchpoint names, if that lead is still one of the survey's leads; else nobody
import type { AccessToken } from '../access/tokens.js';
import { tokenIdOf } from '../access/tokens.js';
import type { Assignment } from '../survey/schema.js';
import type { Actor } from './task.js';

/** what auto-assignment records as the task's history actor */
export const AUTO_ASSIGNMENT_ACTOR: Actor = { id: 'system', name: 'auto-assignment' };

/** the leads a survey's tasks may go to: non-revoked cx tokens granted the survey, by token id */
export function leadsOfSurvey(tokens: readonly AccessToken[], surveyId: string): AccessToken[] {
  return tokens
    .filter((t) => t.role === 'cx' && t.revokedAt === undefined && Array.isArray(t.surveys) && t.surveys.includes(surveyId))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export const actorOfLead = (lead: AccessToken): Actor => ({ id: `cx:${lead.id}`, name: lead.name });

/** whether choosing needs a round-robin turn (only then is the survey's counter advanced) */
export const needsTurn = (assignment: Assignment, leads: readonly AccessToken[]) => assignment.mode === 'round-robin' && leads.length > 0;

export function chooseAssignee(input: { assignment: Assignment; leads: readonly AccessToken[]; touchpoint?: string; turn?: number }): Actor | undefined {
  const { assignment, leads, touchpoint, turn = 0 } = input;
  if (assignment.mode === 'round-robin') {
    if (leads.length === 0) return undefined;
    return actorOfLead(leads[((turn % leads.length) + leads.length) % leads.length]!);
  }
  if (assignment.mode === 'touchpoint') {
    const wanted = touchpoint !== undefined ? assignment.touchpoints?.[touchpoint] : undefined;
    const lead = wanted !== undefined ? leads.find((l) => l.id === tokenIdOf(wanted)) : undefined;
    return lead ? actorOfLead(lead) : undefined;
  }
  return undefined;
}

// port: a survey's round-robin counter. Adapter: dynamo-assignment-turns.
export interface AssignmentTurns {
  /** the survey's next turn: 0, 1, 2, … atomically, so concurrent openings never take the same turn */
  next(surveyId: string): Promise<number>;
}
