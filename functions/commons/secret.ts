// adapter: one Secrets Manager secret's string, read on first use and kept for the life of the container (or for
// `ttlMs`, for configuration an operator changes without a deploy). A first read that failed is not cached, so the next
// invocation asks again; a read again that failed keeps the value read before until the next is due.
import { createHash, timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '../../shared/aws/secrets-manager.js';

/**
 * how long a container trusts what it read of a secret that an operator changes without a deploy (the admin token,
 * link keys, signing secrets): a new value is taken up within this
 */
export const SECRET_TTL_MS = 5 * 60_000;
/** the least time between the reads again that a value the container does not know (a header, a token, a key id) causes */
export const REREAD_ON_MISMATCH_MS = 30_000;

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
  /** the value a read gave last: a read again that fails keeps it (Secrets Manager throttling a refresh fails nothing) */
  let lastGood: { value: T } | undefined;
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
      .then(
        (value) => {
          lastGood = { value };
          return value;
        },
        (error: unknown) => {
          // a first read that failed is forgotten, and the next invocation asks again; a read again keeps the last
          // value until its next due time
          if (lastGood) return lastGood.value;
          cached = undefined;
          throw error;
        },
      );
    return cached;
  };
  // nobody awaits the early read yet: its failure must not be an unhandled rejection (the invocation reads again)
  if (readAtInit) read().catch(() => undefined);
  return read;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** whether `given` is `expected`, compared as digests so in the same time whatever their lengths and contents */
export const secretsEqual = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));
