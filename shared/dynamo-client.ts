// adapter support: one DynamoDB document client per function, built at cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** where a document command's input holds attribute values, by the SDK's own names (Keys: BatchGet's list of keys) */
const ATTRIBUTE_MAPS = new Set(['Item', 'Key', 'ExpressionAttributeValues', 'ExclusiveStartKey']);
const ATTRIBUTE_MAP_LISTS = new Set(['Keys']);

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** an attribute value with every plain object in it as a Map (sets, binaries, numbers, Dates are left as they are) */
function asMaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asMaps);
  if (!isPlainObject(value)) return value;
  return new Map(Object.entries(value).map(([key, inner]) => [key, asMaps(inner)]));
}

const attributesAsMaps = (attributes: unknown) =>
  isPlainObject(attributes) ? Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, asMaps(value)])) : attributes;

/**
 * @aws-sdk/util-dynamodb tells a plain object from a class instance by `value.constructor.name === 'Object'`, a
 * property the data itself can own: metadata `{ "constructor": "y" }`, an answer to a question with id
 * `constructor`, invitation fields. Such an object was refused as a class instance (a 202 lost in the DLQ, or a
 * 500). Handed over as a Map, an object's type comes from its prototype and its keys are only entries, whatever
 * they are named. Plain objects only: a Date or another class instance is still refused, not stored as `{}`.
 */
export function storableInput<T>(input: T): T {
  if (Array.isArray(input)) return input.map(storableInput) as T;
  if (!isPlainObject(input)) return input;
  const prepared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (ATTRIBUTE_MAPS.has(key)) prepared[key] = attributesAsMaps(value);
    else if (ATTRIBUTE_MAP_LISTS.has(key) && Array.isArray(value)) prepared[key] = value.map(attributesAsMaps);
    else prepared[key] = storableInput(value);
  }
  return prepared as T;
}

export function createDocumentClient(): DynamoDBDocumentClient {
  return storingAnyKey(
    DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
  );
}

/** every command of this client hands its attribute values to the marshaller as Maps (see storableInput) */
export function storingAnyKey(db: DynamoDBDocumentClient): DynamoDBDocumentClient {
  db.middlewareStack.add((next) => async (args) => next({ ...args, input: storableInput(args.input) }), {
    step: 'initialize',
    name: 'storableAttributeValues',
    override: true,
  });
  return db;
}
