import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../../shared/platform/errors.js';
import type { CreateProjectRequest } from '../../../shared/projects/schemas.js';
import { checkStaffOrderOptions } from '../../../shared/projects/staff-order-options.js';

const order = (extra: Partial<CreateProjectRequest>): CreateProjectRequest => ({
  name: 'Demo',
  projectType: 'business_directory',
  bundle: 'verzeichnis-basic',
  domain: { type: 'subdomain', subdomain: 'demo' },
  paymentMethod: 'free',
  billingEmail: 'demo@vrs.gmbh',
  ...extra,
});

const fields = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    return {
      kind: err instanceof ForbiddenError ? 403 : err instanceof ValidationError ? 400 : 500,
      paths: (err as ValidationError).errors?.map((e) => e.path),
    };
  }
  return null;
};

describe('checkStaffOrderOptions', () => {
  const source = '6f1c8a52-1b1e-4d4b-9d57-5a0f3f7f2a11';

  it('lets staff order a free demo, cloned or not; ordinary orders pass', () => {
    expect(fields(() => checkStaffOrderOptions(order({ isDemo: true }), true))).toBeNull();
    expect(
      fields(() => checkStaffOrderOptions(order({ isDemo: true, clonedFromProjectId: source }), true)),
    ).toBeNull();
    expect(fields(() => checkStaffOrderOptions(order({ paymentMethod: 'invoice' }), false))).toBeNull();
  });

  it('refuses demos and clones to everyone but staff, naming each field', () => {
    expect(
      fields(() => checkStaffOrderOptions(order({ isDemo: true, clonedFromProjectId: source }), false)),
    ).toEqual({
      kind: 403,
      paths: ['isDemo', 'clonedFromProjectId'],
    });
  });

  it('keeps drafts to staff, and card orders out of them', () => {
    expect(fields(() => checkStaffOrderOptions(order({ startProvisioning: false }), true))).toBeNull();
    expect(fields(() => checkStaffOrderOptions(order({ startProvisioning: false }), false))).toEqual({
      kind: 403,
      paths: ['startProvisioning'],
    });
    expect(
      fields(() =>
        checkStaffOrderOptions(order({ startProvisioning: false, paymentMethod: 'stripe_prepaid' }), true),
      ),
    ).toEqual({ kind: 400, paths: ['startProvisioning'] });
  });

  it('wants a demo free, and a clone to be a demo', () => {
    expect(
      fields(() => checkStaffOrderOptions(order({ isDemo: true, paymentMethod: 'invoice' }), true)),
    ).toEqual({
      kind: 400,
      paths: ['paymentMethod'],
    });
    expect(fields(() => checkStaffOrderOptions(order({ clonedFromProjectId: source }), true))).toEqual({
      kind: 400,
      paths: ['clonedFromProjectId'],
    });
  });
});
