/**
 * `hybridkem audit verify` (spec/MESH.md §8): exit 0 and the head for an
 * intact log; exit 1 naming the first bad entry for an edit, a deletion, a
 * reorder and truncations; the expected head given on the command line or
 * read from a JetStream mirror on a real nats-server; exit 2 for usage
 * errors. Expected hashes come from the spec's definition, computed here.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mirrorAuditLog, openAuditLog, AUDIT_STREAM, AUDIT_SUBJECT } from '@hybridkem/mesh';
import { signatureBackend } from '@hybridkem/noble';
import { createSigner, encodeSigningPrivateKey, encodeSigningPublicKey, signingKeyId } from '@hybridkem/signing';
import { requireNatsServer, startNatsServer, type NatsServer } from '@hybridkem/test-runtimes/nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUDIT_STREAM, DEFAULT_AUDIT_SUBJECT } from '../src/commands/audit.js';
import { cliBuilt, hybridkem, tempDir } from './helpers.js';

const signer = createSigner('MLDSA44-Ed25519-SHA512', signatureBackend);
const keyPair = (fill: number) => {
  const kp = signer.keygen(new Uint8Array(signer.suite.lengths.seed).fill(fill));
  return { publicKey: encodeSigningPublicKey(signer.suite, kp.publicKey), privateKey: encodeSigningPrivateKey(signer.suite, kp.privateKey) };
};
const A = keyPair(3);
const B = keyPair(4);
const hashOf = (line: string) => createHash('sha256').update('hybridkem/v1/mesh/audit\0').update(line, 'utf8').digest('hex');

let tmp: Awaited<ReturnType<typeof tempDir>>;
let logPath: string;
let lines: string[];
let pubA: string;
let pubB: string;

/** 10 events with K = 4: checkpoints at seq 5, 10 and 13 (on close). */
async function writeLog(path: string): Promise<string[]> {
  const log = await openAuditLog(path, { signer, signingPrivateKey: A.privateKey, signingPublicKey: A.publicKey, checkpointEvery: 4 });
  for (let i = 0; i < 10; i++) await log.append('issue', { envelope: `env-${i}`, version: i + 1 });
  await log.close();
  return (await readFile(path, 'utf8')).trimEnd().split('\n');
}

beforeAll(async () => {
  cliBuilt();
  tmp = await tempDir();
  logPath = join(tmp.path, 'audit.log');
  lines = await writeLog(logPath);
  pubA = join(tmp.path, 'a.pub');
  pubB = join(tmp.path, 'b.pub');
  await writeFile(pubA, A.publicKey);
  await writeFile(pubB, B.publicKey);
});
afterAll(async () => {
  await tmp?.cleanup();
});

async function variant(name: string, ls: string[], tail = '\n'): Promise<string> {
  const p = join(tmp.path, name);
  await writeFile(p, ls.join('\n') + tail);
  return p;
}

const run = (...args: string[]) => hybridkem(['audit', 'verify', '--backend', 'noble', ...args]);

describe('hybridkem audit verify', () => {
  it('an intact log: exit 0, the count and the head', async () => {
    const r = await run('--signer', pubA, logPath);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${logPath}: intact`);
    expect(r.stdout).toContain('entries: 13 (3 checkpoints)');
    expect(r.stdout).toContain(`head: 13:${hashOf(lines[12]!)}`);
    expect(r.stdout).toContain(`signers: ${signingKeyId(A.publicKey)}`);
    const withHead = await run('--signer', pubB, '--signer', pubA, '--expect-head', `13:${hashOf(lines[12]!).toUpperCase()}`, logPath);
    expect(withHead.code).toBe(0);
    expect(withHead.stdout).toContain('expected head: matches');
    const json = await run('--signer', pubA, '--json', logPath);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, entries: 13, checkpoints: 3, head: { count: 13, hash: hashOf(lines[12]!) }, signers: [signingKeyId(A.publicKey)] });
  });

  const cases: [string, () => string[], string, number, string?][] = [
    ['an edited value', () => lines.map((l, i) => (i === 2 ? l.replace('"envelope":"env-2"', '"envelope":"env-9"') : l)), 'bad-signature', 3],
    ['a deleted entry', () => lines.filter((_, i) => i !== 6), 'bad-seq', 7],
    ['two entries swapped', () => lines.map((l, i) => (i === 6 ? lines[7]! : i === 7 ? lines[6]! : l)), 'bad-seq', 7],
    ['a duplicated entry', () => [...lines.slice(0, 8), lines[7]!, ...lines.slice(8)], 'bad-seq', 9],
    ['a cut mid-block', () => lines.slice(0, 7), 'not-checkpointed', 6, 'entries after seq 5 are not covered by a checkpoint: truncated, or the writer did not close the log'],
  ];
  for (const [what, make, reason, line, text] of cases) {
    it(`${what}: exit 1 naming line ${line} (${reason})`, async () => {
      const changed = make();
      expect(changed.join('\n')).not.toBe(lines.join('\n'));
      const p = await variant(`${reason}-${line}.log`, changed);
      const r = await run('--signer', pubA, p);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`${p}: NOT INTACT`);
      expect(r.stdout).toContain(`first bad entry: line ${line} (seq ${line}): `);
      expect(r.stdout).toContain(`[${reason}]`);
      if (text) expect(r.stdout).toContain(text);
      const json = JSON.parse((await run('--signer', pubA, '--json', p)).stdout) as Record<string, unknown>;
      expect(json).toMatchObject({ ok: false, reason, line, seq: line });
    });
  }

  it('a cut mid-line: exit 1, partial line', async () => {
    const p = await variant('partial.log', [...lines.slice(0, 12), lines[12]!.slice(0, 300)], '');
    const r = await run('--signer', pubA, p);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('first bad entry: line 13 (seq 13)');
    expect(r.stdout).toContain('[partial-line]');
  });

  it('a cut exactly at a checkpoint: exit 0 alone (and says what it cannot show), exit 1 with the expected head', async () => {
    const p = await variant('cut.log', lines.slice(0, 10));
    const alone = await run('--signer', pubA, p);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('expected head: not given');
    const r = await run('--signer', pubA, '--expect-head', `13:${hashOf(lines[12]!)}`, p);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('first bad entry: line 11 (seq 11): the log ends at seq 10 but the expected head is at seq 13: truncated [head-missing]');
  });

  it('a log signed by a key not given: exit 1, unknown signer at line 1', async () => {
    const r = await run('--signer', pubB, logPath);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`first bad entry: line 1 (seq 1): signed by key ${signingKeyId(A.publicKey)}, which is not a trusted signer [unknown-signer]`);
  });

  it('usage errors: exit 2', async () => {
    for (const args of [
      [logPath],
      ['--signer', pubA, '--expect-head', '13', logPath],
      ['--signer', pubA, '--expect-head', `x:${'0'.repeat(64)}`, logPath],
      ['--signer', pubA, '--expect-head', `1:${'0'.repeat(64)}`, '--nats', 'nats://127.0.0.1:1', logPath],
      ['--signer', pubA, '--stream', 'S', logPath],
      ['--signer', pubA],
    ]) {
      const r = await run(...args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stdout).toBe('');
    }
    const missing = await run('--signer', pubA, join(tmp.path, 'none.log'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });

  it('the defaults named in help are the package\'s', () => {
    expect([DEFAULT_AUDIT_STREAM, DEFAULT_AUDIT_SUBJECT]).toEqual([AUDIT_STREAM, AUDIT_SUBJECT]);
  });
});

describe('hybridkem audit verify --nats', () => {
  let server: NatsServer | undefined;
  beforeAll(async () => {
    requireNatsServer();
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reads the expected head from the JetStream mirror: intact passes, a cut at a checkpoint fails', async () => {
    const path = join(tmp.path, 'mirrored.log');
    const log = await openAuditLog(path, { signer, signingPrivateKey: A.privateKey, signingPublicKey: A.publicKey, checkpointEvery: 4 });
    const mirror = await mirrorAuditLog(log, server!.url, { subject: 'audit.cli' });
    try {
      for (let i = 0; i < 5; i++) await log.append('deliver', { i });
      await log.close(); // seq 1-4, checkpoint 5, seq 6, checkpoint 7
    } finally {
      await mirror.stop();
    }
    expect(mirror.published()).toBe(7);
    const mirrored = (await readFile(path, 'utf8')).trimEnd().split('\n');
    const ok = await run('--signer', pubA, '--nats', server!.url, '--subject', 'audit.cli', path);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`head: 7:${hashOf(mirrored[6]!)}`);
    expect(ok.stdout).toContain('expected head: matches');

    const cut = await variant('mirrored-cut.log', mirrored.slice(0, 5));
    expect((await run('--signer', pubA, cut)).code).toBe(0);
    const r = await run('--signer', pubA, '--nats', server!.url, '--stream', 'HYBRIDKEM_AUDIT', '--subject', 'audit.cli', cut);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('first bad entry: line 6 (seq 6): the log ends at seq 5 but the expected head is at seq 7: truncated [head-missing]');
  });

  it('an unreachable server: exit 1, the URL without its password', async () => {
    const r = await run('--signer', pubA, '--nats', 'nats://user:secret@127.0.0.1:1', logPath);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read the head from nats://…@127.0.0.1:1');
    expect(r.stderr).not.toContain('secret');
  });
});
