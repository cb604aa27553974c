import { attachPendingDomains } from '../../domains/attach-runs.js';
import { coolify } from '../../integrations/coolify/from-secret.js';
import { sendMail } from '../../integrations/mail/mailer.js';
import { projectReadyMail } from '../../integrations/mail/templates.js';
import {
  appendLog,
  getPrimaryDomain,
  getProject,
  setDomainStatus,
  transitionProject,
  updateProject,
} from '../../projects/projects-table.js';
import { requireInProgress } from './guards.js';

// Task ActivateProject: the satellite is healthy — the owner gets the URL and login details, then
// domain and project turn active. The mail goes first: if it fails, the task fails while the
// project is still in progress, so it shows `error`, staff are told and a retry sends it. Once
// recorded, a rerun skips it. A custom domain of the order is attached from here on, by its own
// attach-domain execution (the project is live on its technical subdomain meanwhile).

export async function activateProject(
  projectId: string,
): Promise<{ projectId: string; status: 'active'; provisioningSeconds?: number }> {
  const project = requireInProgress(await getProject(projectId), projectId);
  const domain = await getPrimaryDomain(projectId);

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

  // Domain first: whoever sees the project active sees its domain active too.
  if (domain && domain.status !== 'active') await setDomainStatus(projectId, domain.domain, 'active');
  if (project.status !== 'active') {
    const completedAt = new Date();
    await transitionProject(projectId, 'active', {
      fields: { provisioningCompletedAt: completedAt.toISOString() },
      log: { action: 'status_changed', oldStatus: project.status, message: 'Project is live' },
    });
    await attachPendingDomains(projectId);
    const started = Date.parse(project.provisioningStartedAt ?? project.createdAt);
    return { projectId, status: 'active', provisioningSeconds: (completedAt.getTime() - started) / 1000 };
  }
  await attachPendingDomains(projectId);
  return { projectId, status: 'active' };
}

/** The initial admin password lives only in the app's env at Coolify (we store none). */
async function initialPassword(appUuid: string | undefined): Promise<string | null> {
  if (!appUuid) return null;
  const envs = await (await coolify()).listEnvs(appUuid);
  return envs.find((e) => e.key === 'VRS_ADMIN_INITIAL_PASSWORD')?.value ?? null;
}
