import { describe, expect, it } from 'vitest';
import { parseDomainName } from '../../../shared/domains/domain-name.js';

const ok = (input: string) => {
  const r = parseDomainName(input);
  if (!('name' in r)) throw new Error(`${input}: ${r.problem}`);
  return r.name;
};
const problem = (input: string) => {
  const r = parseDomainName(input);
  return 'problem' in r ? r.problem : null;
};

describe('a domain name', () => {
  it('is kept in punycode and shown in Unicode, whichever form the customer typed', () => {
    expect(ok('Müller-Bäckerei.de')).toEqual({
      ascii: 'xn--mller-bckerei-hfb76a.de',
      unicode: 'müller-bäckerei.de',
      tld: 'de',
    });
    expect(ok('xn--mller-kva.de')).toEqual({ ascii: 'xn--mller-kva.de', unicode: 'müller.de', tld: 'de' });
    expect(ok(' EXAMPLE.de. ').ascii).toBe('example.de');
    expect(ok('shop.example.co.uk').tld).toBe('uk');
  });

  it('may be 253 characters long, with labels of 63', () => {
    const label = 'a'.repeat(63);
    const name = `${label}.${label}.${label}.${'b'.repeat(58)}.de`;
    expect(name.length).toBe(253);
    expect(ok(name).ascii).toBe(name);
  });

  it('is refused, saying why, when it is too long or badly formed', () => {
    expect(problem(`${'a'.repeat(64)}.de`)).toMatch(/longer than 63/);
    expect(problem(`${'abcdefghi.'.repeat(26)}de`)).toMatch(/at most 253/);
    expect(problem('example')).toMatch(/a name and a TLD/);
    expect(problem('a..de')).toMatch(/empty labels/);
    expect(problem('-mueller.de')).toMatch(/start or end with a hyphen/);
    expect(problem('ex_ample.de')).toMatch(/letters, digits and hyphens/);
    expect(problem('ab--cd.de')).toMatch(/third and fourth/);
    expect(problem('example.d3')).toMatch(/top-level domain/);
    expect(problem('')).toMatch(/like example.de/);
    // Counted in its encoded form: 60 umlauts are 60 characters but more than 63 in punycode.
    expect(problem(`${'ü'.repeat(60)}.de`)).toMatch(/longer than 63/);
  });
});
