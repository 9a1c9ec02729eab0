// adapter: one Secrets Manager secret's string, read on first use and kept for the life of the container; a failed
// read is not cached, so the next invocation asks again.
import { createHash, timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export function cachedSecret<T>(secretArn: string, parse: (secretString: string | undefined) => T): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    cached ??= new SecretsManagerClient({})
      .send(new GetSecretValueCommand({ SecretId: secretArn }))
      .then(({ SecretString }) => parse(SecretString))
      .catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
    return cached;
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** whether `given` is `expected`, compared as digests so in the same time whatever their lengths and contents */
export const secretsEqual = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));
