import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getPrices } from '../../../shared/catalog/catalog-table.js';
import { startTestTable, type TestTable } from '../../support/dynamo-table.js';
import { TABLE_NAME, useTestEnvironment } from '../handlers/environment.js';

// Plugin prices are read with BatchGet. On the real table (DynamoDB Local), DynamoDB's own limits
// apply: at most 100 keys a call, no duplicate keys. A price that silently went missing would look
// like a plugin that is not for sale.

const price = (plugin: string, priceCents: number) => ({
  pk: `PLUGIN#${plugin}`,
  sk: 'PRICE#business_directory#monthly',
  entity: 'PluginPrice',
  plugin,
  projectType: 'business_directory',
  billingCycle: 'monthly',
  priceCents,
});
const key = (plugin: string) => ({ pk: `PLUGIN#${plugin}`, sk: 'PRICE#business_directory#monthly' });

let table: TestTable;

beforeAll(async () => {
  useTestEnvironment();
  table = await startTestTable(TABLE_NAME);
});
afterAll(async () => {
  await table?.stop();
});

describe('getPrices', () => {
  beforeEach(async () => {
    await table.clearAll();
  });

  it('returns the price of every plugin that has one, and none for a plugin without', async () => {
    // Prepare
    await table.seed(price('kontakt', 990), price('bewertungen', 1490));

    // Act
    const prices = await getPrices(['kontakt', 'galerie', 'bewertungen'], 'business_directory', 'monthly');

    // Assess
    expect(prices.map((p) => [p.plugin, p.priceCents]).sort()).toEqual([
      ['bewertungen', 1490],
      ['kontakt', 990],
    ]);
  });

  it('answers more plugins than one BatchGet may ask for, even with a plugin named twice', async () => {
    // Prepare
    const plugins = Array.from({ length: 105 }, (_, i) => `plugin-${String(i).padStart(3, '0')}`);
    await table.seed(...plugins.map((p, i) => price(p, 100 + i)));

    // Act
    const prices = await getPrices([...plugins, 'plugin-007'], 'business_directory', 'monthly');

    // Assess
    expect(prices.map((p) => p.plugin).sort()).toEqual(plugins);
    expect(prices.find((p) => p.plugin === 'plugin-104')?.priceCents).toBe(204);
  });
});

// DynamoDB answers only part of a BatchGet (UnprocessedKeys) when throttled, which DynamoDB Local
// never is: these answers are simulated, with a mock that exists only in this block.
describe('getPrices when DynamoDB leaves keys unprocessed', () => {
  let ddb: AwsClientStub<DynamoDBDocumentClient>;
  beforeAll(() => {
    ddb = mockClient(DynamoDBDocumentClient);
  });
  afterAll(() => {
    ddb.restore();
  });
  beforeEach(() => {
    ddb.reset();
  });

  it('asks again for the keys DynamoDB left unprocessed and returns every price', async () => {
    // Prepare
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE_NAME]: [price('kontakt', 990)] },
        UnprocessedKeys: { [TABLE_NAME]: { Keys: [key('bewertungen')] } },
      })
      .resolvesOnce({ Responses: { [TABLE_NAME]: [price('bewertungen', 1490)] }, UnprocessedKeys: {} });

    // Act
    const prices = await getPrices(['kontakt', 'bewertungen'], 'business_directory', 'monthly');

    // Assess
    expect(prices.map((p) => [p.plugin, p.priceCents]).sort()).toEqual([
      ['bewertungen', 1490],
      ['kontakt', 990],
    ]);
    const calls = ddb.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.RequestItems?.[TABLE_NAME]?.Keys).toEqual([key('bewertungen')]);
  });

  it('fails loudly when keys stay unprocessed, instead of answering without them', async () => {
    // Prepare
    ddb.on(BatchGetCommand).resolves({
      Responses: { [TABLE_NAME]: [] },
      UnprocessedKeys: { [TABLE_NAME]: { Keys: [key('kontakt')] } },
    });

    // Act
    const result = getPrices(['kontakt'], 'business_directory', 'monthly');

    // Assess
    await expect(result).rejects.toThrow(/1 keys unprocessed after 5 attempts/);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(5);
  });
});

describe('the public catalog’s latestVersion', () => {
  beforeEach(async () => {
    await table.clearAll();
  });

  const version = (plugin: string, v: string, channel: string) => ({
    pk: `PLUGIN#${plugin}`,
    sk: `VERSION#${v}`,
    entity: 'PluginVersion',
    plugin,
    version: v,
    s3Key: `plugins/${plugin}/${v}.zip`,
    sha256: '00'.repeat(32),
    sizeBytes: 1,
    channel,
    releasedAt: '2025-01-20T08:00:00.000Z',
  });
  const plugin = (name: string, latestVersion: string) => ({
    pk: 'CATALOG',
    sk: `PLUGIN#${name}`,
    entity: 'Plugin',
    name,
    displayName: name,
    description: '',
    latestVersion,
  });

  it('is the newest stable version, whatever was released in beta or alpha since (or none)', async () => {
    await table.seed(
      plugin('kontakt', '2.0.0-beta.1'),
      version('kontakt', '1.4.2', 'stable'),
      version('kontakt', '2.0.0-beta.1', 'beta'),
      plugin('labor', '0.1.0'),
      version('labor', '0.1.0', 'alpha'),
      price('kontakt', 990),
    );
    const { pluginsView } = await import('../../../shared/catalog/catalog-views.js');
    const items = (await pluginsView()).items;
    expect(items.map((p) => [p.name, p.latestVersion])).toEqual([
      ['kontakt', '1.4.2'],
      ['labor', null],
    ]);
  });
});
