import { describe, expect, it } from 'vitest';
import { inwxPhone } from '../../../../shared/integrations/inwx/inwx-phone.js';

describe('inwxPhone', () => {
  it.each([
    ['+49 30 1234567', '+49.301234567'],
    ['+49.301234567', '+49.301234567'],
    ['0049 30 1234567', '+49.301234567'],
    ['+49 (0)30 123-4567', '+49.301234567'],
    ['+49-30-1234567', '+49.301234567'],
    ['+1 (555) 123-4567', '+1.5551234567'],
    ['  +43 1 23456  ', '+43.123456'],
  ])('%s → %s', (input, expected) => {
    expect(inwxPhone(input)).toBe(expected);
  });

  it('leaves a number without a separate country code to INWX (PARSE-VOICE), separators removed', () => {
    expect(inwxPhone('+49301234567')).toBe('+49301234567');
    expect(inwxPhone('030 123 45 67')).toBe('0301234567');
  });
});
