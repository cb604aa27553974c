import { encryptAuthCode } from '../integrations/kms/auth-code-cipher.js';
import { ConflictError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { updateDomain } from '../projects/domains-table.js';
import { loadProjectForCaller, toDomainView } from '../projects/project-views.js';
import { ensureAttachRunning } from './attach-runs.js';
import { requireNamedDomain } from './domain-lookup.js';
import type { DomainName } from './domain-name.js';

// A refused transfer (a wrong or expired auth code) starts again when the customer brings a new
// code (contract: POST …/domains/{domain}/auth-code): the next attach-domain attempt.

/** A failed transfer starts again with a new auth code (the next attach attempt). */
export async function renewAuthCode(caller: Caller, projectId: string, name: DomainName, authCode: string) {
  const { project } = await loadProjectForCaller(caller, projectId);
  const d = await requireNamedDomain(projectId, name);
  if (d.type !== 'transferred' || d.status !== 'failed') {
    throw new ConflictError(`${name.unicode} is not a failed transfer; a new auth code changes nothing.`);
  }
  const attachAttempt = (d.attachAttempt ?? 1) + 1;
  const changed = await updateDomain(projectId, d.domain, {
    status: 'pending_transfer',
    from: ['failed'],
    fields: {
      authCodeCiphertext: await encryptAuthCode(authCode, { projectId, domain: d.domain }),
      failureReason: null,
      attachAttempt,
      coolifyDeploymentUuid: undefined,
    },
    log: {
      action: 'auth_code_renewed',
      message: `New auth code for ${name.unicode}; the transfer starts again`,
      oldStatus: 'failed',
      newStatus: 'pending_transfer',
      triggeredBy: caller.email,
    },
  });
  if (!changed) throw new ConflictError(`${name.unicode} changed meanwhile; look at it again.`);
  const updated = { ...d, status: 'pending_transfer' as const, attachAttempt, failureReason: null };
  if (project.status === 'active') await ensureAttachRunning(updated);
  return { domain: toDomainView(updated) };
}
