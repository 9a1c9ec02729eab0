// configuration: one zod schema over process.env per function, parsed once at cold start; a missing name fails loudly.
import * as z from '../../shared/validation.js';

export function readEnv<T extends z.core.$ZodShape>(shape: T, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodMiniObject<T>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const names = result.error.issues.map((issue) => `${issue.path.join('.')} (${issue.message})`).join(', ');
    throw new Error(`missing or invalid environment: ${names}`);
  }
  return result.data;
}
