// adapter: one Secrets Manager secret's string, read on first use and kept for the life of the container (or for
// `ttlMs`, for configuration an operator changes without a deploy); a failed read is not cached, so the next
// invocation asks again.
import { createHash, timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '../../shared/aws/secrets-manager.js';

/** one client for every secret a function reads: its first call's set-up (endpoint, signing, connection) is paid once */
let client: SecretsManagerClient | undefined;

/**
 * `readAtInit`: begin the first read now, while the function initialises, rather than at the first invocation; for a
 * secret that (nearly) every invocation needs, so secrets read one after the other by a request are read side by side
 * at a cold start. A failed early read is forgotten like any other, and the first invocation asks again.
 */
export interface CachedSecretOptions<T> {
  ttlMs?: number;
  now?: () => number;
  readAtInit?: boolean;
  /** a staging label other than AWSCURRENT, e.g. AWSPREVIOUS: the value a rotation replaced */
  versionStage?: string;
  /** what a secret (or staging label) that does not exist reads as; without it, its ResourceNotFoundException */
  absent?: () => T;
}

/** reads the value: the cached one, or a new read when `ifOlderThanMs` is given and the cached one is that old */
export type SecretReader<T> = (options?: { ifOlderThanMs?: number }) => Promise<T>;

export function cachedSecret<T>(
  secretArn: string,
  parse: (secretString: string | undefined) => T,
  { ttlMs, now = Date.now, readAtInit = false, versionStage, absent }: CachedSecretOptions<T> = {},
): SecretReader<T> {
  let cached: Promise<T> | undefined;
  let readAt = 0;
  const read: SecretReader<T> = ({ ifOlderThanMs } = {}) => {
    const age = now() - readAt;
    if (cached && ((ttlMs !== undefined && age >= ttlMs) || (ifOlderThanMs !== undefined && age >= ifOlderThanMs))) cached = undefined;
    if (!cached) readAt = now();
    cached ??= (client ??= new SecretsManagerClient({}))
      .send(new GetSecretValueCommand({ SecretId: secretArn, ...(versionStage ? { VersionStage: versionStage } : {}) }))
      .then(({ SecretString }) => parse(SecretString), (error: unknown) => {
        if (absent && error instanceof ResourceNotFoundException) return absent();
        throw error;
      })
      .catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
    return cached;
  };
  // nobody awaits the early read yet: its failure must not be an unhandled rejection (the invocation reads again)
  if (readAtInit) read().catch(() => undefined);
  return read;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** whether `given` is `expected`, compared as digests so in the same time whatever their lengths and contents */
export const secretsEqual = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));
