import { ensureAttachRunning } from '../../domains/attach-runs.js';
import { type LifecycleInput, lifecycleRequestOf } from '../../lifecycle/tasks/lifecycle-input.js';
import { logger } from '../../platform/logger.js';
import { awaitsAttach } from '../../projects/domain-status.js';
import { addDomainToProject, getDomain } from '../../projects/domains-table.js';
import { appendLog } from '../../projects/projects-table.js';

// Task AttachCustomerDomain (takeover-project flow, after TakeOverProject): the customer's own
// domain, prepared when staff asked (a transfer's auth code encrypted), is added to the project
// and its attach-domain execution started — the same flow as a domain the owner adds. The site
// stays live on its technical subdomain meanwhile; the domain becomes primary once attached.
// Idempotent: a domain already added only has its execution made sure of.

export async function attachCustomerDomain(input: LifecycleInput) {
  const { projectId } = input;
  const found = await lifecycleRequestOf(input);
  if (found.state === 'finished') return { projectId };
  const { request } = found;
  const item = request.takeover?.domain;
  if (!item) return { projectId };
  const existing = await getDomain(projectId, item.domain);
  if (existing) {
    if (awaitsAttach(existing)) await ensureAttachRunning(existing);
    return { projectId };
  }
  const outcome = await addDomainToProject(item, {
    action: 'domain_added',
    message: `${item.unicode ?? item.domain} added (${item.type}) with the takeover by ${request.takeover?.ownerEmail}`,
    triggeredBy: request.requestedBy,
  });
  if (outcome === 'taken') {
    // Another project got it since staff asked: the takeover stands, the domain is for staff to settle.
    logger.warn('takeover domain taken meanwhile', { projectId, domain: item.domain });
    await appendLog({
      projectId,
      action: 'takeover_domain_taken',
      message: `${item.unicode ?? item.domain} was not added: another project has it since the takeover was asked for`,
      triggeredBy: request.requestedBy,
    });
    return { projectId };
  }
  await ensureAttachRunning(item);
  return { projectId };
}
