import { mailConfig, sendMail } from '../integrations/mail/mailer.js';
import { domainAttachFailedMail } from '../integrations/mail/templates.js';
import { logger } from '../platform/logger.js';
import { getDomain } from '../projects/domains-table.js';
import { appendLog, getProject } from '../projects/projects-table.js';
import { shown } from './domain-lookup.js';

// Status events of attach-domain executions: the project is live and stays so; a fault (not a
// business outcome, which FailDomain handles inside the flow) leaves the domain pending and
// tells staff, who redrive the execution in the console.

const FAILURES = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

export async function handleAttachStatus(e: {
  executionArn: string;
  status: string;
  projectId: string;
  domain: string;
  reason: string;
}): Promise<'ignored' | 'notified'> {
  if (!FAILURES.has(e.status)) return 'ignored';
  const [project, domain] = await Promise.all([getProject(e.projectId), getDomain(e.projectId, e.domain)]);
  if (!project || !domain) return 'ignored';
  await appendLog({
    projectId: e.projectId,
    action: 'domain_attach_failed',
    message: `Attaching ${shown(domain)} stopped (${e.status}): ${e.reason}`,
    externalService: 'stepfunctions',
    externalId: e.executionArn,
  });
  try {
    await sendMail(
      mailConfig().STAFF_EMAIL,
      domainAttachFailedMail({
        projectName: project.name,
        projectId: project.id,
        domain: shown(domain),
        reason: e.reason,
        executionArn: e.executionArn,
      }),
    );
  } catch (err) {
    logger.error('staff mail failed', { projectId: e.projectId, err });
  }
  return 'notified';
}
