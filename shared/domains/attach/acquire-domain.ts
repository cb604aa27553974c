import * as z from 'zod';
import { inwx } from '../../integrations/inwx/from-secret.js';
import type { InwxContactInput } from '../../integrations/inwx/inwx-client.js';
import { decryptAuthCode } from '../../integrations/kms/auth-code-cipher.js';
import { defineConfig } from '../../platform/config.js';
import { DomainRefusedError, ExternalServiceError } from '../../platform/errors.js';
import { updateDomain } from '../../projects/domains-table.js';
import type { Contact } from '../schemas.js';
import { type AttachInput, requireDomain, shown } from './attach-input.js';

// Task AcquireDomain (attach-domain flow): gets the domain into our INWX account — registers it
// (the customer as registrant, our handles as admin/tech/billing), starts its transfer with the
// stored auth code, or checks that an owned domain is ours. A re-run finds what the first run did
// (INWX's own records) and never registers, transfers or creates a contact twice.

/** Our admin, tech and billing contact handles at INWX (one, or three comma-separated). */
const config = defineConfig(
  'INWX contacts',
  z.object({
    INWX_CONTACT_HANDLES: z.string().regex(/^(\d+(,\d+){0,2})?$/, 'must be 1 or 3 INWX contact ids'),
  }),
);

export type RegistryWait = 'registration' | 'transfer' | 'none';

export async function acquireDomain({ projectId, domain }: AttachInput) {
  const d = await requireDomain(projectId, domain);
  const client = await inwx();
  const done = (wait: RegistryWait) => ({ projectId, domain, wait });
  if (d.status === 'active') return done('none');

  if (d.type === 'owned') {
    const info = await client.domainInfo(domain);
    if (info?.status !== 'OK') {
      throw new DomainRefusedError(
        'NotInAccount',
        `${shown(d)} is not in our domain account; order a transfer or a registration instead.`,
      );
    }
    await updateDomain(projectId, domain, { fields: { inwxDomainId: info.roId, expiresAt: info.expiresAt } });
    return done('none');
  }

  if (d.type === 'registered') {
    const ours = await client.domainInfo(domain);
    if (!ours) {
      const { available } = await client.checkDomain(domain);
      if (!available) {
        throw new DomainRefusedError(
          'Unavailable',
          `${shown(d)} was registered by someone else before we could; please choose another domain.`,
        );
      }
    }
    if (!d.registrant) throw new ExternalServiceError('inwx', `${domain}: no registrant stored`, false);
    const registrant = d.registrantHandle ?? (await client.ensureContact(inwxContact(d.registrant)));
    if (d.registrantHandle === undefined) {
      await updateDomain(projectId, domain, { fields: { registrantHandle: registrant } });
    }
    const [admin, tech = admin, billing = admin] = config().INWX_CONTACT_HANDLES.split(',').map(Number) as [
      number,
      ...number[],
    ];
    // createDomain answers a re-run (2302, but the domain is ours) with the order already placed.
    const order = await client
      .createDomain({ domain, period: '1Y', registrant, admin, tech, billing })
      .catch((err: unknown) => {
        throw refused(
          err,
          [OBJECT_EXISTS],
          'Unavailable',
          `${shown(d)} was registered by someone else before we could; please choose another domain.`,
        );
      });
    await updateDomain(projectId, domain, {
      fields: { inwxDomainId: order.roId },
      log: {
        action: 'domain_registration_started',
        message: `Registration of ${shown(d)} ordered at INWX${order.pending ? '; waiting for the registry' : ''}`,
        externalService: 'inwx',
        externalId: String(order.roId),
      },
    });
    return done(order.pending ? 'registration' : 'none');
  }

  // transferred
  if (!d.authCodeCiphertext) throw new ExternalServiceError('inwx', `${domain}: no auth code stored`, false);
  const authCode = await decryptAuthCode(d.authCodeCiphertext, { projectId, domain });
  const order = await client.transferDomain({ domain, authCode }).catch((err: unknown) => {
    throw refused(
      err,
      TRANSFER_REFUSED,
      'TransferRefused',
      `The transfer of ${shown(d)} was refused. Please check the auth code with your current registrar (and that the domain is unlocked there), then enter it again.`,
    );
  });
  await updateDomain(projectId, domain, {
    fields: { inwxDomainId: order.roId },
    log: {
      action: 'domain_transfer_started',
      message: `Transfer of ${shown(d)} requested at INWX; the current registrar and holder may take up to five days`,
      externalService: 'inwx',
      externalId: String(order.roId),
    },
  });
  return done(order.pending ? 'transfer' : 'none');
}

const OBJECT_EXISTS = 2302;
/** 2202 invalid authorization (auth code), 2106 not eligible for transfer, 2304 status prohibits it. */
const TRANSFER_REFUSED = [2202, 2106, 2304, 2303];

/** A permanent INWX answer with one of `codes` is the customer's outcome; anything else stays a fault. */
function refused(
  err: unknown,
  codes: number[],
  outcome: DomainRefusedError['outcome'],
  message: string,
): unknown {
  if (err instanceof ExternalServiceError && !err.transient && codes.includes(Number(err.code))) {
    return new DomainRefusedError(outcome, message);
  }
  return err;
}

function inwxContact(c: Contact): InwxContactInput {
  return {
    type: c.organization ? 'ORG' : 'PERSON',
    name: `${c.firstName} ${c.lastName}`,
    org: c.organization,
    street: c.street,
    city: c.city,
    postalCode: c.postalCode,
    countryCode: c.countryCode,
    email: c.email,
    phone: c.phone,
  };
}
