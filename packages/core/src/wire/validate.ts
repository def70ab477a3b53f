/**
 * Public-value checks shared by the decoders and the KEM facade.
 * @module
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { InvalidGroupElementError, InvalidMlKemKeyError } from '../errors.js';
import type { GroupParams, MlKemParams, Suite } from '../suites.js';

const Q = 3329;

/**
 * FIPS 203 §7.2 "modulus check": ByteEncode12(ByteDecode12(ek)) == ek, i.e.
 * every 12-bit coefficient of the t vector is below q. The trailing 32 bytes
 * (rho) are not coefficients. Runs in time independent of which coefficient
 * fails: the key is public, but there is no reason to branch early.
 */
export function checkMlKemEncapsulationKey(params: MlKemParams, ek: Uint8Array, field: string): void {
  const polyBytes = ek.length - 32;
  let firstBad = -1;
  for (let i = 0, c = 0; i < polyBytes; i += 3, c += 2) {
    const b0 = ek[i]!;
    const b1 = ek[i + 1]!;
    const b2 = ek[i + 2]!;
    const a = b0 | ((b1 & 0x0f) << 8);
    const b = (b1 >> 4) | (b2 << 4);
    if (firstBad < 0 && a >= Q) firstBad = c;
    if (firstBad < 0 && b >= Q) firstBad = c + 1;
  }
  if (firstBad >= 0) throw new InvalidMlKemKeyError(`${field} (${params.name} part)`, firstBad);
}

// Any fixed clamped scalar: X25519 of a low-order point is all-zero for every
// clamped scalar (RFC 7748 §6.1), and noble rejects the low-order set up front.
// Made per call: a module-level buffer would be kept in every bundle of core.
const probeScalar = () => new Uint8Array(32).fill(0x5a);

/**
 * Checks a traditional public value (a public key, or the ephemeral key in a
 * ciphertext). X25519: not one of the low-order points that give an all-zero
 * shared secret (RFC 7748 §6.1; the TLS hybrid draft requires rejecting them).
 * P-256 / P-384: SEC1 uncompressed, on the curve, not the identity (SEC1 §3.2.2).
 */
export function checkGroupElement(group: GroupParams, element: Uint8Array, field: string): void {
  const where = `${field} (${group.name} part)`;
  if (group.name === 'X25519') {
    try {
      x25519.scalarMult(probeScalar(), element);
    } catch {
      throw new InvalidGroupElementError(where, group.name, 'low-order point: the X25519 shared secret would be all zero');
    }
    return;
  }
  if (element[0] !== 0x04) {
    throw new InvalidGroupElementError(where, group.name, `expected SEC1 uncompressed prefix 0x04, got 0x${(element[0] ?? 0).toString(16).padStart(2, '0')}`);
  }
  const curve = group.name === 'P-256' ? p256 : p384;
  try {
    curve.Point.fromBytes(element).assertValidity();
  } catch {
    throw new InvalidGroupElementError(where, group.name, 'not a point on the curve');
  }
}

/**
 * The public-value checks of a suite's public key or ciphertext, for each
 * family (spec/WIRE-FORMAT.md §1.3, §1.4, §2 step 6): the ML-KEM modulus
 * check on the encapsulation key (hybrids and ML-KEM alone), and the group
 * element check on the traditional part (hybrids) or the whole value
 * (DHKEM: pkR and enc, RFC 9180 §7.1.4). An ML-KEM ciphertext has nothing
 * to check (implicit rejection, FIPS 203 §7.3). `value` has the suite's length.
 */
export function checkPublicValues(suite: Suite, kind: 'publicKey' | 'ciphertext', value: Uint8Array, field: string = kind): void {
  const pqLength = suite.mlkem ? (kind === 'publicKey' ? suite.mlkem.lengths.publicKey : suite.mlkem.lengths.ciphertext) : 0;
  if (suite.mlkem && kind === 'publicKey') checkMlKemEncapsulationKey(suite.mlkem, value.subarray(0, pqLength), field);
  if (suite.group) checkGroupElement(suite.group, value.subarray(pqLength), field);
}
