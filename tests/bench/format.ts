// Small helpers for the benchmark output: statistics and plain-text tables.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export type Align = 'left' | 'right';

/** Renders rows as an aligned table; numbers should already be formatted as strings. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align?: Align[],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number) =>
    (align?.[i] ?? (i === 0 ? 'left' : 'right')) === 'left'
      ? text.padEnd(widths[i]!)
      : text.padStart(widths[i]!);
  const line = (cells: readonly string[]) =>
    `  ${cells
      .map((c, i) => cell(c, i))
      .join('  ')
      .trimEnd()}`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function section(title: string): void {
  console.log(`\n== ${title} ${'='.repeat(Math.max(0, 76 - title.length))}`);
}

export const ms = (value: number, digits = 0) =>
  Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a';
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export interface TargetResult {
  name: string;
  pass: boolean;
  detail: string;
}

export function summaryLine(result: TargetResult): string {
  return `${result.pass ? 'PASS' : 'FAIL'}  ${result.name}: ${result.detail}`;
}
