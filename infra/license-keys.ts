import { parseArgs } from 'node:util';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  activateKey,
  addKey,
  generateSigningKey,
  publishedKeys,
  retireKey,
  type SigningKeyRing,
  signingKeyRing,
} from '../shared/licensing/signing-keys.js';

// The operator's tool for the license signing key ring (stack output LicenseKeySecretArn;
// docs/operations.md, docs/decisions/0011-license-signing-keys.md). A new key is generated here and
// goes straight into the secret: it is never printed or written to disk. Prints only kids.
//
//   npm run license-keys -- list     --secret-id <LicenseKeySecretArn>
//   npm run license-keys -- add      --secret-id <arn>   # the first key signs at once; later ones are only published
//   npm run license-keys -- activate --secret-id <arn> --kid <kid>
//   npm run license-keys -- retire   --secret-id <arn> --kid <kid>

const usage =
  'usage: npm run license-keys -- list|add|activate|retire --secret-id <LicenseKeySecretArn> [--kid <kid>]';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'secret-id': { type: 'string' }, kid: { type: 'string' } },
});
const [command] = positionals;
const secretId = values['secret-id'];
if (!secretId || !['list', 'add', 'activate', 'retire'].includes(command ?? '')) {
  console.error(usage);
  process.exit(2);
}
const kid = (): string => {
  if (!values.kid) {
    console.error(`${command} needs --kid\n${usage}`);
    process.exit(2);
  }
  return values.kid;
};

const client = new SecretsManagerClient({});
const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
let ring: SigningKeyRing = signingKeyRing.parse(JSON.parse(out.SecretString ?? '{"keys":[]}'));
publishedKeys(ring); // every stored key must parse and match its kid before anything changes

if (command === 'add') ring = addKey(ring, generateSigningKey(new Date()));
if (command === 'activate') ring = activateKey(ring, kid());
if (command === 'retire') ring = retireKey(ring, kid());
if (command !== 'list') {
  await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(ring) }));
}
for (const k of ring.keys)
  console.log(`${k.kid}  created ${k.createdAt}${k.kid === ring.current ? '  (signs)' : ''}`);
if (ring.keys.length === 0) console.log('no keys: license tokens answer 503 until "add"');
