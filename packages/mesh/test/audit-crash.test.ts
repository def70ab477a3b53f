/**
 * The audit writer killed with SIGKILL while appending (spec/MESH.md §8.4):
 * every append that resolved is in the file after the crash; the next writer
 * (another process) resumes the chain past the crash, even a kill in the
 * middle of a write, and once closed the log verifies. The writer runs the
 * built package (test/audit-child.mjs imports dist).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnProcess, stopProcess } from '@hybridkem/core/testing';
import { signatureBackend } from '@hybridkem/noble';
import { createSigner, encodeSigningPrivateKey, encodeSigningPublicKey } from '@hybridkem/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog, verifyAuditLog } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, 'audit-child.mjs');
const DIST = resolve(here, '../dist/index.js');

const signer = createSigner('MLDSA44-Ed25519-SHA512', signatureBackend);
const kp = signer.keygen(new Uint8Array(signer.suite.lengths.seed).fill(9));
const publicKey = encodeSigningPublicKey(signer.suite, kp.publicKey);
const privateKey = encodeSigningPrivateKey(signer.suite, kp.privateKey);

let dir: string;
beforeAll(async () => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build @hybridkem/mesh first (its test task does)`);
  dir = await mkdtemp(join(tmpdir(), 'hybridkem-audit-crash-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts a writer, waits until it has acknowledged `acks` appends, SIGKILLs it; returns its open head and last ack. */
async function runAndKill(path: string, acks: number): Promise<{ opened: number; lastAck: number }> {
  const child = spawnProcess(process.execPath, [CHILD, path], {
    env: { ...process.env, AUDIT_TEST_PUBLIC_KEY: Buffer.from(publicKey).toString('hex'), AUDIT_TEST_PRIVATE_KEY: Buffer.from(privateKey).toString('hex') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    const result = await new Promise<{ opened: number; lastAck: number }>((done, fail) => {
      let opened = -1;
      let seen = 0;
      let lastAck = -1;
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const lines = out.split('\n');
        out = lines.pop()!;
        for (const l of lines) {
          const [word, n] = l.split(' ');
          if (word === 'open') opened = Number(n);
          if (word === 'ack') {
            lastAck = Number(n);
            if (++seen === acks) {
              // Killed while it goes on appending: possibly mid-write.
              process.kill(-child.pid!, 'SIGKILL');
              done({ opened, lastAck });
            }
          }
        }
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') fail(new Error(`writer exited ${code ?? signal} before ${acks} acks: ${err.slice(-2000)}`));
      });
    });
    // Acks printed after the one that triggered the kill may still be in the pipe: read them.
    await new Promise<void>((r) => child.once('close', () => r()));
    for (const l of out.split('\n')) if (l.startsWith('ack ')) result.lastAck = Math.max(result.lastAck, Number(l.slice(4)));
    return result;
  } finally {
    await stopProcess(child);
  }
}

describe('a writer killed mid-append', () => {
  it('keeps every acknowledged entry; the next writer resumes; the closed log verifies', async () => {
    const path = join(dir, 'crash.jsonl');
    const first = await runAndKill(path, 12);
    expect(first.opened).toBe(0);
    const afterFirst = await readFile(path, 'utf8');
    const complete = afterFirst.slice(0, afterFirst.lastIndexOf('\n') + 1).split('\n').slice(0, -1);
    expect(complete.length).toBeGreaterThanOrEqual(first.lastAck);

    const second = await runAndKill(path, 7);
    // Everything acknowledged before the crash is still there, unchanged.
    expect(second.opened).toBeGreaterThanOrEqual(first.lastAck);
    const afterSecond = (await readFile(path, 'utf8')).split('\n');
    expect(afterSecond.slice(0, first.lastAck)).toEqual(complete.slice(0, first.lastAck));
    expect(second.lastAck).toBeGreaterThanOrEqual(second.opened + 7);

    const log = await openAuditLog(path, { signer, signingPrivateKey: privateKey, signingPublicKey: publicKey, checkpointEvery: 5 });
    expect(log.head().count).toBeGreaterThanOrEqual(second.lastAck);
    const head = await log.close();
    const r = await verifyAuditLog(path, { signingPublicKeys: [publicKey], backend: signatureBackend });
    expect(r).toMatchObject({ ok: true, entries: head.count, head });
    // Two writer processes' entries, in one chain.
    const pids = new Set((await readFile(path, 'utf8')).trimEnd().split('\n').map((l) => (JSON.parse(l) as { data: { pid?: number } }).data.pid).filter((p) => p !== undefined));
    expect(pids.size).toBe(2);
  });
});
