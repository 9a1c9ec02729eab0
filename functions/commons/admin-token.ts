// adapter: where the admin bearer token comes from. Cloud: Secrets Manager (ADMIN_TOKEN_SECRET_ARN), read once
// per cold start. Local: FEEDBACK_ADMIN_TOKEN, set by the local runtime. Requests are authenticated by principal.ts.
import { boundEnvNames } from '../../infra/topology.js';
import { ApiError } from '../../shared/errors.js';
import { header, type HttpEvent } from './http.js';
import { cachedSecret, secretsEqual } from './secret.js';

export type AdminTokenSource = () => Promise<string>;

export function adminTokenFromEnvironment(env: NodeJS.ProcessEnv = process.env): AdminTokenSource {
  if (env.FEEDBACK_ADMIN_TOKEN) {
    const token = env.FEEDBACK_ADMIN_TOKEN;
    return async () => token;
  }
  const secretArn = env[boundEnvNames.adminTokenSecretArn];
  if (!secretArn) throw new Error(`missing or invalid environment: FEEDBACK_ADMIN_TOKEN or ${boundEnvNames.adminTokenSecretArn}`);
  // every authenticated request compares its token with it: read while the function initialises
  return cachedSecret(
    secretArn,
    (SecretString) => {
      if (!SecretString) throw new Error('admin token secret is empty');
      return SecretString;
    },
    { readAtInit: true },
  );
}

/** the bearer token of a request; 401 naming `what` when there is none */
export function bearerToken(event: HttpEvent, what = 'bearer token'): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header(event, 'authorization') ?? '');
  if (!match?.[1]) throw new ApiError(401, `${what} required`, [{ path: 'authorization', reason: 'expected "Bearer <token>"' }]);
  return match[1];
}

/** whether `token` is the admin token (compared as digests, so in the same time whatever the length) */
export async function isAdminToken(token: string, adminToken: AdminTokenSource): Promise<boolean> {
  return secretsEqual(token, await adminToken());
}
