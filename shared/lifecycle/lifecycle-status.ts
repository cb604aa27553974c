import { mailConfig, sendMail } from '../integrations/mail/mailer.js';
import { lifecycleFailedMail } from '../integrations/mail/templates.js';
import { logger } from '../platform/logger.js';
import { appendLog, getProject } from '../projects/projects-table.js';
import { ACTION_NOUN, type LifecycleAction } from './lifecycle-rules.js';

// Status events of lifecycle executions (suspend, resume, archive). A failure leaves the project in
// the status it had (the flows change it in one transaction, or not at all) and the request open:
// the log says where it stopped and staff get a mail (German) to fix the cause and redrive the
// execution in the console — or send the same request again, which redrives it. A redrive is logged.

const FAILURES = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

export async function handleLifecycleStatus(e: {
  executionArn: string;
  status: string;
  redriveCount: number;
  projectId: string;
  action: LifecycleAction;
  reason: string;
}): Promise<'ignored' | 'recorded' | 'notified'> {
  const redriven = e.status === 'RUNNING' && e.redriveCount > 0;
  if (!FAILURES.has(e.status) && !redriven) return 'ignored';
  const project = await getProject(e.projectId);
  if (!project) return 'ignored';
  const noun = ACTION_NOUN[e.action];
  if (redriven) {
    await appendLog({
      projectId: e.projectId,
      action: 'lifecycle_retry',
      message: `The ${noun} was redriven (redrive ${e.redriveCount})`,
      externalService: 'stepfunctions',
      externalId: e.executionArn,
    });
    return 'recorded';
  }
  await appendLog({
    projectId: e.projectId,
    action: 'lifecycle_failed',
    message: `The ${noun} stopped (${e.status}); the project stays "${project.status}": ${e.reason}`,
    externalService: 'stepfunctions',
    externalId: e.executionArn,
  });
  try {
    await sendMail(
      mailConfig().STAFF_EMAIL,
      lifecycleFailedMail({
        action: e.action,
        projectName: project.name,
        projectId: project.id,
        projectStatus: project.status,
        reason: e.reason,
        executionArn: e.executionArn,
      }),
    );
  } catch (err) {
    logger.error('staff mail failed', { projectId: e.projectId, err });
  }
  return 'notified';
}
