import { unzipSync } from 'fflate';
import type { FieldError } from '../platform/errors.js';

// What a plugin ZIP must be before staff may publish it (issue 8, "Plugin releases"). Pure: the
// service passes the uploaded bytes; every problem found is named in one answer.

/** The largest plugin ZIP we publish (and so the most a publish reads into memory). */
export const MAX_PLUGIN_ZIP_BYTES = 50 * 1024 * 1024;
/** A manifest is a few hundred bytes; more is not a manifest (and never worth decompressing). */
export const MAX_MANIFEST_BYTES = 64 * 1024;

/**
 * `major.minor.patch[-pre.release]` (SemVer 2.0 without build metadata). Each number has at most 5
 * digits: version keys are zero-padded to 5 (catalog-table.ts padVersion), so they sort as text.
 */
const CORE = '(0|[1-9]\\d{0,4})';
// A pre-release identifier: a number without leading zeros, or alphanumerics with a letter or hyphen.
const PRE = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
export const SEMVER = new RegExp(`^${CORE}\\.${CORE}\\.${CORE}(?:-${PRE}(?:\\.${PRE})*)?$`);
export const MAX_VERSION_LENGTH = 64;

export const isSemver = (version: string): boolean =>
  version.length <= MAX_VERSION_LENGTH && SEMVER.test(version);

const PLUGIN_NAME = /^[a-z][a-z0-9-]{1,49}$/;

/**
 * Why an entry name could write outside the plugin's folder when unpacked, or undefined when it
 * is safe: `..` segments, absolute paths, backslashes (Windows separators), drive letters, NUL.
 */
export function unsafeEntryReason(name: string): string | undefined {
  if (name.includes('\\')) return 'contains a backslash';
  if (name.includes('\0')) return 'contains a NUL character';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  if (name.split('/').includes('..')) return 'has a ".." segment';
  return undefined;
}

export interface PluginManifest {
  name: string;
  version: string;
  /** Plugins this one needs (their names); [] when the manifest names none. */
  requires: string[];
}

export type ZipCheck = { ok: true; manifest: PluginManifest } | { ok: false; errors: FieldError[] };

/**
 * Checks an uploaded plugin ZIP for publishing `expected.name` at `expected.version`: within
 * `maxBytes`, a ZIP, no unsafe entry names, a `manifest.json` at the root naming this plugin and
 * version, `requires` a list of plugin names. Only the manifest is decompressed.
 */
export function checkPluginZip(
  bytes: Uint8Array,
  expected: { name: string; version: string },
  maxBytes: number = MAX_PLUGIN_ZIP_BYTES,
): ZipCheck {
  if (bytes.byteLength > maxBytes) {
    return fail('zip', `is ${bytes.byteLength} bytes; the limit is ${maxBytes} bytes`);
  }
  const names: string[] = [];
  let manifestTooLarge = false;
  let files: Record<string, Uint8Array>;
  try {
    // unzipSync reads the central directory; the filter sees every entry and picks what to inflate.
    files = unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        if (file.name !== 'manifest.json') return false;
        if (file.originalSize > MAX_MANIFEST_BYTES) {
          manifestTooLarge = true;
          return false;
        }
        return true;
      },
    });
  } catch {
    return fail('zip', 'is not a ZIP archive (or a damaged one)');
  }

  const errors: FieldError[] = [];
  for (const name of names) {
    const reason = unsafeEntryReason(name);
    if (reason) errors.push({ path: `zip/${name}`, message: `entry name ${reason} (path traversal)` });
  }
  const raw = files['manifest.json'];
  if (manifestTooLarge) {
    errors.push({ path: 'manifest.json', message: `is larger than ${MAX_MANIFEST_BYTES} bytes` });
  } else if (!raw) {
    errors.push({ path: 'manifest.json', message: 'is missing at the root of the ZIP' });
  } else {
    const manifest = parseManifest(raw, expected, errors);
    if (manifest && errors.length === 0) return { ok: true, manifest };
  }
  return { ok: false, errors };
}

function parseManifest(
  raw: Uint8Array,
  expected: { name: string; version: string },
  errors: FieldError[],
): PluginManifest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    errors.push({ path: 'manifest.json', message: 'is not valid UTF-8 JSON' });
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    errors.push({ path: 'manifest.json', message: 'must be a JSON object' });
    return undefined;
  }
  const m = json as Record<string, unknown>;
  if (m.name !== expected.name) {
    errors.push({
      path: 'manifest.json/name',
      message: `is ${JSON.stringify(m.name ?? null)}, but this is plugin "${expected.name}"`,
    });
  }
  if (m.version !== expected.version) {
    errors.push({
      path: 'manifest.json/version',
      message: `is ${JSON.stringify(m.version ?? null)}, but the version published is "${expected.version}"`,
    });
  }
  const requires = m.requires ?? [];
  if (!Array.isArray(requires) || !requires.every((r) => typeof r === 'string' && PLUGIN_NAME.test(r))) {
    errors.push({ path: 'manifest.json/requires', message: 'must be a list of plugin names' });
    return undefined;
  }
  if (requires.includes(expected.name)) {
    errors.push({ path: 'manifest.json/requires', message: 'must not name the plugin itself' });
  }
  return { name: expected.name, version: expected.version, requires: [...new Set(requires as string[])] };
}

const fail = (path: string, message: string): ZipCheck => ({ ok: false, errors: [{ path, message }] });

/** Where an upload waits for its publish (the presigned PUT's target); one per plugin version. */
export const stagingKeyOf = (plugin: string, version: string) => `uploads/${plugin}/${plugin}-${version}.zip`;

/**
 * Where a published ZIP lives. The checksum in the name means an object is never overwritten once
 * a version names it: a concurrent publish of other bytes writes another object, and loses.
 */
export const releaseKeyOf = (plugin: string, version: string, sha256: string) =>
  `plugins/${plugin}/${plugin}-${version}-${sha256.slice(0, 16)}.zip`;
