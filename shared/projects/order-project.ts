import { randomUUID } from 'node:crypto';
import { startCheckout } from '../billing/checkout.js';
import {
  getBaseDomain,
  getBundle,
  getProjectType,
  listBaseDomains,
  listPlugins,
} from '../catalog/catalog-table.js';
import { isClearedForInvoices } from '../customers/customer-profile.js';
import { checkCustomDomain, customDomainItem, technicalLabelBase } from '../domains/custom-domain-order.js';
import { licenseExpiry } from '../licensing/license.js';
import { missingRequirements } from '../licensing/plugin-dependencies.js';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotAvailableError,
  ValidationError,
} from '../platform/errors.js';
import { type Caller, isStaff } from '../platform/http/auth.js';
import { startProvisioning } from '../provisioning/start-provisioning.js';
import { checkRequestedServer } from '../servers/requested-server.js';
import { priceLicenses } from './license-prices.js';
import { loadProjectParts, type ProjectWithParts } from './project-views.js';
import { appendLog, type License, type Project, type ProjectDomain, placeOrder } from './projects-table.js';
import { type CreateProjectRequest, paysByCard } from './schemas.js';
import { slugCandidate, slugify } from './slug.js';
import { checkStaffOrderOptions, pluginsForClone } from './staff-order-options.js';

// Ordering a project (contract: POST /v1/projects). Everything the order creates is written in one
// transaction — project, domain + its uniqueness marker, slug marker, licenses with history, log —
// and then the provisioning execution is started under a deterministic name.

const SLUG_ATTEMPTS = 5;

export async function orderProject(
  caller: Caller,
  req: CreateProjectRequest,
): Promise<{ project: ProjectWithParts; checkoutUrl: string | null }> {
  await checkPermissions(caller, req);
  if (req.serverId) await checkRequestedServer(caller, req.serverId);
  // A clone starts with its source's plugins as well (demo-orders.ts).
  if (req.clonedFromProjectId) req = { ...req, plugins: await pluginsForClone(req) };
  // Card orders are paid through Stripe Checkout first: nothing is provisioned before payment.
  const byCard = paysByCard(req.paymentMethod);
  // Staff may store an order as a draft and start it by hand later (start-by-hand.ts).
  const draft = req.startProvisioning === false;

  const {
    projectType,
    bundle,
    licenses: licensed,
    baseDomain,
    addedRequirements,
    displayNameOf,
  } = await resolveCatalog(req);
  const order = req.domain;
  const custom = order.type === 'subdomain' ? undefined : { order, ...(await checkCustomDomain(order)) };
  const now = new Date();
  const at = now.toISOString();
  const id = randomUUID();
  const ownerEmail = req.ownerEmail ?? caller.email;

  const project: Project = {
    id,
    name: req.name,
    slug: '',
    projectType: projectType.code,
    ...(bundle ? { bundle: bundle.code } : {}),
    status: byCard ? 'pending_payment' : draft ? 'draft' : 'pending_domain',
    paymentMethod: req.paymentMethod,
    billingEmail: req.billingEmail,
    ownerEmail,
    // A reseller ordering for its customer keeps seeing and managing the project.
    ...(ownerEmail !== caller.email && caller.roles.includes('reseller') && !isStaff(caller)
      ? { resellerEmail: caller.email }
      : {}),
    locale: req.locale ?? 'de',
    isDemo: req.isDemo === true,
    ...(req.clonedFromProjectId ? { clonedFromProjectId: req.clonedFromProjectId } : {}),
    ...(req.isSuperadmin ? { isSuperadmin: true } : {}),
    ...(req.serverId ? { requestedServerId: req.serverId } : {}),
    // A demo waits behind the preview login until a customer takes it over.
    previewProtection: req.isDemo === true,
    ...(byCard || draft ? {} : { provisioningStartedAt: at }),
    provisioningRetryCount: 0,
    createdAt: at,
    updatedAt: at,
  };
  const licenses: License[] = licensed.map((l) => ({
    projectId: id,
    plugin: l.plugin,
    status: 'active',
    billingCycle: l.cycle,
    priceCents: l.priceCents,
    purchasedAt: at,
    expiresAt: licenseExpiry(l.cycle, now)?.toISOString() ?? null,
  }));
  let checkoutUrl: string | null = null;
  if (byCard) {
    // The session comes first (one per project id, however often this is retried): an order stored
    // without a way to pay would hold its subdomain for nothing. Licenses are created at payment.
    project.orderLines = licenses.map((l) => ({
      plugin: l.plugin,
      billingCycle: l.billingCycle,
      priceCents: l.priceCents,
    }));
    const checkout = await startCheckout({
      projectId: id,
      projectName: req.name,
      ownerEmail,
      billingEmail: req.billingEmail,
      paymentMethod: req.paymentMethod as 'stripe_prepaid' | 'stripe_subscription',
      lines: project.orderLines.map((l) => ({ ...l, displayName: displayNameOf(l.plugin) })),
      ...(req.paymentMethod === 'stripe_subscription' && projectType.hasTrial && projectType.trialDays > 0
        ? { trialDays: projectType.trialDays }
        : {}),
    });
    project.stripeCustomerId = checkout.customerId;
    project.stripeCheckoutSessionId = checkout.sessionId;
    checkoutUrl = checkout.url;
  }

  // Every project lives on a technical subdomain first (for subdomain orders: the chosen one); a
  // custom domain is attached once the project is live there (shared/domains/).
  const customDomain = custom && (await customDomainItem(id, custom.order, custom.priceCents, at));
  const labelBase = order.type === 'subdomain' ? order.subdomain : technicalLabelBase(order.domain, req.name);

  for (let attempt = 1; ; attempt++) {
    // The schema (createProjectRequest) has already checked a chosen label against the subdomain rules.
    const label = order.type === 'subdomain' ? order.subdomain : slugCandidate(labelBase, attempt);
    project.slug = slugCandidate(slugify(labelBase), attempt);
    const technical: ProjectDomain = {
      projectId: id,
      domain: `${label}.${baseDomain}`,
      type: 'subdomain',
      status: 'pending_dns',
      isPrimary: true,
      baseDomain,
      subdomain: label,
      inwxRecordIds: {},
      createdAt: at,
      updatedAt: at,
    };
    const outcome = await placeOrder(
      project,
      customDomain ? [technical, customDomain] : [technical],
      byCard ? [] : licenses,
      caller.email,
      byCard
        ? {
            log: {
              action: 'order_created',
              message: `Ordered ${technical.domain}${customDomain ? ` + ${customDomain.unicode ?? customDomain.domain}` : ''} (${licenses.length} plugins); awaiting payment through Stripe (${req.paymentMethod})`,
            },
          }
        : {},
    );
    if (outcome === 'ok') break;
    if (outcome !== 'slug-taken' && 'domainTaken' in outcome) {
      if (outcome.domainTaken === customDomain?.domain) {
        throw new ConflictError(`The domain ${custom?.order.domain.unicode} belongs to another project.`, [
          { path: 'domain.domain', message: 'already taken' },
        ]);
      }
      if (order.type === 'subdomain') {
        throw new ConflictError(`The subdomain ${technical.domain} is already taken.`, [
          { path: 'domain.subdomain', message: 'already taken' },
        ]);
      }
      // The technical subdomain chosen for a custom domain is taken: try the next candidate.
    }
    if (attempt >= SLUG_ATTEMPTS)
      throw new ConflictError('Could not find a free project slug; please try again.');
  }

  if (addedRequirements.length) {
    await appendLog({
      projectId: id,
      action: 'plugins_required',
      message: `Licensed as well, because they are needed: ${addedRequirements.map((a) => `${a.plugin} (by ${a.requiredBy})`).join(', ')}`,
      triggeredBy: caller.email,
    });
  }

  // Stripe's webhook starts provisioning once the payment is in (shared/billing/stripe-webhook.ts).
  if (byCard) return { project: await loadProjectParts(id), checkoutUrl };

  if (!draft) await startProvisioning(id);
  return { project: await loadProjectParts(id), checkoutUrl: null };
}

async function checkPermissions(caller: Caller, req: CreateProjectRequest): Promise<void> {
  const staff = isStaff(caller);
  // Invoices: staff, or a customer staff cleared for them (PUT /v1/admin/customers/{email}).
  const mayPayByInvoice =
    staff || (req.paymentMethod === 'invoice' && (await isClearedForInvoices(caller.email)));
  if ((req.paymentMethod === 'invoice' || req.paymentMethod === 'free') && !mayPayByInvoice) {
    throw new ForbiddenError(
      req.paymentMethod === 'invoice'
        ? 'Paying by invoice needs a staff member, or a customer staff cleared for invoices.'
        : 'Free projects need a staff member.',
      [
        {
          path: 'paymentMethod',
          message:
            req.paymentMethod === 'invoice'
              ? '"invoice" needs role staff or admin, or a customer cleared for invoices'
              : '"free" needs role staff or admin',
        },
      ],
    );
  }
  // Superadmin projects (alpha and beta plugin versions) are our own: only staff mark them.
  if (req.isSuperadmin && !staff) {
    throw new ForbiddenError('Only staff can order a superadmin project.', [
      { path: 'isSuperadmin', message: 'only staff and admins may set it' },
    ]);
  }
  checkStaffOrderOptions(req, staff);
  if (req.ownerEmail && req.ownerEmail !== caller.email && !staff && !caller.roles.includes('reseller')) {
    throw new ForbiddenError('Only staff and resellers can order for someone else.', [
      { path: 'ownerEmail', message: 'only staff and resellers may set another owner' },
    ]);
  }
}

async function resolveCatalog(req: CreateProjectRequest) {
  const errors: FieldError[] = [];
  const baseDomainName = req.domain.type === 'subdomain' ? req.domain.baseDomain : undefined;
  const [projectType, bundle, plugins, baseDomain] = await Promise.all([
    getProjectType(req.projectType),
    req.bundle ? getBundle(req.projectType, req.bundle) : Promise.resolve(undefined),
    listPlugins(),
    baseDomainName ? getBaseDomain(baseDomainName) : defaultBaseDomain(),
  ]);
  if (!projectType)
    errors.push({ path: 'projectType', message: `unknown project type "${req.projectType}"` });
  if (req.bundle && !bundle?.isActive) {
    errors.push({
      path: 'bundle',
      message: `no bundle "${req.bundle}" for project type "${req.projectType}"`,
    });
  }
  (req.plugins ?? []).forEach((name, i) => {
    if (!plugins.some((p) => p.name === name))
      errors.push({ path: `plugins.${i}`, message: `unknown plugin "${name}"` });
  });
  if (!baseDomain?.isActive) {
    errors.push({
      path: 'domain.baseDomain',
      message: baseDomainName
        ? `"${baseDomainName}" is not a base domain we offer`
        : 'no default base domain',
    });
  }
  if (errors.length || !projectType || !baseDomain)
    throw new ValidationError('The order refers to things we do not offer.', errors);

  // What the chosen plugins need is licensed too, at its price (the licenses in the answer show it).
  const requiresOf = (name: string) =>
    plugins.find((p) => p.name === name)?.requires ?? (plugins.some((p) => p.name === name) ? [] : undefined);
  const { added, unknown } = missingRequirements(
    [...(bundle?.plugins ?? []), ...(req.plugins ?? [])],
    requiresOf,
  );
  if (unknown.length) {
    throw new NotAvailableError(
      `Not for sale: ${unknown.map((u) => `"${u.requiredBy}" needs "${u.plugin}", which we do not offer`).join('; ')}.`,
      [{ path: req.bundle ? 'bundle' : 'plugins', message: 'needs a plugin we do not offer' }],
    );
  }
  const licenses = await priceLicenses(projectType.code, bundle, [
    ...(req.plugins ?? []),
    ...added.map((a) => a.plugin),
  ]);
  const displayNameOf = (name: string) => plugins.find((p) => p.name === name)?.displayName ?? name;
  return {
    projectType,
    bundle,
    licenses,
    baseDomain: baseDomain.domain,
    addedRequirements: added,
    displayNameOf,
  };
}

async function defaultBaseDomain() {
  const all = await listBaseDomains();
  return all.find((d) => d.isDefault && d.isActive);
}
