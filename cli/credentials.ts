// CLI: where the terminal tools find the admin token when none is passed: FEEDBACK_ADMIN_TOKEN, else the one `npm start`
// generated into DATA_DIR/admin-token.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** undefined when neither is there */
export function adminTokenFromEnvironment(): string | undefined {
  if (process.env.FEEDBACK_ADMIN_TOKEN) return process.env.FEEDBACK_ADMIN_TOKEN;
  const file = join(process.env.DATA_DIR ?? '.data', 'admin-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
