import { sendMail } from '../../integrations/mail/mailer.js';
import { projectTakenOverMail } from '../../integrations/mail/takeover-templates.js';
import {
  projectArchivedMail,
  projectResumedMail,
  projectSuspendedMail,
} from '../../integrations/mail/templates.js';
import type { LifecycleRequest } from '../../projects/projects-table.js';
import { getPrimaryDomain, listDomains, type Project } from '../../projects/projects-table.js';
import { ACTION_NOUN } from '../lifecycle-rules.js';
import { closeLifecycleRequest, updateLifecycleRequest } from '../lifecycle-table.js';
import { type LifecycleInput, lifecycleRequestOf } from './lifecycle-input.js';

// Task NotifyOwner (last state of every lifecycle flow): the owner is told what happened, why and
// what to do (German or English by the project's locale), once per request; then the request is
// closed, so staff may ask for the next action. A mail that fails fails the task with the project
// already in its new status: staff redrive, and only the mail is sent.

export async function notifyOwner(input: LifecycleInput) {
  const { projectId, executionArn } = input;
  const found = await lifecycleRequestOf(input);
  if (found.state === 'finished') return { projectId };
  const { project, request } = found;
  if (!request.ownerMailedAt) {
    await sendMail(project.ownerEmail, await ownerMail(project, request));
    await updateLifecycleRequest(projectId, executionArn, { ownerMailedAt: new Date().toISOString() });
  }
  await closeLifecycleRequest(projectId, {
    action: request.action,
    executionArn,
    log: {
      action: 'lifecycle_completed',
      message: `The ${ACTION_NOUN[request.action]} is complete; the owner (${project.ownerEmail}) was told`,
      triggeredBy: request.requestedBy,
      externalService: 'stepfunctions',
      externalId: executionArn,
    },
  });
  return { projectId };
}

async function ownerMail(project: Project, request: LifecycleRequest) {
  const locale = project.locale === 'en' ? 'en' : 'de';
  const primary = await getPrimaryDomain(project.id);
  const url = primary ? `https://${primary.unicode ?? primary.domain}` : project.name;
  const reason = request.reason ?? '';
  switch (request.action) {
    case 'takeover':
      return projectTakenOverMail(locale, {
        projectName: project.name,
        url,
        paymentMethod: project.paymentMethod,
        domain: request.takeover?.domain
          ? (request.takeover.domain.unicode ?? request.takeover.domain.domain)
          : undefined,
      });
    case 'suspend':
      return projectSuspendedMail(locale, { projectName: project.name, url, reason });
    case 'resume':
      return projectResumedMail(locale, { projectName: project.name, url, reason: request.reason });
    case 'archive': {
      const keep = request.keepDomains ?? [];
      const domains = await listDomains(project.id);
      const named = (ds: typeof domains) => ds.map((d) => d.unicode ?? d.domain);
      return projectArchivedMail(locale, {
        projectName: project.name,
        url,
        reason,
        keptDomains: named(domains.filter((d) => keep.includes(d.domain))),
        expiringDomains: named(
          domains.filter(
            (d) => d.type === 'registered' && d.renewalMode === 'AUTOEXPIRE' && !keep.includes(d.domain),
          ),
        ),
      });
    }
  }
}
