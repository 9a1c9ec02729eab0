// shared by every handler: one logger per function, built at cold start. Never log payloads: comments are personal data.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'feedback' });
