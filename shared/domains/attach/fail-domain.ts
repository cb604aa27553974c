import * as z from 'zod';
import { mailConfig, sendMail } from '../../integrations/mail/mailer.js';
import { domainFailedMail, domainFailedStaffMail } from '../../integrations/mail/templates.js';
import { logger } from '../../platform/logger.js';
import { clearRegistryWait, updateDomain } from '../../projects/domains-table.js';
import { getPrimaryDomain, getProject } from '../../projects/projects-table.js';
import { requireDomain, shown } from './attach-input.js';

// Task FailDomain (attach-domain flow, from the Catch of a business outcome): the domain is
// `failed` with a reason that tells the customer what to do; owner and staff are mailed; the
// project stays live on its other domains. The auth code is dropped (a new one starts again).

export const failInput = z.object({
  projectId: z.uuid(),
  domain: z.string().min(4).max(253),
  /** The Catch's ResultPath: { Error, Cause }; Cause is our message (or a Lambda error's JSON). */
  failure: z.object({ Error: z.string(), Cause: z.string().optional() }),
});

const TIMEOUT_REASON: Record<string, string> = {
  transferred:
    'The transfer did not complete within 10 days. Please ask your current registrar about it and enter the auth code again.',
  registered: 'The registry did not complete the registration in time. Our staff will look into it.',
};

export async function failDomain(input: z.infer<typeof failInput>) {
  const { projectId, domain, failure } = input;
  const [d, project, primary] = await Promise.all([
    requireDomain(projectId, domain),
    getProject(projectId),
    getPrimaryDomain(projectId),
  ]);
  const reason =
    failure.Error === 'States.Timeout'
      ? (TIMEOUT_REASON[d.type] ?? 'The domain could not be attached in time.')
      : (causeMessage(failure.Cause) ?? 'The domain could not be attached.');
  if (d.registryTaskToken) await clearRegistryWait(projectId, domain);
  const changed = await updateDomain(projectId, domain, {
    status: 'failed',
    from: ['pending_registration', 'pending_transfer', 'pending_dns'],
    fields: { failureReason: reason, authCodeCiphertext: undefined },
    log: {
      action: 'domain_failed',
      message: `${shown(d)}: ${reason} (${failure.Error})`,
      oldStatus: d.status,
      newStatus: 'failed',
    },
  });
  if (changed && project) {
    const mails = [
      sendMail(
        project.ownerEmail,
        domainFailedMail(project.locale === 'en' ? 'en' : 'de', {
          projectName: project.name,
          domain: shown(d),
          reason,
          liveAt: primary ? `https://${shown(primary)}` : 'its current address',
        }),
      ),
      sendMail(
        mailConfig().STAFF_EMAIL,
        domainFailedStaffMail({
          projectName: project.name,
          projectId,
          domain: shown(d),
          reason,
          error: failure.Error,
        }),
      ),
    ];
    // The domain shows the failure either way; a mail that cannot go out is logged, not retried
    // into a second status change.
    for (const r of await Promise.allSettled(mails)) {
      if (r.status === 'rejected')
        logger.error('domain failure mail not sent', { projectId, domain, err: r.reason });
    }
  }
  return { projectId, domain, failed: true };
}

/** Our DomainRefusedError message, also when Lambda wrapped it as `{"errorMessage": ...}`. */
function causeMessage(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // a plain message
  }
  return cause;
}
