import { describe, expect, it } from 'vitest';
import { subdomainProblem } from '../../../shared/domains/subdomain.js';

describe('subdomainProblem', () => {
  it.each(['mueller', 'abc', 'steuerberater-mueller', 'kanzlei-2024', '123', 'a1b', 'a-b', 'x'.repeat(63)])(
    'accepts "%s"',
    (label) => {
      // Act
      const problem = subdomainProblem(label);

      // Assess
      expect(problem).toBeNull();
    },
  );

  it.each(['', 'a', 'ab', 'x'.repeat(64)])('rejects "%s" for its length', (label) => {
    // Act
    const problem = subdomainProblem(label);

    // Assess
    expect(problem).toBe('must be 3 to 63 characters long');
  });

  it.each([
    ['an uppercase letter', 'Mueller'],
    ['an umlaut', 'müller'],
    ['an underscore', 'mueller_kanzlei'],
    ['a dot', 'mueller.kanzlei'],
    ['a space', 'mueller kanzlei'],
    ['a leading hyphen', '-mueller'],
    ['a trailing hyphen', 'mueller-'],
    ['an emoji', 'mueller😀'],
  ])('rejects a label with %s', (_what, label) => {
    // Act
    const problem = subdomainProblem(label);

    // Assess
    expect(problem).toMatch(/lowercase letters, digits and hyphens/);
  });

  it.each(['www', 'api', 'admin', 'mail', 'coolify', 'webmail'])('keeps "%s" for ourselves', (label) => {
    // Act
    const problem = subdomainProblem(label);

    // Assess
    expect(problem).toBe(`"${label}" is reserved`);
  });

  it('only reserves whole labels, not names that contain them', () => {
    // Act
    const problems = ['www-mueller', 'mailbox-mueller', 'api-docs-mueller'].map(subdomainProblem);

    // Assess
    expect(problems).toEqual([null, null, null]);
  });
});
