import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, failedConditions, fromItem, queryAll, table } from '../platform/table/db.js';
import {
  domainItem,
  listDomains,
  logItem,
  type ProjectDomain,
  type ProvisioningLogEntry,
  projectKeys,
  setClause,
} from './projects-table.js';
import type { DomainStatus } from './schemas.js';

// A project's domains after the order: status changes with their log entry (one transaction), the
// registry wait the domain-sync job completes, and the switch of the primary domain.
// Access patterns (keys, besides projects-table.ts):
//   domains waiting for the registry  GSI2 gsi2pk=REGISTRYWAIT  gsi2sk=<projectId>#<domain>  (sparse)
//   custom domains in a status        GSI1 gsi1pk=DOMAINSTATUS#<status>  gsi1sk=<domain>  (sparse:
//                                     not technical subdomains; written with every status change)

const REGISTRY_WAIT = 'REGISTRYWAIT';

export type DomainFields = Partial<
  Omit<ProjectDomain, 'projectId' | 'domain' | 'type' | 'status' | 'createdAt' | 'updatedAt'>
>;
export type DomainLog = Omit<ProvisioningLogEntry, 'projectId' | 'createdAt' | 'triggeredBy'> & {
  triggeredBy?: string;
};

export async function getDomain(projectId: string, domain: string): Promise<ProjectDomain | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: table(), Key: projectKeys.domain(projectId, domain), ConsistentRead: true }),
  );
  return out.Item ? fromItem<ProjectDomain>(out.Item) : undefined;
}

/**
 * Sets fields of a domain and, with `status`, moves it there from one of `from` (a condition, so
 * an outdated step cannot undo a later one); the log entry is written in the same transaction.
 * False when the domain was not in one of `from`. Statuses set here are custom domains' (the
 * technical subdomain's is setDomainStatus's), so the status index entry moves with them.
 */
export async function updateDomain(
  projectId: string,
  domain: string,
  change: { fields?: DomainFields; status?: DomainStatus; from?: readonly DomainStatus[]; log?: DomainLog },
): Promise<boolean> {
  const now = new Date().toISOString();
  const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':now': now };
  const { parts, removes } = setClause(
    {
      ...(change.fields ?? {}),
      ...(change.status
        ? { status: change.status, ...projectKeys.domainStatusIndex(change.status, domain) }
        : {}),
    },
    names,
    values,
  );
  let condition = 'attribute_exists(pk)';
  if (change.from) {
    names['#st'] = 'status';
    change.from.forEach((s, i) => {
      values[`:from${i}`] = s;
    });
    condition += ` AND #st IN (${change.from.map((_, i) => `:from${i}`).join(', ')})`;
  }
  const update = {
    TableName: table(),
    Key: projectKeys.domain(projectId, domain),
    UpdateExpression: `SET ${[...parts, '#updatedAt = :now'].join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
  const log = change.log && {
    Put: {
      TableName: table(),
      Item: logItem({ triggeredBy: 'system', ...change.log, projectId, createdAt: now }),
    },
  };
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...(log ? [log] : [])] }));
    return true;
  } catch (err) {
    if (failedConditions(err).includes(0)) return false;
    throw err;
  }
}

/** The flow waits for the registry with this token; the domain-sync job finds the domain by it. */
export async function recordRegistryWait(
  projectId: string,
  domain: string,
  taskToken: string,
): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: projectKeys.domain(projectId, domain),
      UpdateExpression: 'SET registryTaskToken = :t, gsi2pk = :wait, gsi2sk = :sk, updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: {
        ':t': taskToken,
        ':wait': REGISTRY_WAIT,
        ':sk': `${projectId}#${domain}`,
        ':now': new Date().toISOString(),
      },
    }),
  );
}

export async function clearRegistryWait(projectId: string, domain: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: projectKeys.domain(projectId, domain),
      UpdateExpression: 'REMOVE registryTaskToken, gsi2pk, gsi2sk',
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
}

/** Every domain whose attach flow waits for the registry (registration or transfer in progress). */
export const listDomainsWaitingForRegistry = () =>
  queryAll<ProjectDomain>({
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :p',
    ExpressionAttributeValues: { ':p': REGISTRY_WAIT },
  });

/** Every custom domain in a status, of every project (jobs: pending ones, active ones). */
export const listCustomDomainsInStatus = (status: DomainStatus) =>
  queryAll<ProjectDomain>({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': projectKeys.domainStatusIndex(status, '').gsi1pk },
  });

/**
 * Makes an active domain the primary one; the others stay as aliases. One transaction, on
 * condition that the new primary is active (a failed or pending domain never becomes primary).
 * With `activate`, a domain in `pending_dns` turns active in the same transaction (its status index
 * entry with it), so nobody sees it live but not yet primary.
 */
export async function makePrimary(
  projectId: string,
  domain: string,
  log: DomainLog,
  opts: { activate?: boolean } = {},
): Promise<boolean> {
  const now = new Date().toISOString();
  const domains = await listDomains(projectId);
  const items = domains
    .filter((d) => d.domain === domain || d.isPrimary)
    .map((d) => {
      const target = d.domain === domain;
      return {
        Update: {
          TableName: table(),
          Key: projectKeys.domain(projectId, d.domain),
          UpdateExpression: `SET isPrimary = :p, updatedAt = :now${target && opts.activate ? ', #st = :active, gsi1pk = :index, gsi1sk = :domain' : ''}`,
          ConditionExpression: target
            ? opts.activate
              ? '#st IN (:active, :pending)'
              : '#st = :active'
            : 'attribute_exists(pk)',
          ...(target ? { ExpressionAttributeNames: { '#st': 'status' } } : {}),
          ExpressionAttributeValues: {
            ':p': target,
            ':now': now,
            ...(target ? { ':active': 'active' } : {}),
            ...(target && opts.activate
              ? {
                  ':pending': 'pending_dns',
                  ':index': projectKeys.domainStatusIndex('active', domain).gsi1pk,
                  ':domain': domain,
                }
              : {}),
          },
        },
      };
    });
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          ...items,
          {
            Put: {
              TableName: table(),
              Item: logItem({ triggeredBy: 'system', ...log, projectId, createdAt: now }),
            },
          },
        ],
      }),
    );
    return true;
  } catch (err) {
    if (failedConditions(err).length > 0) return false;
    throw err;
  }
}

/** Adds a custom domain to a project: the domain, its uniqueness marker and a log entry, at once. */
export async function addDomainToProject(item: ProjectDomain, log: DomainLog): Promise<'added' | 'taken'> {
  const T = table();
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: T,
              Item: {
                ...projectKeys.domainMarker(item.domain),
                entity: 'DomainMarker',
                projectId: item.projectId,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: T,
              Item: domainItem(item),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: T,
              Item: logItem({
                triggeredBy: 'system',
                ...log,
                projectId: item.projectId,
                createdAt: item.createdAt,
              }),
            },
          },
        ],
      }),
    );
    return 'added';
  } catch (err) {
    if (failedConditions(err).length > 0) return 'taken';
    throw err;
  }
}
