import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { QueryInput } from './db.js';

// Pagination cursors carry a table key, which the next query starts after. Clients must not
// choose that key (a forged one made DynamoDB fail, and it could start another owner's list),
// so cursors are signed: HMAC-SHA256 over the key and the query they belong to.

/** What makes two queries the same list: index, key condition, filter, names, values, direction. */
export function queryScope(input: QueryInput): string {
  return JSON.stringify([
    input.IndexName ?? null,
    input.KeyConditionExpression ?? null,
    input.FilterExpression ?? null,
    input.ExpressionAttributeNames ?? null,
    input.ExpressionAttributeValues ?? null,
    input.ScanIndexForward ?? true,
  ]);
}

const mac = (secret: string, scope: string, payload: string): Buffer =>
  createHmac('sha256', secret).update(scope).update('\n').update(payload).digest();

/** `<base64url key>.<base64url HMAC>`; null when there is no next page. */
export function encodeCursor(
  secret: string,
  scope: string,
  key: Record<string, unknown> | undefined,
): string | null {
  if (!key) return null;
  const payload = Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  return `${payload}.${mac(secret, scope, payload).toString('base64url')}`;
}

/** The key a cursor carries, if we issued it for this very query; else a 400 naming `cursor`. */
export function decodeCursor(secret: string, scope: string, cursor: string): Record<string, unknown> {
  const [payload = '', signature = '', ...rest] = cursor.split('.');
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, scope, payload);
  if (rest.length === 0 && given.length === expected.length && timingSafeEqual(given, expected)) {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  }
  throw new ValidationError('The cursor is not one we issued for this list; start the list again.', [
    { path: 'cursor', message: 'invalid cursor' },
  ]);
}
