// domain support: how much of a Lambda answer a body takes. A synchronous Lambda answer is at most 6 MB (6,291,556
// bytes; past it the invocation fails and API Gateway answers 500). API Gateway's answer is the handler's result as
// JSON, whose body is a string in it: escaped once more, so every `"` and `\` takes two bytes and a control character
// six. Answers that grow with stored data (exports) fill pages by this measure, never past MAX_ANSWER_BODY_BYTES.

/** a page's body at most, in answer bytes: the rest of the 6 MB is left to the status, the headers and the envelope */
export const MAX_ANSWER_BODY_BYTES = 5_000_000;

/** the bytes `text` takes as the body of a Lambda answer */
export const answerBytesOf = (text: string): number => Buffer.byteLength(JSON.stringify(text)) - 2;

/** how many of `items`, from the first, fit in `maxBytes` of an answer as a JSON array's elements (one at least) */
export function leadingWithin(items: readonly unknown[], maxBytes: number): number {
  let bytes = 0;
  for (const [index, item] of items.entries()) {
    bytes += answerBytesOf(JSON.stringify(item)) + 1;
    if (index > 0 && bytes > maxBytes) return index;
  }
  return items.length;
}
