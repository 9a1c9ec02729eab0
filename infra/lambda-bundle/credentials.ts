// infra: what a Lambda bundle holds in place of @aws-sdk/credential-provider-node (infra/bundling.ts aliases that
// package here). Lambda hands every function its role's credentials in environment variables, the first source the
// SDK's default chain tries, so the rest of the chain (INI and SSO profiles, web identity, ECS and EC2 metadata) and
// the STS and SSO clients it carries can never answer there: ~100 KB of each bundle, parsed at every cold start.
// The local runtime (`npm start`) does not bundle and keeps the whole chain.
import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

/** the name and call shape every SDK client's runtime config imports from @aws-sdk/credential-provider-node */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
