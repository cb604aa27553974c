import { describe, expect, it } from 'vitest';
import { orderConfirmationMail } from '../../../shared/integrations/mail/order-templates.js';
import { expectedDuration } from '../../../shared/provisioning/expected-duration.js';

const technical = { type: 'subdomain' as const, domain: 'mueller.vrs.gmbh' };

describe('how long an accepted order takes', () => {
  it('is minutes on the technical subdomain; a custom domain adds its own wait', () => {
    expect(expectedDuration([technical])).toEqual({ site: 'minutes' });
    expect(expectedDuration([technical, { type: 'registered', domain: 'mueller.de' }])).toEqual({
      site: 'minutes',
      domain: { name: 'mueller.de', wait: 'up-to-an-hour' },
    });
    expect(expectedDuration([technical, { type: 'transferred', domain: 'mueller.de' }]).domain?.wait).toBe(
      'up-to-several-days',
    );
    expect(
      expectedDuration([technical, { type: 'owned', domain: 'xn--mller-kva.de', unicode: 'müller.de' }]),
    ).toEqual({ site: 'minutes', domain: { name: 'müller.de', wait: 'once-dns-points-here' } });
  });

  it('is told in German and English, text and HTML', () => {
    const transfer = expectedDuration([technical, { type: 'transferred', domain: 'mueller.de' }]);
    const de = orderConfirmationMail('de', {
      projectName: 'Müller',
      liveAt: technical.domain,
      expected: transfer,
    });
    expect(de.subject).toBe('Bestellung bestätigt: „Müller“');
    expect(de.text).toContain('innerhalb weniger Minuten unter https://mueller.vrs.gmbh');
    expect(de.text).toContain('Der Transfer von mueller.de kann bis zu mehreren Tagen dauern');
    expect(de.html).toContain('bis zu mehreren Tagen');
    const en = orderConfirmationMail('en', {
      projectName: 'Müller',
      liveAt: technical.domain,
      expected: expectedDuration([technical]),
    });
    expect(en.subject).toBe('Order confirmed: "Müller"');
    expect(en.text).toContain('within a few minutes at https://mueller.vrs.gmbh');
    expect(en.text).not.toMatch(/transfer|register/i);
  });
});
