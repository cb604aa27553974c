import { describe, expect, it } from 'vitest';
import { slugCandidate, slugify } from '../../../shared/projects/slug.js';

describe('slugify', () => {
  it.each([
    ['Steuerberater Müller', 'steuerberater-mueller'],
    ['Bäckerei Größe', 'baeckerei-groesse'],
    ['Straße & Maß', 'strasse-mass'],
    ['ÖKO-Laden Überlingen', 'oeko-laden-ueberlingen'],
    ['Café Crème', 'cafe-creme'],
  ])('spells out German letters and drops accents: %s → %s', (name, slug) => {
    // Act
    const result = slugify(name);

    // Assess
    expect(result).toBe(slug);
  });

  it('turns punctuation and runs of spaces into single hyphens', () => {
    // Act
    const slug = slugify('  Müller & Söhne GmbH (Köln)!!  ');

    // Assess
    expect(slug).toBe('mueller-soehne-gmbh-koeln');
  });

  it.each(['', '   ', '!!!', '—', '日本語'])('falls back to "project" for "%s"', (name) => {
    // Act
    const slug = slugify(name);

    // Assess
    expect(slug).toBe('project');
  });

  it('keeps slugs at 60 characters at most, without a trailing hyphen', () => {
    // Prepare: the cut at 60 falls right after a hyphen.
    const name = `${'a'.repeat(59)} ${'b'.repeat(20)}`;

    // Act
    const slug = slugify(name);

    // Assess
    expect(slug).toBe('a'.repeat(59));
  });

  it('keeps a long name to 60 characters', () => {
    // Prepare
    const name = 'Steuerberatungsgesellschaft Müller und Partner mbB Wirtschaftsprüfer Rechtsanwälte';

    // Act
    const slug = slugify(name);

    // Assess
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(slug.startsWith('steuerberatungsgesellschaft-mueller-und-partner')).toBe(true);
  });

  it('always yields a URL-safe slug', () => {
    // Prepare
    const names = ['Ärzte-Zentrum', 'Dr. med. Fuß', 'A/B Test', 'x_y', 'Ünal & Öztürk', 'ẞ-Versand'];

    // Act
    const slugs = names.map(slugify);

    // Assess
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('slugCandidate', () => {
  it('tries the plain slug first, then numbered ones from 2', () => {
    // Act
    const candidates = [1, 2, 3].map((attempt) => slugCandidate('mueller', attempt));

    // Assess
    expect(candidates).toEqual(['mueller', 'mueller-2', 'mueller-3']);
  });
});
