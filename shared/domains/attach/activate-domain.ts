import { sendMail } from '../../integrations/mail/mailer.js';
import { domainLiveMail } from '../../integrations/mail/templates.js';
import { NotFoundError } from '../../platform/errors.js';
import { makePrimary, updateDomain } from '../../projects/domains-table.js';
import { getProject } from '../../projects/projects-table.js';
import { type AttachInput, requireDomain, shown } from './attach-input.js';

// Task ActivateDomain (attach-domain flow): the domain is active and, as the order wanted, the
// primary one (the technical subdomain stays as an alias, so no link breaks); the owner is told
// ("transfer complete" for a transfer). The mail goes out before the status changes (a failure
// after it is retried, and not lost); its flag keeps a retry from sending it twice.

export async function activateDomain({ projectId, domain }: AttachInput) {
  const [d, project] = await Promise.all([requireDomain(projectId, domain), getProject(projectId)]);
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  if (d.status !== 'active' && !d.liveMailSentAt) {
    await sendMail(
      project.ownerEmail,
      domainLiveMail(project.locale === 'en' ? 'en' : 'de', {
        projectName: project.name,
        domain: shown(d),
        transferred: d.type === 'transferred',
      }),
    );
    await updateDomain(projectId, domain, { fields: { liveMailSentAt: new Date().toISOString() } });
  }
  const live = {
    action: d.type === 'transferred' ? 'domain_transfer_completed' : 'domain_active',
    message: `${shown(d)} is live`,
    oldStatus: d.status,
    newStatus: 'active',
  };
  if (d.status !== 'active') {
    await updateDomain(projectId, domain, {
      fields: { failureReason: null, coolifyDeploymentUuid: undefined },
    });
  }
  if (d.wantsPrimary && !d.isPrimary) {
    // Live and primary in one transaction: nobody sees the domain live but not yet primary.
    await makePrimary(
      projectId,
      domain,
      { ...live, message: `${shown(d)} is live and the primary domain` },
      { activate: true },
    );
  } else if (d.status !== 'active') {
    await updateDomain(projectId, domain, { status: 'active', from: ['pending_dns'], log: live });
  }
  return { projectId, domain };
}
