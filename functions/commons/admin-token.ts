// adapter: where the admin bearer token comes from. Cloud: Secrets Manager (ADMIN_TOKEN_SECRET_ARN), read once
// per cold start. Local: FEEDBACK_ADMIN_TOKEN, set by the local runtime.
import { createHash, timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ApiError } from '../../shared/errors.js';
import { header, type HttpEvent } from './http.js';

export type AdminTokenSource = () => Promise<string>;

export function adminTokenFromEnvironment(env: NodeJS.ProcessEnv = process.env): AdminTokenSource {
  if (env.FEEDBACK_ADMIN_TOKEN) {
    const token = env.FEEDBACK_ADMIN_TOKEN;
    return async () => token;
  }
  const secretArn = env.ADMIN_TOKEN_SECRET_ARN;
  if (!secretArn) throw new Error('missing or invalid environment: FEEDBACK_ADMIN_TOKEN or ADMIN_TOKEN_SECRET_ARN');
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= new SecretsManagerClient({})
      .send(new GetSecretValueCommand({ SecretId: secretArn }))
      .then(({ SecretString }) => {
        if (!SecretString) throw new Error('admin token secret is empty');
        return SecretString;
      })
      .catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
    return cached;
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** 401 unless the request carries `Authorization: Bearer <the admin token>` */
export async function requireAdmin(event: HttpEvent, adminToken: AdminTokenSource): Promise<void> {
  const match = /^Bearer\s+(\S+)$/i.exec(header(event, 'authorization') ?? '');
  if (!match?.[1]) throw new ApiError(401, 'admin token required', [{ path: 'authorization', reason: 'expected "Bearer <token>"' }]);
  // compare digests so the comparison takes the same time whatever the length
  if (!timingSafeEqual(digest(match[1]), digest(await adminToken()))) {
    throw new ApiError(401, 'invalid admin token', [{ path: 'authorization', reason: 'token not recognised' }]);
  }
}
