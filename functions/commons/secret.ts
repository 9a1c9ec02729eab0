// adapter: one Secrets Manager secret's string, read on first use and kept for the life of the container (or for
// `ttlMs`, for configuration an operator changes without a deploy); a failed read is not cached, so the next
// invocation asks again.
import { createHash, timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export function cachedSecret<T>(
  secretArn: string,
  parse: (secretString: string | undefined) => T,
  { ttlMs, now = Date.now }: { ttlMs?: number; now?: () => number } = {},
): () => Promise<T> {
  let cached: Promise<T> | undefined;
  let readAt = 0;
  return () => {
    if (cached && ttlMs !== undefined && now() - readAt >= ttlMs) cached = undefined;
    if (!cached) readAt = now();
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
