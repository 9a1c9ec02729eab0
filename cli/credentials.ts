// CLI: where the terminal tools find the admin token when none is passed: FEEDBACK_ADMIN_TOKEN, else the one `npm start`
// generated into DATA_DIR/admin-token. Where it came from is said beside a refusal: `npm run start:deployed` keeps its
// own (in its Secrets Manager file), so `npm start`'s, read by default, is the wrong one there.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FoundAdminToken {
  token: string;
  /** for messages: where it was read */
  from: string;
}

/** undefined when neither is there */
export function findAdminToken(): FoundAdminToken | undefined {
  if (process.env.FEEDBACK_ADMIN_TOKEN) return { token: process.env.FEEDBACK_ADMIN_TOKEN, from: 'FEEDBACK_ADMIN_TOKEN' };
  const file = join(process.env.DATA_DIR ?? '.data', 'admin-token');
  return existsSync(file) ? { token: readFileSync(file, 'utf8').trim(), from: `${file} (the one npm start made)` } : undefined;
}

/** undefined when neither is there */
export const adminTokenFromEnvironment = (): string | undefined => findAdminToken()?.token;
