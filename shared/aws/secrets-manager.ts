// adapter support: Secrets Manager over the JSON protocol client (./json-protocol.ts): the one operation the functions call.
import type { GetSecretValueCommandInput, GetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import { AwsCommand, JsonProtocolClient, serviceError, type ClientConfig, type OutputOf } from './json-protocol.js';

export const ResourceNotFoundException = serviceError('ResourceNotFoundException');

export class GetSecretValueCommand extends AwsCommand<GetSecretValueCommandInput, GetSecretValueCommandOutput> {
  readonly operation = 'GetSecretValue';
}

export class SecretsManagerClient {
  private readonly protocol: JsonProtocolClient;

  constructor(config: ClientConfig = {}) {
    this.protocol = new JsonProtocolClient(
      {
        endpointVariable: 'SECRETS_MANAGER',
        endpointPrefix: 'secretsmanager',
        targetPrefix: 'secretsmanager',
        jsonVersion: '1.1',
        errors: { ResourceNotFoundException },
      },
      config,
    );
  }

  send<C extends GetSecretValueCommand>(command: C): Promise<OutputOf<C>> {
    return this.protocol.call(command.operation, command.input);
  }

  destroy(): void {
    this.protocol.destroy();
  }
}
