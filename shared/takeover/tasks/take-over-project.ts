import { takeOverProjectAndLicenses } from '../../lifecycle/lifecycle-table.js';
import { type LifecycleInput, lifecycleRequestOf } from '../../lifecycle/tasks/lifecycle-input.js';
import { ConflictError, TransientError } from '../../platform/errors.js';
import { getProject, listLicenses, projectKeys } from '../../projects/projects-table.js';
import { takeoverLicenses } from '../takeover-rules.js';

// Task TakeOverProject (takeover-project flow): in one transaction the demo gets its new owner,
// billing contact and payment method (with the Stripe customer and subscription a card takeover
// was paid with), stops being a demo, drops preview protection (the satellite reads it from its
// config), and each license starts its paid period — with history and a log entry. A rerun finds
// the project taken over by this request and changes nothing.

export async function takeOverProject(input: LifecycleInput) {
  const { projectId, executionArn } = input;
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await lifecycleRequestOf(input);
    if (found.state === 'finished') return { projectId };
    const { project, request } = found;
    const terms = request.takeover;
    if (!terms)
      throw new ConflictError(`The request of ${executionArn} names no new owner; it changes nothing.`);
    // Taken over by this very request already (a retry or redrive after the write).
    if (!project.isDemo && project.ownerEmail === terms.ownerEmail && project.takenOverAt)
      return { projectId };
    if (!project.isDemo || project.status !== 'active') {
      throw new ConflictError(
        `Project ${projectId} is no live demo ("${project.status}"); nothing was taken over.`,
      );
    }
    const licenses = takeoverLicenses(await listLicenses(projectId), new Date());
    const outcome = await takeOverProjectAndLicenses(projectId, {
      executionArn,
      by: request.requestedBy,
      reason: `takeover by ${terms.ownerEmail}`,
      set: {
        ownerEmail: terms.ownerEmail,
        ...projectKeys.ownerIndex(terms.ownerEmail, project.createdAt),
        billingEmail: terms.billingEmail,
        paymentMethod: terms.paymentMethod,
        locale: terms.locale,
        previousOwnerEmail: project.ownerEmail,
        ...(terms.stripe
          ? {
              stripeCustomerId: terms.stripe.customerId,
              stripeCheckoutSessionId: terms.stripe.sessionId,
              ...(terms.stripe.subscriptionId ? { stripeSubscriptionId: terms.stripe.subscriptionId } : {}),
            }
          : {}),
      },
      licenses,
      log: {
        action: 'taken_over',
        message: `Taken over by ${terms.ownerEmail} (was ${project.ownerEmail}); billed ${terms.paymentMethod}${terms.stripe ? ` (Stripe ${terms.stripe.sessionId})` : ''}; preview protection off; licenses from now: ${licenses.map((l) => `${l.plugin} until ${l.expiresAt ?? 'unlimited'}`).join(', ') || 'none'}`,
        oldStatus: 'active',
        newStatus: 'active',
        triggeredBy: request.requestedBy,
        externalService: 'stepfunctions',
        externalId: executionArn,
      },
    });
    if (outcome === 'done') return { projectId };
    const now = await getProject(projectId);
    if (now && !now.isDemo && now.ownerEmail === terms.ownerEmail) return { projectId };
  }
  throw new TransientError('ProjectChanging', `project ${projectId} or its licenses kept changing`);
}
