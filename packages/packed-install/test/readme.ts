/** README.md code blocks marked `<!-- snippet: NAME -->`, verbatim. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './pack.js';

export function readmeSnippet(name: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- snippet: ${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(readme);
  if (!m) throw new Error(`README.md has no block marked <!-- snippet: ${name} -->`);
  return m[1]!;
}
