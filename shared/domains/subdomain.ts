// Subdomain labels customers may choose: RFC 1123 labels, 3–63 characters, lowercase letters,
// digits and inner hyphens, and none of the names we use ourselves.

export const RESERVED_SUBDOMAINS = new Set([
  'www',
  'api',
  'admin',
  'mail',
  'smtp',
  'imap',
  'pop',
  'pop3',
  'ftp',
  'ns',
  'ns1',
  'ns2',
  'mx',
  'marketplace',
  'app',
  'dashboard',
  'status',
  'static',
  'cdn',
  'assets',
  'auth',
  'login',
  'staging',
  'dev',
  'test',
  'localhost',
  'webmail',
  'autodiscover',
  'autoconfig',
  'coolify',
  'traefik',
]);

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Returns why the label cannot be used, or null when it can. */
export function subdomainProblem(label: string): string | null {
  if (label.length < 3 || label.length > 63) return 'must be 3 to 63 characters long';
  if (!LABEL.test(label)) {
    return 'may contain only lowercase letters, digits and hyphens, and must not start or end with a hyphen';
  }
  // Punycode (xn--) would let look-alike names with umlauts in through the back door.
  if (label.startsWith('xn--')) return 'must not be an encoded (xn--) name';
  if (RESERVED_SUBDOMAINS.has(label)) return `"${label}" is reserved`;
  return null;
}
