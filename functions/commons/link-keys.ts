// configuration: the keys that sign link tokens (shared/links/signed-token.ts). Locally LINK_SIGNING_KEYS (JSON, set by
// the local runtime from the data folder); in the cloud the Secrets Manager secret LINK_SIGNING_KEYS_SECRET_ARN
// (JSON `{"kid","secret"}` or an array of them, the last signs). Checked at cold start.
// A rotation (docs/follow-up.md) appends a key to the secret without a deploy, and the functions that sign and those
// that verify run in containers that read it at different times, for hours. So the keys are read again every
// SECRET_TTL_MS (a signer takes up the new key within it), and a link or stamp naming a key the keys read lack has
// them read again first (at most every REREAD_ON_MISMATCH_MS, so made-up key ids cannot make a container call Secrets
// Manager at their rate): a link signed with the new key verifies at once everywhere.
import * as z from '../../shared/validation.js';
import { boundEnvNames } from '../../infra/topology.js';
import { linkKeysSchema, type LinkKey, type LinkKeys } from '../../shared/links/signed-token.js';
import { readEnv } from './env.js';
import { cachedSecret, REREAD_ON_MISMATCH_MS, SECRET_TTL_MS } from './secret.js';

export const LINK_SIGNING_KEYS_ENV = 'LINK_SIGNING_KEYS';
export const LINK_SIGNING_KEYS_SECRET_ARN_ENV = boundEnvNames.linkSigningKeysSecretArn;

export type LinkKeysSource = LinkKeys;

function parseKeys(text: string | undefined): LinkKey[] {
  try {
    const parsed = linkKeysSchema.safeParse(JSON.parse(text ?? ''));
    if (parsed.success) return parsed.data;
  } catch {
    // falls through: the value itself is never echoed
  }
  throw new Error('link signing keys: expected JSON {"kid","secret"} or an array of them, each secret ≥ 32 characters');
}

export function linkKeysFromEnvironment(env: NodeJS.ProcessEnv = process.env, now: () => number = Date.now): LinkKeysSource {
  const parsed = readEnv(
    {
      [LINK_SIGNING_KEYS_ENV]: z.optional(z.string().check(z.minLength(1))),
      [LINK_SIGNING_KEYS_SECRET_ARN_ENV]: z.optional(z.string().check(z.startsWith('arn:', 'a Secrets Manager secret ARN'))),
    },
    env,
  );
  const local = parsed[LINK_SIGNING_KEYS_ENV];
  if (local) {
    const keys = parseKeys(local);
    return async () => keys;
  }
  const arn = parsed[LINK_SIGNING_KEYS_SECRET_ARN_ENV];
  if (!arn) throw new Error(`missing or invalid environment: ${LINK_SIGNING_KEYS_ENV} or ${LINK_SIGNING_KEYS_SECRET_ARN_ENV}`);
  const read = cachedSecret(arn, parseKeys, { ttlMs: SECRET_TTL_MS, now });
  return async ({ kid } = {}) => {
    const keys = await read();
    return kid === undefined || keys.some((key) => key.kid === kid) ? keys : read({ ifOlderThanMs: REREAD_ON_MISMATCH_MS });
  };
}
