import { coolify } from '../../clients/coolify-from-secret.js';
import { sendMail } from '../../clients/mailer.js';
import { projectReadyMail } from '../../mail/templates.js';
import {
  appendLog,
  getPrimaryDomain,
  getProject,
  setDomainStatus,
  transitionProject,
  updateProject,
} from '../../repositories/projects.js';
import { requireInProgress } from './guards.js';

// Task ActivateProject: the satellite is healthy — project active, domain active, and the owner
// gets the URL and login details. The mail goes out once (a rerun after it was recorded skips it).

export async function activateProject(projectId: string): Promise<{ projectId: string; status: 'active' }> {
  const project = requireInProgress(await getProject(projectId), projectId);
  const domain = await getPrimaryDomain(projectId);
  // Domain first: whoever sees the project active sees its domain active too.
  if (domain && domain.status !== 'active') await setDomainStatus(projectId, domain.domain, 'active');
  if (project.status !== 'active') {
    await transitionProject(projectId, 'active', { provisioningCompletedAt: new Date().toISOString() });
    await appendLog({
      projectId,
      action: 'status_changed',
      oldStatus: project.status,
      newStatus: 'active',
      message: 'Project is live',
    });
  }

  if (!project.welcomeMailSentAt && domain) {
    const url = `https://${domain.domain}`;
    const password = await initialPassword(project.coolifyAppUuid);
    await sendMail(
      project.ownerEmail,
      projectReadyMail(project.locale, {
        projectName: project.name,
        url,
        adminUrl: `${url}/admin`,
        username: project.ownerEmail,
        initialPassword: password ?? '—',
      }),
    );
    await updateProject(projectId, { welcomeMailSentAt: new Date().toISOString() });
    await appendLog({
      projectId,
      action: 'owner_notified',
      message: `Welcome mail sent to ${project.ownerEmail}`,
      externalService: 'mail',
    });
  }
  return { projectId, status: 'active' };
}

/** The initial admin password lives only in the app's env at Coolify (we store none). */
async function initialPassword(appUuid: string | undefined): Promise<string | null> {
  if (!appUuid) return null;
  const envs = await (await coolify()).listEnvs(appUuid);
  return envs.find((e) => e.key === 'VRS_ADMIN_INITIAL_PASSWORD')?.value ?? null;
}
