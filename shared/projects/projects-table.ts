import { randomUUID } from 'node:crypto';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BillingCycle } from '../catalog/pricing.js';
import type { Contact } from '../domains/schemas.js';
import type { LicenseStatus } from '../licensing/license.js';
import { ConflictError } from '../platform/errors.js';
import {
  db,
  failedConditions,
  fromItem,
  isConditionFailure,
  type QueryInput,
  queryAll,
  table,
} from '../platform/table/db.js';
import { isCustomDomain } from './domain-status.js';
import { allowedPredecessors, type InProgressStatus, type ProjectStatus } from './project-status.js';
import type { DomainStatus, DomainType, PaymentMethod } from './schemas.js';

// A project and what belongs to it live in one item collection (pk=PROJECT#<id>).
// Access patterns (keys):
//   get project                        pk=PROJECT#<id>  sk=PROJECT
//   domains of a project               pk=PROJECT#<id>  sk begins_with DOMAIN#
//   licenses of a project              pk=PROJECT#<id>  sk begins_with LICENSE#
//   license history                    pk=PROJECT#<id>  sk begins_with LICENSEHIST#<plugin>#
//   provisioning log, newest first     pk=PROJECT#<id>  sk begins_with LOG#  (ScanIndexForward=false)
//   projects of an owner [in a status] GSI1 gsi1pk=OWNER#<email>   gsi1sk=<createdAt>  [filter status]
//   projects in a status               GSI2 gsi2pk=STATUS#<status> gsi2sk=<createdAt>
//   projects a reseller ordered        pk=RESELLER#<email>  sk=<createdAt>#<projectId>  (links, with the order)
//   project of a domain (uniqueness)   pk=DOMAIN#<fqdn>  sk=DOMAIN   (marker)
//   custom domains in a status         GSI1 gsi1pk=DOMAINSTATUS#<status>  gsi1sk=<fqdn>  (domains-table.ts)
//   slug uniqueness                    pk=SLUG#<slug>    sk=SLUG     (marker)
//   project of an imported Coolify app pk=COOLIFYAPP#<uuid> sk=COOLIFYAPP (marker; import only)

export interface Project {
  id: string;
  name: string;
  slug: string;
  projectType: string;
  bundle?: string;
  status: ProjectStatus;
  /** The in-progress status a failed execution left; a redrive returns the project there. */
  statusBeforeError?: InProgressStatus;
  paymentMethod: PaymentMethod;
  billingEmail: string;
  ownerEmail: string;
  /** The reseller who ordered it for its owner: it sees and manages the project like the owner. */
  resellerEmail?: string;
  locale: 'de' | 'en';
  isDemo: boolean;
  /** A demo's source project (its plugins were licensed for the demo too). */
  clonedFromProjectId?: string;
  /** A takeover by card awaiting its payment. */
  pendingTakeover?: PendingTakeover;
  /** When a customer took the demo over, and from whom (the demo's owner before). */
  takenOverAt?: string;
  previousOwnerEmail?: string;
  /** Our own internal project: offered alpha and beta plugin versions too (staff set it). */
  isSuperadmin?: boolean;
  previewProtection: boolean;
  provisioningStartedAt?: string;
  provisioningCompletedAt?: string;
  provisioningError?: string;
  provisioningRetryCount: number;
  serverId?: string;
  /** Staff placed the order on this server (ReserveServer takes a slot there or fails). */
  requestedServerId?: string;
  coolifyProjectUuid?: string;
  /** Set before creating the Coolify project: a run that finds it but no uuid looks it up by name. */
  coolifyProjectCreateStartedAt?: string;
  coolifyEnvironmentUuid?: string;
  coolifyAppUuid?: string;
  /** Set before creating the Coolify application: a run that finds it but no uuid looks it up by tag. */
  coolifyAppCreateStartedAt?: string;
  coolifyDeploymentUuid?: string;
  /** Execution attempt (ARN + redrive count) in which a vanished deployment was queued again. */
  deploymentRequeuedFor?: string;
  apiKeyHash?: string;
  /** A key being written to Coolify: accepted already, becomes apiKeyHash once Coolify holds it. */
  pendingApiKeyHash?: string;
  /** The execution currently responsible for the project (the one a retry redrives). */
  executionArn?: string;
  /** Stripe: the customer, the Checkout Session the order is paid through, and the subscription. */
  stripeCustomerId?: string;
  stripeCheckoutSessionId?: string;
  stripeSubscriptionId?: string;
  /** The end of the trial the project was bought with (its licenses were in `trial` until then). */
  trialEndsAt?: string;
  /** What a `pending_payment` order will license once paid (licenses are created at payment). */
  orderLines?: OrderLine[];
  /** Sequence of the last status event applied for executionArn (shared/provisioning/execution-attempts.ts). */
  lastEventSeq?: number;
  welcomeMailSentAt?: string;
  /** Lifecycle executions (suspend, resume, archive) requested so far: the newest one's number. */
  lifecycleRuns?: number;
  /** The lifecycle action staff asked for and its execution, until that execution has finished. */
  lifecycleRequest?: LifecycleRequest;
  /** The lifecycle execution that finished last. */
  lastLifecycle?: { action: LifecycleAction; executionArn: string; completedAt: string };
  /** Why the project is suspended (staff's words; the owner was told). */
  suspensionReason?: string;
  suspendedAt?: string;
  suspendedBy?: string;
  /** The licenses the suspension suspended, with the status each had: a resume restores exactly these. */
  suspendedLicenses?: Record<string, 'active' | 'trial'>;
  archiveReason?: string;
  archivedAt?: string;
  archivedBy?: string;
  /** Custom domains staff kept when archiving: they stay ours (and renew) and keep their status. */
  keptDomains?: string[];
  /** When the archive deleted the Coolify application (its uuid stays for the record). */
  coolifyAppDeletedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export type LifecycleAction = 'suspend' | 'resume' | 'archive' | 'takeover';

/** A lifecycle action staff asked for (shared/lifecycle): its execution reads what to do from here. */
export interface LifecycleRequest {
  action: LifecycleAction;
  /** The project's lifecycle run number of this request (in the execution name). */
  run: number;
  /** The execution carrying it out: its tasks act only while this is their execution. */
  executionArn: string;
  reason?: string;
  requestedBy: string;
  requestedAt: string;
  /** Archive: custom domains (punycode) to keep in our account and not set to expire. */
  keepDomains?: string[];
  /** Resume: the Coolify deployment that starts the application. */
  startDeploymentUuid?: string;
  /** When the owner was told (NotifyOwner sends once). */
  ownerMailedAt?: string;
  /** Takeover: the new owner's terms (shared/takeover/). */
  takeover?: TakeoverTerms;
}

/** Who takes a demo project over and how it is paid for from then on. */
export interface TakeoverTerms {
  ownerEmail: string;
  billingEmail: string;
  paymentMethod: PaymentMethod;
  locale: 'de' | 'en';
  /** The customer's own domain, prepared as the item to add (a transfer's auth code encrypted). */
  domain?: ProjectDomain;
  /** Card payments: what Stripe Checkout settled (the takeover starts once it is paid). */
  stripe?: { customerId: string; sessionId: string; subscriptionId?: string };
}

/** A takeover by card, waiting for its Checkout Session to be paid (cleared when it expires). */
export interface PendingTakeover {
  terms: TakeoverTerms;
  sessionId: string;
  customerId: string;
  checkoutUrl: string;
  requestedBy: string;
  requestedAt: string;
}

export interface ProjectDomain {
  projectId: string;
  /** In punycode: the key of the domain everywhere (INWX, DNS, Coolify, markers). */
  domain: string;
  /** As people read it, for IDNs; absent when the same as `domain`. */
  unicode?: string;
  type: DomainType;
  status: DomainStatus;
  isPrimary: boolean;
  baseDomain?: string;
  subdomain?: string;
  /** INWX record ids by purpose, e.g. { a: 123, www: 456 }. */
  inwxRecordIds: Record<string, number>;
  /** A custom domain becomes the primary one once attached (the order's own domain does). */
  wantsPrimary?: boolean;
  /** The registrant of a domain we register (the customer). */
  registrant?: Contact;
  /** The KMS ciphertext of a transfer's auth code (shared/integrations/kms/auth-code-cipher.ts). */
  authCodeCiphertext?: string;
  /** Our yearly price for this domain when ordered (register or transfer), cents. */
  priceCents?: number;
  /** INWX ids once we have them: the domain object (roId), the zone, the registrant handle. */
  inwxDomainId?: number;
  inwxZoneId?: number;
  registrantHandle?: number;
  /** The attach-domain attempt; a new auth code starts the next one. */
  attachAttempt?: number;
  /** When the owner was told the domain is live (sent once). */
  liveMailSentAt?: string;
  /** The redeploy that puts this domain on the Coolify application. */
  coolifyDeploymentUuid?: string;
  /** The task token the attach flow waits with while the registry works (domain-sync completes it). */
  registryTaskToken?: string;
  /** The ended attach execution the reconcile job told staff about, while the domain stayed pending. */
  stalledReportedFor?: string;
  /** Why the domain failed, for the customer; staff read the log for details. */
  failureReason?: string | null;
  expiresAt?: string | null;
  renewalMode?: string;
  createdAt: string;
  updatedAt: string;
}

export interface OrderLine {
  plugin: string;
  billingCycle: BillingCycle;
  priceCents: number;
}

export interface License {
  projectId: string;
  plugin: string;
  status: LicenseStatus;
  billingCycle: BillingCycle;
  priceCents: number;
  purchasedAt: string;
  expiresAt: string | null;
}

export interface LicenseHistoryEntry {
  projectId: string;
  plugin: string;
  action: 'created' | 'activated' | 'suspended' | 'extended' | 'expired' | 'cancelled';
  oldStatus: LicenseStatus | null;
  newStatus: LicenseStatus;
  triggeredBy: string;
  /** Why (e.g. the project's suspension reason). */
  reason?: string;
  createdAt: string;
}

export interface ProvisioningLogEntry {
  projectId: string;
  action: string;
  message?: string;
  oldStatus?: string;
  newStatus?: string;
  errorDetails?: string;
  externalService?: string;
  externalId?: string;
  triggeredBy: string;
  createdAt: string;
}

export const projectKeys = {
  project: (id: string) => ({ pk: `PROJECT#${id}`, sk: 'PROJECT' }),
  domain: (id: string, domain: string) => ({ pk: `PROJECT#${id}`, sk: `DOMAIN#${domain}` }),
  license: (id: string, plugin: string) => ({ pk: `PROJECT#${id}`, sk: `LICENSE#${plugin}` }),
  licenseHistory: (id: string, plugin: string, at: string) => ({
    pk: `PROJECT#${id}`,
    sk: `LICENSEHIST#${plugin}#${at}#${randomUUID().slice(0, 8)}`,
  }),
  log: (id: string, at: string) => ({ pk: `PROJECT#${id}`, sk: `LOG#${at}#${randomUUID().slice(0, 8)}` }),
  domainMarker: (domain: string) => ({ pk: `DOMAIN#${domain}`, sk: 'DOMAIN' }),
  slugMarker: (slug: string) => ({ pk: `SLUG#${slug}`, sk: 'SLUG' }),
  coolifyAppMarker: (uuid: string) => ({ pk: `COOLIFYAPP#${uuid}`, sk: 'COOLIFYAPP' }),
  ownerIndex: (email: string, createdAt: string) => ({ gsi1pk: `OWNER#${email}`, gsi1sk: createdAt }),
  statusIndex: (status: ProjectStatus, createdAt: string) => ({
    gsi2pk: `STATUS#${status}`,
    gsi2sk: createdAt,
  }),
  /** Custom domains only (domain-status.ts); every write of such a domain's status sets it too. */
  domainStatusIndex: (status: DomainStatus, domain: string) => ({
    gsi1pk: `DOMAINSTATUS#${status}`,
    gsi1sk: domain,
  }),
};

/** A domain as stored: a custom one with its status index entry. */
export function domainItem(d: ProjectDomain): Record<string, unknown> {
  return {
    ...projectKeys.domain(d.projectId, d.domain),
    ...(isCustomDomain(d) ? projectKeys.domainStatusIndex(d.status, d.domain) : {}),
    entity: 'ProjectDomain',
    ...d,
  };
}

export function projectItem(p: Project): Record<string, unknown> {
  return {
    ...projectKeys.project(p.id),
    ...projectKeys.ownerIndex(p.ownerEmail, p.createdAt),
    ...projectKeys.statusIndex(p.status, p.createdAt),
    entity: 'Project',
    ...p,
  };
}

export function logItem(entry: ProvisioningLogEntry): Record<string, unknown> {
  return { ...projectKeys.log(entry.projectId, entry.createdAt), entity: 'ProvisioningLog', ...entry };
}

export async function getProject(id: string): Promise<Project | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: table(), Key: projectKeys.project(id), ConsistentRead: true }),
  );
  return out.Item ? fromItem<Project>(out.Item) : undefined;
}

function queryCollection<T>(id: string, prefix: string): Promise<T[]> {
  return queryAll<T>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': `PROJECT#${id}`, ':p': prefix },
    ConsistentRead: true,
  });
}

export const listDomains = (projectId: string) => queryCollection<ProjectDomain>(projectId, 'DOMAIN#');
export const listLicenses = (projectId: string) => queryCollection<License>(projectId, 'LICENSE#');

export async function getLicense(projectId: string, plugin: string): Promise<License | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: table(), Key: projectKeys.license(projectId, plugin) }),
  );
  return out.Item ? fromItem<License>(out.Item) : undefined;
}

export async function getPrimaryDomain(projectId: string): Promise<ProjectDomain | undefined> {
  const domains = await listDomains(projectId);
  return domains.find((d) => d.isPrimary) ?? domains[0];
}

/** Project id holding a domain (the uniqueness marker doubles as the lookup). */
export async function findProjectIdByDomain(domain: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: projectKeys.domainMarker(domain) }));
  return out.Item?.projectId as string | undefined;
}

/** Project an imported Coolify application belongs to (the import's marker). */
export async function findProjectIdByCoolifyApp(appUuid: string): Promise<string | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: table(), Key: projectKeys.coolifyAppMarker(appUuid) }),
  );
  return out.Item?.projectId as string | undefined;
}

// The paged lists' queries (the paging itself, with signed cursors, is project-lists.ts: only the
// functions serving those lists load it).
export const pagedQueries = {
  /** The provisioning log, newest first. */
  logs: (projectId: string): QueryInput => ({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':p': 'LOG#' },
    ScanIndexForward: false,
  }),
  /** The owner's projects, newest first; with `status` only those in that status. */
  projectsByOwner: (email: string, status?: ProjectStatus): QueryInput => ({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `OWNER#${email}`, ...(status ? { ':status': status } : {}) },
    // An owner has few projects: filtering them by status in the query is cheap, and the paging
    // keeps reading until the page is full.
    ...(status
      ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
      : {}),
    ScanIndexForward: false,
  }),
  /** The projects a reseller ordered for its customers (links to them), newest first. */
  projectsOfReseller: (email: string): QueryInput => ({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `RESELLER#${email}` },
    ScanIndexForward: false,
  }),
  /** Every project in a status, newest first. */
  projectsByStatus: (status: ProjectStatus): QueryInput => ({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': `STATUS#${status}` },
    ScanIndexForward: false,
  }),
};

/** The link from a reseller to a project it ordered for a customer (written with the order). */
export function resoldProjectItem(resellerEmail: string, project: Pick<Project, 'id' | 'createdAt'>) {
  return {
    pk: `RESELLER#${resellerEmail}`,
    sk: `${project.createdAt}#${project.id}`,
    entity: 'ResoldProject',
    projectId: project.id,
  };
}

/** Every project in a status, for jobs (no client cursor); meant for the few in progress at a time. */
export const listAllProjectsInStatus = (status: ProjectStatus) =>
  queryAll<Project>({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': `STATUS#${status}` },
  });

/**
 * One conditional change of the project item and its log entry, in one transaction (a staff-set
 * flag, a pending takeover): `set` and `remove` name attributes, `condition` may use `#<name>` of
 * them and its own `values`. False when the condition failed (nothing written).
 */
export async function changeProjectWithLog(
  projectId: string,
  change: {
    set?: Record<string, unknown>;
    remove?: string[];
    condition: string;
    names?: Record<string, string>;
    values?: Record<string, unknown>;
  },
  log: Omit<ProvisioningLogEntry, 'projectId' | 'createdAt'>,
): Promise<boolean> {
  const now = new Date().toISOString();
  const names: Record<string, string> = { ...change.names };
  const values: Record<string, unknown> = { ...change.values, ':now': now };
  const sets = Object.entries(change.set ?? {}).map(([k, v]) => {
    names[`#${k}`] = k;
    values[`:set_${k}`] = v;
    return `#${k} = :set_${k}`;
  });
  const removes = (change.remove ?? []).map((k) => {
    names[`#${k}`] = k;
    return `#${k}`;
  });
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: projectKeys.project(projectId),
              UpdateExpression: `SET ${[...sets, 'updatedAt = :now'].join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
              ConditionExpression: change.condition,
              ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
              ExpressionAttributeValues: values,
            },
          },
          {
            Put: {
              TableName: table(),
              Item: logItem({ ...log, projectId, createdAt: now }),
            },
          },
        ],
      }),
    );
    return true;
  } catch (err) {
    if (failedConditions(err).includes(0)) return false;
    throw err;
  }
}

export async function appendLog(
  entry: Omit<ProvisioningLogEntry, 'createdAt' | 'triggeredBy'> & { triggeredBy?: string },
): Promise<void> {
  const full: ProvisioningLogEntry = { triggeredBy: 'system', ...entry, createdAt: new Date().toISOString() };
  await db().send(new PutCommand({ TableName: table(), Item: logItem(full) }));
}

type Settable = Partial<Omit<Project, 'id' | 'status' | 'createdAt' | 'updatedAt'>>;

export function setClause(
  fields: Record<string, unknown>,
  names: Record<string, string>,
  values: Record<string, unknown>,
) {
  const parts: string[] = [];
  const removes: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    names[`#${k}`] = k;
    if (v === undefined) {
      removes.push(`#${k}`);
    } else {
      values[`:${k}`] = v;
      parts.push(`#${k} = :${k}`);
    }
  }
  return { parts, removes };
}

/** The log entry written with a status change (its new status is the transition's). */
export type TransitionLog = Omit<
  ProvisioningLogEntry,
  'projectId' | 'createdAt' | 'triggeredBy' | 'newStatus'
> & {
  triggeredBy?: string;
};

/**
 * Moves a project to `to` and writes its log entry, in one transaction. The condition states the
 * allowed old statuses (default: the transition table's), so an invalid transition is rejected by
 * the database. Already being in `to` is success without a second log entry (tasks run more than
 * once): then `fields` are still set and the answer is false.
 */
export async function transitionProject(
  id: string,
  to: ProjectStatus,
  change: { log: TransitionLog; fields?: Settable; from?: readonly ProjectStatus[] },
): Promise<boolean> {
  const { log, fields = {}, from = allowedPredecessors(to) } = change;
  const now = new Date().toISOString();
  const names: Record<string, string> = {
    '#status': 'status',
    '#updatedAt': 'updatedAt',
    '#gsi2pk': 'gsi2pk',
  };
  const values: Record<string, unknown> = { ':to': to, ':now': now, ':gsi2pk': `STATUS#${to}` };
  const { parts, removes } = setClause(fields, names, values);
  const fromNames = from.map((_, i) => `:from${i}`);
  from.forEach((s, i) => {
    values[`:from${i}`] = s;
  });
  const entry: ProvisioningLogEntry = {
    triggeredBy: 'system',
    ...log,
    projectId: id,
    newStatus: to,
    createdAt: now,
  };
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: projectKeys.project(id),
              UpdateExpression: `SET ${['#status = :to', '#updatedAt = :now', '#gsi2pk = :gsi2pk', ...parts].join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
              ConditionExpression: `attribute_exists(pk) AND #status IN (${fromNames.join(', ')})`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
          { Put: { TableName: table(), Item: logItem(entry) } },
        ],
      }),
    );
    return true;
  } catch (err) {
    if (!failedConditions(err).includes(0)) throw err;
    const current = await getProject(id);
    if (current?.status === to) {
      if (Object.keys(fields).length) await updateProject(id, fields);
      return false;
    }
    throw new ConflictError(
      current
        ? `Project ${id} cannot change from "${current.status}" to "${to}".`
        : `Project ${id} does not exist.`,
    );
  }
}

export type PaidOrderOutcome = 'paid' | 'seen-before' | 'not-awaiting-payment';

/**
 * A paid order, in one transaction: the project goes from `pending_payment` to `pending_domain`
 * (only for the Checkout Session it awaits), its licenses are created with their history, and the
 * log says so — together with `marker`, the caller's once-only item for the payment's event, so a
 * repeated or concurrent delivery changes nothing.
 */
export async function recordPaidOrder(p: {
  projectId: string;
  sessionId: string;
  subscriptionId: string | undefined;
  licenses: License[];
  /** A trial's end (the licenses are in `trial` until then). */
  trialEndsAt?: string;
  /** More items the payment creates (the trial's billing state). */
  extraItems?: Record<string, unknown>[];
  marker: Record<string, unknown>;
  message: string;
}): Promise<PaidOrderOutcome> {
  const now = new Date().toISOString();
  const T = table();
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: T, Item: p.marker, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Update: {
              TableName: T,
              Key: projectKeys.project(p.projectId),
              UpdateExpression:
                'SET #status = :to, gsi2pk = :gsi2pk, updatedAt = :now, provisioningStartedAt = :now' +
                `${p.subscriptionId ? ', stripeSubscriptionId = :sub' : ''}` +
                `${p.trialEndsAt ? ', trialEndsAt = :trial' : ''} REMOVE orderLines`,
              ConditionExpression: '#status = :from AND stripeCheckoutSessionId = :sid',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':to': 'pending_domain',
                ':from': 'pending_payment',
                ':gsi2pk': 'STATUS#pending_domain',
                ':now': now,
                ':sid': p.sessionId,
                ...(p.subscriptionId ? { ':sub': p.subscriptionId } : {}),
                ...(p.trialEndsAt ? { ':trial': p.trialEndsAt } : {}),
              },
            },
          },
          ...newLicenseItems(p.projectId, p.licenses, 'stripe', now),
          ...(p.extraItems ?? []).map((Item) => ({
            Put: { TableName: T, Item, ConditionExpression: 'attribute_not_exists(pk)' },
          })),
          {
            Put: {
              TableName: T,
              Item: logItem({
                projectId: p.projectId,
                action: 'payment_received',
                message: p.message,
                oldStatus: 'pending_payment',
                newStatus: 'pending_domain',
                externalService: 'stripe',
                externalId: p.sessionId,
                triggeredBy: 'stripe',
                createdAt: now,
              }),
            },
          },
        ],
      }),
    );
    return 'paid';
  } catch (err) {
    const failed = failedConditions(err);
    if (failed.includes(0)) return 'seen-before';
    if (failed.includes(1)) return 'not-awaiting-payment';
    throw err;
  }
}

/** Sets fields on an existing project. `onlyIfUnset` makes the first writer win (idempotent tasks). */
export async function updateProject(
  id: string,
  fields: Settable,
  opts: { onlyIfUnset?: keyof Project } = {},
): Promise<boolean> {
  const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':now': new Date().toISOString() };
  const { parts, removes } = setClause(fields, names, values);
  let condition = 'attribute_exists(pk)';
  if (opts.onlyIfUnset) {
    names['#unset'] = opts.onlyIfUnset;
    condition += ' AND attribute_not_exists(#unset)';
  }
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: projectKeys.project(id),
        UpdateExpression: `SET ${['#updatedAt = :now', ...parts].join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (err) {
    if (opts.onlyIfUnset && isConditionFailure(err)) return false;
    throw err;
  }
}

/** Records an INWX record id on the domain item (idempotent: same key, same id). */
export async function setDomainRecordId(
  projectId: string,
  domain: string,
  purpose: string,
  recordId: number,
): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: projectKeys.domain(projectId, domain),
      UpdateExpression: 'SET inwxRecordIds.#p = :id, updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#p': purpose },
      ExpressionAttributeValues: { ':id': recordId, ':now': new Date().toISOString() },
    }),
  );
}

/** Forgets an INWX record id of the domain item (the record is gone at INWX); idempotent. */
export async function removeDomainRecordId(
  projectId: string,
  domain: string,
  purpose: string,
): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: projectKeys.domain(projectId, domain),
      UpdateExpression: 'REMOVE inwxRecordIds.#p SET updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#p': purpose },
      ExpressionAttributeValues: { ':now': new Date().toISOString() },
    }),
  );
}

/** The technical subdomain's status (a custom domain's changes through updateDomain, with its index). */
export async function setDomainStatus(
  projectId: string,
  domain: string,
  status: DomainStatus,
): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: projectKeys.domain(projectId, domain),
      UpdateExpression: 'SET #s = :s, updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status, ':now': new Date().toISOString() },
    }),
  );
}

/** A new license and its first history entry, as transaction items (an order, a paid order). */
export function newLicenseItems(projectId: string, licenses: License[], by: string, at: string) {
  const T = table();
  return licenses.flatMap((l) => [
    { Put: { TableName: T, Item: { ...projectKeys.license(projectId, l.plugin), entity: 'License', ...l } } },
    {
      Put: {
        TableName: T,
        Item: {
          ...projectKeys.licenseHistory(projectId, l.plugin, at),
          entity: 'LicenseHistory',
          projectId,
          plugin: l.plugin,
          action: 'created',
          oldStatus: null,
          newStatus: l.status,
          triggeredBy: by,
          createdAt: at,
        },
      },
    },
  ]);
}

/**
 * How placing an order ended; the markers make a domain and a slug unique. A taken domain names
 * which one (the order's own, or the technical subdomain chosen for it).
 */
export type PlaceOrderOutcome = 'ok' | 'slug-taken' | { domainTaken: string } | { extraFailed: number };

export interface PlaceOrderOptions {
  /** The log entry; by default an order's. */
  log?: { action: string; message: string };
  /** More conditional writes of other entities in the same transaction (e.g. a server slot). */
  extra?: NonNullable<TransactWriteCommandInput['TransactItems']>;
}

/**
 * Everything an order creates, in one transaction: the project, its domain with the domain marker,
 * the slug marker, its licenses with their history, and the log entry.
 */
export async function placeOrder(
  project: Project,
  domains: ProjectDomain[],
  licenses: License[],
  by: string,
  opts: PlaceOrderOptions = {},
): Promise<PlaceOrderOutcome> {
  const T = table();
  const at = project.createdAt;
  const markers = domains.map((domain) => ({
    Put: {
      TableName: T,
      Item: { ...projectKeys.domainMarker(domain.domain), entity: 'DomainMarker', projectId: project.id },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  const items = [
    ...markers,
    { Put: { TableName: T, Item: projectItem(project), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: T,
        Item: { ...projectKeys.slugMarker(project.slug), entity: 'SlugMarker', projectId: project.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...domains.map((domain) => ({ Put: { TableName: T, Item: domainItem(domain) } })),
    ...newLicenseItems(project.id, licenses, by, at),
    ...(project.resellerEmail
      ? [{ Put: { TableName: T, Item: resoldProjectItem(project.resellerEmail, project) } }]
      : []),
    {
      Put: {
        TableName: T,
        Item: logItem({
          projectId: project.id,
          ...(opts.log ?? {
            action: 'order_created',
            message: `Ordered ${domains.map((d) => d.unicode ?? d.domain).join(' + ')} (${licenses.length} plugin licenses), paid by ${project.paymentMethod}`,
          }),
          newStatus: project.status,
          triggeredBy: by,
          createdAt: at,
        }),
      },
    },
  ];
  const extra = opts.extra ?? [];
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [...items, ...extra] }));
    return 'ok';
  } catch (err) {
    const failed = failedConditions(err);
    const taken = domains.find((_, i) => failed.includes(i));
    if (taken) return { domainTaken: taken.domain };
    if (failed.includes(domains.length + 1)) return 'slug-taken';
    const extraFailed = extra.findIndex((_, i) => failed.includes(items.length + i));
    if (extraFailed >= 0) return { extraFailed };
    throw err;
  }
}
