import { ConflictError, NotFoundError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import type { ProjectStatus } from '../projects/project-status.js';
import { loadProjectParts, toStaffProjectView } from '../projects/project-views.js';
import { getProject, transitionProject } from '../projects/projects-table.js';
import { startProvisioning } from './start-provisioning.js';

// Staff start provisioning by hand (POST /v1/admin/projects/{id}/provision): a draft — an order
// staff placed with "startProvisioning": false, to start when the customer is ready — or an order
// whose start was lost before the reconcile job saw it. The start is the order's own (deterministic
// execution name, order mails once), so asking twice starts nothing twice.

export async function startProvisioningByHand(caller: Caller, id: string) {
  const project = await getProject(id);
  if (!project) throw new NotFoundError(`Project ${id} not found.`);
  if (project.status === 'draft') {
    const moved = await transitionProject(id, 'pending_domain', {
      from: ['draft'],
      fields: { provisioningStartedAt: new Date().toISOString() },
      log: {
        action: 'provisioning_started',
        message: `Staff started provisioning by hand (${caller.email})`,
        oldStatus: 'draft',
        triggeredBy: caller.email,
      },
    }).catch((err: unknown) => {
      if (err instanceof ConflictError) return 'moved-on' as const;
      throw err;
    });
    // A concurrent start took it from draft and its execution moved it on already: the same start.
    if (moved === 'moved-on') return startedMeanwhile(id);
  } else if (project.status === 'provisioning' || project.status === 'bootstrapping') {
    // Started meanwhile (a second click while the first one's execution runs): the same start.
    return toStaffProjectView(await loadProjectParts(id));
  } else if (project.status !== 'pending_domain') {
    throw new ConflictError(
      project.status === 'error'
        ? 'The provisioning failed: retry it (POST /v1/admin/projects/{id}/retry) instead.'
        : `A project in status "${project.status}" is not started by hand (only a draft, or an order whose start was lost).`,
    );
  }
  await startProvisioning(id);
  return toStaffProjectView(await loadProjectParts(id));
}

async function startedMeanwhile(id: string) {
  const parts = await loadProjectParts(id);
  if (!STARTED.includes(parts.project.status))
    throw new ConflictError(`The project is "${parts.project.status}" now; it was not started.`);
  return toStaffProjectView(parts);
}

const STARTED: readonly ProjectStatus[] = ['pending_domain', 'provisioning', 'bootstrapping', 'active'];
