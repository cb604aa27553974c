import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
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

/** Writes the domains that changed and deletes those no longer in the account (25 per batch). */
export async function storeAccountDomains(changed: AccountDomain[], gone: string[]): Promise<void> {
  const requests = [
    ...changed.map((d) => ({
      PutRequest: {
        Item: { ...key(d.domain), gsi1pk: 'ACCOUNTDOMAINS', gsi1sk: d.domain, entity: 'AccountDomain', ...d },
      },
    })),
    ...gone.map((domain) => ({ DeleteRequest: { Key: key(domain) } })),
  ];
  for (let i = 0; i < requests.length; i += 25) {
    let batch: Record<string, unknown>[] | undefined = requests.slice(i, i + 25);
    for (let attempt = 0; batch?.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      if (attempt === 5) throw new Error(`DynamoDB left ${batch.length} account domains unwritten`);
      const out = await db().send(new BatchWriteCommand({ RequestItems: { [table()]: batch as never } }));
      batch = out.UnprocessedItems?.[table()] as Record<string, unknown>[] | undefined;
    }
  }
}
