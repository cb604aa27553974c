import { mailConfig, sendMail } from '../integrations/mail/mailer.js';
import { domainAttachStalledMail } from '../integrations/mail/templates.js';
import { describeExecution, executionArnOf } from '../integrations/stepfunctions/workflows.js';
import { logger } from '../platform/logger.js';
import { awaitsAttach, PENDING_DOMAIN_STATUSES } from '../projects/domain-status.js';
import { listCustomDomainsInStatus, updateDomain } from '../projects/domains-table.js';
import { appendLog, getProject, type Project, type ProjectDomain } from '../projects/projects-table.js';
import { reconcileConfig } from '../provisioning/reconcile.js';
import { attachRunCheck, isSettled } from './attach-run-check.js';
import { attachExecutionName, ensureAttachRunning } from './attach-runs.js';
import { shown } from './domain-lookup.js';

// Nothing is stuck unseen, for custom domains too: a pending domain of a live project has its
// attach-domain execution running, or staff know. A start lost after the domain was stored (the
// API call or ActivateProject crashed in between) is made up here, under the same deterministic
// name, so it can never run twice; a failed execution was mailed to staff by attach-status.ts and
// waits for their redrive.

export interface AttachReconcileResult {
  checked: number;
  /** `<projectId>/<domain>` of each execution started here. */
  started: string[];
  /** Ended executions whose domain is still pending, told to staff now. */
  reported: string[];
}

export async function reconcileAttachRuns(now: Date): Promise<AttachReconcileResult> {
  const settledBefore = now.getTime() - reconcileConfig().RECONCILE_GRACE_SECONDS * 1000;
  const result: AttachReconcileResult = { checked: 0, started: [], reported: [] };
  const projects = new Map<string, Project | undefined>();
  for (const status of PENDING_DOMAIN_STATUSES) {
    for (const d of (await listCustomDomainsInStatus(status)).filter(awaitsAttach)) {
      if (!projects.has(d.projectId)) projects.set(d.projectId, await getProject(d.projectId));
      const project = projects.get(d.projectId);
      // A project not live yet attaches its domains when it goes live (ActivateProject).
      if (project?.status !== 'active' || !isSettled([d.updatedAt, project.updatedAt], settledBefore))
        continue;
      result.checked++;
      const outcome = await checkAttachRun(d, project);
      if (outcome) result[outcome].push(`${d.projectId}/${d.domain}`);
    }
  }
  if (result.started.length || result.reported.length)
    logger.warn('reconcile found custom domains without a running attach execution', { ...result });
  return result;
}

async function checkAttachRun(d: ProjectDomain, project: Project): Promise<'started' | 'reported' | null> {
  const arn = executionArnOf(
    'attach-domain',
    attachExecutionName(d.projectId, d.domain, d.attachAttempt ?? 1),
  );
  const execution = await describeExecution(arn);
  switch (attachRunCheck(execution?.status ?? null)) {
    case 'running':
    case 'failed':
      return null;
    case 'start': {
      const run = await ensureAttachRunning(d);
      if (run.how === 'running') return null; // started meanwhile by its own trigger
      await appendLog({
        projectId: d.projectId,
        action: 'domain_attach_started',
        message: `Attaching ${shown(d)} had not started; the reconcile job started it`,
        externalService: 'stepfunctions',
        externalId: run.executionArn,
      });
      return 'started';
    }
    case 'ended':
      return (await reportEnded(d, project, arn)) ? 'reported' : null;
  }
}

/** Once per execution: the mark on the domain keeps later runs from mailing again. */
async function reportEnded(d: ProjectDomain, project: Project, executionArn: string): Promise<boolean> {
  if (d.stalledReportedFor === executionArn) return false;
  await updateDomain(d.projectId, d.domain, { fields: { stalledReportedFor: executionArn } });
  await appendLog({
    projectId: d.projectId,
    action: 'domain_attach_stalled',
    message: `Attaching ${shown(d)} ended, yet the domain is still ${d.status}; staff were told`,
    externalService: 'stepfunctions',
    externalId: executionArn,
  });
  try {
    await sendMail(
      mailConfig().STAFF_EMAIL,
      domainAttachStalledMail({
        projectName: project.name,
        projectId: project.id,
        domain: shown(d),
        status: d.status,
        executionArn,
      }),
    );
  } catch (err) {
    logger.error('staff mail failed', { projectId: d.projectId, err });
  }
  return true;
}
