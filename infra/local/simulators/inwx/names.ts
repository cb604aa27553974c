// Domain and record names as INWX compares them: lower case, no trailing dot.

export function normalise(name: string): string {
  const n = name.trim().toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** Label, full name or '' / '@' (apex) → full name, as nameserver.info returns names. */
export function fullRecordName(name: string, domain: string): string {
  const n = normalise(name);
  if (n === '' || n === '@') return domain;
  return n === domain || n.endsWith(`.${domain}`) ? n : `${n}.${domain}`;
}

/** The `*` patterns of nameserver.list and domain.list. */
export function wildcard(pattern: string): (s: string) => boolean {
  const re = new RegExp(`^${pattern.toLowerCase().split('*').map(escapeRegExp).join('.*')}$`);
  return (s) => re.test(s);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
