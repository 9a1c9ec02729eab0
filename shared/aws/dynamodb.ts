// adapter support: DynamoDB over the JSON protocol client (./json-protocol.ts), with the document client's commands:
// inputs and outputs in native JavaScript values, (un)marshalled by the SDK's own @aws-sdk/util-dynamodb. The names
// and shapes are @aws-sdk/lib-dynamodb's (GetCommand, `send`, `from`), whose types are used as they are.
import { convertToAttr, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { AttributeValue, DescribeTableCommandInput, DescribeTableCommandOutput } from '@aws-sdk/client-dynamodb';
import { AwsClient, AwsCommand, errorsByCode, serviceError, type ClientConfig, type OutputOf } from './json-protocol.js';

export type {
  BatchGetCommandInput, BatchGetCommandOutput, BatchWriteCommandInput, BatchWriteCommandOutput, QueryCommandInput, QueryCommandOutput,
};

export const ConditionalCheckFailedException = serviceError('ConditionalCheckFailedException');
export const ProvisionedThroughputExceededException = serviceError('ProvisionedThroughputExceededException');
export const RequestLimitExceeded = serviceError('RequestLimitExceeded');
export const ResourceNotFoundException = serviceError('ResourceNotFoundException');
export const TransactionConflictException = serviceError('TransactionConflictException');
export const InternalServerError = serviceError('InternalServerError');

const errors = errorsByCode(
  ConditionalCheckFailedException, ProvisionedThroughputExceededException, RequestLimitExceeded, ResourceNotFoundException, TransactionConflictException, InternalServerError,
);

/** DynamoDB's own commands, attribute values in its wire format */
export class DynamoDBClient extends AwsClient<AwsCommand<object, object>> {
  constructor(config: ClientConfig = {}) {
    super({ endpointVariable: 'DYNAMODB', endpointPrefix: 'dynamodb', targetPrefix: 'DynamoDB_20120810', jsonVersion: '1.0', errors }, config);
  }
}

export class DescribeTableCommand extends AwsCommand<DescribeTableCommandInput, DescribeTableCommandOutput> {
  readonly operation = 'DescribeTable';
}

type Item = Record<string, NativeAttributeValue>;
type WireItem = Record<string, AttributeValue>;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** an attribute value with every plain object in it as a Map (sets, binaries, numbers, Dates are left as they are) */
function asMaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asMaps);
  // the JSON body would carry a Uint8Array as an object of its bytes, not base64: no adapter stores binary
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) throw new TypeError('binary attribute values are not supported by shared/aws/dynamodb.ts');
  if (!isPlainObject(value)) return value;
  return new Map(Object.entries(value).map(([key, inner]) => [key, asMaps(inner)]));
}

/**
 * An item in DynamoDB's format. util-dynamodb tells a plain object from a class instance by
 * `value.constructor.name === 'Object'`, a property the data itself can own: metadata `{ "constructor": "y" }`, an
 * answer to a question with id `constructor`, invitation fields. Such an object was refused as a class instance (a
 * 202 lost in the DLQ, or a 500). Handed over as a Map, an object's type comes from its prototype and its keys are
 * only entries, whatever they are named. Plain objects only: a Date or another class instance is still refused, not
 * stored as `{}`. Undefined attributes are left out.
 */
export function marshallItem(item: Item): WireItem {
  const wire: WireItem = {};
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    wire[name] = convertToAttr(asMaps(value), { removeUndefinedValues: true, convertClassInstanceToMap: false });
  }
  return wire;
}

const unmarshallItem = (item: WireItem): Item => unmarshall(item);

const mapItem = <T, U>(item: T | undefined, map: (item: T) => U): U | undefined => (item === undefined ? undefined : map(item));
const mapItems = <T, U>(items: T[] | undefined, map: (item: T) => U): U[] | undefined => items?.map(map);
const mapTables = <T, U>(tables: Record<string, T> | undefined, map: (value: T) => U): Record<string, U> | undefined =>
  tables && Object.fromEntries(Object.entries(tables).map(([table, value]) => [table, map(value)]));

/** a document command: how its input goes to the wire and how its output comes back */
abstract class DocumentCommand<Input extends object, Output extends object> extends AwsCommand<Input, Output> {
  abstract toWire(): object;
  abstract fromWire(output: Record<string, unknown>): Output;
}

/** the input's key, item and expression values in DynamoDB's format, the rest as it is */
function wireInput<T extends { Key?: Item; Item?: Item; ExpressionAttributeValues?: Item; ExclusiveStartKey?: Item }>(input: T) {
  return {
    ...input,
    Key: mapItem(input.Key, marshallItem),
    Item: mapItem(input.Item, marshallItem),
    ExpressionAttributeValues: mapItem(input.ExpressionAttributeValues, marshallItem),
    ExclusiveStartKey: mapItem(input.ExclusiveStartKey, marshallItem),
  };
}

function nativeOutput<T>(output: Record<string, unknown>): T {
  const { Item, Items, Attributes, LastEvaluatedKey } = output as { Item?: WireItem; Items?: WireItem[]; Attributes?: WireItem; LastEvaluatedKey?: WireItem };
  return {
    ...output,
    ...(Item && { Item: unmarshallItem(Item) }),
    ...(Items && { Items: Items.map(unmarshallItem) }),
    ...(Attributes && { Attributes: unmarshallItem(Attributes) }),
    ...(LastEvaluatedKey && { LastEvaluatedKey: unmarshallItem(LastEvaluatedKey) }),
  } as T;
}

/**
 * The legacy parameters (Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter) hold attribute values this
 * client does not marshal: expressions only.
 */
type Legacy = 'Expected' | 'AttributeUpdates' | 'KeyConditions' | 'QueryFilter' | 'ScanFilter';

/** a command on items (or a page of them): keys, items and values marshalled, items in the output unmarshalled */
abstract class ItemCommand<Input extends Parameters<typeof wireInput>[0], Output extends object> extends DocumentCommand<Input, Output> {
  toWire() {
    return wireInput(this.input);
  }
  fromWire(output: Record<string, unknown>) {
    return nativeOutput<Output>(output);
  }
}

export class GetCommand extends ItemCommand<GetCommandInput, GetCommandOutput> {
  readonly operation = 'GetItem';
}
export class PutCommand extends ItemCommand<Omit<PutCommandInput, Legacy>, PutCommandOutput> {
  readonly operation = 'PutItem';
}
export class UpdateCommand extends ItemCommand<Omit<UpdateCommandInput, Legacy>, UpdateCommandOutput> {
  readonly operation = 'UpdateItem';
}
export class DeleteCommand extends ItemCommand<Omit<DeleteCommandInput, Legacy>, DeleteCommandOutput> {
  readonly operation = 'DeleteItem';
}
export class QueryCommand extends ItemCommand<Omit<QueryCommandInput, Legacy>, QueryCommandOutput> {
  readonly operation = 'Query';
}
export class ScanCommand extends ItemCommand<Omit<ScanCommandInput, Legacy>, ScanCommandOutput> {
  readonly operation = 'Scan';
}

type KeysAndAttributes = { Keys?: Item[] };
export class BatchGetCommand extends DocumentCommand<BatchGetCommandInput, BatchGetCommandOutput> {
  readonly operation = 'BatchGetItem';
  toWire() {
    return {
      ...this.input,
      RequestItems: mapTables(this.input.RequestItems as Record<string, KeysAndAttributes>, (request) => ({ ...request, Keys: mapItems(request.Keys, marshallItem) })),
    };
  }
  fromWire(output: Record<string, unknown>) {
    const { Responses, UnprocessedKeys } = output as { Responses?: Record<string, WireItem[]>; UnprocessedKeys?: Record<string, { Keys?: WireItem[] }> };
    return {
      ...output,
      Responses: mapTables(Responses, (items) => items.map(unmarshallItem)),
      UnprocessedKeys: mapTables(UnprocessedKeys, (request) => ({ ...request, Keys: mapItems(request.Keys, unmarshallItem) })),
    } as BatchGetCommandOutput;
  }
}

type WriteRequest<T> = { PutRequest?: { Item?: T }; DeleteRequest?: { Key?: T } };
const writeRequests = <T, U>(requests: WriteRequest<T>[], map: (item: T) => U): WriteRequest<U>[] =>
  requests.map(({ PutRequest, DeleteRequest, ...rest }) => ({
    ...rest,
    ...(PutRequest && { PutRequest: { ...PutRequest, Item: mapItem(PutRequest.Item, map) } }),
    ...(DeleteRequest && { DeleteRequest: { ...DeleteRequest, Key: mapItem(DeleteRequest.Key, map) } }),
  }));

export class BatchWriteCommand extends DocumentCommand<BatchWriteCommandInput, BatchWriteCommandOutput> {
  readonly operation = 'BatchWriteItem';
  toWire() {
    return {
      ...this.input,
      RequestItems: mapTables(this.input.RequestItems as Record<string, WriteRequest<Item>[]>, (requests) => writeRequests(requests, marshallItem)),
    };
  }
  fromWire(output: Record<string, unknown>) {
    const { UnprocessedItems } = output as { UnprocessedItems?: Record<string, WriteRequest<WireItem>[]> };
    return { ...output, UnprocessedItems: mapTables(UnprocessedItems, (requests) => writeRequests(requests, unmarshallItem)) } as BatchWriteCommandOutput;
  }
}

/** DynamoDB with items as native values: the document commands above, and DynamoDB's own commands as they are */
export class DynamoDBDocumentClient {
  constructor(readonly client: DynamoDBClient) {}

  static from(client: DynamoDBClient): DynamoDBDocumentClient {
    return new DynamoDBDocumentClient(client);
  }

  async send<C extends AwsCommand<object, object>>(command: C): Promise<OutputOf<C>> {
    if (!(command instanceof DocumentCommand)) return this.client.send(command);
    const output = await this.client.protocol.call<Record<string, unknown>>(command.operation, command.toWire());
    return command.fromWire(output) as OutputOf<C>;
  }

  destroy(): void {
    this.client.destroy();
  }
}
