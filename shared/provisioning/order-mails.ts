import { sendMail } from '../integrations/mail/mailer.js';
import { orderConfirmationMail, provisioningStartedMail } from '../integrations/mail/order-templates.js';
import type { RenderedMail } from '../integrations/mail/render.js';
import { logger } from '../platform/logger.js';
import { claimProjectMail, type OnceMail, releaseProjectMail } from '../projects/project-mails-table.js';
import { getProject, listDomains, type Project } from '../projects/projects-table.js';
import { expectedDuration } from './expected-duration.js';

// The owner's mails when an order is accepted for provisioning (at once for invoice and free
// orders, on payment for card orders): the order confirmation with the expected duration, and
// "provisioning started" once the execution runs. Each goes exactly once, however often the start
// is repeated (duplicate webhooks, retries): claimed on the project before sending, given back if
// sending fails. A mail never fails the order or the start: every failure is logged, not thrown.

export async function mailOrderAccepted(projectId: string, opts: { started: boolean }): Promise<void> {
  try {
    const project = await getProject(projectId);
    if (!project) return;
    const stored = project as Project & Partial<Record<OnceMail, string>>;
    const wanted: OnceMail[] = ['orderConfirmationMailedAt'];
    if (opts.started) wanted.push('provisioningStartedMailedAt');
    const due = wanted.filter((m) => !stored[m]);
    if (!due.length) return;
    const domains = await listDomains(projectId);
    const technical = domains.find((d) => d.type === 'subdomain') ?? domains[0];
    const liveAt = technical?.domain ?? project.slug;
    const mails: Record<OnceMail, () => RenderedMail> = {
      orderConfirmationMailedAt: () =>
        orderConfirmationMail(project.locale, {
          projectName: project.name,
          liveAt,
          expected: expectedDuration(domains),
        }),
      provisioningStartedMailedAt: () =>
        provisioningStartedMail(project.locale, { projectName: project.name, liveAt }),
    };
    for (const mail of due) await sendOnce(project, mail, mails[mail]);
  } catch (err) {
    logger.error('order mails failed', { projectId, err });
  }
}

async function sendOnce(project: Project, mail: OnceMail, render: () => RenderedMail): Promise<void> {
  const at = new Date().toISOString();
  if (!(await claimProjectMail(project.id, mail, at))) return;
  try {
    await sendMail(project.ownerEmail, render());
  } catch (err) {
    logger.error('mail not sent; claim given back for a retry', { projectId: project.id, mail, err });
    await releaseProjectMail(project.id, mail, at);
  }
}
