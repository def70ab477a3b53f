/**
 * The audit log (spec/MESH.md §8): an intact log verifies; every kind of
 * tampering is caught and the first bad entry is named; resume, torn lines
 * and the writer lock. Expected hashes and signed bytes are computed here
 * from the spec's definitions with node:crypto and string surgery, not with
 * the code under test.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signatureBackend } from '@hybridkem/noble';
import { createSigner, encodeSigningPrivateKey, encodeSigningPublicKey, signingKeyId } from '@hybridkem/signing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_FAILURES, AuditLogError, MAX_LINE_BYTES, openAuditLog, verifyAuditLog, type AuditHead, type AuditVerifyResult } from '../src/audit/index.js';

const signer = createSigner('MLDSA44-Ed25519-SHA512', signatureBackend);

function keys(fill: number) {
  const kp = signer.keygen(new Uint8Array(signer.suite.lengths.seed).fill(fill));
  return {
    publicKey: encodeSigningPublicKey(signer.suite, kp.publicKey),
    privateKey: encodeSigningPrivateKey(signer.suite, kp.privateKey),
    raw: kp,
  };
}
const A = keys(1);
const B = keys(2);

/** spec/MESH.md §8.3: SHA-256("hybridkem/v1/mesh/audit" ‖ 0x00 ‖ line). */
const hashOf = (line: string) =>
  createHash('sha256').update('hybridkem/v1/mesh/audit\0').update(line, 'utf8').digest('hex');

/** §8.2: the signed body is the line without its "sig" member (which sorts between "seq" and "signer"). */
const bodyOf = (line: string) => {
  const out = line.replace(/"sig":"[A-Za-z0-9+/=]*",/, '');
  expect(out).not.toBe(line);
  return out;
};

function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t++ };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hybridkem-audit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
const fresh = () => join(dir, `log-${++n}.jsonl`);

/** 10 events, K = 4: seqs 1-4 events, 5 checkpoint, 6-9 events, 10 checkpoint, 11-12 events, 13 closing checkpoint. */
async function writeReference(path = fresh(), key = A): Promise<{ path: string; lines: string[]; head: AuditHead }> {
  const log = await openAuditLog(path, { signer, signingPrivateKey: key.privateKey, signingPublicKey: key.publicKey, clock: fakeClock(), checkpointEvery: 4 });
  for (let i = 0; i < 10; i++) {
    await log.append(i % 2 ? 'deliver' : 'issue', { envelope: `env-${i}`, node: 'node-a', version: i + 1, ok: true });
  }
  const head = await log.close();
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return { path, lines: text.slice(0, -1).split('\n'), head };
}

const verifyText = (text: string, opts: { keys?: Uint8Array[]; expectHead?: AuditHead } = {}) =>
  verifyAuditLog(new TextEncoder().encode(text), {
    signingPublicKeys: opts.keys ?? [A.publicKey],
    backend: signatureBackend,
    ...(opts.expectHead ? { expectHead: opts.expectHead } : {}),
  });

/** `line` with `from` replaced by `to`; `from` must be there. */
function edit(line: string, from: string, to: string): string {
  expect(line).toContain(from);
  return line.replace(from, to);
}

const joinLines = (lines: string[]) => `${lines.join('\n')}\n`;

function expectBad(r: AuditVerifyResult, reason: string, line: number) {
  if (r.ok) throw new Error(`expected ${reason} at line ${line}, but the log verified`);
  expect({ reason: r.reason, line: r.line }).toEqual({ reason, line });
  expect(r.message).toContain(`line ${line}`);
}

describe('an intact log', () => {
  let ref: Awaited<ReturnType<typeof writeReference>>;
  beforeAll(async () => {
    ref = await writeReference();
  });

  it('has the layout of §8: consecutive seqs, checkpoints every K events and on close, a hash chain, one signer', () => {
    expect(ref.lines).toHaveLength(13);
    const entries = ref.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(entries.map((e) => e.type)).toEqual([
      'issue', 'deliver', 'issue', 'deliver', 'checkpoint', 'issue', 'deliver', 'issue', 'deliver', 'checkpoint', 'issue', 'deliver', 'checkpoint',
    ]);
    expect(entries[0]!.prev).toBe('0'.repeat(64));
    for (let i = 1; i < 13; i++) expect(entries[i]!.prev).toBe(hashOf(ref.lines[i - 1]!));
    expect(entries[4]!.data).toEqual({ count: 4, head: hashOf(ref.lines[3]!) });
    expect(entries[12]!.data).toEqual({ count: 12, head: hashOf(ref.lines[11]!) });
    expect(new Set(entries.map((e) => e.signer))).toEqual(new Set([signingKeyId(A.publicKey)]));
    expect(ref.head).toEqual({ count: 13, hash: hashOf(ref.lines[12]!) });
    // Members in RFC 8785 order (sorted), no whitespace.
    expect(ref.lines[0]!.startsWith('{"data":{"envelope":"env-0","node":"node-a","ok":true,"version":1},"prev":"')).toBe(true);
    expect(Object.keys(entries[0]!)).toEqual(['data', 'prev', 'seq', 'sig', 'signer', 'time', 'type', 'v']);
  });

  it('signs the body (the line without "sig") with ctx "hybridkem/v1/mesh/audit"', () => {
    for (const line of [ref.lines[0]!, ref.lines[4]!]) {
      const sig = Buffer.from((JSON.parse(line) as { sig: string }).sig, 'base64');
      const body = new TextEncoder().encode(bodyOf(line));
      const context = new TextEncoder().encode('hybridkem/v1/mesh/audit');
      expect(signer.verify(A.raw.publicKey, body, sig, { context }).valid).toBe(true);
      expect(signer.verify(A.raw.publicKey, body, sig).valid).toBe(false);
    }
  });

  it('verifies from a path and from bytes, with and without the expected head', async () => {
    const want = { ok: true, entries: 13, checkpoints: 3, head: ref.head, signers: [signingKeyId(A.publicKey)] };
    expect(await verifyAuditLog(ref.path, { signingPublicKeys: [A.publicKey], backend: signatureBackend })).toEqual(want);
    expect(await verifyText(joinLines(ref.lines))).toEqual(want);
    expect(await verifyText(joinLines(ref.lines), { expectHead: { count: 13, hash: hashOf(ref.lines[12]!) } })).toEqual(want);
    // Without a backend: @hybridkem/signing's default choice.
    expect(await verifyAuditLog(ref.path, { signingPublicKeys: [A.publicKey] })).toEqual(want);
    // Other trusted keys alongside do not matter.
    expect((await verifyText(joinLines(ref.lines), { keys: [B.publicKey, A.publicKey] })).ok).toBe(true);
  });

  describe('tampering is caught at the first bad entry', () => {
    it('a data value edited: bad signature at that entry', async () => {
      const lines = [...ref.lines];
      lines[2] = edit(lines[2]!, '"envelope":"env-2"', '"envelope":"env-X"');
      expectBad(await verifyText(joinLines(lines)), 'bad-signature', 3);
    });

    it('a number in data edited: bad signature', async () => {
      const lines = [...ref.lines];
      lines[6] = edit(lines[6]!, '"version":6', '"version":7');
      expectBad(await verifyText(joinLines(lines)), 'bad-signature', 7);
    });

    it('time edited: bad signature', async () => {
      const lines = [...ref.lines];
      const t = (JSON.parse(lines[5]!) as { time: number }).time;
      lines[5] = edit(lines[5]!, `"time":${t}`, `"time":${t - 1000}`);
      expectBad(await verifyText(joinLines(lines)), 'bad-signature', 6);
    });

    it('an entry deleted: bad seq where it was', async () => {
      const lines = [...ref.lines];
      lines.splice(6, 1);
      expectBad(await verifyText(joinLines(lines)), 'bad-seq', 7);
    });

    it('the first entry deleted: bad seq at line 1', async () => {
      expectBad(await verifyText(joinLines(ref.lines.slice(1))), 'bad-seq', 1);
    });

    it('two entries swapped: bad seq at the first of them', async () => {
      const lines = [...ref.lines];
      [lines[6], lines[7]] = [lines[7]!, lines[6]!];
      expectBad(await verifyText(joinLines(lines)), 'bad-seq', 7);
    });

    it('an entry duplicated: bad seq at the copy', async () => {
      const lines = [...ref.lines];
      lines.splice(7, 0, lines[6]!);
      expectBad(await verifyText(joinLines(lines)), 'bad-seq', 8);
    });

    it('an entry deleted and the later seqs renumbered (without the key): caught', async () => {
      const lines = ref.lines.filter((_, i) => i !== 6).map((l, i) => (i >= 6 ? l.replace(/"seq":\d+/, `"seq":${i + 1}`) : l));
      expectBad(await verifyText(joinLines(lines)), 'prev-mismatch', 7);
    });

    it('truncated mid-block: the entries after the last checkpoint are named', async () => {
      const r = await verifyText(joinLines(ref.lines.slice(0, 8)));
      expectBad(r, 'not-checkpointed', 6);
      expect(r.ok ? '' : r.message).toContain(
        'entries after seq 5 are not covered by a checkpoint: truncated, or the writer did not close the log',
      );
    });

    it('truncated mid-line: partial last line', async () => {
      const text = joinLines(ref.lines);
      expectBad(await verifyText(text.slice(0, text.length - 100)), 'partial-line', 13);
      // Even with only the LF gone.
      expectBad(await verifyText(text.slice(0, -1)), 'partial-line', 13);
    });

    it('cut exactly at a checkpoint: the file alone passes, the expected head catches it', async () => {
      const cut = joinLines(ref.lines.slice(0, 10));
      const alone = await verifyText(cut);
      expect(alone).toEqual({ ok: true, entries: 10, checkpoints: 2, head: { count: 10, hash: hashOf(ref.lines[9]!) }, signers: [signingKeyId(A.publicKey)] });
      const r = await verifyText(cut, { expectHead: ref.head });
      expectBad(r, 'head-missing', 11);
      expect(r.ok ? '' : r.message).toContain('the log ends at seq 10 but the expected head is at seq 13');
    });

    it('a tail rewritten by the key holder: the file alone passes, the expected head catches it', async () => {
      // The first 10 lines (up to a checkpoint), then the writer's own key appends other events.
      const path = fresh();
      await writeFile(path, joinLines(ref.lines.slice(0, 10)));
      const log = await openAuditLog(path, { signer, signingPrivateKey: A.privateKey, signingPublicKey: A.publicKey, clock: fakeClock(), checkpointEvery: 4 });
      await log.append('issue', { envelope: 'forged-1' });
      await log.append('issue', { envelope: 'forged-2' });
      await log.close();
      const forged = await readFile(path, 'utf8');
      expect(forged.split('\n').length - 1).toBe(13);
      expect((await verifyText(forged)).ok).toBe(true);
      expectBad(await verifyText(forged, { expectHead: ref.head }), 'head-mismatch', 13);
      // An expected head at an earlier point that the rewrite kept still matches there; a longer log is named.
      expectBad(await verifyText(forged, { expectHead: { count: 10, hash: hashOf(ref.lines[9]!) } }), 'head-exceeded', 11);
    });

    it('an entry re-signed by another key: unknown signer, or a bad signature if it claims the trusted key id', async () => {
      const e = JSON.parse(ref.lines[3]!) as Record<string, unknown>;
      const forge = (signerId: string) => {
        const body = bodyOf(ref.lines[3]!).replace(`"signer":"${e.signer as string}"`, `"signer":"${signerId}"`);
        const sig = signer.sign(B.raw.privateKey, new TextEncoder().encode(body), { context: new TextEncoder().encode('hybridkem/v1/mesh/audit') });
        const lines = [...ref.lines];
        lines[3] = body.replace(/,"signer":/, `,"sig":"${Buffer.from(sig).toString('base64')}","signer":`);
        return joinLines(lines);
      };
      expectBad(await verifyText(forge(signingKeyId(B.publicKey))), 'unknown-signer', 4);
      expectBad(await verifyText(forge(e.signer as string)), 'bad-signature', 4);
      // Trusting B as well accepts B's entry 4 but entry 5 links to the original entry 4.
      expectBad(await verifyText(forge(signingKeyId(B.publicKey)), { keys: [A.publicKey, B.publicKey] }), 'prev-mismatch', 5);
    });

    it('a log verified against a key that did not write it: unknown signer at line 1', async () => {
      expectBad(await verifyText(joinLines(ref.lines), { keys: [B.publicKey] }), 'unknown-signer', 1);
    });

    it('non-canonical spelling, bad JSON, wrong members, an over-long line, an empty file', async () => {
      const lines = [...ref.lines];
      lines[1] = lines[1]!.replace('"seq":2,', '"seq": 2,');
      expectBad(await verifyText(joinLines(lines)), 'not-canonical', 2);
      lines[1] = '{"seq":2';
      expectBad(await verifyText(joinLines(lines)), 'bad-json', 2);
      lines[1] = ref.lines[1]!.replace('"v":1}', '"v":1,"x":0}');
      expectBad(await verifyText(joinLines(lines)), 'malformed', 2);
      lines[1] = 'x'.repeat(70 * 1024);
      expectBad(await verifyText(joinLines(lines)), 'line-too-long', 2);
      expectBad(await verifyText(''), 'empty', 1);
      expectBad(await verifyText('\xff\n'), 'bad-json', 1);
    });

    it('any single changed byte anywhere in the file is caught (and never throws)', async () => {
      const bytes = new TextEncoder().encode(joinLines(ref.lines));
      await fc.assert(
        fc.asyncProperty(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
          const changed = bytes.slice();
          changed[at]! ^= xor;
          const r = await verifyAuditLog(changed, { signingPublicKeys: [A.publicKey], backend: signatureBackend });
          expect(r.ok).toBe(false);
          // The first bad entry is the line holding the byte (its LF included): the lines before are untouched.
          const lineOf = bytes.subarray(0, at).filter((b) => b === 0x0a).length + 1;
          if (!r.ok) expect(r.line).toBe(lineOf);
        }),
        { numRuns: 80 },
      );
    });

    it('refuses bad options with typed errors', async () => {
      const bytes = new TextEncoder().encode(joinLines(ref.lines));
      await expect(verifyAuditLog(bytes, { signingPublicKeys: [], backend: signatureBackend })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'signingPublicKeys' });
      await expect(verifyAuditLog(bytes, { signingPublicKeys: [A.publicKey], backend: signatureBackend, maxEntries: 0 })).rejects.toMatchObject({ field: 'maxEntries' });
      await expect(
        verifyAuditLog(bytes, { signingPublicKeys: [A.publicKey], backend: signatureBackend, expectHead: { count: 13, hash: 'AB'.repeat(32) } }),
      ).rejects.toMatchObject({ field: 'expectHead' });
      await expect(verifyAuditLog(bytes, { signingPublicKeys: [A.privateKey], backend: signatureBackend })).rejects.toMatchObject({ code: 'ERR_WRONG_KIND' });
    });

    it('bounds the entry count before reading on', async () => {
      const r = await verifyAuditLog(new TextEncoder().encode(joinLines(ref.lines)), { signingPublicKeys: [A.publicKey], backend: signatureBackend, maxEntries: 5 });
      expectBad(r, 'too-large', 6);
    });
  });
});

describe('the writer', () => {
  const open = (path: string, o: { every?: number; key?: typeof A; trusted?: Uint8Array[] } = {}) =>
    openAuditLog(path, {
      signer,
      signingPrivateKey: (o.key ?? A).privateKey,
      signingPublicKey: (o.key ?? A).publicKey,
      clock: fakeClock(),
      checkpointEvery: o.every ?? 64,
      ...(o.trusted ? { trustedSigningPublicKeys: o.trusted } : {}),
    });
  const verifyPath = (path: string, k: Uint8Array[] = [A.publicKey]) => verifyAuditLog(path, { signingPublicKeys: k, backend: signatureBackend });

  it('resumes after reopen: verifies the file and continues the chain', async () => {
    const path = fresh();
    let log = await open(path);
    for (let i = 0; i < 3; i++) await log.append('issue', { i });
    const first = await log.close();
    expect(first.count).toBe(4);
    log = await open(path);
    expect(log.head()).toEqual(first);
    await log.append('refuse', { reason: 'replay' });
    await log.append('rotate', { keyName: 'svc-a', version: 2 });
    expect(await log.close()).toEqual(log.head());
    const text = await readFile(path, 'utf8');
    const lines = text.slice(0, -1).split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['issue', 'issue', 'issue', 'checkpoint', 'refuse', 'rotate', 'checkpoint']);
    expect((JSON.parse(lines[4]!) as { prev: string }).prev).toBe(hashOf(lines[3]!));
    expect(await verifyPath(path)).toMatchObject({ ok: true, entries: 7, checkpoints: 2, head: { count: 7, hash: hashOf(lines[6]!) } });
  });

  it('closing an empty log writes a checkpoint; closing twice or right after a checkpoint adds nothing', async () => {
    const path = fresh();
    const log = await open(path, { every: 2 });
    const h = await log.close();
    expect(await log.close()).toEqual(h);
    expect(h.count).toBe(1);
    const line = (await readFile(path, 'utf8')).trimEnd();
    expect(JSON.parse(line)).toMatchObject({ seq: 1, type: 'checkpoint', data: { count: 0, head: '0'.repeat(64) } });
    const again = await open(path, { every: 2 });
    await again.append('issue', { a: 1 });
    await again.append('issue', { a: 2 }); // the periodic checkpoint follows
    expect(await again.close()).toEqual({ count: 4, hash: hashOf((await readFile(path, 'utf8')).trimEnd().split('\n')[3]!) });
    await expect(again.append('issue', {})).rejects.toMatchObject({ reason: 'log-closed' });
  });

  it('resumes a log whose writer died: entries after the last checkpoint are kept, a torn last line is cut off', async () => {
    const ref = await writeReference();
    const path = fresh();
    // A crash after entry 8 (mid-block), in the middle of writing entry 9.
    await writeFile(path, `${joinLines(ref.lines.slice(0, 8))}${ref.lines[8]!.slice(0, 500)}`);
    expectBad(await verifyPath(path), 'partial-line', 9);
    const log = await open(path, { every: 4 });
    expect(log.head()).toEqual({ count: 8, hash: hashOf(ref.lines[7]!) });
    await log.append('issue', { after: 'crash' });
    await log.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines.slice(0, 8)).toEqual(ref.lines.slice(0, 8));
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type).slice(8)).toEqual(['issue', 'checkpoint']);
    expect(await verifyPath(path)).toMatchObject({ ok: true, entries: 10, checkpoints: 2 });
  });

  it('refuses to append to a log that does not verify, naming the first bad entry', async () => {
    const ref = await writeReference();
    const lines = [...ref.lines];
    lines[2] = lines[2]!.replace('"envelope":"env-2"', '"envelope":"env-X"');
    const path = fresh();
    await writeFile(path, joinLines(lines));
    const err = await open(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AuditLogError);
    expect(err).toMatchObject({ reason: 'bad-signature', code: 'ERR_AUTHENTICATION' });
    expect(String((err as Error).message)).toContain('line 3');
    // The lock was released: the file can be opened once repaired.
    await writeFile(path, joinLines(ref.lines));
    await (await open(path)).close();
  });

  it('a log with entries of an earlier key resumes when that key is trusted', async () => {
    const path = fresh();
    const old = await open(path, { key: B });
    await old.append('rotate', { keyName: 'audit', version: 1 });
    await old.close();
    await expect(open(path)).rejects.toMatchObject({ reason: 'unknown-signer' });
    const log = await open(path, { trusted: [B.publicKey] });
    await log.append('issue', { k: 'v' });
    await log.close();
    expect(await verifyPath(path, [A.publicKey, B.publicKey])).toMatchObject({ ok: true, entries: 4, signers: [signingKeyId(B.publicKey), signingKeyId(A.publicKey)] });
  });

  it('keeps a second writer out until the first closes', async () => {
    const path = fresh();
    const first = await open(path);
    await expect(open(path)).rejects.toMatchObject({ reason: 'log-busy', name: 'AuditLogError' });
    await first.append('issue', { a: 1 });
    await first.close();
    const second = await open(path);
    await second.append('issue', { a: 2 });
    await second.close();
    expect(await verifyPath(path)).toMatchObject({ ok: true, entries: 4 });
  });

  it('breaks the lock of a writer that died (its pid is gone)', async () => {
    const path = fresh();
    await writeFile(`${path}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), token: 'dead', time: '' }));
    const log = await open(path);
    await log.close();
  });

  it('writes concurrent appends in call order, each durable when it resolves', async () => {
    const path = fresh();
    const log = await open(path, { every: 3 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => log.append('deliver', { i })));
    await log.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; data: { i?: number } });
    expect(lines.filter((l) => l.type === 'deliver').map((l) => l.data.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(lines.map((l) => l.type === 'checkpoint')).toEqual([false, false, false, true, false, false, false, true, false, true]);
  });

  it('refuses data it cannot log canonically and keys that do not belong together', async () => {
    const path = fresh();
    const log = await open(path);
    await expect(log.append('issue', { x: 1.5 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(log.append('issue', { x: '\ud800' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(log.append('checkpoint' as 'issue', {})).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(log.append('issue', { x: 'y'.repeat(5000) })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    // Member names that JavaScript enumerates first (integer-like) are still sorted as strings.
    await log.append('issue', { b: 1, '10': 2, '9': 3, a: 'é' });
    await log.close();
    const first = (await readFile(path, 'utf8')).split('\n')[0]!;
    expect(first.startsWith('{"data":{"10":2,"9":3,"a":"é","b":1},')).toBe(true);
    expect((await verifyPath(path)).ok).toBe(true);
    await expect(
      openAuditLog(fresh(), { signer, signingPrivateKey: A.privateKey, signingPublicKey: B.publicKey }),
    ).rejects.toMatchObject({ reason: 'key-mismatch' });
  });
});

describe('spec/MESH.md §8', () => {
  it('lists the reasons of AUDIT_FAILURES, in order, and the line bound', async () => {
    const spec = await readFile(resolve(dirname(fileURLToPath(import.meta.url)), '../../../spec/MESH.md'), 'utf8');
    const at = spec.indexOf('<!-- audit-failures-table');
    expect(at).toBeGreaterThan(0);
    const rows = spec.slice(at).split('\n\n', 1)[0]!.split('\n').filter((l) => /^\| `/.test(l));
    expect(rows.map((r) => /^\| `([a-z-]+)`/.exec(r)![1])).toEqual([...AUDIT_FAILURES]);
    expect(MAX_LINE_BYTES).toBe(65_536);
    expect(spec).toContain('`MAX_LINE_BYTES` = 65 536 bytes');
  });
});
