/**
 * Plain-text tables for the quickstart: no dependencies, nothing clever.
 * @module
 */

/**
 * Formats rows of strings under a header line and a rule.
 * @param {{ title: string, align?: 'left' | 'right' }[]} columns
 * @param {string[][]} rows
 * @returns {string}
 */
export function formatTable(columns, rows) {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) =>
    cells
      .map((cell, i) => (columns[i].align === 'right' ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Milliseconds: three decimals below 10 ms, one above ("0.412 ms", "18.0 ms"). */
export function ms(value) {
  if (!Number.isFinite(value)) return '-';
  return `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`;
}

/** The median of a list of numbers (NaN when empty). */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The first line of an error's message, followed by its causes' ("a: b: c"). */
export function describeError(error) {
  const parts = [];
  for (let e = error, depth = 0; e && depth < 3; e = e instanceof Error ? e.cause : undefined, depth++) {
    parts.push((e instanceof Error ? e.message : String(e)).split('\n')[0]);
  }
  return parts.join(': ');
}

/** Why a backend did not load, in one short line: the root cause without Node's "imported from <path>". */
export function describeLoadFailure(error) {
  let root = error;
  while (root instanceof Error && root.cause) root = root.cause;
  return describeError(root).replace(/ imported from \S+$/, '');
}
