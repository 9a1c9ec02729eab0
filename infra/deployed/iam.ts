// deploy-faithful runner: IAM's answer to "may this role do this action on this resource?", from the role's policy
// statements in the template. As in AWS: actions match case-insensitively, `*` and `?` are wildcards in actions and
// in resource ARNs (a `*` crosses `/` and `:`), an explicit Deny wins, and anything not allowed is denied. A DynamoDB
// index is its own resource (`table/NAME/index/INDEX`): a grant on the table does not cover its indexes.
import type { PolicyStatement } from './cloud-assembly.js';

const patternCache = new Map<string, RegExp>();

/** `*` any run of characters, `?` exactly one; everything else literal */
export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? 'i' : 'c'}${pattern}`;
  let regex = patternCache.get(key);
  if (!regex) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    patternCache.set(key, regex);
  }
  return regex.test(value);
}

export type Decision = { allowed: true } | { allowed: false; reason: 'explicit deny' | 'no identity-based policy allows it' };

export function decide(statements: readonly PolicyStatement[], action: string, resource: string): Decision {
  const applies = (statement: PolicyStatement) =>
    statement.Action.some((pattern) => wildcardMatches(pattern, action, true)) && statement.Resource.some((pattern) => wildcardMatches(pattern, resource));
  if (statements.some((statement) => statement.Effect === 'Deny' && applies(statement))) return { allowed: false, reason: 'explicit deny' };
  if (statements.some((statement) => statement.Effect === 'Allow' && applies(statement))) return { allowed: true };
  return { allowed: false, reason: 'no identity-based policy allows it' };
}
