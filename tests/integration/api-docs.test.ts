import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { startTestStack } from './support/api.js';

// The API reference at GET /v1/docs, as a person sees it: headless Chromium (Debian's package,
// installed by .ci/run) loads the page from the local stack, Swagger UI renders /v1/openapi.json,
// and the routes are listed — with no network beyond this machine.

const CHROMIUM = '/usr/bin/chromium';
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`).toBe(true);
  stack = await startTestStack({ jobIntervalMs: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('GET /v1/docs', () => {
  it('renders the interactive reference with every route of the OpenAPI document', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    const res = await page.goto(`${stack.url}/v1/docs`);
    expect(res?.status()).toBe(200);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    const listed = await page.$$eval('.opblock-summary-path', (els) =>
      els.map((e) => e.getAttribute('data-path') ?? e.textContent ?? ''),
    );
    const doc = (await (await fetch(`${stack.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, object>;
    };
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(listed).toHaveLength(operations);
    expect(listed).toEqual(
      expect.arrayContaining(['/v1/projects', '/v1/webhooks/stripe', '/v1/admin/projects/{id}/suspend']),
    );
    expect(await page.title()).toBe('VRS Marketplace API');
    expect(failed).toEqual([]);
  });

  it('serves its files compressed when the client takes it, and nothing else', async () => {
    const gz = await fetch(`${stack.url}/v1/docs/swagger-ui-bundle.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.status).toBe(200);
    expect(gz.headers.get('content-type')).toMatch(/javascript/);
    expect((await gz.text()).length).toBeGreaterThan(1_000_000);
    expect((await fetch(`${stack.url}/v1/docs/secrets.js`)).status).toBe(404);
    expect((await fetch(`${stack.url}/v1/docs/..%2Fpackage.json`)).status).toBe(400);
  });
});
