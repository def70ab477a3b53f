/**
 * What a new user gets from npm: the packed packages installed into empty
 * projects outside the workspace, with no registry and no compiler on PATH,
 * on each supported Node. There the README's snippets run verbatim, the CLI
 * runs through npx, getBackend() takes native with no notice and each next
 * backend with one as the faster packages are removed, and errors from every
 * backend are instances of core's classes in ES modules and CommonJS. The
 * openssl backend is installed on every Node (an optional dependency of
 * auto) and loads from Node 24.7 on; on Node 22 it says why it does not.
 * @module
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries, npmCli } from './nodes.js';
import { packAll, ROOT } from './pack.js';
import { installProject, type Project } from './project.js';
// One extraction of README snippets for every test that runs them.
import { readmeSnippet } from '../../auto/test/readme-snippets.js';
import { instanceofCheck } from '../../auto/test/instanceof-check.js';
import { makeTestCertificate } from '../../transport/test/support/certs.js';

const NODES = nodeBinaries();
const NPM = npmCli();
let packDir = '';
let tarballs: string[] = [];

beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), 'hybridkem-packs-'));
  tarballs = await packAll(packDir);
});
afterAll(() => {
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

/** Whether this Node's node:crypto has ML-KEM (Node ≥ 24.7), decided from the version alone. */
function hasOpenssl(version: string): boolean {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return major > 24 || (major === 24 && minor >= 7);
}

// Errors from every backend that loads are instances of the caller's own core
// classes, in both module systems: the check select.test.ts runs on the
// workspace's dist/.
const instanceofFor = (version: string) =>
  instanceofCheck({ import: '@hybridkem/auto', require: '@hybridkem/auto' }, hasOpenssl(version) ? ['native', 'openssl', 'wasm', 'noble'] : ['native', 'wasm', 'noble']);

/** Warning lines our code printed (Node's "(Use `node --trace-warnings ...`)" hint is Node's, not ours). */
function notices(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.includes('hybridkem'));
}

describe.each(NODES)('installed from the tarballs on Node $version', (node) => {
  let project: Project;
  beforeAll(async () => {
    project = await installProject(node, NPM, tarballs);
    for (const name of ['esm', 'cjs', 'browser', 'typescript']) {
      const file = { esm: 'snippet.mjs', cjs: 'snippet.cjs', browser: 'browser.mjs', typescript: 'snippet.ts' }[name]!;
      writeFileSync(join(project.dir, file), readmeSnippet(name));
    }
  });
  afterAll(() => project?.remove());

  it('installs without compiling: the native addon is the prebuilt binary', () => {
    const native = join(project.dir, 'node_modules/@hybridkem/native');
    expect(existsSync(join(native, 'build'))).toBe(false);
    const prebuilds = readdirSync(join(native, 'prebuilds', `${process.platform}-${process.arch}`));
    expect(prebuilds.filter((f) => f.endsWith('.node'))).toHaveLength(1);
    // Nothing in the tree was built at install: no compiler could have run (PATH is node and sh).
    expect(existsSync(join(project.dir, 'node_modules/.bin/cmake-js'))).toBe(false);
  });

  it('the ES module snippet runs verbatim on native, with no notice', async () => {
    const r = await project.node$(['snippet.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('native true');
    expect(r.code).toBe(0);
  });

  it('the CommonJS snippet runs verbatim on native, with no notice', async () => {
    const r = await project.node$(['snippet.cjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('native true');
  });

  it('the TypeScript snippet passes tsc --strict and runs', async () => {
    writeFileSync(
      join(project.dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [], noEmit: true, skipLibCheck: false }, files: ['snippet.ts'] }),
    );
    // Top-level await in a .ts file needs the project to be ES modules.
    const manifest = join(project.dir, 'package.json');
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), type: 'module' }));
    const tsc = await project.node$([join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
    const r = await project.node$(['--disable-warning=ExperimentalWarning', 'snippet.ts']);
    expect(r.stdout).toMatch(/^X-Wing 1216 [0-9a-f]+\n$/);
    expect(r.stderr).toBe('ERR_TRUNCATED publicKey (X-Wing): truncated, expected 1220 bytes, got 100\n');
    expect(r.code).toBe(0);
  });

  it('errors from every backend are instances of core classes, in ES modules and in CommonJS', async () => {
    const INSTANCEOF = instanceofFor(node.version);
    const esm = await project.node$(['--input-type=module', '-e', INSTANCEOF.esm]);
    expect(esm.stderr).toBe('');
    expect(JSON.parse(esm.stdout)).toEqual(INSTANCEOF.expected);
    const cjs = await project.node$(['--input-type=commonjs', '-e', INSTANCEOF.cjs]);
    expect(cjs.stderr).toBe('');
    expect(JSON.parse(cjs.stdout)).toEqual(INSTANCEOF.expected);
  });

  it('npx hybridkem: keygen, encapsulate, decapsulate, seal, open, sign, verify', async () => {
    const hk = async (args: string[], input?: string) => {
      const r = await project.npm$(['exec', '--offline', '--', 'hybridkem', ...args], { input });
      if (r.code !== 0) throw new Error(`hybridkem ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    };
    await hk(['keygen', '--suite', 'X-Wing', '--out', 'alice']);
    const enc = JSON.parse(await hk(['encapsulate', '--public-key', 'alice.pub', '--json'])) as { ciphertext: string; sharedSecret: string };
    expect(enc.sharedSecret).toMatch(/^[0-9a-f]{64}$/);
    const dec = await hk(['decapsulate', '--private-key', 'alice.key', '--ciphertext-hex', enc.ciphertext]);
    expect(dec.trim()).toBe(enc.sharedSecret);
    writeFileSync(join(project.dir, 'message.txt'), 'a message for alice\n');
    await hk(['seal', '--to', 'alice.pub', '-o', 'message.sealed', 'message.txt']);
    const opened = await hk(['open', '--key', 'alice.key', 'message.sealed']);
    expect(opened).toBe('a message for alice\n');
    await hk(['keygen', '--suite', 'MLDSA65-Ed25519-SHA512', '--out', 'signer']);
    await hk(['sign', '--key', 'signer.key', '-o', 'message.sig', 'message.txt']);
    const verified = await hk(['verify', '--public-key', 'signer.pub', '--signature', 'message.sig', 'message.txt']);
    expect(verified).toMatch(/^signature: valid$/m);
    const backends = await hk(['backends', '--json']);
    const entries = JSON.parse(backends) as { name: string; available: boolean; error?: string }[];
    expect(entries.map((b) => [b.name, b.available])).toEqual([
      ['native', true],
      ['openssl', hasOpenssl(node.version)],
      ['wasm', true],
      ['noble', true],
    ]);
    if (!hasOpenssl(node.version)) {
      expect(entries[1]!.error).toBe(
        `backend openssl: cannot load @hybridkem/openssl: @hybridkem/openssl needs Node.js >= 24.7.0 (node:crypto with ML-KEM, OpenSSL 3.5); this is Node.js v${node.version}`,
      );
    }
  });

  it('@hybridkem/transport: a hybrid-only TLS handshake and its group, in ES modules and in CommonJS', async () => {
    const { key, cert } = makeTestCertificate();
    writeFileSync(join(project.dir, 'tls-key.pem'), key);
    writeFileSync(join(project.dir, 'tls-cert.pem'), cert);
    const body = (load: string) => `${load}
const key = readFileSync('tls-key.pem'), cert = readFileSync('tls-cert.pem');
const server = createServer('hybrid-only', { key, cert }, (socket) => socket.end('hello'));
const serverSide = new Promise((resolve) => server.on('negotiated', (info) => resolve(info.group)));
server.listen(0, '127.0.0.1', () => {
  // tls.connect with the policy's options: connect() also reports the client's group, which Node 22 cannot name.
  const socket = tls.connect({ host: '127.0.0.1', port: server.address().port, ca: cert, servername: 'localhost', ...tlsOptions('hybrid-only') });
  let text = '';
  socket.on('data', (d) => (text += d));
  socket.on('end', async () => {
    console.log(await serverSide, text);
    server.close();
  });
});`;
    const esm = await project.node$(['--input-type=module', '-e', body(`import { readFileSync } from 'node:fs';\nimport tls from 'node:tls';\nimport { createServer, tlsOptions } from '@hybridkem/transport';`)]);
    expect(esm.stderr).toBe('');
    expect(esm.stdout).toBe('X25519MLKEM768 hello\n');
    const cjs = await project.node$(['--input-type=commonjs', '-e', body(`const { readFileSync } = require('node:fs');\nconst tls = require('node:tls');\nconst { createServer, tlsOptions } = require('@hybridkem/transport');`)]);
    expect(cjs.stderr).toBe('');
    expect(cjs.stdout).toBe('X25519MLKEM768 hello\n');
  });

  it('@hybridkem/mesh: installs without pkcs11js (an optional dependency that needs a compiler); an envelope issued, opened and refused as a replay, in ES modules and in CommonJS; the pkcs11 tier says what is missing', async () => {
    expect(existsSync(join(project.dir, 'node_modules/@hybridkem/mesh/package.json'))).toBe(true);
    expect(existsSync(join(project.dir, 'node_modules/pkcs11js'))).toBe(false);
    const body = `
const crypto = {
  hpke: createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM', backend }),
  signer: createSigner('MLDSA65-Ed25519-SHA512', signatureBackend),
};
const signing = () => {
  const kp = crypto.signer.keygen();
  return { publicKey: encodeSigningPublicKey(crypto.signer.suite, kp.publicKey), privateKey: encodeSigningPrivateKey(crypto.signer.suite, kp.privateKey) };
};
const anchor = signing(), issuerKeys = signing(), nodeSigning = signing();
const kem = crypto.hpke.hpkeKem.kem, kp = kem.keygen();
const kemPublicKey = encodePublicKey(kem.suite.id, kp.publicKey), kemPrivateKey = encodePrivateKey(kem.suite.id, kp.privateKey);
const record = (role, name, fields) => createDirectoryRecord({ crypto, anchorPrivateKey: anchor.privateKey, anchorPublicKey: anchor.publicKey, role, name, revision: 1, issuedAt: Date.now(), ...fields });
const directory = new TrustedDirectory({ crypto, anchorPublicKey: anchor.publicKey });
directory.add(record('issuer', 'issuer-1', { signingPublicKey: issuerKeys.publicKey, keyNamePattern: 'svc-*' }));
directory.add(record('node', 'node-a', { kemPublicKey, signingPublicKey: nodeSigning.publicKey }));
const receiver = createReceiver({ crypto, kemPrivateKey, kemPublicKey, directory, store: createMemoryNodeStore() });
const issuer = createIssuer({ crypto, signingPrivateKey: issuerKeys.privateKey, signingPublicKey: issuerKeys.publicKey });
const envelope = await issuer.issue({ recipientKemPublicKey: kemPublicKey, keyName: 'svc-db', version: 1, key: new Uint8Array(32).fill(7) });
const applied = await receiver.receive(envelope.bytes);
let replay;
try { await receiver.receive(envelope.bytes); } catch (e) { replay = [e instanceof EnvelopeRefusedError, e.reason]; }
let tier;
try { await openPkcs11Tier({ module: '/nonexistent/libsofthsm2.so', token: 't', pin: '1234', keyLabel: 'k' }); } catch (e) { tier = [e instanceof KeyStoreError, e.reason, e.message.split(':')[0]]; }
console.log(JSON.stringify({ keyName: applied.keyName, version: applied.version, key: [...applied.key].every((b) => b === 7), replay, tier }));`;
    const names = 'createDirectoryRecord, createIssuer, createMemoryNodeStore, createReceiver, EnvelopeRefusedError, KeyStoreError, openPkcs11Tier, TrustedDirectory';
    const expected = { keyName: 'svc-db', version: 1, key: true, replay: [true, 'replay'], tier: [true, 'unavailable', 'the pkcs11 tier needs the optional dependency pkcs11js, which did not build'] };
    const esm = await project.node$([
      '--input-type=module',
      '-e',
      `import { ${names} } from '@hybridkem/mesh';
import { encodePrivateKey, encodePublicKey } from '@hybridkem/core';
import { backend, signatureBackend } from '@hybridkem/noble';
import { createHpkeSuite } from '@hybridkem/seal';
import { createSigner, encodeSigningPrivateKey, encodeSigningPublicKey } from '@hybridkem/signing';
${body}`,
    ]);
    expect(esm.stderr).toBe('');
    expect(JSON.parse(esm.stdout)).toEqual(expected);
    const cjs = await project.node$([
      '--input-type=commonjs',
      '-e',
      `const { ${names} } = require('@hybridkem/mesh');
const { encodePrivateKey, encodePublicKey } = require('@hybridkem/core');
const { backend, signatureBackend } = require('@hybridkem/noble');
const { createHpkeSuite } = require('@hybridkem/seal');
const { createSigner, encodeSigningPrivateKey, encodeSigningPublicKey } = require('@hybridkem/signing');
(async () => {${body}
})();`,
    ]);
    expect(cjs.stderr).toBe('');
    expect(JSON.parse(cjs.stdout)).toEqual(expected);
  });

  it('without native, getBackend() takes openssl (Node ≥ 24.7) or wasm (Node 22, saying why not openssl) with one notice; then wasm, then noble, with one each', async () => {
    rmSync(join(project.dir, 'node_modules/@hybridkem/native'), { recursive: true, force: true });
    if (hasOpenssl(node.version)) {
      const openssl = await project.node$(['snippet.mjs']);
      expect(openssl.stdout.trim()).toBe('openssl true');
      expect(notices(openssl.stderr)).toHaveLength(1);
      expect(notices(openssl.stderr)[0]).toMatch(/HYBRIDKEM_BACKEND_FALLBACK.*using the openssl backend.*\(native: .*@hybridkem\/native[^;]*\)$/);
      // The CLI's auto selection passes over openssl where a command needs
      // what node:crypto cannot do: caller-chosen encapsulation randomness,
      // deterministic ML-DSA. Same inputs, same bytes, from the next backend.
      const hk = async (args: string[]) => {
        const r = await project.npm$(['exec', '--offline', '--', 'hybridkem', ...args]);
        if (r.code !== 0) throw new Error(`hybridkem ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
        return r.stdout;
      };
      const randomness = 'ab'.repeat(64);
      const enc = [0, 1].map(async () => JSON.parse(await hk(['encapsulate', '--public-key', 'alice.pub', '--randomness', randomness, '--json'])) as { backend: string; ciphertext: string });
      const [e1, e2] = await Promise.all(enc);
      expect(e1!.backend).not.toBe('openssl');
      expect(e1!.ciphertext).toBe(e2!.ciphertext);
      const sig = [0, 1].map(async () => JSON.parse(await hk(['sign', '--key', 'signer.key', '--deterministic', '--json', 'message.txt'])) as { signature: string });
      const [s1, s2] = await Promise.all(sig);
      expect(s1!.signature).toBe(s2!.signature);
      const hedged = JSON.parse(await hk(['sign', '--key', 'signer.key', '--json', 'message.txt'])) as { signature: string };
      expect(hedged.signature).not.toBe(s1!.signature);
      rmSync(join(project.dir, 'node_modules/@hybridkem/openssl'), { recursive: true, force: true });
    }
    const wasm = await project.node$(['snippet.mjs']);
    expect(wasm.stdout.trim()).toBe('wasm true');
    expect(notices(wasm.stderr)).toHaveLength(1);
    expect(notices(wasm.stderr)[0]).toMatch(/HYBRIDKEM_BACKEND_FALLBACK.*using the wasm backend.*native: .*@hybridkem\/native.*; openssl: .*@hybridkem\/openssl/);
    if (!hasOpenssl(node.version)) {
      expect(notices(wasm.stderr)[0]).toContain(`@hybridkem/openssl needs Node.js >= 24.7.0 (node:crypto with ML-KEM, OpenSSL 3.5); this is Node.js v${node.version}`);
    }
    rmSync(join(project.dir, 'node_modules/@hybridkem/wasm'), { recursive: true, force: true });
    const noble = await project.node$(['snippet.cjs']);
    expect(noble.stdout.trim()).toBe('noble true');
    expect(notices(noble.stderr)).toHaveLength(1);
    expect(notices(noble.stderr)[0]).toMatch(/using the noble backend.*native: .*openssl: .*wasm: /);
  });
});
