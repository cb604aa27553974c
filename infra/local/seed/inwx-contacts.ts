import { InwxClient } from '../../../shared/integrations/inwx/inwx-client.js';

// Our own contact at the INWX simulator: the admin, tech and billing handle of every domain the
// local stack registers (on AWS, operators create it once and set context inwxContactHandles).
// Looked up first, so a restart reuses it.

export async function seedOurInwxContact(inwxUrl: string): Promise<string> {
  const client = new InwxClient({
    url: inwxUrl,
    user: 'vrs-local',
    pass: 'local-password',
    timeoutMs: 5_000,
  });
  try {
    const handle = await client.ensureContact({
      type: 'ORG',
      name: 'Domain Administration',
      org: 'VRS GmbH',
      street: 'Musterstraße 1',
      city: 'Berlin',
      postalCode: '10115',
      countryCode: 'DE',
      email: 'domains@vrs.gmbh',
      phone: '+49 30 1234567',
    });
    return String(handle);
  } finally {
    await client.logout();
  }
}
