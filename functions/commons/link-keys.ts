// configuration: the keys that sign link tokens (shared/links/signed-token.ts). Locally LINK_SIGNING_KEYS (JSON, set by
// the local runtime from the data folder); in the cloud the Secrets Manager secret LINK_SIGNING_KEYS_SECRET_ARN
// (JSON `{"kid","secret"}` or an array of them, the last signs). Checked at cold start.
import * as z from '../../shared/validation.js';
import { boundEnvNames } from '../../infra/topology.js';
import { linkKeysSchema, type LinkKey } from '../../shared/links/signed-token.js';
import { readEnv } from './env.js';
import { cachedSecret } from './secret.js';

export const LINK_SIGNING_KEYS_ENV = 'LINK_SIGNING_KEYS';
export const LINK_SIGNING_KEYS_SECRET_ARN_ENV = boundEnvNames.linkSigningKeysSecretArn;

export type LinkKeysSource = () => Promise<LinkKey[]>;

function parseKeys(text: string | undefined): LinkKey[] {
  try {
    const parsed = linkKeysSchema.safeParse(JSON.parse(text ?? ''));
    if (parsed.success) return parsed.data;
  } catch {
    // falls through: the value itself is never echoed
  }
  throw new Error('link signing keys: expected JSON {"kid","secret"} or an array of them, each secret ≥ 32 characters');
}

export function linkKeysFromEnvironment(env: NodeJS.ProcessEnv = process.env): LinkKeysSource {
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
  return cachedSecret(arn, parseKeys);
}
