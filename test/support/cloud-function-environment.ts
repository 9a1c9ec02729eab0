// test support: the environment the stack gives a deployed function (a table name per table it binds, a queue URL per
// queue it sends to, Comprehend as the sentiment provider), read from the topology, for the aws-sdk-client-mock tests
// that load real handlers outside the local runtime. Set it before the handler module is imported.
import { queueEnvName, tableEnvName, topology, type FunctionName, type QueueName, type TableName } from '../../infra/topology.js';

export function setCloudFunctionEnvironment(...functions: FunctionName[]): void {
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    SENTIMENT_PROVIDER: 'comprehend',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  for (const name of functions) {
    const declaration: { tables?: Partial<Record<TableName, unknown>>; sendsTo?: readonly QueueName[] } = topology.functions[name];
    for (const table of Object.keys(declaration.tables ?? {}) as TableName[]) env[tableEnvName(table)] = table;
    for (const queue of declaration.sendsTo ?? []) env[queueEnvName(queue)] = `https://sqs.us-east-1.amazonaws.com/123456789012/${queue}`;
  }
  Object.assign(process.env, env);
}
