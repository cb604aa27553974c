import type { SimApplication } from './model.js';

// An application's domains live in `fqdn` as one comma-separated string of URLs, as in Coolify.

export function splitFqdn(fqdn: string | null): string[] {
  return (fqdn ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
}

/** Coolify's domain rules: comma-separated http(s) URLs with a host; blanks and stray commas dropped. */
export function normalizeDomains(domains: string): { urls: string[]; error?: string } {
  const urls = splitFqdn(domains);
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      return { urls, error: `Invalid URL: ${u}` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return { urls, error: 'Only http and https are supported.' };
    }
    if (!parsed.hostname) return { urls, error: `Invalid URL: ${u}` };
  }
  return { urls };
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
