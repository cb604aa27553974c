import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct, Node } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskFunctions } from '../../functions/tasks.js';
import { REPO_ROOT } from '../../infra/constructs/marketplace-function.js';
import {
  apiFunctionNeeds,
  eventFunctionNeeds,
  jobFunctionNeeds,
  taskFunctionNeeds,
} from '../../infra/function-needs.js';
import { createMarketplaceApp } from '../../infra/marketplace-app.js';
import type { MarketplaceStack } from '../../infra/marketplace-stack.js';
import { DEFAULT_SETTINGS, mailAddressOf, settingsFromContext } from '../../infra/settings.js';
import { logicalIdOf, stackTemplates } from './templates.js';

// Deployment settings from CDK context. The synth here skips bundling (context
// aws:cdk:bundling-stacks = []): it checks wiring, not code.

function nodeWith(context: Record<string, unknown>): Node {
  const root = new Construct(undefined as never, '');
  for (const [key, value] of Object.entries(context)) root.node.setContext(key, value);
  return Node.of(root);
}

describe('settingsFromContext', () => {
  it('falls back to the defaults', () => {
    expect(settingsFromContext(nodeWith({}))).toEqual(DEFAULT_SETTINGS);
  });

  it('reads context values and strips a trailing slash from marketplaceUrl', () => {
    const s = settingsFromContext(
      nodeWith({
        mailFrom: 'VRS <noreply@example.org>',
        staffEmail: 'ops@example.org',
        marketplaceUrl: 'https://api.example.org/',
        logRetentionDays: '30',
        apiRateLimit: 10,
        apiBurstLimit: '20',
        webOrigins: 'https://app.example.org/, http://localhost:5173',
        billingGraceDays: '10',
        billingArchiveAfterDays: 60,
        trialReminderDays: '3,1',
      }),
    );
    expect(s).toMatchObject({
      mailFrom: 'VRS <noreply@example.org>',
      staffEmail: 'ops@example.org',
      marketplaceUrl: 'https://api.example.org',
      logRetention: RetentionDays.ONE_MONTH,
      apiThrottle: { rateLimit: 10, burstLimit: 20 },
      webOrigins: ['https://app.example.org', 'http://localhost:5173'],
      billingPolicy: { graceDays: 10, archiveAfterDays: 60, trialReminderDays: [3, 1] },
    });
  });

  it('rejects values that would only fail at run time', () => {
    expect(() => settingsFromContext(nodeWith({ trialReminderDays: '7, eins' }))).toThrow(
      /trialReminderDays/,
    );
    expect(() => settingsFromContext(nodeWith({ healthCheckUrlTemplate: 'https://x/health' }))).toThrow(
      /\{domain\}/,
    );
    expect(() => settingsFromContext(nodeWith({ logRetentionDays: 42 }))).toThrow(/retention/);
    expect(() => settingsFromContext(nodeWith({ apiRateLimit: 'fast' }))).toThrow(/positive number/);
    expect(() => settingsFromContext(nodeWith({ webOrigins: '*' }))).toThrow(/origin/);
  });

  it('finds the bare address for the ses:FromAddress condition', () => {
    expect(mailAddressOf('VRS Marketplace <no-reply@vrs.gmbh>')).toBe('no-reply@vrs.gmbh');
    expect(mailAddressOf(' no-reply@vrs.gmbh ')).toBe('no-reply@vrs.gmbh');
  });
});

describe('a stack with custom settings', () => {
  let outdir: string;
  let stack: MarketplaceStack;
  /** The stack's and its nested stack's resources in one template (./templates.ts). */
  let template: Template;

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'infra-settings-'));
    const created = createMarketplaceApp({
      outdir,
      context: {
        // cdk.json's context as the CLI would pass it (feature flags), then the custom settings.
        ...JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context,
        'aws:cdk:bundling-stacks': [],
        mailFrom: 'VRS Marketplace <mail@example.org>',
        staffEmail: 'ops@example.org',
        marketplaceUrl: 'https://marketplace.example.org',
        healthCheckUrlTemplate: 'https://{domain}/vrs/health',
        apiRateLimit: 5,
        apiBurstLimit: 10,
      },
    });
    stack = created.stack;
    template = stackTemplates(stack).merged;
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const envOf = (key: string) => {
    const id = logicalIdOf(stack.functions.get(key)!.fn);
    return template.toJSON().Resources[id].Properties.Environment.Variables as Record<string, unknown>;
  };

  it('hands satellites the configured marketplace URL and health check template', () => {
    expect(envOf(taskFunctions.CreateCoolifyApplication)).toMatchObject({
      MARKETPLACE_URL: 'https://marketplace.example.org',
      HEALTH_CHECK_URL_TEMPLATE: 'https://{domain}/vrs/health',
    });
  });

  it('sends mail from the configured sender only', () => {
    expect(envOf(taskFunctions.ActivateProject)).toMatchObject({
      MAIL_FROM: 'VRS Marketplace <mail@example.org>',
      STAFF_EMAIL: 'ops@example.org',
    });
    const sesStatements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: unknown; Condition?: unknown }[]).filter(
        (st) => st.Action === 'ses:SendEmail',
      ),
    );
    // One statement per function whose needs say it sends mail (infra/function-needs.ts).
    const senders = [apiFunctionNeeds, taskFunctionNeeds, eventFunctionNeeds, jobFunctionNeeds].flatMap(
      (needs) => Object.values(needs as Record<string, { sendsMail?: true }>).filter((n) => n.sendsMail),
    );
    expect(senders.length).toBeGreaterThanOrEqual(8);
    expect(sesStatements).toHaveLength(senders.length);
    for (const st of sesStatements) {
      expect(st.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'mail@example.org' } });
    }
  });

  it('throttles the API as configured', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
  });
});
