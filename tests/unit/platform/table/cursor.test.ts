import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/platform/errors.js';
import { decodeCursor, encodeCursor, queryScope } from '../../../../shared/platform/table/cursor.js';

// List cursors are signed and bound to their query: a client can only hand back what we issued
// for the very same list.

const SECRET = 'k'.repeat(64);
const ownerList = (email: string) =>
  queryScope({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `OWNER#${email}` },
    ScanIndexForward: false,
  });
const ANNA = ownerList('anna@example.com');
const KEY = {
  pk: 'PROJECT#3f2b',
  sk: 'PROJECT',
  gsi1pk: 'OWNER#anna@example.com',
  gsi1sk: '2025-02-04T10:00:00.000Z',
};

const refused = (scope: string, cursor: string, secret = SECRET) => {
  try {
    decodeCursor(secret, scope, cursor);
  } catch (err) {
    return err instanceof ValidationError && err.errors.some((e) => e.path === 'cursor');
  }
  return false;
};

describe('list cursors', () => {
  it('give back the key they were issued for, on the same list', () => {
    const cursor = encodeCursor(SECRET, ANNA, KEY)!;
    expect(decodeCursor(SECRET, ANNA, cursor)).toEqual(KEY);
  });

  it('are null at the end of a list', () => {
    expect(encodeCursor(SECRET, ANNA, undefined)).toBeNull();
  });

  it('refuse a cursor whose key was altered', () => {
    const cursor = encodeCursor(SECRET, ANNA, KEY)!;
    const [, signature] = cursor.split('.');
    const other = Buffer.from(JSON.stringify({ ...KEY, gsi1pk: 'OWNER#peter@example.com' })).toString(
      'base64url',
    );
    expect(refused(ANNA, `${other}.${signature}`)).toBe(true);
    const flipped = cursor.startsWith('e') ? `f${cursor.slice(1)}` : `e${cursor.slice(1)}`;
    expect(refused(ANNA, flipped)).toBe(true);
  });

  it('refuse a cursor of another list (other owner, other filter, other index)', () => {
    const cursor = encodeCursor(SECRET, ANNA, KEY)!;
    expect(refused(ownerList('peter@example.com'), cursor)).toBe(true);
    expect(
      refused(
        queryScope({
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression: '#status = :status',
          ExpressionAttributeValues: { ':pk': 'OWNER#anna@example.com', ':status': 'active' },
          ScanIndexForward: false,
        }),
        cursor,
      ),
    ).toBe(true);
    expect(
      refused(
        queryScope({
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': 'OWNER#anna@example.com' },
          ScanIndexForward: false,
        }),
        cursor,
      ),
    ).toBe(true);
  });

  it('refuse a cursor signed with another key', () => {
    expect(refused(ANNA, encodeCursor('x'.repeat(64), ANNA, KEY)!)).toBe(true);
  });

  it.each([
    ['a forged key without signature', Buffer.from('{"pk":"x"}').toString('base64url')],
    ['random text', 'not a cursor at all'],
    ['dots only', '...'],
    ['an empty signature', `${Buffer.from('{"pk":"x"}').toString('base64url')}.`],
    ['percent signs', '%%%'],
  ])('refuse %s', (_what, cursor) => {
    expect(refused(ANNA, cursor)).toBe(true);
  });
});
