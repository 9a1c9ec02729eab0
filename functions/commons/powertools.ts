// shared by every handler: one logger per function, built at cold start. Never log payloads: comments are personal data.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'feedback' });

/**
 * the invocation's context on every log line, and on an HTTP request's lines its API Gateway request id as
 * `correlation_id`: the id the access log records and a 500 answer hands the client (http.ts), so one request's lines
 * are found from either. The event itself is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says (an operator may
 * set it on a function while debugging): it holds the request's body, its bearer token, a link token in its path, a
 * queued response's comment and customer.
 */
export const logContext = (): MiddlewareObj<unknown> => {
  // resetKeys: a request's id never stays on the lines of the container's next invocation
  const context = injectLambdaContext(logger, { logEvent: false, resetKeys: true });
  return {
    ...context,
    before: async (request) => {
      await context.before?.(request);
      const requestId = requestIdOf(request.event);
      if (requestId) logger.setCorrelationId(requestId);
    },
  };
};

/** API Gateway's id of an HTTP request (payload 2.0's requestContext.requestId); none for queue and schedule events */
export function requestIdOf(event: unknown): string | undefined {
  const requestId: unknown = (event as { requestContext?: { requestId?: unknown } } | null)?.requestContext?.requestId;
  return typeof requestId === 'string' && requestId !== '' ? requestId : undefined;
}
