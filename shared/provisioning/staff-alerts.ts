import { mailConfig, sendMail } from '../integrations/mail/mailer.js';
import { provisioningFailedMail } from '../integrations/mail/templates.js';
import { logger } from '../platform/logger.js';
import type { Project } from '../projects/projects-table.js';

/**
 * Tells staff that a project's provisioning stopped, with what they need to act on it. The project
 * already shows the error (that is the record); a mail that cannot be sent is logged, and the
 * CloudWatch alarm on failed executions still reaches staff.
 */
export async function notifyStaffOfFailure(
  project: Project,
  status: string,
  reason: string,
  executionArn: string | undefined,
): Promise<void> {
  try {
    await sendMail(
      mailConfig().STAFF_EMAIL,
      provisioningFailedMail({
        projectName: project.name,
        projectId: project.id,
        status,
        reason,
        executionArn: executionArn ?? '—',
        retryCount: project.provisioningRetryCount,
      }),
    );
  } catch (err) {
    logger.error('staff mail failed', { projectId: project.id, err });
  }
}
