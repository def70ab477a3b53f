/**
 * `@hybridkem/transport/channel`: the default condition's module graph
 * imports nothing from `node:` (browsers, workerd), the `node` condition comes
 * first and swaps in node:crypto, and package.json points where tsup writes.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every module reachable by relative imports from `entry`, with its bare imports. */
function graph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
      (m) => (m[1] ?? m[2])!,
    );
    seen.set(file, specifiers.filter((s) => !s.startsWith('.')));
    for (const s of specifiers.filter((s) => s.startsWith('.'))) visit(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  };
  visit(resolve(root, entry));
  return seen;
}

describe('the ./channel entry', () => {
  it('default condition: no node: import anywhere in its module graph', () => {
    const g = graph('src/channel/index.ts');
    expect(g.has(resolve(root, 'src/channel/noise/handshake-state.ts'))).toBe(true);
    expect(g.has(resolve(root, 'src/channel/noise/crypto-node.ts'))).toBe(false);
    const nodeImports = [...g].flatMap(([file, bare]) => bare.filter((b) => b.startsWith('node:') || b === 'ws').map((b) => `${file}: ${b}`));
    expect(nodeImports).toEqual([]);
  });

  it('node condition: the node:crypto provider and the Node stream adapter', () => {
    const g = graph('src/channel/index.node.ts');
    expect(g.has(resolve(root, 'src/channel/noise/crypto-node.ts'))).toBe(true);
    expect(g.has(resolve(root, 'src/channel/node.ts'))).toBe(true);
  });

  it('package.json: ./channel with the node condition first and types first in each', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    const channel = pkg.exports['./channel'];
    expect(Object.keys(channel)).toEqual(['node', 'import', 'require']);
    expect(channel.node.import).toEqual({ types: './dist/channel/node.d.ts', default: './dist/channel/node.js' });
    expect(channel.node.require).toEqual({ types: './dist/channel/node.d.cts', default: './dist/channel/node.cjs' });
    expect(channel.import).toEqual({ types: './dist/channel/index.d.ts', default: './dist/channel/index.js' });
    expect(channel.require).toEqual({ types: './dist/channel/index.d.cts', default: './dist/channel/index.cjs' });
    const tsup = readFileSync(resolve(root, 'tsup.config.ts'), 'utf8');
    expect(tsup).toContain("'channel/node': 'src/channel/index.node.ts'");
    expect(tsup).toContain("'channel/index': 'src/channel/index.ts'");
  });
});
