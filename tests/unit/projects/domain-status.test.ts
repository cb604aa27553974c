import { describe, expect, it } from 'vitest';
import {
  awaitsAttach,
  isCustomDomain,
  PENDING_DOMAIN_STATUSES,
} from '../../../shared/projects/domain-status.js';
import { DOMAIN_STATUSES, DOMAIN_TYPES } from '../../../shared/projects/schemas.js';

describe('domain status rules', () => {
  it('custom domains are every type but the technical subdomain', () => {
    expect(DOMAIN_TYPES.filter((type) => isCustomDomain({ type }))).toEqual([
      'owned',
      'registered',
      'transferred',
    ]);
  });

  it('a custom domain awaits its attach execution in exactly the pending statuses', () => {
    for (const status of DOMAIN_STATUSES) {
      expect(awaitsAttach({ type: 'transferred', status }), status).toBe(
        (PENDING_DOMAIN_STATUSES as readonly string[]).includes(status),
      );
      expect(awaitsAttach({ type: 'subdomain', status }), status).toBe(false);
    }
    expect(PENDING_DOMAIN_STATUSES).toEqual(['pending_registration', 'pending_transfer', 'pending_dns']);
  });
});
