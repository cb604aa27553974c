import { encryptAuthCode } from '../integrations/kms/auth-code-cipher.js';
import { ConflictError, NotAvailableError } from '../platform/errors.js';
import { findProjectIdByDomain, type ProjectDomain } from '../projects/projects-table.js';
import type { CustomOrderDomain } from '../projects/schemas.js';
import { slugify } from '../projects/slug.js';
import { getAccountDomain } from './account-domains-table.js';
import type { DomainName } from './domain-name.js';
import { soldTldPrice } from './sold-tld.js';
import { subdomainProblem } from './subdomain.js';

// Ordering a registered, transferred or owned domain: what is checked before anything is written,
// and the domain item the order stores. The project goes live on its technical subdomain first;
// the attach-domain flow brings this domain in when the registry is done.

const FIELD = 'domain.domain';

/**
 * The TLD must be one we sell (400), no other project may have the domain (409), an owned domain
 * must be in our INWX account as domain-sync last saw it (422). Whether a domain to register is
 * still free, and whether a transfer's auth code is right, the registry answers in the attach
 * flow: the project goes live either way, and the domain fails with a reason if not.
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
  if (order.type === 'register') return { priceCents: price.registerCents };
  if (order.type === 'owned') {
    if ((await getAccountDomain(ascii))?.status !== 'OK') {
      throw new NotAvailableError(`${unicode} is not in our domain account.`, [
        { path: FIELD, message: 'is not a domain we hold; order a transfer or a registration instead' },
      ]);
    }
    return { priceCents: undefined };
  }
  return { priceCents: price.transferCents };
}

/** The domain type each order kind stores. */
export const CUSTOM_DOMAIN_TYPE = {
  register: 'registered',
  transfer: 'transferred',
  owned: 'owned',
} as const;

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
