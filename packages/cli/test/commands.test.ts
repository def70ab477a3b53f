/** backends, inspect, vectors, --help and --version. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  armor,
  dearmor,
  decodePrivateKey,
  encodeCiphertext,
  encodePrivateKey,
  encodePublicKey,
  hexToBytes,
  keyId,
  XWING,
} from '@hybridkem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, hybridkem, ok, okJson, SHARED_VECTORS, sharedVectorsState, tempDirForFile } from './helpers.js';

const tmp = tempDirForFile();

describe('backends', () => {
  it('--json is an array with noble available and positive measured rates', async () => {
    const entries = JSON.parse(await ok(['backends', '--json'])) as Record<string, unknown>[];
    expect(Array.isArray(entries)).toBe(true);
    expect(entries.map((e) => e.name)).toEqual(['native', 'openssl', 'wasm', 'noble']);
    const noble = entries.find((e) => e.name === 'noble')!;
    expect(noble.available).toBe(true);
    expect(typeof noble.version).toBe('string');
    expect(noble.implementation).toMatch(/noble/);
    expect(noble.constantTime).toBe(false);
    const ops = noble.opsPerSecond as { encapsulate: number; decapsulate: number };
    expect(ops.encapsulate).toBeGreaterThan(0);
    expect(ops.decapsulate).toBeGreaterThan(0);
    expect(Number.isFinite(ops.encapsulate) && Number.isFinite(ops.decapsulate)).toBe(true);
    for (const e of entries) {
      if (e.available) continue;
      expect(typeof e.error).toBe('string');
      expect(e.error).toMatch(new RegExp(`^backend ${String(e.name)}: `));
      expect(e).not.toHaveProperty('opsPerSecond');
    }
  });

  it('human output says why unavailable backends do not load', async () => {
    const out = await ok(['backends']);
    expect(out).toMatch(/^noble: available/m);
    expect(out).toMatch(/X25519-MLKEM768: encapsulate [\d.]+ ops\/s, decapsulate [\d.]+ ops\/s/);
    expect(out).toMatch(/^auto selects: /m);
    for (const name of ['native', 'openssl', 'wasm']) expect(out).toMatch(new RegExp(`^${name}: (available|not available: .+)`, 'm'));
  });

  it('--backend noble reports just that backend', async () => {
    const entries = JSON.parse(await ok(['backends', '--json', '--backend', 'noble'])) as { name: string }[];
    expect(entries.map((e) => e.name)).toEqual(['noble']);
  });
});

describe('inspect', () => {
  let pubPath: string;
  let keyPath: string;
  let ctPath: string;
  let pubText: string;
  beforeAll(async () => {
    await ok(['keygen', '--suite', 'X25519-MLKEM768', '--out', tmp.file('i')]);
    pubPath = tmp.file('i.pub');
    keyPath = tmp.file('i.key');
    pubText = await readFile(pubPath, 'utf8');
    const enc = JSON.parse(await ok(['encapsulate', '--public-key', pubPath, '--json'])) as { encoded: { ciphertext: string } };
    ctPath = tmp.file('i.ct');
    await writeFile(ctPath, dearmor(enc.encoded.ciphertext).encoded); // binary
  });

  it('a public key: version, kind, suite with hex id, length, and the key id core computes', async () => {
    const out = await ok(['inspect', pubPath]);
    expect(out).toMatch(/^version: +1$/m);
    expect(out).toMatch(/^kind: +public key$/m);
    expect(out).toMatch(/^suite: +X25519-MLKEM768 \(0xff01\)$/m);
    expect(out).toMatch(/^length: +1216 bytes/m);
    const id = keyId(dearmor(pubText).encoded);
    expect(out).toMatch(new RegExp(`^key id: +${id}$`, 'm'));
    const json = await okJson<Record<string, unknown>>(['inspect', pubPath]);
    expect(json).toMatchObject({ version: 1, kind: 'publicKey', suite: 'X25519-MLKEM768', suiteId: 0xff01, length: 1216, keyId: id });
    expect(json.publicKey).toBe(Buffer.from(dearmor(pubText).encoded.subarray(4)).toString('hex'));
    expect((json.encoded as Record<string, string>).publicKey).toBe(pubText);
  });

  it('a binary ciphertext', async () => {
    const json = await okJson<Record<string, unknown>>(['inspect', ctPath]);
    expect(json).toMatchObject({ format: 'binary', kind: 'ciphertext', suite: 'X25519-MLKEM768', length: 1120 });
    expect(json.ciphertext).toBe(Buffer.from((await readFile(ctPath)).subarray(4)).toString('hex'));
    expect(json).not.toHaveProperty('keyId');
  });

  it('a private key: never its bytes, unless --json --reveal', async () => {
    const keyText = await readFile(keyPath, 'utf8');
    const seed = Buffer.from(decodePrivateKey(dearmor(keyText).encoded).privateKey).toString('hex');
    const b64 = keyText.split('\n')[1]!;
    const human = await ok(['inspect', keyPath]);
    expect(human).toMatch(/^kind: +private key$/m);
    expect(human).toMatch(/^length: +32 bytes$/m);
    expect(human).toContain(keyId(dearmor(pubText).encoded)); // its public key's id
    expect(human).not.toContain(seed);
    expect(human).not.toContain(b64);
    const json = await ok(['inspect', keyPath, '--json']);
    expect(json).not.toContain(seed);
    expect(json).not.toContain(b64);
    expect(JSON.parse(json)).not.toHaveProperty('privateKey');
    const revealed = await okJson<Record<string, unknown>>(['inspect', keyPath, '--reveal']);
    expect(revealed.privateKey).toBe(seed);
  });
});

describe('the single-algorithm suites (spec §1.4)', () => {
  const shared = sharedVectorsState();
  // hpke-pq's skRm is our private key (d ‖ z for ML-KEM alone, the X25519 key for DHKEM), pkRm its public key.
  const hpke = (kemId: number): { skRm: string; pkRm: string } =>
    (JSON.parse(readFileSync(join(SHARED_VECTORS, 'hpke-pq/test-vectors.json'), 'utf8')) as { kem_id: number; skRm: string; pkRm: string }[]).find(
      (v) => v.kem_id === kemId,
    )!;

  it.skipIf(shared !== 'present').each([
    ['ML-KEM-768', 0x0041, 64],
    ['ML-KEM-1024', 0x0042, 64],
    ['DHKEM-X25519-HKDF-SHA256', 0x0020, 32],
  ] as const)('%s (kem %i): keygen --seed gives hpke-pq\'s pkRm; inspect shows the private key\'s length, not its bytes', async (suite, kemId, skLength) => {
    const v = hpke(kemId);
    const json = await okJson<{ publicKey: string; privateKey: string }>(['keygen', '--suite', suite, '--seed', v.skRm]);
    expect(json.publicKey).toBe(v.pkRm);
    expect(json.privateKey).toBe(v.skRm);
    const prefix = tmp.file(`single-${kemId}`);
    await ok(['keygen', '--suite', suite, '--seed', v.skRm, '--out', prefix]);
    const human = await ok(['inspect', `${prefix}.key`]);
    expect(human).toMatch(new RegExp(`^suite: +${suite} \\(0x${kemId.toString(16).padStart(4, '0')}\\)$`, 'm'));
    expect(human).toMatch(new RegExp(`^length: +${skLength} bytes$`, 'm'));
    expect(human).not.toContain(v.skRm);
    // A seed of another length (32 bytes for ML-KEM's 64, 31 for DHKEM's 32) is refused in one line.
    const r = await hybridkem(['keygen', '--suite', suite, '--seed', skLength === 64 ? v.skRm.slice(0, 64) : v.skRm.slice(0, 62)]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

/** A spec/WIRE-FORMAT.md §5 file for X-Wing built from the published X-Wing vectors. */
function xwingVectorFile(): unknown {
  const published = JSON.parse(readFileSync(join(SHARED_VECTORS, 'xwing/test-vectors.json'), 'utf8')) as Record<string, string>[];
  return {
    suite: XWING.name,
    suiteId: XWING.id,
    construction: XWING.construction,
    generator: 'packages/cli/test/commands.test.ts',
    vectors: published.map((v) => {
      const pk = hexToBytes('pk', v.pk!);
      const sk = hexToBytes('seed', v.seed!);
      const ct = hexToBytes('ct', v.ct!);
      const encoded = {
        publicKey: encodePublicKey(XWING, pk),
        privateKey: encodePrivateKey(XWING, sk),
        ciphertext: encodeCiphertext(XWING, ct),
      };
      const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
      return {
        seed: v.seed,
        randomness: v.eseed,
        expandedSeed: createHash('shake256', { outputLength: 96 }).update(sk).digest('hex'),
        publicKey: v.pk,
        ciphertext: v.ct,
        sharedSecret: v.ss,
        encoded: { publicKey: hex(encoded.publicKey), privateKey: hex(encoded.privateKey), ciphertext: hex(encoded.ciphertext) },
        armored: { publicKey: armor(encoded.publicKey), privateKey: armor(encoded.privateKey), ciphertext: armor(encoded.ciphertext) },
        keyId: keyId(encoded.publicKey),
      };
    }),
  };
}

describe('vectors --check', () => {
  const shared = sharedVectorsState();

  it.skipIf(shared !== 'present')('passes on vectors that match, fails naming the field that does not', async () => {
    const good = tmp.file('good');
    const bad = tmp.file('bad');
    await mkdir(good);
    await mkdir(bad);
    const file = xwingVectorFile() as { vectors: { sharedSecret: string }[] };
    await writeFile(join(good, 'x-wing.json'), JSON.stringify(file));
    const out = await ok(['vectors', '--check', '--dir', good]);
    expect(out).toMatch(/X-Wing +3\/3 match/);

    const v1 = file.vectors[1]!;
    v1.sharedSecret = (v1.sharedSecret[0] === '0' ? '1' : '0') + v1.sharedSecret.slice(1);
    await writeFile(join(bad, 'x-wing.json'), JSON.stringify(file));
    const r = await hybridkem(['vectors', '--check', '--dir', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/X-Wing +2\/3 match/);
    expect(r.stdout).toMatch(/vector 1: differs in sharedSecret, sharedSecret \(decapsulate\)/);
    const json = JSON.parse((await hybridkem(['vectors', '--check', '--dir', bad, '--json'])).stdout) as {
      ok: boolean;
      suites: { suite: string; total: number; matched: number }[];
    };
    expect(json.ok).toBe(false);
    expect(json.suites).toEqual([expect.objectContaining({ suite: 'X-Wing', total: 3, matched: 2 })]);
  });

  // node:crypto has ML-KEM from Node 24.7 (the openssl backend); elsewhere that backend does not load.
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const opensslLoads = major > 24 || (major === 24 && minor >= 7);
  it.skipIf(shared !== 'present')(
    `--backend openssl (draws its own randomness): ${opensslLoads ? 'keys, decapsulation and a round trip are checked' : 'not available on this Node'}`,
    async () => {
      const good = tmp.file('openssl-good');
      const bad = tmp.file('openssl-bad');
      await mkdir(good);
      await mkdir(bad);
      const file = xwingVectorFile() as { vectors: { sharedSecret: string }[] };
      await writeFile(join(good, 'x-wing.json'), JSON.stringify(file));
      if (!opensslLoads) {
        const r = await hybridkem(['vectors', '--check', '--dir', good, '--backend', 'openssl']);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/@hybridkem\/openssl needs Node\.js >= 24\.7\.0/);
        return;
      }
      const out = await ok(['vectors', '--check', '--dir', good, '--backend', 'openssl']);
      expect(out).toMatch(/backend openssl:\n +\(openssl draws its own encapsulation randomness/);
      expect(out).toMatch(/X-Wing +3\/3 match/);
      const v1 = file.vectors[1]!;
      v1.sharedSecret = (v1.sharedSecret[0] === '0' ? '1' : '0') + v1.sharedSecret.slice(1);
      await writeFile(join(bad, 'x-wing.json'), JSON.stringify(file));
      const r = await hybridkem(['vectors', '--check', '--dir', bad, '--backend', 'openssl']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/vector 1: differs in sharedSecret \(decapsulate\)\n/);
    },
  );

  it('fails with a clear error on a directory without vectors', async () => {
    const empty = tmp.file('empty');
    await mkdir(empty);
    const r = await hybridkem(['vectors', '--check', '--dir', empty]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^hybridkem: no vectors: no <suite>\.json vector files in /);
  });

  it('checks the bundled copy of spec/vectors (or says it has none)', async () => {
    const bundled = resolve(CLI, '../vectors');
    const files = existsSync(bundled) ? readdirSync(bundled).filter((n) => n.endsWith('.json')) : [];
    const r = await hybridkem(['vectors', '--check', '--json']);
    if (files.length === 0) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/no vectors: .*bundled no spec\/vectors/);
      return;
    }
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; suites: { total: number; matched: number }[] };
    expect(report.ok).toBe(true);
    expect(report.suites.length).toBeGreaterThan(0);
    for (const s of report.suites) expect(s.matched).toBe(s.total);
  });
});

describe('help and version', () => {
  it('--version prints the package version', async () => {
    const manifest = JSON.parse(readFileSync(resolve(CLI, '../../package.json'), 'utf8')) as { version: string };
    expect(await ok(['--version'])).toBe(`${manifest.version}\n`);
  });

  it('--help lists every command; each command has its own --help', async () => {
    const overall = await ok(['--help']);
    for (const name of ['keygen', 'encapsulate', 'decapsulate', 'inspect', 'backends', 'vectors']) {
      expect(overall).toContain(`  ${name}`);
      const help = await ok([name, '--help']);
      expect(help).toMatch(new RegExp(`^hybridkem ${name}: `));
      expect(help).toContain('--backend NAME');
      expect(help).toContain('--json');
    }
    expect(await ok(['keygen', '--help'])).toContain('--seed HEX');
    expect(await ok(['help', 'decapsulate'])).toContain('--ciphertext-hex HEX');
  });
});
