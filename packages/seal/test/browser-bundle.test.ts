/**
 * The main entry bundles for browsers with no externals: nothing in its
 * graph imports a `node:` module (the file-system parts are in ./node). Runs
 * on the built package (dist), which is what a bundler sees.
 */
import { fileURLToPath } from 'node:url';
import { build, type BuildFailure } from 'esbuild';
import { describe, expect, it } from 'vitest';

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

// An import or require of a Node built-in, with or without the `node:` prefix.
const NODE_IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["'](?:node:[^"']+|fs|fs\/promises|os|path|stream|child_process|url|util)["']/;

function bundle(entry: string) {
  return build({
    entryPoints: [dist(entry)],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
}

describe('browser bundle', () => {
  for (const entry of ['index.js', 'index.cjs']) {
    it(`${entry} bundles for platform browser with no externals and no Node import`, async () => {
      const result = await bundle(entry);
      expect(result.errors).toEqual([]);
      // What esbuild left for the runtime to resolve (<runtime> is esbuild's own
      // helper module, inlined, not a real import). The one allowed: hpke-js's
      // WebCrypto fallback `await import("crypto")` inside try/catch, reached
      // only where globalThis.crypto is missing (never in a browser).
      const left = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
        input.imports.filter((i) => i.external && i.path !== '<runtime>').map((i) => `${file.replace(/.*node_modules\//, '')} ${i.kind} ${i.path}`),
      );
      expect(left.filter((l) => !/^@hpke\/common\/\S+ dynamic-import crypto$/.test(l))).toEqual([]);
      expect(Object.keys(result.metafile.inputs).filter((p) => /(^|\/)node:|^(fs|os|path|stream)$/.test(p))).toEqual([]);
      const text = result.outputFiles[0]!.text;
      expect(text).not.toMatch(NODE_IMPORT);
      expect(text).toContain('hybridkem/v1/sealed'); // the bundle is the real package, not an empty stub
    });
  }

  it('./node is the Node-only entry: bundling it for a browser fails on node:fs', async () => {
    const failure = (await bundle('node.js').then(
      () => undefined,
      (e: unknown) => e,
    )) as BuildFailure | undefined;
    expect(failure?.errors.map((e) => e.text)).toContain('Could not resolve "fs/promises"');
  });

  it('the check itself recognizes Node imports', () => {
    expect('import { readFile } from "node:fs/promises";').toMatch(NODE_IMPORT);
    expect('await import("fs/promises")').toMatch(NODE_IMPORT);
    expect('require("os")').toMatch(NODE_IMPORT);
    expect('process.getBuiltinModule?.("node:stream")').not.toMatch(NODE_IMPORT);
  });
});
