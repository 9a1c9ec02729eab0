// test support: the deploy-faithful runner's Secrets Manager (infra/deployed/secrets-service.ts) on its own, behind the
// runner's AWS endpoint, so the functions' secret-reading code (functions/commons/secret.ts) talks to it over the SDK's
// wire protocol as it does in the runner: one caller, allowed GetSecretValue on these secrets only. `reads` counts the
// calls it answered; `put` is PutSecretValue (the value it replaces becomes AWSPREVIOUS).
import { startAwsEndpoint } from '../../infra/deployed/aws-endpoint.js';
import { ACCOUNT, REGION } from '../../infra/deployed/cloud-assembly.js';
import { createSecretsStore } from '../../infra/deployed/secrets-service.js';

const ACCESS_KEY = 'AKIALOCALSECRETSTEST';

export async function startLocalSecretsManager(values: Record<string, string>) {
  const secrets = Object.entries(values).map(([name, secretString]) => ({ logicalId: name, name, arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`, secretString }));
  const store = createSecretsStore(secrets);
  let reads = 0;
  const endpoint = await startAwsEndpoint();
  endpoint.serve({
    callers: new Map([[ACCESS_KEY, { name: 'test', roleArn: `arn:aws:iam::${ACCOUNT}:role/test`, statements: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secrets.map((s) => s.arn) }] }]]),
    // no DynamoDB nor SQS behind it: a test of secrets calls neither
    dynamoEndpoint: 'http://127.0.0.1:9',
    sqs: { inject: async () => ({ status: 400, body: '{}' }), urlOf: new Map() },
    queues: [],
    secrets: {
      ...store,
      serve(operation, body) {
        reads += 1;
        return store.serve(operation, body);
      },
    },
  });
  Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint.endpoint, AWS_REGION: REGION, AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: 'local' });
  const arnOf = (name: string) => secrets.find((s) => s.name === name)!.arn;
  return {
    arnOf,
    put: (name: string, value: string) => store.putValue(arnOf(name), value),
    get reads() {
      return reads;
    },
    close: endpoint.close,
  };
}
