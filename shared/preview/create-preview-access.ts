import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { sendMail } from '../integrations/mail/mailer.js';
import { previewAccessMail } from '../integrations/mail/preview-templates.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { logger } from '../platform/logger.js';
import { getPrimaryDomain, getProject } from '../projects/projects-table.js';
import { type PreviewAccess, storePreviewAccess } from './preview-accesses-table.js';
import { previewCodeKey } from './preview-code-key.js';
import {
  generatePreviewCode,
  generatePreviewToken,
  hashPreviewCode,
  hashPreviewToken,
  magicLink,
  previewExpiry,
} from './preview-rules.js';
import type { createdPreviewAccessView, createPreviewAccessRequest } from './schemas.js';

// Staff create a preview access (POST /v1/admin/projects/{id}/preview-accesses): a magic link on
// the project's primary domain and a 6-digit code, shown in this answer and the preview mail only.
// Only their hashes are stored; neither is ever logged.

/** Draws of a code that another live access hashed to already (1 in 10^6 each) before giving up. */
const MAX_DRAWS = 5;

export async function createPreviewAccess(
  caller: Caller,
  projectId: string,
  req: z.output<typeof createPreviewAccessRequest>,
): Promise<z.infer<typeof createdPreviewAccessView>> {
  const project = await getProject(projectId);
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  if (project.status === 'archived')
    throw new ConflictError('The project is archived: it has no site to preview.');
  const primary = await getPrimaryDomain(projectId);
  if (!primary) throw new ConflictError('The project has no domain yet: a magic link needs one.');

  const key = await previewCodeKey();
  const now = new Date();
  const expiresAt = previewExpiry(now, req.hoursValid);
  const accessId = randomUUID();
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const token = generatePreviewToken();
    const code = generatePreviewCode();
    const access: PreviewAccess = {
      projectId,
      accessId,
      ...(req.email ? { email: req.email } : {}),
      ...(req.name ? { name: req.name } : {}),
      expiresAt,
      singleUse: req.singleUse,
      uses: 0,
      tokenHash: hashPreviewToken(token),
      codeHash: hashPreviewCode(key, projectId, code),
      createdBy: caller.email,
      createdAt: now.toISOString(),
    };
    const who = req.name ?? req.email;
    const outcome = await storePreviewAccess(access, {
      action: 'preview_access_created',
      message: `Preview access ${accessId}${who ? ` for ${who}` : ''}, valid until ${expiresAt}${req.singleUse ? ', single use' : ''}`,
      triggeredBy: caller.email,
    });
    if (outcome !== 'stored') continue;

    const link = magicLink(primary.domain, token);
    let mailSent = false;
    if (req.email) {
      try {
        await sendMail(
          req.email,
          previewAccessMail(project.locale, {
            projectName: project.name,
            ...(req.name ? { recipientName: req.name } : {}),
            magicLink: link,
            code,
            expiresAt,
            singleUse: req.singleUse,
          }),
        );
        mailSent = true;
      } catch (err) {
        // The access stands: staff pass on link and code from this answer themselves.
        logger.warn('preview mail failed', { projectId, accessId, error: (err as Error).message });
      }
    }
    return { id: accessId, token, code, magicLink: link, expiresAt, mailSent };
  }
  throw new ConflictError('Could not draw an unused preview code; please try again.');
}
