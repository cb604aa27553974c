import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { startCheckout } from '../billing/checkout.js';
import { listPlugins } from '../catalog/catalog-table.js';
import { checkCustomDomain, customDomainItem } from '../domains/custom-domain-order.js';
import { requestLifecycleAction } from '../lifecycle/lifecycle-requests.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { getDomain } from '../projects/domains-table.js';
import { loadProjectParts, toStaffProjectView } from '../projects/project-views.js';
import { getProject, listLicenses, type Project, type TakeoverTerms } from '../projects/projects-table.js';
import { paysByCard } from '../projects/schemas.js';
import { dropPendingTakeover, recordPendingTakeover } from './pending-takeovers-table.js';
import type { TakeoverRequest, takeoverResponse } from './schemas.js';
import { checkoutExpired } from './takeover-payments.js';
import { sameTakeover, takeoverRefusal } from './takeover-rules.js';

// Staff hand a demo project over to a customer (contract: POST /v1/admin/projects/{id}/takeover).
// Invoice and free takeovers run at once; card ones get a Stripe Checkout and run once it is paid
// (takeover-payments.ts). The run is the takeover-project flow, a lifecycle request like a
// suspension: one per project at a time, the same request again answers the same execution.

type Answer = z.infer<typeof takeoverResponse>;

export async function requestTakeover(
  caller: Caller,
  projectId: string,
  req: TakeoverRequest,
): Promise<Answer> {
  const project = await getProject(projectId);
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  // A pending takeover whose Checkout expired (its event lost or not here yet) no longer holds the demo.
  let pending = project.pendingTakeover;
  if (pending && (await checkoutExpired(pending.sessionId))) {
    await dropPendingTakeover(projectId, pending.sessionId);
    pending = undefined;
  }
  // The takeover under way (running, or stopped for staff to redrive) asked again: made sure of.
  const open = project.lifecycleRequest;
  if (open?.action === 'takeover' && open.takeover) {
    if (!sameTakeover(open.takeover, req))
      throw new ConflictError(
        `A takeover by ${open.takeover.ownerEmail} is under way (${open.executionArn}).`,
      );
    await requestLifecycleAction(caller, projectId, 'takeover', { takeover: open.takeover });
    return answer(projectId, null);
  }
  // A card takeover asked again while its Checkout is open answers that Checkout.
  if (pending && sameTakeover(pending.terms, req)) return answer(projectId, pending.checkoutUrl);
  // Asked again after it ran (a double click that came late): the same takeover, done.
  if (!project.isDemo && project.takenOverAt && sameTakeover(project, req)) return answer(projectId, null);
  const refusal = takeoverRefusal(project);
  if (refusal) throw new ConflictError(refusal);
  if (pending) {
    throw new ConflictError(
      `A takeover by ${pending.terms.ownerEmail} (${pending.terms.paymentMethod}) awaits its payment; it lapses when its Checkout expires.`,
    );
  }
  const terms = await termsOf(project, req);
  if (!paysByCard(terms.paymentMethod)) {
    await requestLifecycleAction(caller, projectId, 'takeover', { takeover: terms });
    return answer(projectId, null);
  }
  return checkoutFirst(caller, project, terms);
}

/** The new owner's terms; a domain is checked now (400/409/422) and prepared, its auth code encrypted. */
async function termsOf(project: Project, req: TakeoverRequest): Promise<TakeoverTerms> {
  let domain: TakeoverTerms['domain'];
  if (req.domain) {
    if (await getDomain(project.id, req.domain.domain.ascii)) {
      throw new ConflictError(`${req.domain.domain.unicode} is already a domain of this project.`, [
        { path: 'domain.domain', message: 'already a domain of this project' },
      ]);
    }
    const { priceCents } = await checkCustomDomain(req.domain);
    domain = {
      ...(await customDomainItem(project.id, req.domain, priceCents, new Date().toISOString())),
      wantsPrimary: true,
    };
  }
  return {
    ownerEmail: req.ownerEmail,
    billingEmail: req.billingEmail ?? req.ownerEmail,
    paymentMethod: req.paymentMethod,
    locale: req.locale ?? project.locale,
    ...(domain ? { domain } : {}),
  };
}

/** A card takeover: the Checkout for the demo's licenses, recorded as pending until it is paid. */
async function checkoutFirst(caller: Caller, project: Project, terms: TakeoverTerms): Promise<Answer> {
  const [licenses, plugins] = await Promise.all([listLicenses(project.id), listPlugins()]);
  const lines = licenses
    .filter((l) => l.status !== 'cancelled')
    .map((l) => ({
      plugin: l.plugin,
      displayName: plugins.find((p) => p.name === l.plugin)?.displayName ?? l.plugin,
      billingCycle: l.billingCycle,
      priceCents: l.priceCents,
    }));
  const checkout = await startCheckout({
    projectId: project.id,
    projectName: project.name,
    ownerEmail: terms.ownerEmail,
    billingEmail: terms.billingEmail,
    paymentMethod: terms.paymentMethod as 'stripe_prepaid' | 'stripe_subscription',
    lines,
    takeoverId: randomUUID(),
  });
  const recorded = await recordPendingTakeover(project.id, {
    terms,
    sessionId: checkout.sessionId,
    customerId: checkout.customerId,
    checkoutUrl: checkout.url,
    requestedBy: caller.email,
    requestedAt: new Date().toISOString(),
  });
  if (recorded) return answer(project.id, checkout.url);
  // A concurrent request came first (its Checkout is the one; this one lapses unpaid), or the
  // project changed: judge again on what is there now.
  const now = await getProject(project.id);
  if (now?.pendingTakeover && sameTakeover(now.pendingTakeover.terms, terms))
    return answer(project.id, now.pendingTakeover.checkoutUrl);
  throw new ConflictError(
    now?.lifecycleRequest
      ? `A ${now.lifecycleRequest.action} of this project is under way; nothing was started.`
      : (takeoverRefusal(now ?? project) ?? 'Another takeover of this project came first.'),
  );
}

async function answer(projectId: string, checkoutUrl: string | null): Promise<Answer> {
  return { project: toStaffProjectView(await loadProjectParts(projectId)), checkoutUrl };
}
