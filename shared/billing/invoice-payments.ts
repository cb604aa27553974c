import type { z } from 'zod';
import { invoicePaymentExtensions, isRecurring } from '../licensing/license-changes.js';
import { extendLicensesForPayment } from '../licensing/licenses-table.js';
import { requestLifecycleAction } from '../lifecycle/lifecycle-requests.js';
import { ConflictError, isTransactionConflict, NotFoundError, NotPossibleError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { PROJECT_STATUSES } from '../projects/project-status.js';
import { getProject, listLicenses, type Project } from '../projects/projects-table.js';
import type { invoicePaymentView } from './invoice-payment-schemas.js';
import { getInvoicePayment, type InvoicePayment, invoicePaymentItem } from './invoice-payments-table.js';

// Staff mark an invoice paid (POST /v1/admin/projects/{id}/invoice-payments), for projects paid by
// invoice: every recurring license is extended by one billing cycle from the later of now and its
// expiry (or to paidUntil), each with a history entry naming staff and the invoice, in one
// transaction with the invoice's marker — so one reference extends once, however often and however
// concurrently it is sent. A repeat with the same reference answers what was recorded (200); the
// same reference with another paidUntil is a 409. A suspended project is then resumed through the
// lifecycle request (a repeat makes sure of that same resumption).

type View = z.infer<typeof invoicePaymentView>;

export interface InvoicePaymentBody {
  reference: string;
  paidUntil?: string | undefined;
}

const ATTEMPTS = 3;

export async function markInvoicePaid(
  caller: Caller,
  projectId: string,
  body: InvoicePaymentBody,
): Promise<View> {
  const paidUntil = body.paidUntil === undefined ? null : new Date(body.paidUntil).toISOString();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [project, licenses, recorded] = await Promise.all([
      getProject(projectId),
      listLicenses(projectId),
      getInvoicePayment(projectId, body.reference),
    ]);
    if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
    if (recorded) return answerRecorded(caller, project, recorded, paidUntil);
    checkPayable(project, licenses.some(isRecurring));
    const now = new Date();
    if (paidUntil !== null && Date.parse(paidUntil) <= now.getTime()) {
      throw new NotPossibleError(`paidUntil (${body.paidUntil}) must be in the future.`);
    }
    const extensions = invoicePaymentExtensions(licenses, now, paidUntil ?? undefined);
    const payment: InvoicePayment = {
      projectId,
      reference: body.reference,
      paidUntil,
      recordedBy: caller.email,
      recordedAt: now.toISOString(),
      licenses: extensions.map((e) => ({
        plugin: e.plugin,
        oldStatus: e.from.status,
        newStatus: e.to.status,
        oldExpiresAt: e.from.expiresAt,
        newExpiresAt: e.to.expiresAt,
      })),
    };
    const outcome = await extendLicensesForPayment(projectId, {
      marker: invoicePaymentItem(payment),
      extensions: extensions.map((e) => ({ ...e, action: 'extended' })),
      project: {
        status: PROJECT_STATUSES.filter((s) => s !== 'archived'),
        paymentMethod: 'invoice',
      },
      by: caller.email,
      reason: `Invoice ${body.reference} paid`,
      reference: body.reference,
      at: payment.recordedAt,
      log: {
        action: 'invoice_paid',
        message: `Invoice ${body.reference} marked paid${paidUntil ? ` up to ${paidUntil}` : ''}: ${
          extensions.map((e) => `${e.plugin} until ${e.to.expiresAt}`).join(', ') ||
          'no license needed extending'
        }`,
        triggeredBy: caller.email,
        externalId: body.reference,
      },
    }).catch((err: unknown) => {
      // Collided with a concurrent transaction (e.g. the same request twice): read again.
      if (isTransactionConflict(err)) return 'conflict' as const;
      throw err;
    });
    if (outcome === 'done') return answer(caller, project, payment);
    // The marker exists now (a concurrent repeat), or the project or a license changed since they
    // were read: judge again on what is there now. The marker keeps it to one extension.
  }
  throw new ConflictError(
    'The project or its licenses kept changing while the payment was recorded; nothing was changed.',
  );
}

function checkPayable(project: Project, hasRecurring: boolean): void {
  if (project.paymentMethod !== 'invoice') {
    throw new ConflictError(
      `Project ${project.id} is paid by ${project.paymentMethod}, not by invoice; its licenses are not extended by a marked invoice.`,
    );
  }
  if (project.status === 'archived') {
    throw new ConflictError(`Project ${project.id} is archived: its licenses stay cancelled.`);
  }
  if (!hasRecurring) {
    throw new ConflictError(`Project ${project.id} has no recurring (monthly or yearly) license to extend.`);
  }
}

/** A reference recorded before: the same payment answers what it did; another one is a conflict. */
function answerRecorded(
  caller: Caller,
  project: Project,
  recorded: InvoicePayment,
  paidUntil: string | null,
) {
  if (recorded.paidUntil !== paidUntil) {
    throw new ConflictError(
      `Invoice ${recorded.reference} was recorded as paid on ${recorded.recordedAt} by ${recorded.recordedBy} ${
        recorded.paidUntil ? `up to ${recorded.paidUntil}` : 'for one billing cycle'
      }; nothing was changed. Another payment needs its own reference.`,
    );
  }
  return answer(caller, project, recorded);
}

async function answer(caller: Caller, project: Project, payment: InvoicePayment): Promise<View> {
  const { resume, resumeProblem } = await resumeIfSuspended(caller, project, payment.reference);
  return {
    projectId: payment.projectId,
    reference: payment.reference,
    paidUntil: payment.paidUntil,
    recordedBy: payment.recordedBy,
    recordedAt: payment.recordedAt,
    licenses: payment.licenses,
    resume,
    resumeProblem,
  };
}

/** A suspended project is resumed once paid (the same request again is the same resumption). */
async function resumeIfSuspended(caller: Caller, project: Project, reference: string) {
  if (project.status !== 'suspended') return { resume: null, resumeProblem: null };
  try {
    const resume = await requestLifecycleAction(caller, project.id, 'resume', {
      reason: `Invoice ${reference} paid`,
    });
    return { resume, resumeProblem: null };
  } catch (err) {
    // E.g. a suspension still under way: the payment stands; sending it again resumes later.
    if (err instanceof ConflictError) {
      return { resume: null, resumeProblem: `${err.message} Send this payment again to resume then.` };
    }
    throw err;
  }
}
