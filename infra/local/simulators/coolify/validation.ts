import { json, type SimResponse } from '../types.js';

// Laravel-style request validation as Coolify's controllers run it: unknown fields are rejected and a
// 422 lists every field's problems in Laravel's own wording, which the client surfaces to staff.

export type Body = Record<string, unknown>;
export type FieldErrors = Record<string, string[]>;
export type FieldType = 'string' | 'boolean' | 'integer' | 'array';

export function isObject(v: unknown): v is Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function pick(obj: Body, keys: string[]): Body {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)));
}

/** Laravel's attribute name in messages. */
export function attr(field: string): string {
  return field.replaceAll('_', ' ');
}

export function addError(errors: FieldErrors, field: string, message: string): void {
  const list = errors[field] ?? [];
  list.push(message);
  errors[field] = list;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

export function unknownFields(body: Body, allowed: Set<string>): FieldErrors {
  const errors: FieldErrors = {};
  for (const key of Object.keys(body))
    if (!allowed.has(key)) addError(errors, key, 'This field is not allowed.');
  return errors;
}

export function validationFailed(errors: FieldErrors): SimResponse {
  return json(422, { message: 'Validation failed.', errors });
}

/** Laravel's `boolean` rule: true, false, 1, 0, "1", "0". */
function isLaravelBool(v: unknown): boolean {
  return v === true || v === false || v === 0 || v === 1 || v === '0' || v === '1';
}

export function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}

export function checkType(
  errors: FieldErrors,
  body: Body,
  field: string,
  type: FieldType,
  required: boolean,
  nullable = false,
): void {
  const v = body[field];
  if (v === undefined || v === '' || (v === null && required)) {
    if (required) addError(errors, field, `The ${attr(field)} field is required.`);
    return;
  }
  if (v === null) {
    if (!nullable) addError(errors, field, `The ${attr(field)} field must be ${article(type)}.`);
    return;
  }
  const ok =
    type === 'string'
      ? typeof v === 'string'
      : type === 'boolean'
        ? isLaravelBool(v)
        : type === 'integer'
          ? Number.isInteger(typeof v === 'string' ? Number(v) : v)
          : Array.isArray(v);
  if (!ok) addError(errors, field, `The ${attr(field)} field must be ${article(type)}.`);
}

function article(type: FieldType): string {
  if (type === 'boolean') return 'true or false';
  return type === 'integer' || type === 'array' ? `an ${type}` : `a ${type}`;
}
