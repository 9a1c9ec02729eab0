// deploy-faithful runner: Secrets Manager for the template's secrets, over its JSON protocol, so the functions'
// secret-reading code runs. Values are generated as CloudFormation's GenerateSecretString would, once per data folder
// (kept in it, so a restart keeps the admin token), unless the caller fixes them (tests).
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { SecretResource } from './cloud-assembly.js';
import { ServiceError } from './service-error.js';

const LETTERS_AND_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

function generated(secret: SecretResource): string {
  if (secret.secretString !== undefined) return secret.secretString;
  const { passwordLength = 32, excludePunctuation = false, secretStringTemplate, generateStringKey } = secret.generate ?? {};
  const alphabet = excludePunctuation ? LETTERS_AND_DIGITS : LETTERS_AND_DIGITS + PUNCTUATION;
  const password = Array.from({ length: passwordLength }, () => alphabet[randomInt(alphabet.length)]).join('');
  if (secretStringTemplate && generateStringKey) return JSON.stringify({ ...JSON.parse(secretStringTemplate), [generateStringKey]: password });
  return password;
}

export interface SecretsStore {
  /** by ARN: the current value (AWSCURRENT) */
  valueOf(arn: string): string | undefined;
  /** what PutSecretValue does: `value` becomes the current one, and the one it replaces AWSPREVIOUS */
  putValue(arn: string, value: string): void;
  serve(operation: string, body: Record<string, unknown>): unknown;
  /** the secret's ARN from a SecretId (its ARN or its name) */
  arnOf(secretId: string): string | undefined;
}

/** `fixed`: values by logical-id prefix (e.g. { AdminToken: '…' }); `file`: where generated values are kept */
export function createSecretsStore(secrets: SecretResource[], { fixed = {}, file }: { fixed?: Record<string, string>; file?: string } = {}): SecretsStore {
  const kept: Record<string, string> = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const values = new Map<string, string>();
  /** the values changed values replaced (AWSPREVIOUS), by ARN; a secret never changed has none */
  const previous = new Map<string, string>();
  for (const secret of secrets) {
    const prefix = Object.keys(fixed).find((key) => secret.logicalId.startsWith(key));
    values.set(secret.arn, prefix !== undefined ? fixed[prefix]! : (kept[secret.logicalId] ??= generated(secret)));
  }
  if (file) writeFileSync(file, `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
  const byName = new Map(secrets.map((secret) => [secret.name, secret.arn]));
  const arnOf = (secretId: string) => (values.has(secretId) ? secretId : byName.get(secretId));
  return {
    valueOf: (arn) => values.get(arn),
    putValue(arn, value) {
      const replaced = values.get(arn);
      if (replaced === undefined) throw new Error(`no secret ${arn}`);
      previous.set(arn, replaced);
      values.set(arn, value);
    },
    arnOf,
    serve(operation, body) {
      const arn = arnOf(String(body.SecretId ?? ''));
      const secret = secrets.find((s) => s.arn === arn);
      if (!arn || !secret) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      switch (operation) {
        case 'GetSecretValue': {
          // by staging label, as Secrets Manager answers: AWSCURRENT unless the call names another
          const stage = typeof body.VersionStage === 'string' ? body.VersionStage : 'AWSCURRENT';
          const value = stage === 'AWSCURRENT' ? values.get(arn) : stage === 'AWSPREVIOUS' ? previous.get(arn) : undefined;
          if (value === undefined) throw new ServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`);
          return { ARN: arn, Name: secret.name, SecretString: value, VersionId: `local-${stage.toLowerCase()}`, VersionStages: [stage], CreatedDate: 1_767_225_600 };
        }
        case 'DescribeSecret':
          return { ARN: arn, Name: secret.name };
        default:
          throw new ServiceError('UnknownOperationException', `secretsmanager: ${operation} is not served locally`);
      }
    },
  };
}
