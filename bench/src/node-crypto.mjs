/**
 * Private-key handles and the node:crypto composition a Node 26 user would
 * write by hand, for the goals (reported, never asserted):
 *
 *   - native decapsulate through a handle (kem.importPrivateKey once,
 *     kem.decapsulate(handle, ct) timed) at least HANDLE_GOAL× faster than
 *     the hand-written node:crypto X-Wing decapsulation;
 *   - native encapsulate (kem.encapsulate through createKem) at least
 *     ENCAPSULATE_GOAL× faster than the hand-written node:crypto X-Wing
 *     encapsulation.
 *
 * The hand-written composition is X-Wing (draft-connolly-cfrg-xwing-kem) over
 * node:crypto alone: OpenSSL's ML-KEM-768 (crypto.encapsulate /
 * crypto.decapsulate), X25519 (crypto.diffieHellman) and SHA3-256 for the
 * combiner, every long-lived key a KeyObject made once, outside the timing.
 * Its keys are OpenSSL's own (generateKeyPairSync), not expanded from a
 * 32-byte seed: the user's natural choice, and the most favourable to it.
 * @module
 */
import * as nodeCrypto from 'node:crypto';
import { createKem } from '@hybridkem/core';
import { formatTable } from './report.mjs';

export const HANDLE_GOAL = 1.5;
export const ENCAPSULATE_GOAL = 2;

/** X-Wing's label "\.//^\" (draft-connolly-cfrg-xwing-kem §5.3). */
const XWING_LABEL = Buffer.from('5c2e2f2f5e5c', 'hex');
/** DER SubjectPublicKeyInfo prefix of an X25519 key (RFC 8410): the 32 raw bytes follow. */
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

const equal = (a, b) => a.length === b.length && nodeCrypto.timingSafeEqual(a, b);

/**
 * Decapsulation through a handle of `backend`: the key imported once, each
 * call kem.decapsulate(handle, ciphertext). Only decapsulate is timed (keygen
 * and encapsulate are the `hybridkem (backend)` row's).
 */
export function handleSubject(suite, backend) {
  const kem = createKem(suite, backend);
  const { publicKey, privateKey } = kem.keygen();
  const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);
  const handle = kem.importPrivateKey(privateKey);
  if (!equal(kem.decapsulate(handle, ciphertext), sharedSecret)) throw new Error(`handle ${suite.name} on ${backend.name}: round trip failed`);
  return {
    name: `hybridkem (${backend.name}, handle)`,
    kind: 'handle',
    backend: backend.name,
    ops: { decapsulate: () => kem.decapsulate(handle, ciphertext) },
  };
}

function hasNodeMlKem() {
  try {
    nodeCrypto.generateKeyPairSync('ml-kem-768');
    return typeof nodeCrypto.encapsulate === 'function' && typeof nodeCrypto.decapsulate === 'function';
  } catch {
    return false;
  }
}

const rawX25519 = (publicKey) => publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
const x25519Public = (raw) => nodeCrypto.createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
const combiner = (ssM, ssX, ctX, pkX) => nodeCrypto.createHash('sha3-256').update(ssM).update(ssX).update(ctX).update(pkX).update(XWING_LABEL).digest();

/**
 * X-Wing written by hand over node:crypto, or `{ unavailable }` saying why
 * not (a Node without ML-KEM in node:crypto). Checked once against
 * `reference` (a hybridkem X-Wing backend): hybridkem encapsulates to the
 * composition's public key (pk_M ‖ pk_X) and the composition must decapsulate
 * the same secret, and the reverse.
 */
export function nodeCryptoXWingSubject(suite, reference) {
  if (suite.name !== 'X-Wing') return undefined;
  if (!hasNodeMlKem()) return { unavailable: `node:crypto of Node ${process.versions.node} has no ML-KEM (Node >= 24.7 has)` };
  const mlkem = nodeCrypto.generateKeyPairSync('ml-kem-768');
  const x25519 = nodeCrypto.generateKeyPairSync('x25519');
  const pkM = mlkem.publicKey.export({ format: 'der', type: 'spki' }).subarray(-1184);
  const pkX = rawX25519(x25519.publicKey);

  const encapsulate = () => {
    const eph = nodeCrypto.generateKeyPairSync('x25519');
    const ctX = rawX25519(eph.publicKey);
    const ssX = nodeCrypto.diffieHellman({ privateKey: eph.privateKey, publicKey: x25519.publicKey });
    const { sharedKey: ssM, ciphertext: ctM } = nodeCrypto.encapsulate(mlkem.publicKey);
    return { ciphertext: Buffer.concat([ctM, ctX]), sharedSecret: combiner(ssM, ssX, ctX, pkX) };
  };
  const decapsulate = (ciphertext) => {
    const ctM = ciphertext.subarray(0, 1088);
    const ctX = ciphertext.subarray(1088);
    const ssX = nodeCrypto.diffieHellman({ privateKey: x25519.privateKey, publicKey: x25519Public(ctX) });
    const ssM = nodeCrypto.decapsulate(mlkem.privateKey, ctM);
    return combiner(ssM, ssX, ctX, pkX);
  };

  const own = encapsulate();
  if (!equal(decapsulate(own.ciphertext), own.sharedSecret)) throw new Error('node:crypto X-Wing: round trip failed');
  if (reference) {
    const kem = createKem(suite, reference);
    const publicKey = new Uint8Array(Buffer.concat([pkM, pkX]));
    const theirs = kem.encapsulate(publicKey);
    if (!equal(decapsulate(theirs.ciphertext), theirs.sharedSecret)) {
      throw new Error(`node:crypto X-Wing: does not decapsulate hybridkem (${reference.name})'s X-Wing ciphertext`);
    }
  }
  const ciphertext = own.ciphertext;
  return {
    name: 'node:crypto composition',
    kind: 'composition',
    ops: {
      keygen: () => [nodeCrypto.generateKeyPairSync('ml-kem-768'), nodeCrypto.generateKeyPairSync('x25519')],
      encapsulate,
      decapsulate: () => decapsulate(ciphertext),
    },
  };
}

/** The two goal lines: native against the node:crypto composition, per suite timed with both. */
export function compositionGoalLines(rows, { smoke, unavailable }) {
  const find = (suite, op, pred) => rows.find((r) => r.suite === suite && r.operation === op && pred(r));
  const suites = [...new Set(rows.filter((r) => r.kind === 'composition').map((r) => r.suite))];
  const lines = [];
  if (suites.length === 0) {
    if (unavailable) lines.push(`Native against the node:crypto composition: not measured: ${unavailable}`);
    return lines;
  }
  lines.push(
    `Native against the hand-written node:crypto composition (reported, never asserted${smoke ? '; SMOKE RUN: judge on a full run' : ''}): ` +
      'speed-up = node:crypto composition median / native median.',
  );
  const cells = [];
  for (const suite of suites) {
    const composition = (op) => find(suite, op, (r) => r.kind === 'composition');
    const goals = [
      ['native decapsulate (handle)', 'decapsulate', find(suite, 'decapsulate', (r) => r.kind === 'handle' && r.backend === 'native'), HANDLE_GOAL],
      ['native encapsulate', 'encapsulate', find(suite, 'encapsulate', (r) => r.kind === 'hybridkem' && r.backend === 'native'), ENCAPSULATE_GOAL],
    ];
    for (const [label, op, native, goal] of goals) {
      const peer = composition(op);
      if (!native || !peer) {
        lines.push(`  ${suite}: ${label} ≥ ${goal}× node:crypto composition: not measured (${native ? 'no composition row' : 'native did not load'})`);
        continue;
      }
      const ratio = peer.medianMs / native.medianMs;
      lines.push(`  ${suite}: ${label} ≥ ${goal}× node:crypto composition: ${ratio.toFixed(2)}× — ${ratio >= goal ? 'met' : 'not met'}`);
      cells.push([suite, op, `${(native.medianMs * 1000).toFixed(1)} µs`, `${(peer.medianMs * 1000).toFixed(1)} µs`]);
    }
  }
  if (cells.length > 0) {
    lines.push(formatTable([{ title: 'suite' }, { title: 'operation' }, { title: 'native', align: 'right' }, { title: 'node:crypto', align: 'right' }], cells));
  }
  return lines;
}
