import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { seedCatalog } from './seed-catalog.js';

// Loads the catalog (project types, plugins with their ZIPs, prices, bundles, base domain) into a
// deployed stack, and the Coolify servers from a JSON file. Idempotent: the catalog is overwritten,
// servers are only created when missing (their project counts are never reset).
//
//   npx tsx infra/seed/seed-aws.ts --table <TableName> --bucket <PluginBucketName> --servers servers.json
//
// servers.json: [{ "id": "srv-fsn1-01", "name": "fsn1-01", "coolifyUuid": "<uuid in Coolify>",
//                  "ipAddress": "203.0.113.10", "maxProjects": 20 }, ...]

const serverFile = z.array(
  z.object({
    id: z.string().regex(/^[a-z0-9-]{3,40}$/),
    name: z.string().min(1),
    coolifyUuid: z.string().min(1),
    ipAddress: z.union([z.ipv4(), z.ipv6()]),
    maxProjects: z.number().int().positive().default(20),
    sshPort: z.number().int().default(22),
    hetznerServerType: z.string().optional(),
    hetznerLocation: z.string().optional(),
  }),
);

const { values } = parseArgs({
  options: { table: { type: 'string' }, bucket: { type: 'string' }, servers: { type: 'string' } },
});
if (!values.table || !values.bucket || !values.servers) {
  console.error(
    'usage: npx tsx infra/seed/seed-aws.ts --table <TableName> --bucket <PluginBucketName> --servers servers.json',
  );
  process.exit(2);
}
const now = new Date().toISOString();
const servers = serverFile.parse(JSON.parse(readFileSync(values.servers, 'utf8'))).map((s) => ({
  ...s,
  status: 'active' as const,
  isAcceptingNew: true,
  projectCount: 0,
  createdAt: now,
  updatedAt: now,
}));

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const s3 = new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
await seedCatalog({ doc, table: values.table, s3, bucket: values.bucket, servers });
console.log(
  `Catalog and ${servers.length} servers written to ${values.table}; plugin ZIPs in s3://${values.bucket}/plugins/`,
);
