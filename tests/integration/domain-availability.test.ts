import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { api, startTestStack } from './support/api.js';

// A customer asks whether a domain can be had and what it costs; staff keep the TLD price table.

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let staffToken: string;

beforeAll(async () => {
  stack = await startTestStack();
  ({ call } = api(stack));
  // Prices are an admin setting (staff read them: tests/integration/servers-admin.test.ts).
  staffToken = await stack.token('prices@vrs.gmbh', 'admin');
});
afterAll(async () => {
  await stack?.stop();
});

type Availability = {
  domain: string;
  asciiDomain: string;
  available: boolean;
  priceCents: number | null;
  transferPriceCents: number | null;
};
type Problem = { detail: string; errors: { path: string; message: string }[] };
const check = (domain: string) =>
  call<Availability & Problem>('GET', `/v1/domains/availability?domain=${encodeURIComponent(domain)}`);

describe('domain availability', () => {
  it('answers a free domain with our price to register it, a taken one with our transfer price', async () => {
    expect((await check('neue-firma.de')).body).toEqual({
      domain: 'neue-firma.de',
      asciiDomain: 'neue-firma.de',
      available: true,
      priceCents: 1200,
      transferPriceCents: null,
    });
    expect((await check('taken-firma.com')).body).toMatchObject({
      available: false,
      priceCents: null,
      transferPriceCents: 1800,
    });
  });

  it('logs in at INWX once per request and closes the session at its end (INWX limits sessions)', async () => {
    const before = stack.inwx.stats();
    await check('zwei-anfragen.de');
    await check('zwei-anfragen.com');
    const after = stack.inwx.stats();
    expect(after.logins - before.logins).toBe(2);
    expect((after.calls['account.logout'] ?? 0) - (before.calls['account.logout'] ?? 0)).toBe(2);
  });

  it('accepts an IDN in Unicode or punycode and answers in both forms', async () => {
    const unicode = await check('Müller-Bäckerei.de');
    expect(unicode.status).toBe(200);
    expect(unicode.body).toMatchObject({
      domain: 'müller-bäckerei.de',
      asciiDomain: 'xn--mller-bckerei-hfb76a.de',
      available: true,
    });
    expect((await check('xn--mller-bckerei-hfb76a.de')).body.domain).toBe('müller-bäckerei.de');
  });

  it('refuses a TLD we do not sell, and names that are too long, with a 400 naming the domain', async () => {
    for (const [domain, message] of [
      ['example.museum', /not a TLD we sell/],
      [`${'a'.repeat(64)}.de`, /longer than 63/],
      [`${'abcdefghi.'.repeat(26)}de`, /at most 253/],
      ['ex_ample.de', /letters, digits and hyphens/],
    ] as const) {
      const res = await check(domain);
      expect(res.status, domain).toBe(400);
      expect(res.body.errors, domain).toEqual([{ path: 'domain', message: expect.stringMatching(message) }]);
    }
  });
});

describe('the TLD price table', () => {
  it('is kept by staff: a new price is quoted at once, and an inactive TLD is no longer sold', async () => {
    const list = await call<{ items: { tld: string; registerCents: number }[] }>(
      'GET',
      '/v1/admin/tld-prices',
      {
        token: staffToken,
      },
    );
    expect(list.status).toBe(200);
    expect(list.body.items.find((p) => p.tld === 'de')?.registerCents).toBe(1200);

    const put = await call('PUT', '/v1/admin/tld-prices/.IO', {
      token: staffToken,
      body: { registerCents: 4500, renewCents: 4500, transferCents: 4000 },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      tld: 'io',
      registerCents: 4500,
      isActive: true,
      updatedBy: 'prices@vrs.gmbh',
    });
    expect((await check('neu.io')).body.priceCents).toBe(4500);

    await call('PUT', '/v1/admin/tld-prices/io', {
      token: staffToken,
      body: { registerCents: 4500, renewCents: 4500, transferCents: 4000, isActive: false },
    });
    expect((await check('neu.io')).status).toBe(400);
  });

  it('is refused to customers (403), and a bad price names every invalid field (400)', async () => {
    const customer = await stack.token('kunde@example.com', 'customer');
    const refused = await call('PUT', '/v1/admin/tld-prices/de', {
      token: customer,
      body: { registerCents: 1, renewCents: 1, transferCents: 1 },
    });
    expect(refused.status).toBe(403);
    const bad = await call<Problem>('PUT', '/v1/admin/tld-prices/d_e', {
      token: staffToken,
      body: { registerCents: -1, renewCents: 1.5 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.path).sort()).toEqual(
      ['registerCents', 'renewCents', 'tld', 'transferCents'].sort(),
    );
    const de = await call<{ items: { tld: string; registerCents: number }[] }>(
      'GET',
      '/v1/admin/tld-prices',
      {
        token: staffToken,
      },
    );
    expect(de.body.items.find((p) => p.tld === 'de')?.registerCents).toBe(1200);
  });
});
