import { domainToASCII, domainToUnicode } from 'node:url';

// Domain names customers register, transfer or bring: IDNs are accepted in Unicode or punycode,
// stored as punycode (the key INWX and DNS use) and shown in Unicode.

export interface DomainName {
  /** Punycode, lower case, no trailing dot: `xn--mller-kva.de`. The key everywhere. */
  ascii: string;
  /** As people read it: `müller.de`. */
  unicode: string;
  /** The last label in punycode: `de`. */
  tld: string;
}

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const TLD_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** The name in both forms, or what is wrong with it in words a customer understands. */
export function parseDomainName(input: string): { name: DomainName } | { problem: string } {
  const trimmed = input.trim().replace(/\.$/, '');
  if (trimmed.length === 0) return { problem: 'must be a domain name like example.de' };
  if (trimmed.length > 253) return { problem: 'must be at most 253 characters long' };
  const ascii = domainToASCII(trimmed);
  if (!ascii) return { problem: 'is not a valid domain name (invalid characters)' };
  if (ascii.length > 253) return { problem: 'must be at most 253 characters long (in its encoded form)' };
  const labels = ascii.split('.');
  if (labels.length < 2) return { problem: 'must be a domain name like example.de (a name and a TLD)' };
  for (const label of labels) {
    if (label.length === 0) return { problem: 'must not contain empty labels (two dots in a row)' };
    if (label.length > 63)
      return { problem: `has a label longer than 63 characters: "${label.slice(0, 20)}…"` };
    if (!LDH_LABEL.test(label)) {
      return {
        problem: 'may contain only letters, digits and hyphens, and no label may start or end with a hyphen',
      };
    }
    // `ab--…` is reserved for encodings; only punycode (`xn--`) that decodes is a name.
    if (label.slice(2, 4) === '--' && !label.startsWith('xn--')) {
      return { problem: `has a label with "--" in third and fourth position: "${label}"` };
    }
  }
  const tld = labels.at(-1)!;
  if (!TLD_LABEL.test(tld)) return { problem: `does not end in a valid top-level domain: ".${tld}"` };
  const unicode = domainToUnicode(ascii);
  if (!unicode || domainToASCII(unicode) !== ascii)
    return { problem: 'is not a valid domain name (bad encoding)' };
  return { name: { ascii, unicode, tld } };
}

/** The TLD of a name already in punycode. */
export const tldOf = (ascii: string): string => ascii.slice(ascii.lastIndexOf('.') + 1);
