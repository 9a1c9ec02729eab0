// adapter: stored comments redacted again after the local redactor learns to find more (LOCAL_REDACTION_RULES,
// local-redactor.ts). A comment is redacted once, when it is processed, so without this an upgrade whose redactor
// finds what the previous one let through (a national phone number, say) would leave every comment stored before it
// as it was. The sweep schedule runs it a slice at a time, after each such upgrade:
//   1. the first run under new rules records when it saw them; the pass starts PREVIOUS_VERSION_SETTLE_MS later, when
//      no function of the previous version can still be storing comments under the previous rules
//   2. scan the responses table, from where the previous run stopped, for the comments the redactor handled (redaction
//      `redacted`, `local-only` or `pending`); never a `kept` one (its survey keeps comments as written), nor one
//      stored before redaction existed (no redaction state: what its survey asked then is not known)
//   3. redact each again locally; where that finds more, write the comment and the added counts, conditional on the
//      comment read (a write meanwhile wins: the rescore finishing a pending redaction; an erased response stays
//      erased), and the copy a routed response's follow-up task holds, through the task store (a new version of it)
//   4. at the table's end, record the rules done
// Its state is one item in the responses table, as the index backfill's (shared/response/dynamo-index-backfill.ts):
// no response id starts with "#", and the item has no surveyId, customerRef or expiry, so no index and no sweep sees it.
import { UpdateCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { systemClock, type Clock } from '../clock.js';
import { conditionally } from '../dynamo-conditional.js';
import { passStateItem, scanPagesWhile } from '../dynamo-table-pass.js';
import { PREVIOUS_VERSION_SETTLE_MS } from '../previous-version.js';
import type { TaskStore } from '../followups/task-store.js';
import { taskIdOf } from '../followups/task.js';
import { chunksOf } from '../chunks.js';
import { LOCAL_REDACTION_RULES, redactLocally } from './local-redactor.js';
import { addFound } from './port.js';

export const REDACTION_MARKER_ID = '#redaction-rules';
/** items read per Scan call */
const PAGE = 500;
/** items redacted again at once */
const PARALLEL = 25;
/** a task changed meanwhile is read again, this many times at most */
const TASK_ATTEMPTS = 3;

interface Marker {
  /** the rules whose pass has finished (absent: none has, e.g. a deployment from before this existed) */
  done?: number;
  /** the pass under way */
  pass?: { rules: number; seenAt: string; position?: Record<string, unknown> };
}

interface StoredComment {
  responseId: string;
  comment: string;
  redaction: { found?: Record<string, number> };
  followUp?: unknown;
}

/** the comment redacted again under the current rules, with the counts added; undefined when they find nothing more */
export function redactedAgain(comment: string, found: Record<string, number> = {}): { comment: string; found: Record<string, number> } | undefined {
  const again = redactLocally(comment);
  return again.text === comment ? undefined : { comment: again.text, found: addFound(found, again.found) };
}

export interface RedactionBackfill {
  /** goes on while `hasTime()`; answers the comments it redacted again (responses and task copies) and whether the pass is done */
  run(hasTime: () => boolean): Promise<{ responses: number; tasks: number; done: boolean }>;
}

export function createRedactionBackfill(
  db: DynamoDBDocumentClient,
  tableName: string,
  tasks: TaskStore,
  clock: Clock = systemClock,
  { pageSize = PAGE }: { pageSize?: number } = {},
): RedactionBackfill {
  const markerItem = passStateItem<Marker>(db, tableName, { responseId: REDACTION_MARKER_ID });

  /** step 3 for a response: answers whether its comment changed */
  async function redactResponse(item: StoredComment): Promise<boolean> {
    const again = redactedAgain(item.comment, item.redaction.found);
    if (!again) return false;
    return conditionally(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { responseId: item.responseId },
          UpdateExpression: 'SET #c = :new, #r.#f = :found',
          ConditionExpression: '#c = :old',
          ExpressionAttributeNames: { '#c': 'comment', '#r': 'redaction', '#f': 'found' },
          ExpressionAttributeValues: { ':new': again.comment, ':found': again.found, ':old': item.comment },
        }),
      ),
    );
  }

  /** step 3 for the task of a routed response: answers whether its copy of the comment changed */
  async function redactTask(responseId: string): Promise<boolean> {
    for (let attempt = 0; attempt < TASK_ATTEMPTS; attempt += 1) {
      const task = await tasks.get(taskIdOf(responseId));
      const again = task?.response.comment === undefined ? undefined : redactedAgain(task.response.comment);
      if (!task || !again) return false;
      if (await tasks.replace({ ...task, version: task.version + 1, response: { ...task.response, comment: again.comment } })) return true;
    }
    return false;
  }

  return {
    async run(hasTime) {
      const marker: Marker = (await markerItem.read()) ?? {};
      if ((marker.done ?? 0) >= LOCAL_REDACTION_RULES) return { responses: 0, tasks: 0, done: true };
      // 1.
      if (marker.pass?.rules !== LOCAL_REDACTION_RULES) {
        marker.pass = { rules: LOCAL_REDACTION_RULES, seenAt: clock.now().toISOString() };
        await markerItem.save(marker);
      }
      const pass = marker.pass;
      if (clock.now().getTime() - Date.parse(pass.seenAt) < PREVIOUS_VERSION_SETTLE_MS) return { responses: 0, tasks: 0, done: false };
      const changed = { responses: 0, tasks: 0 };
      // 2.
      const pages = scanPagesWhile<StoredComment>(
        db,
        {
          TableName: tableName,
          FilterExpression: 'attribute_exists(surveyId) AND attribute_exists(#c) AND #r.#s IN (:redacted, :localOnly, :pending)',
          ProjectionExpression: 'responseId, #c, #r, followUp',
          ExpressionAttributeNames: { '#c': 'comment', '#r': 'redaction', '#s': 'status' },
          ExpressionAttributeValues: { ':redacted': 'redacted', ':localOnly': 'local-only', ':pending': 'pending' },
          Limit: pageSize,
        },
        pass.position,
        hasTime,
      );
      for await (const { items, next } of pages) {
        // 3. a routed response's task is read whether or not the response changed now: a run that stopped between
        // the two writes left the task's copy as it was
        for (const chunk of chunksOf(items, PARALLEL)) {
          const results = await Promise.all(chunk.map(async (item) => [await redactResponse(item), item.followUp !== undefined && (await redactTask(item.responseId))] as const));
          changed.responses += results.filter(([response]) => response).length;
          changed.tasks += results.filter(([, task]) => task).length;
        }
        pass.position = next;
        // 4.
        if (!pass.position) {
          await markerItem.save({ done: LOCAL_REDACTION_RULES });
          return { ...changed, done: true };
        }
        await markerItem.save(marker);
      }
      return { ...changed, done: false };
    },
  };
}
