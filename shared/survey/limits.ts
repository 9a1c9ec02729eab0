// domain: the survey schema's limits that decide how large a survey's metrics report can be. Alone in its module, free
// of the validation library, so the CX console (web-console/src/state.ts) sizes the largest survey the schema takes,
// whose metrics report holds the fewest intervals, without the schema.

/** questions a survey holds at most */
export const MAX_QUESTIONS = 30;
/** characters in a question's id at most */
export const MAX_QUESTION_ID_LENGTH = 40;
/** characters in a rating question's dimension at most */
export const MAX_DIMENSION_LENGTH = 64;
