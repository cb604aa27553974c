import { json, type SimResponse } from '../types.js';
import type { SimApplication, SimEnvVar } from './model.js';
import { ENV_BOOLEANS, ENV_FIELDS } from './request-fields.js';
import { type Route, withApp } from './routes.js';
import { type CoolifyStore, newUuid } from './store.js';
import {
  type Body,
  checkType,
  type FieldErrors,
  hasErrors,
  isObject,
  pick,
  toBool,
  unknownFields,
  validationFailed,
} from './validation.js';

// An application's environment variables: one per key and preview flag. POST refuses an existing
// key; PATCH /envs/bulk updates or adds.

export function envVarRoutes(store: CoolifyStore): Route[] {
  function upsertEnvsBulk(app: SimApplication, body: Body): SimResponse {
    if (!Array.isArray(body.data) || body.data.length === 0) {
      return json(400, { message: 'Bulk data is required.' });
    }
    // Coolify keeps only the known keys of each item (`collect($item)->only([...])`).
    const items = body.data.map((raw) => pick(isObject(raw) ? raw : {}, ENV_FIELDS));
    for (const item of items) {
      const errors = validateEnv(item);
      if (hasErrors(errors)) return validationFailed(errors);
    }
    const returned = items.map((item) => {
      const key = normalizeKey(item.key as string);
      const isPreview = toBool(item.is_preview ?? false);
      const existing = app.envs.find((e) => e.key === key && e.is_preview === isPreview);
      if (existing) {
        existing.value = (item.value as string | null | undefined) ?? null;
        for (const flag of [
          'is_literal',
          'is_multiline',
          'is_shown_once',
          'is_runtime',
          'is_buildtime',
        ] as const) {
          if (item[flag] !== undefined) existing[flag] = toBool(item[flag]);
        }
        existing.updated_at = store.now();
        return existing;
      }
      return addEnv(app, key, item);
    });
    app.updated_at = store.now();
    store.save();
    return json(
      201,
      returned.map((e) => envVarView(app, e)),
    );
  }

  function createEnv(app: SimApplication, body: Body): SimResponse {
    const errors = { ...unknownFields(body, new Set(ENV_FIELDS)), ...validateEnv(body) };
    if (hasErrors(errors)) return validationFailed(errors);
    const key = normalizeKey(body.key as string);
    const isPreview = toBool(body.is_preview ?? false);
    if (app.envs.some((e) => e.key === key && e.is_preview === isPreview)) {
      return json(409, { message: 'Environment variable already exists. Use PATCH request to update it.' });
    }
    const env = addEnv(app, key, body);
    store.save();
    return json(201, { uuid: env.uuid });
  }

  function addEnv(app: SimApplication, key: string, item: Body): SimEnvVar {
    const flag = (name: string, dflt: boolean) => (item[name] === undefined ? dflt : toBool(item[name]));
    const env: SimEnvVar = {
      id: store.nextId(),
      uuid: newUuid(),
      key,
      value: (item.value as string | null | undefined) ?? null,
      is_preview: flag('is_preview', false),
      is_literal: flag('is_literal', false),
      is_multiline: flag('is_multiline', false),
      is_shown_once: flag('is_shown_once', false),
      is_runtime: flag('is_runtime', true),
      is_buildtime: flag('is_buildtime', true),
      created_at: store.now(),
      updated_at: store.now(),
    };
    app.envs.push(env);
    return env;
  }

  return [
    [
      'GET',
      '/applications/{uuid}/envs',
      (p) =>
        withApp(store, p, (app) =>
          json(
            200,
            app.envs.map((e) => envVarView(app, e)),
          ),
        ),
    ],
    ['POST', '/applications/{uuid}/envs', (p, _r, body) => withApp(store, p, (app) => createEnv(app, body))],
    [
      'PATCH',
      '/applications/{uuid}/envs/bulk',
      (p, _r, body) => withApp(store, p, (app) => upsertEnvsBulk(app, body)),
    ],
  ];
}

function validateEnv(item: Body): FieldErrors {
  const errors: FieldErrors = {};
  checkType(errors, item, 'key', 'string', true);
  checkType(errors, item, 'value', 'string', false, true);
  for (const flag of ENV_BOOLEANS) checkType(errors, item, flag, 'boolean', false);
  return errors;
}

/** Coolify trims keys and turns spaces into underscores before storing them. */
function normalizeKey(key: string): string {
  return key.trim().replaceAll(' ', '_');
}

function envVarView(app: SimApplication, e: SimEnvVar) {
  return {
    ...e,
    resourceable_type: 'App\\Models\\Application',
    resourceable_id: app.id,
    real_value: e.value,
    is_shared: false,
    comment: null,
    version: '4.0.0',
  };
}
