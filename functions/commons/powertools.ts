// shared by every handler: one logger per function, built at cold start. Never log payloads: comments are personal data.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'feedback' });

/**
 * the invocation's context on every log line. The event itself is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT
 * says (an operator may set it on a function while debugging): it holds the request's body, its bearer token, a link
 * token in its path, a queued response's comment and customer.
 */
export const logContext = () => injectLambdaContext(logger, { logEvent: false });
