import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getPrices } from '../../../shared/repositories/catalog.js';
import { TABLE_NAME, useTestEnvironment } from '../handlers/environment.js';

// BatchGet may answer only part of a request (UnprocessedKeys, e.g. when throttled). A price that
// silently went missing would look like a plugin that is not for sale.

const ddb = mockClient(DynamoDBDocumentClient);

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

beforeAll(() => useTestEnvironment());
beforeEach(() => ddb.reset());

describe('getPrices', () => {
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
