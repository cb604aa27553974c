import { NotFoundError, RateLimitedError, UnauthorizedError } from '../platform/errors.js';
import {
  claimTry,
  countPreviewUse,
  findAccessByCodeHash,
  findAccessByTokenHash,
  releaseTry,
} from './preview-accesses-table.js';
import { previewCodeKey } from './preview-code-key.js';
import { hashPreviewCode, hashPreviewToken } from './preview-rules.js';

// A satellite checks what a visitor brought (POST /v1/projects/{id}/preview/verify): a magic-link
// token or a 6-digit code. Every well-formed try is counted against the project's lock before it is
// checked and given back when right; malformed input is a 400 before this and counts nothing. A
// wrong try (unknown, another project's, expired, used, revoked) is a 401 that says no more.

export async function verifyPreview(
  keyProjectId: string,
  projectId: string,
  proof: { token?: string | undefined; code?: string | undefined },
) {
  if (keyProjectId !== projectId) throw new NotFoundError(`Project ${projectId} not found.`);
  const now = new Date();
  const claim = await claimTry(projectId, now);
  if (!claim.claimed)
    throw new RateLimitedError(
      `Too many wrong preview tries for this project; try again after ${claim.lockedUntil}.`,
      [],
      Math.max(1, Math.ceil((Date.parse(claim.lockedUntil) - now.getTime()) / 1000)),
    );

  const hit = proof.token
    ? await findAccessByTokenHash(hashPreviewToken(proof.token))
    : await findAccessByCodeHash(hashPreviewCode(await previewCodeKey(), projectId, proof.code ?? ''));
  const access =
    hit && hit.projectId === projectId ? await countPreviewUse(projectId, hit.accessId, now) : undefined;
  if (!access) throw new UnauthorizedError('The preview link or code is not valid.');

  await releaseTry(projectId, claim.windowStartsAt);
  return { valid: true as const, expiresAt: access.expiresAt };
}
