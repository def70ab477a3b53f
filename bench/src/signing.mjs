/**
 * Composite-signature benchmarks: keygen, sign (hedged) and verify of a
 * 1 KiB message for every @hybridkem/signing suite on every signature backend
 * that loads, timed in the same process, interleaved, against noble's ML-DSA
 * alone at the same level (the baseline for ratios: what is left is the
 * composite overhead) and noble's EdDSA alone (the EdDSA share of it).
 *
 * Signature backends are found the way core finds KEM backends: for each
 * name in core's BACKEND_ORDER (native, openssl, wasm, noble) this imports
 * `@hybridkem/<name>` and takes its `signatureBackend` export. One that does
 * not load, or loads without a signature backend, is listed with the reason.
 *
 * Subjects have the same shape as the KEM ones (subjects.mjs) so measure.mjs
 * times them unchanged: { name, kind, backend?, ops: { keygen, sign, verify } }.
 * Kinds: 'composite' (ours), 'mldsa' (ML-DSA alone, the baseline) and
 * 'eddsa' (EdDSA alone).
 * @module
 */
import { BACKEND_ORDER, SuiteNotSupportedError } from '@hybridkem/core';
import { createSigner } from '@hybridkem/signing';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { measure } from './measure.mjs';
import { geomean, resultsTable } from './report.mjs';

export const SIGNATURE_OPERATIONS = Object.freeze(['keygen', 'sign', 'verify']);

/** Every operation signs or verifies a message of this many random bytes. */
export const MESSAGE_LENGTH = 1024;

/** The goal of the native backend (AWS-LC ML-DSA and Ed25519, ed448-goldilocks): this many times noble's speed for sign and verify. */
export const NATIVE_GOAL = 20;

const NOBLE_MLDSA = Object.freeze({
  'ML-DSA-44': { exportName: 'ml_dsa44', dsa: ml_dsa44 },
  'ML-DSA-65': { exportName: 'ml_dsa65', dsa: ml_dsa65 },
  'ML-DSA-87': { exportName: 'ml_dsa87', dsa: ml_dsa87 },
});

/**
 * Tries `@hybridkem/<name>` for every backend name and takes its
 * `signatureBackend`. Same shape as core's probeBackends():
 * { name, available: true, backend } or { name, available: false, error }.
 */
export async function probeSignatureBackends() {
  const out = [];
  for (const name of BACKEND_ORDER) {
    const specifier = `@hybridkem/${name}`;
    try {
      const mod = await import(specifier);
      const backend = await mod.signatureBackend;
      if (!backend || typeof backend.mldsa !== 'function' || typeof backend.eddsa !== 'function') {
        throw new Error(`${specifier} loads but exports no signatureBackend`);
      }
      if (backend.name !== name) throw new Error(`${specifier}'s signatureBackend is named "${backend.name}", expected "${name}"`);
      out.push({ name, available: true, backend });
    } catch (error) {
      out.push({ name, available: false, error });
    }
  }
  return out;
}

/**
 * noble's Ed25519 / Ed448 for the EdDSA-alone rows. @noble/curves is a
 * dependency of @noble/post-quantum and @hybridkem/noble, not of bench, so
 * under pnpm's strict layout it is normally not importable from here; then
 * `curves` is undefined and `error` says why, and the table has no EdDSA rows.
 */
export async function loadEdDsaPeers() {
  try {
    const [{ ed25519 }, { ed448 }] = await Promise.all([import('@noble/curves/ed25519.js'), import('@noble/curves/ed448.js')]);
    return { curves: { Ed25519: ed25519, Ed448: ed448 } };
  } catch (error) {
    return { curves: undefined, error };
  }
}

/**
 * Checks a subject once before it is timed: its signature verifies, and the
 * same signature on a message with one bit flipped does not (a verify that
 * always says yes would be timed as fast and mean nothing).
 */
function sanityCheck(subject, verify, message) {
  if (!verify(message)) throw new Error(`${subject.name}: a fresh signature does not verify`);
  const tampered = message.slice();
  tampered[0] ^= 1;
  if (verify(tampered)) throw new Error(`${subject.name}: a signature verifies for another message`);
  return subject;
}

/** createSigner(suite, backend) from @hybridkem/signing: the public API, input checks included. */
export function compositeSubject(suite, backend, message) {
  const signer = createSigner(suite, backend);
  const { publicKey, privateKey } = signer.keygen();
  const signature = signer.sign(privateKey, message);
  const subject = {
    name: `composite (${backend.name})`,
    kind: 'composite',
    backend: backend.name,
    ops: {
      keygen: () => signer.keygen(),
      sign: () => signer.sign(privateKey, message),
      verify: () => signer.verify(publicKey, message, signature),
    },
  };
  return sanityCheck(subject, (m) => signer.verify(publicKey, m, signature).valid, message);
}

/** noble's ML-DSA alone at the suite's level: pure ML-DSA, empty context, hedged, expanded secret key. */
export function mldsaSubject(suite, message) {
  const { exportName, dsa } = NOBLE_MLDSA[suite.mldsa.name];
  const { publicKey, secretKey } = dsa.keygen();
  const signature = dsa.sign(message, secretKey);
  const subject = {
    name: `noble ${exportName} alone`,
    kind: 'mldsa',
    ops: {
      keygen: () => dsa.keygen(),
      sign: () => dsa.sign(message, secretKey),
      verify: () => dsa.verify(signature, message, publicKey),
    },
  };
  return sanityCheck(subject, (m) => dsa.verify(signature, m, publicKey), message);
}

/** noble's EdDSA alone for the suite's curve, strict RFC 8032 verification as in the composite. */
export function eddsaSubject(suite, curves, message) {
  const name = suite.eddsa.name;
  const curve = curves[name];
  const { publicKey, secretKey } = curve.keygen();
  const signature = curve.sign(message, secretKey);
  const verify = (m) => curve.verify(signature, m, publicKey, { zip215: false });
  const subject = {
    name: `noble ${name.toLowerCase()} alone`,
    kind: 'eddsa',
    ops: {
      keygen: () => curve.keygen(),
      sign: () => curve.sign(message, secretKey),
      verify: () => verify(message),
    },
  };
  return sanityCheck(subject, verify, message);
}

/**
 * Times every suite in `suites` on every backend in `backends`, next to the
 * peers. Returns the result rows (suite × operation × implementation, in that
 * order) and the suites each backend skipped (SuiteNotSupportedError).
 */
export function runSigning({ suites, backends, curves, settings, progress = () => {} }) {
  const message = globalThis.crypto.getRandomValues(new Uint8Array(MESSAGE_LENGTH));
  const rows = [];
  const skipped = [];
  for (const suite of suites) {
    const subjects = [];
    for (const backend of backends) {
      try {
        subjects.push(compositeSubject(suite, backend, message));
      } catch (error) {
        if (!(error instanceof SuiteNotSupportedError)) throw error;
        skipped.push(error.message);
      }
    }
    const baseline = mldsaSubject(suite, message);
    subjects.push(baseline);
    if (curves) subjects.push(eddsaSubject(suite, curves, message));

    for (const operation of SIGNATURE_OPERATIONS) {
      progress(`timing ${suite.name} ${operation} (${subjects.length} implementations)`);
      const stats = measure(subjects, operation, settings);
      const base = stats[subjects.indexOf(baseline)];
      rows.push(...operationRows(suite, operation, subjects, stats, baseline, (s) => ({ vsMlDsa: s.medianMs / base.medianMs })));
    }
  }
  return { rows, skipped };
}

/**
 * The result rows of one suite's operation, one per subject (the KEM and the
 * signing families both): `stats[i]` is subject i's summary; `ratio(stats)`
 * gives the family's ratio field(s), which come last.
 */
export function operationRows(suite, operation, subjects, stats, baseline, ratio) {
  return subjects.map((subject, i) => ({
    suite: suite.name,
    suiteId: suite.id,
    operation,
    implementation: subject.name,
    kind: subject.kind,
    ...(subject.backend ? { backend: subject.backend } : {}),
    baseline: subject === baseline,
    ...stats[i],
    ...ratio(stats[i]),
  }));
}

/** The signing table: same columns as the KEM one, ratio to ML-DSA alone. */
export function signingTable(rows, label = (row) => row.implementation) {
  return resultsTable(rows, { label, ratioTitle: 'vs ML-DSA alone', ratio: (row) => row.vsMlDsa });
}

/**
 * One line per backend: the geometric mean of its ratios to ML-DSA alone.
 * Then, for every backend other than noble, its speed-up over the noble
 * backend's composite (noble median / its median, same suite and operation);
 * for native, whether that meets the goal of NATIVE_GOAL× for sign and verify.
 */
export function signingSummaryLines(rows) {
  const lines = [];
  const composite = rows.filter((r) => r.kind === 'composite');
  const backends = [...new Set(composite.map((r) => r.backend))];
  const perOperation = (values) =>
    SIGNATURE_OPERATIONS.map((op) => [op, geomean(values(op))]).filter(([, g]) => Number.isFinite(g));
  for (const backend of backends) {
    const mine = composite.filter((r) => r.backend === backend);
    const suites = new Set(mine.map((r) => r.suite)).size;
    const parts = perOperation((op) => mine.filter((r) => r.operation === op).map((r) => r.vsMlDsa)).map(([op, g]) => `${op} x${g.toFixed(2)}`);
    lines.push(`composite (${backend}) vs ML-DSA alone, geometric mean over ${suites} suite${suites === 1 ? '' : 's'}: ${parts.join(', ')}`);
  }
  const noble = new Map(composite.filter((r) => r.backend === 'noble').map((r) => [`${r.suite}/${r.operation}`, r]));
  for (const backend of backends.filter((b) => b !== 'noble')) {
    const speedups = (op) =>
      composite
        .filter((r) => r.backend === backend && r.operation === op && noble.has(`${r.suite}/${op}`))
        .map((r) => noble.get(`${r.suite}/${op}`).medianMs / r.medianMs);
    const parts = perOperation(speedups);
    if (parts.length === 0) continue;
    const suites = new Set(composite.filter((r) => r.backend === backend && noble.has(`${r.suite}/${r.operation}`)).map((r) => r.suite)).size;
    const goal = parts.filter(([op]) => op === 'sign' || op === 'verify');
    const met = goal.length === 2 && goal.every(([, g]) => g >= NATIVE_GOAL);
    const verdict = backend === 'native' ? `; goal ≥ ${NATIVE_GOAL}× for sign and verify: ${met ? 'met' : 'not met'}` : '';
    lines.push(
      `composite (${backend}) vs composite (noble), speed-up, geometric mean over ${suites} suite${suites === 1 ? '' : 's'}: ` +
        `${parts.map(([op, g]) => `${op} ${g.toFixed(1)}×`).join(', ')}${verdict}`,
    );
    if (backend === 'native') {
      // The goal on its own line: sign and verify each at least NATIVE_GOAL×
      // noble's composite (geometric mean over the suites, measured side by side).
      lines.push(
        `goal: native sign/verify ≥ ${NATIVE_GOAL}× noble — measured ${goal.map(([op, g]) => `${op} ${g.toFixed(1)}×`).join(', ')}: ${met ? 'met' : 'not met'}`,
      );
    }
  }
  return lines;
}
