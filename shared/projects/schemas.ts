import * as z from 'zod';
import { BILLING_CYCLES } from '../catalog/pricing.js';
import { contactInput, domainNameInput } from '../domains/schemas.js';
import { subdomainProblem } from '../domains/subdomain.js';
import { LICENSE_STATUSES } from '../licensing/license.js';
import { code, domainName, email, pluginName, singleLine } from '../platform/http/common-schemas.js';
import { PROJECT_STATUSES } from './project-status.js';

export const PAYMENT_METHODS = ['stripe_prepaid', 'stripe_subscription', 'invoice', 'free'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Card payments go through Stripe Checkout first (an order, a takeover). */
export const paysByCard = (m: PaymentMethod): m is 'stripe_prepaid' | 'stripe_subscription' =>
  m === 'stripe_prepaid' || m === 'stripe_subscription';
export const DOMAIN_TYPES = ['subdomain', 'owned', 'registered', 'transferred'] as const;
export const DOMAIN_STATUSES = [
  'pending_registration',
  'pending_transfer',
  'pending_dns',
  'active',
  'failed',
  'expired',
  'suspended',
  'removed',
] as const;
export type DomainType = (typeof DOMAIN_TYPES)[number];
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

// Part of the schema (not a later check), so that its problem is named with all the others.
const subdomainLabel = z.string().superRefine((label, ctx) => {
  const problem = subdomainProblem(label);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const orderDomain = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('subdomain'),
    subdomain: subdomainLabel,
    baseDomain: domainName.optional(),
  }),
  z.strictObject({ type: z.literal('register'), domain: domainNameInput, registrant: contactInput }),
  z.strictObject({ type: z.literal('transfer'), domain: domainNameInput, authCode: singleLine(1, 255) }),
  z.strictObject({ type: z.literal('owned'), domain: domainNameInput }),
]);
export type OrderDomain = z.infer<typeof orderDomain>;
export type CustomOrderDomain = Exclude<OrderDomain, { type: 'subdomain' }>;

export const createProjectRequest = z
  .strictObject({
    name: singleLine(2, 200),
    projectType: code,
    bundle: code.optional(),
    plugins: z.array(pluginName).max(50).optional(),
    domain: orderDomain,
    paymentMethod: z.enum(PAYMENT_METHODS),
    billingEmail: email,
    ownerEmail: email.optional(),
    locale: z.enum(['de', 'en']).optional(),
    /** Staff only: one of our own internal projects, offered alpha and beta plugin versions too. */
    isSuperadmin: z.boolean().optional(),
    /** Staff only: place the order on this server (its capacity still counts). */
    serverId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'must be a server id' })
      .optional(),
    /** Staff only: a demo project (free, behind preview protection, offered for takeover). */
    isDemo: z.boolean().optional(),
    /** Staff only, invoice and free: false stores the order as a draft, started later by hand. */
    startProvisioning: z.boolean().optional(),
    /** Staff only, with isDemo: the demo starts with this project's plugins. */
    clonedFromProjectId: z.uuid().optional(),
  })
  .refine((o) => o.bundle !== undefined || (o.plugins?.length ?? 0) > 0 || o.clonedFromProjectId, {
    error: 'give a bundle or at least one plugin',
    path: ['bundle'],
    // Also when other fields are invalid (every problem in one answer); a plugins field of the
    // wrong type is already reported and counts as given.
    when: ({ value }) => {
      const o = value as { bundle?: unknown; plugins?: unknown; clonedFromProjectId?: unknown } | null;
      return (
        typeof o === 'object' &&
        o !== null &&
        o.clonedFromProjectId === undefined &&
        (o.plugins === undefined || Array.isArray(o.plugins))
      );
    },
  });
export type CreateProjectRequest = z.infer<typeof createProjectRequest>;

/** A domain of a project as its owner and staff see it. */
export const domainView = z.object({
  /** In Unicode (IDNs as people read them). */
  domain: z.string(),
  type: z.enum(DOMAIN_TYPES),
  status: z.enum(DOMAIN_STATUSES),
  isPrimary: z.boolean(),
  /** Why a domain failed, in words for the customer (what to do next). */
  failureReason: z.string().nullable(),
  expiresAt: z.string().nullable(),
});

export const projectView = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  projectType: z.string(),
  status: z.enum(PROJECT_STATUSES),
  paymentMethod: z.enum(PAYMENT_METHODS),
  billingEmail: z.string(),
  ownerEmail: z.string(),
  domains: z.array(domainView),
  licenses: z.array(
    z.object({
      plugin: z.string(),
      status: z.enum(LICENSE_STATUSES),
      billingCycle: z.enum(BILLING_CYCLES),
      expiresAt: z.string().nullable(),
    }),
  ),
  provisioningError: z.string().nullable(),
  provisioningRetryCount: z.number().int(),
  /** Why the project is suspended (null unless it is). */
  suspensionReason: z.string().nullable(),
  isDemo: z.boolean(),
  /** The project a demo was cloned from (null for others). */
  clonedFromProjectId: z.string().nullable(),
  previewProtection: z.boolean(),
  /** The end of the trial the project was bought with; null without one. */
  trialEndsAt: z.iso.datetime().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Staff see where the project runs as well, and its lifecycle (suspension, archival, an open request). */
export const staffProjectView = projectView.extend({
  /** Offered alpha and beta plugin versions too (our own internal projects). */
  isSuperadmin: z.boolean(),
  serverId: z.string().nullable(),
  coolifyProjectUuid: z.string().nullable(),
  coolifyApplicationUuid: z.string().nullable(),
  executionArn: z.string().nullable(),
  suspendedAt: z.string().nullable(),
  suspendedBy: z.string().nullable(),
  archiveReason: z.string().nullable(),
  archivedAt: z.string().nullable(),
  archivedBy: z.string().nullable(),
  /** A suspend/resume/archive/takeover request whose execution has not finished yet. */
  lifecycleRequest: z
    .object({
      action: z.enum(['suspend', 'resume', 'archive', 'takeover']),
      reason: z.string().nullable(),
      requestedBy: z.string(),
      requestedAt: z.string(),
      executionArn: z.string(),
    })
    .nullable(),
  /** A takeover by card awaiting its payment (shared/takeover/). */
  pendingTakeover: z
    .object({
      ownerEmail: z.string(),
      paymentMethod: z.enum(PAYMENT_METHODS),
      checkoutUrl: z.string(),
      requestedBy: z.string(),
      requestedAt: z.string(),
    })
    .nullable(),
  /** When a customer took the demo over, and the demo's owner before. */
  takenOverAt: z.string().nullable(),
  previousOwnerEmail: z.string().nullable(),
});

export const createProjectResponse = z.object({ project: projectView, checkoutUrl: z.string().nullable() });

export const provisioningLogView = z.object({
  action: z.string(),
  message: z.string().nullable(),
  oldStatus: z.string().nullable(),
  newStatus: z.string().nullable(),
  externalService: z.string().nullable(),
  externalId: z.string().nullable(),
  triggeredBy: z.string(),
  createdAt: z.string(),
});

export const listProjectsQuery = z.object({
  status: z.enum(PROJECT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
});

export const retryResponse = z.object({
  projectId: z.uuid(),
  status: z.enum(PROJECT_STATUSES),
  executionArn: z.string(),
});

/** A custom domain added to an existing project: the order's domain shapes but a subdomain. */
export const addDomainRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('register'), domain: domainNameInput, registrant: contactInput }),
  z.strictObject({ type: z.literal('transfer'), domain: domainNameInput, authCode: singleLine(1, 255) }),
  z.strictObject({ type: z.literal('owned'), domain: domainNameInput }),
]);
export const projectDomainParams = z.object({
  id: z.uuid({ error: 'must be a UUID' }),
  domain: domainNameInput,
});
export const authCodeRequest = z.strictObject({ authCode: singleLine(1, 255) });
export const domainResponse = z.object({ domain: domainView });

const coolifyUuid = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'must be a Coolify uuid' });
const inwxId = z.number({ error: 'must be an INWX id' }).int().positive();

/** A domain a live project already has (contract: staff import). */
export const importDomain = z.strictObject({
  domain: domainNameInput,
  type: z.enum(DOMAIN_TYPES),
  isPrimary: z.boolean(),
  inwxDomainId: inwxId.optional(),
  /** The ids of its A (apex) and www records at INWX, as they are. */
  inwxRecordIds: z.strictObject({ a: inwxId.optional(), www: inwxId.optional() }).default({}),
});

export const importProjectRequest = z.strictObject({
  name: singleLine(2, 200),
  projectType: code,
  ownerEmail: email,
  billingEmail: email,
  paymentMethod: z.enum(PAYMENT_METHODS),
  plugins: z.array(pluginName).max(50),
  domains: z
    .array(importDomain)
    .min(1, { error: 'a live project has at least one domain' })
    .max(10)
    .superRefine((domains, ctx) => {
      if (domains.filter((d) => d.isPrimary).length !== 1)
        ctx.addIssue({ code: 'custom', message: 'exactly one domain must be primary' });
      domains.forEach((d, i) => {
        if (domains.findIndex((o) => o.domain.ascii === d.domain.ascii) !== i)
          ctx.addIssue({ code: 'custom', path: [i, 'domain'], message: 'is listed twice' });
      });
    }),
  coolify: z.strictObject({
    projectUuid: coolifyUuid,
    applicationUuid: coolifyUuid,
    serverUuid: coolifyUuid,
  }),
  locale: z.enum(['de', 'en']).optional(),
});
export type ImportProjectRequest = z.infer<typeof importProjectRequest>;

/** PUT /v1/admin/projects/{id}/superadmin: staff mark one of our own projects (or unmark it). */
export const superadminRequest = z.strictObject({ isSuperadmin: z.boolean() });
