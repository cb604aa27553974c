import { inwx } from '../integrations/inwx/from-secret.js';
import { encryptAuthCode } from '../integrations/kms/auth-code-cipher.js';
import { ConflictError, NotAvailableError } from '../platform/errors.js';
import { findProjectIdByDomain, type ProjectDomain } from '../projects/projects-table.js';
import type { CustomOrderDomain } from '../projects/schemas.js';
import { slugify } from '../projects/slug.js';
import { soldTldPrice } from './domain-availability.js';
import type { DomainName } from './domain-name.js';
import { subdomainProblem } from './subdomain.js';

// Ordering a registered, transferred or owned domain: what is checked before anything is written,
// and the domain item the order stores. The project goes live on its technical subdomain first;
// the attach-domain flow brings this domain in when the registry is done.

const FIELD = 'domain.domain';

/**
 * The TLD must be one we sell (400), a domain to register must be free (422), an owned domain
 * must be in our INWX account (422). A transfer is checked by the registry (a wrong auth code
 * fails the domain, not the order).
 */
export async function checkCustomDomain(
  order: CustomOrderDomain,
): Promise<{ priceCents: number | undefined }> {
  const price = await soldTldPrice(order.domain, FIELD);
  const { ascii, unicode } = order.domain;
  // Another project's domain is a conflict whatever the registry says (the order's transaction
  // checks it again with the marker).
  if (await findProjectIdByDomain(ascii)) {
    throw new ConflictError(`The domain ${unicode} belongs to another project.`, [
      { path: FIELD, message: 'already taken' },
    ]);
  }
  if (order.type === 'register') {
    const { available } = await (await inwx()).checkDomain(ascii);
    if (!available) {
      throw new NotAvailableError(`${unicode} is no longer available for registration.`, [
        { path: FIELD, message: 'is registered already; order a transfer if it is yours' },
      ]);
    }
    return { priceCents: price.registerCents };
  }
  if (order.type === 'owned') {
    if (!(await (await inwx()).domainInfo(ascii))) {
      throw new NotAvailableError(`${unicode} is not in our domain account.`, [
        { path: FIELD, message: 'is not a domain we hold; order a transfer or a registration instead' },
      ]);
    }
    return { priceCents: undefined };
  }
  return { priceCents: price.transferCents };
}

const STATUS_OF = {
  register: { type: 'registered', status: 'pending_registration' },
  transfer: { type: 'transferred', status: 'pending_transfer' },
  owned: { type: 'owned', status: 'pending_dns' },
} as const;

/** The order's own domain: pending until the attach-domain flow has it live, then primary. */
export async function customDomainItem(
  projectId: string,
  order: CustomOrderDomain,
  priceCents: number | undefined,
  at: string,
): Promise<ProjectDomain> {
  const { ascii, unicode } = order.domain;
  return {
    projectId,
    domain: ascii,
    ...(unicode !== ascii ? { unicode } : {}),
    ...STATUS_OF[order.type],
    isPrimary: false,
    wantsPrimary: true,
    inwxRecordIds: {},
    attachAttempt: 1,
    ...(priceCents !== undefined ? { priceCents } : {}),
    ...(order.type === 'register' ? { registrant: order.registrant } : {}),
    ...(order.type === 'transfer'
      ? { authCodeCiphertext: await encryptAuthCode(order.authCode, { projectId, domain: ascii }) }
      : {}),
    failureReason: null,
    expiresAt: null,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * The label of the technical subdomain a custom-domain project lives on first: its domain's name
 * (`mueller-bau` for mueller-bau.de, `mueller` for müller.de), else the project's name.
 */
export function technicalLabelBase(domain: DomainName, projectName: string): string {
  for (const candidate of [slugify(domain.unicode.split('.')[0] ?? ''), slugify(projectName)]) {
    if (subdomainProblem(candidate) === null) return candidate;
  }
  return 'projekt';
}
