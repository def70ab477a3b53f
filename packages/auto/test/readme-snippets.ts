/**
 * The code blocks of the repository's README.md that tests run as written.
 * A block is marked by an HTML comment line `<!-- snippet: NAME -->` directly
 * before its opening fence, so that rewording the prose around it never
 * changes what is tested, and a test never runs a copy that drifted from the
 * README.
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's README.md (packages/auto/test → the repository root). */
export const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

/**
 * The body of the fenced block marked `<!-- snippet: NAME -->`, verbatim
 * (the lines between the fences, ending with a newline).
 * @throws Error naming the README and the marker when the marker is missing,
 *   repeated, or not directly followed by a fenced block
 */
export function readmeSnippet(name: string): string {
  const lines = readFileSync(README, 'utf8').split(/\r?\n/);
  const marker = `<!-- snippet: ${name} -->`;
  const at = lines.flatMap((line, i) => (line.trim() === marker ? [i] : []));
  if (at.length === 0) throw new Error(`${README} has no "${marker}" line: the ${name} snippet this test runs was removed or renamed`);
  if (at.length > 1) throw new Error(`${README} has ${at.length} "${marker}" lines (at ${at.map((i) => i + 1).join(', ')}); a snippet name must be unique`);
  const start = at[0]! + 1;
  const open = /^(`{3,}|~{3,})/.exec(lines[start] ?? '');
  if (!open) throw new Error(`${README}:${start + 1}: "${marker}" must be directly followed by a fenced code block, found ${JSON.stringify(lines[start] ?? '(end of file)')}`);
  const fence = open[1]!;
  // A closing fence: the same character, at least as many, nothing after it (CommonMark).
  const close = new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`);
  const end = lines.findIndex((line, i) => i > start && close.test(line));
  if (end < 0) throw new Error(`${README}:${start + 1}: the ${name} snippet's code block is never closed`);
  return `${lines.slice(start + 1, end).join('\n')}\n`;
}
