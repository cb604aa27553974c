import { json, type SimResponse } from '../types.js';
import type { SimApplication } from './model.js';

// An application's domains live in `fqdn` as one comma-separated string of URLs, as in Coolify.

export function splitFqdn(fqdn: string | null): string[] {
  return (fqdn ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
}

/**
 * Coolify's domain rules (`ValidationPatterns::validateApplicationDomains`): comma-separated http(s)
 * URLs with a host, blanks and stray commas dropped; `errors` in Coolify's wording, one per bad URL.
 */
export function normalizeDomains(domains: string): { urls: string[]; errors: string[] } {
  const urls = splitFqdn(domains);
  const errors: string[] = [];
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      errors.push(`Invalid URL: ${u}`);
      continue;
    }
    const scheme = parsed.protocol.replace(/:$/, '');
    if (scheme !== 'http' && scheme !== 'https') {
      errors.push(`Invalid URL scheme: ${scheme} for URL: ${u}. Only http and https are supported.`);
    } else if (!parsed.hostname) errors.push(`Invalid URL: ${u}`);
  }
  return { urls, errors };
}

/** Other applications already serving one of these hosts, in the shape of Coolify's 409 `conflicts`. */
export function domainConflicts(urls: string[], applications: SimApplication[]): Record<string, unknown>[] {
  const conflicts: Record<string, unknown>[] = [];
  for (const url of urls) {
    const host = new URL(url).hostname;
    for (const other of applications) {
      if (!splitFqdn(other.fqdn).some((u) => new URL(u).hostname === host)) continue;
      conflicts.push({
        domain: host,
        resource_name: other.name,
        resource_uuid: other.uuid,
        resource_type: 'application',
        message: `Domain ${host} is already in use by application '${other.name}'`,
      });
    }
  }
  return conflicts;
}

/** Coolify's 409 when a requested domain is taken and `force_domain_override` is not set. */
export function domainConflictResponse(conflicts: Record<string, unknown>[]): SimResponse {
  return json(409, {
    message: 'Domain conflicts detected. Use force_domain_override=true to proceed.',
    warning:
      'Using the same domain for multiple resources can cause routing conflicts and unpredictable behavior.',
    conflicts,
  });
}
