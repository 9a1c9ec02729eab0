// adapter support: Secrets Manager over the JSON protocol client (./json-protocol.ts): the one operation the functions call.
import type { GetSecretValueCommandInput, GetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import { AwsClient, AwsCommand, serviceError, type ClientConfig } from './json-protocol.js';

export const ResourceNotFoundException = serviceError('ResourceNotFoundException');

export class GetSecretValueCommand extends AwsCommand<GetSecretValueCommandInput, GetSecretValueCommandOutput> {
  readonly operation = 'GetSecretValue';
}

export class SecretsManagerClient extends AwsClient<GetSecretValueCommand> {
  constructor(config: ClientConfig = {}) {
    super({ endpointVariable: 'SECRETS_MANAGER', endpointPrefix: 'secretsmanager', targetPrefix: 'secretsmanager', jsonVersion: '1.1', errors: { ResourceNotFoundException } }, config);
  }
}
