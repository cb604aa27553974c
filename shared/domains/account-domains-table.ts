import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, fromItem, queryAll, table } from '../platform/table/db.js';

// Our INWX account's domain list, as the domain-sync job last saw it: an order for a domain we
// already hold checks it here, without a call to INWX (and without the XML-RPC stack in the
// ordering function's bundle).
// Access patterns (keys):
//   a domain of our account     pk=ACCOUNTDOMAIN#<fqdn>  sk=ACCOUNTDOMAIN
//   all of them (domain-sync)   GSI1 gsi1pk=ACCOUNTDOMAINS  gsi1sk=<fqdn>

export interface AccountDomain {
  /** Punycode. */
  domain: string;
  /** INWX's status: `OK` when active. */
  status: string;
  roId: number;
  expiresAt: string | null;
  syncedAt: string;
}

const key = (domain: string) => ({ pk: `ACCOUNTDOMAIN#${domain}`, sk: 'ACCOUNTDOMAIN' });

export async function getAccountDomain(domain: string): Promise<AccountDomain | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: key(domain) }));
  return out.Item ? fromItem<AccountDomain>(out.Item) : undefined;
}

export const listAccountDomains = () =>
  queryAll<AccountDomain>({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': 'ACCOUNTDOMAINS' },
  });

/**
 * Writes the domains that changed and deletes those no longer in the account, ten at a time. One
 * item per request: no function may write in batches (infra: least privilege), and after the first
 * run only the few domains that changed are written.
 */
export async function storeAccountDomains(changed: AccountDomain[], gone: string[]): Promise<void> {
  const writes = [
    ...changed.map(
      (d) => () =>
        db().send(
          new PutCommand({
            TableName: table(),
            Item: {
              ...key(d.domain),
              gsi1pk: 'ACCOUNTDOMAINS',
              gsi1sk: d.domain,
              entity: 'AccountDomain',
              ...d,
            },
          }),
        ),
    ),
    ...gone.map((domain) => () => db().send(new DeleteCommand({ TableName: table(), Key: key(domain) }))),
  ];
  for (let i = 0; i < writes.length; i += 10) await Promise.all(writes.slice(i, i + 10).map((w) => w()));
}
