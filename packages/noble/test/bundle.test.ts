// A page that imports one suite's backend bundles that suite's code and no
// other's. Each entry below is the README's round trip on a per-suite entry
// point, bundled for the browser by esbuild (minified, tree-shaken) from this
// package's source and core's built dist/, as a bundler sees them; the
// metafile names every module that leaves bytes in the output. The backend of
// every suite is bundled the same way as a control: the modules looked for
// are there, so their absence elsewhere is not an artefact of the check.
import { build, type Metafile } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

async function bundledModules(contents: string): Promise<{ modules: string[]; code: Uint8Array }> {
  const result = await build({
    stdin: { contents, resolveDir: PACKAGE_DIR, sourcefile: 'page.ts', loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    treeShaking: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  const modules = Object.entries(output.inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([file]) => file);
  return { modules, code: result.outputFiles[0]!.contents };
}

function roundTrip(suite: string, name: string, path: string): string {
  return `
    import { createKem } from '@hybridkem/core';
    import { ${name} } from '${path}';
    const kem = createKem('${suite}', ${name});
    const bob = kem.keygen();
    const { ciphertext, sharedSecret } = kem.encapsulate(bob.publicKey);
    export const secrets = [sharedSecret, kem.decapsulate(bob.privateKey, ciphertext)];`;
}

/** Runs the bundle: a bundle that lost the work would look small too. */
async function expectRoundTrip(code: Uint8Array): Promise<void> {
  const { secrets } = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { secrets: Uint8Array[] };
  expect(secrets[0]).toHaveLength(32);
  expect(secrets[1]).toEqual(secrets[0]);
}

// Module paths by what they implement.
const P256_P384 = /@noble\/curves\/(nist|abstract\/weierstrass)\.js$|src\/primitives\/nist\.ts$/;
const X25519 = /@noble\/curves\/(ed25519|abstract\/montgomery)\.js$/;
const ED448 = /@noble\/curves\/ed448\.js$/;
const ML_DSA = /@noble\/post-quantum\/ml-dsa\.js$/;
const SIGNING = /src\/signing\.ts$/;
// HKDF serves the KitchenSink combiner only (X25519-MLKEM768/1024); SHA-2
// that combiner and noble's NIST curves, so an X25519 suite needs neither.
const HKDF = /@noble\/hashes\/hkdf\.js$/;
const SHA2 = /@noble\/hashes\/(sha2|hmac)\.js$/;
const ML_KEM = /@noble\/post-quantum\/ml-kem\.js$/;

const matching = (modules: string[], re: RegExp) => modules.filter((m) => re.test(m));

describe('bundle of one suite', () => {
  it('the backend of every suite, the control, carries every group, and signing does not ride along', async () => {
    const { modules, code } = await bundledModules(roundTrip('X-Wing', 'backend', './src/index.ts'));
    expect(matching(modules, P256_P384)).not.toEqual([]);
    expect(matching(modules, X25519)).not.toEqual([]);
    expect(matching(modules, HKDF)).not.toEqual([]);
    // The main entry still exports signatureBackend, which a KEM page leaves unused.
    expect(matching(modules, ML_DSA)).toEqual([]);
    expect(matching(modules, ED448)).toEqual([]);
    expect(matching(modules, SIGNING)).toEqual([]);
    await expectRoundTrip(code);
  });

  it('X-Wing (@hybridkem/noble/x-wing): no P-256/P-384, ML-DSA, Ed448, HKDF or SHA-2 code', async () => {
    const { modules, code } = await bundledModules(roundTrip('X-Wing', 'xWing', './src/suites/x-wing.ts'));
    expect(matching(modules, X25519)).not.toEqual([]);
    expect(matching(modules, /@noble\/post-quantum\/ml-kem\.js$/)).not.toEqual([]);
    expect(matching(modules, P256_P384)).toEqual([]);
    expect(matching(modules, ED448)).toEqual([]);
    expect(matching(modules, ML_DSA)).toEqual([]);
    expect(matching(modules, SIGNING)).toEqual([]);
    expect(matching(modules, HKDF)).toEqual([]);
    expect(matching(modules, SHA2)).toEqual([]);
    await expectRoundTrip(code);
  });

  it('ML-KEM-768 (@hybridkem/noble/ml-kem-768): ML-KEM, and no curve, HKDF or SHA-2 code', async () => {
    const { modules, code } = await bundledModules(roundTrip('ML-KEM-768', 'mlKem768Alone', './src/suites/ml-kem-768.ts'));
    expect(matching(modules, ML_KEM)).not.toEqual([]);
    expect(matching(modules, X25519)).toEqual([]);
    expect(matching(modules, P256_P384)).toEqual([]);
    expect(matching(modules, HKDF)).toEqual([]);
    expect(matching(modules, SHA2)).toEqual([]);
    expect(matching(modules, ML_DSA)).toEqual([]);
    await expectRoundTrip(code);
  });

  it('DHKEM-X25519-HKDF-SHA256 (@hybridkem/noble/dhkem-x25519-hkdf-sha256): X25519 and HKDF, no ML-KEM or NIST curve code', async () => {
    const { modules, code } = await bundledModules(roundTrip('DHKEM-X25519-HKDF-SHA256', 'dhkemX25519', './src/suites/dhkem-x25519-hkdf-sha256.ts'));
    expect(matching(modules, X25519)).not.toEqual([]);
    expect(matching(modules, HKDF)).not.toEqual([]);
    expect(matching(modules, ML_KEM)).toEqual([]);
    expect(matching(modules, P256_P384)).toEqual([]);
    expect(matching(modules, ML_DSA)).toEqual([]);
    await expectRoundTrip(code);
  });

  it('HPKE-MLKEM768-P256 (@hybridkem/noble/hpke-mlkem768-p256): no X25519, ML-DSA, Ed448 or HKDF code', async () => {
    const { modules, code } = await bundledModules(roundTrip('HPKE-MLKEM768-P256', 'hpkeMlKem768P256', './src/suites/hpke-mlkem768-p256.ts'));
    expect(matching(modules, P256_P384)).not.toEqual([]);
    expect(matching(modules, X25519)).toEqual([]);
    expect(matching(modules, ED448)).toEqual([]);
    expect(matching(modules, ML_DSA)).toEqual([]);
    expect(matching(modules, HKDF)).toEqual([]);
    await expectRoundTrip(code);
  });
});
