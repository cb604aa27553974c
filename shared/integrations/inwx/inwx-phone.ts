// Phone numbers in INWX's contact format `+CC.NUMBER` (`+49 30 1234567` → `+49.301234567`).

/**
 * Best effort: a number with its country code set apart (`+49 30 …`, `0049-30-…`, `+49 (0)30 …`) or
 * already in INWX format is normalised; anything else is sent unchanged with separators removed,
 * for INWX's own parser (extData PARSE-VOICE) to read.
 */
export function inwxPhone(phone: string): string {
  const trimmed = phone.trim().replace(/^00/, '+');
  const match = /^\+(\d{1,3})(?:[.\s/-]+|(?=\())(.*)$/.exec(trimmed);
  if (match) {
    const [, country, rest = ''] = match;
    // `(0)` is the trunk prefix dialled only within the country.
    const national = rest.replace(/^\(0\)/, '').replace(/\D/g, '');
    if (national.length > 0) return `+${country}.${national}`;
  }
  return trimmed.replace(/[\s/()-]/g, '');
}
