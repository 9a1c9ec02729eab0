// infra: what a Lambda bundle holds in place of @smithy/core/event-streams (infra/bundling.ts aliases it here). The SDK
// loads that module only for an operation that streams events, and none of those the functions call (DynamoDB, SQS,
// Secrets Manager, Comprehend) does; bundled, it is ~14 KB of codecs in every function. Should one ever be called,
// it fails with this message rather than a stream decoded wrongly.
const notBundled = (): never => {
  throw new Error('@smithy/core/event-streams is left out of the Lambda bundles (infra/bundling.ts): an event-stream operation needs it back');
};

/** the two names the SDK's HttpProtocol.loadEventStreamCapability takes from the module */
export const eventStreamSerdeProvider = notBundled;
export class EventStreamSerde {
  constructor() {
    notBundled();
  }
}
