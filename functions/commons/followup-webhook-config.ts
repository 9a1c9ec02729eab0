// configuration: where follow-up notifications are POSTed. The follow-up webhook (task opened, SLA breached) and the
// escalation webhook (the one escalation of an overdue task): locally FOLLOWUP_WEBHOOK_URL and
// FOLLOWUP_ESCALATION_WEBHOOK_URL, in the cloud the "followup" and "escalation" keys of the WebhookUrls secret (see
// alert-webhook-config.ts); unset: that kind is recorded as not-configured and never sent. Both are signed with one
// secret: FOLLOWUP_WEBHOOK_SECRET locally, Secrets Manager (FOLLOWUP_WEBHOOK_SECRET_ARN) in the cloud, where it is the
// alert webhook's signing secret.
import { boundEnvNames } from '../../infra/topology.js';
import type { NotificationTarget } from '../../shared/followups/notification.js';
import { webhooksFromEnvironment, type AlertWebhookSource } from './alert-webhook-config.js';

export const FOLLOWUP_WEBHOOK_URL_ENV = boundEnvNames.followupWebhookUrl;
export const FOLLOWUP_ESCALATION_WEBHOOK_URL_ENV = boundEnvNames.followupEscalationWebhookUrl;
export const FOLLOWUP_WEBHOOK_SECRET_ENV = 'FOLLOWUP_WEBHOOK_SECRET';
export const FOLLOWUP_WEBHOOK_SECRET_ARN_ENV = boundEnvNames.followupWebhookSecretArn;

export function followupWebhooksFromEnvironment(env: NodeJS.ProcessEnv = process.env): Record<NotificationTarget, AlertWebhookSource> {
  const secret = { secret: FOLLOWUP_WEBHOOK_SECRET_ENV, secretArn: FOLLOWUP_WEBHOOK_SECRET_ARN_ENV, what: 'follow-up notifications' };
  return webhooksFromEnvironment<NotificationTarget>(
    {
      followup: { kind: 'followup', url: FOLLOWUP_WEBHOOK_URL_ENV, ...secret },
      escalation: { kind: 'escalation', url: FOLLOWUP_ESCALATION_WEBHOOK_URL_ENV, ...secret },
    },
    env,
  );
}
