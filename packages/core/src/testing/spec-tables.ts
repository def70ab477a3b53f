/**
 * Reads the tables of the spec's markdown, so that tests can hold a spec
 * table and the code's table to each other.
 * @module
 */

/**
 * The body rows of the first markdown table at or after `marker` (a
 * heading or an HTML comment), each row's cells trimmed; the header row and
 * its separator are skipped.
 * @throws {Error} when `marker` is not in `markdown`
 */
export function markdownTableAfter(markdown: string, marker: string): string[][] {
  const start = markdown.indexOf(marker);
  if (start < 0) throw new Error(`the spec has no ${marker}`);
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split('|').map((cell) => cell.trim()));
  }
  return rows;
}
