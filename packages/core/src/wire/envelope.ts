/**
 * The v1 envelope shared by every object family: version ‖ kind ‖ suite id ‖
 * body, decoded strictly in the order of spec/WIRE-FORMAT.md §2. The KEM
 * decoders (decode.ts) and the signature decoders (@hybridkem/signing) are
 * this plus their own suite table and body checks.
 * @module
 */
import { expectBytes } from '../bytes.js';
import { TrailingDataError, TruncatedError, UnknownKindError, UnsupportedVersionError, WrongKindError } from '../errors.js';
import { HEADER_LENGTH, KIND_NAMES, Kind, WIRE_VERSION, type KindName } from './format.js';

/** How one family of objects maps suite ids and kinds to body lengths. */
export interface SuiteTable<S extends { readonly id: number; readonly name: string }, K extends KindName> {
  /** The kinds of this family, e.g. publicKey, privateKey, ciphertext. */
  readonly kinds: readonly K[];
  /** Describes the family in errors, e.g. "a KEM object". */
  readonly description: string;
  /** @throws {UnknownSuiteError} */
  lookup(id: number): S;
  bodyLength(suite: S, kind: K): number;
}

export interface Envelope<S, K extends KindName> {
  readonly version: number;
  readonly kind: K;
  readonly suite: S;
  /** A copy of the body. */
  readonly body: Uint8Array;
}

export function decodeEnvelope<S extends { readonly id: number; readonly name: string }, K extends KindName>(
  bytes: Uint8Array,
  expected: K | undefined,
  table: SuiteTable<S, K>,
): Envelope<S, K> {
  expectBytes('encoded object', bytes);
  const field = expected ?? 'encoded object';
  if (bytes.length < HEADER_LENGTH) throw new TruncatedError(`${field} header`, HEADER_LENGTH, bytes.length);
  const version = bytes[0]!;
  if (version !== WIRE_VERSION) throw new UnsupportedVersionError(WIRE_VERSION, version);
  const kindName = KIND_NAMES[bytes[1]!];
  if (kindName === undefined) throw new UnknownKindError(bytes[1]!);
  if (expected !== undefined && kindName !== expected) throw new WrongKindError(expected, kindName);
  if (!(table.kinds as readonly KindName[]).includes(kindName)) throw new WrongKindError(table.description, kindName);
  const kind = kindName as K;
  const suite = table.lookup((bytes[2]! << 8) | bytes[3]!);
  const want = HEADER_LENGTH + table.bodyLength(suite, kind);
  if (bytes.length < want) throw new TruncatedError(`${kind} (${suite.name})`, want, bytes.length);
  if (bytes.length > want) throw new TrailingDataError(`${kind} (${suite.name})`, want, bytes.length);
  return Object.freeze({ version, kind, suite, body: bytes.slice(HEADER_LENGTH) });
}

export function encodeEnvelope(kind: KindName, suiteId: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_LENGTH + body.length);
  out[0] = WIRE_VERSION;
  out[1] = Kind[kind];
  out[2] = suiteId >> 8;
  out[3] = suiteId & 0xff;
  out.set(body, HEADER_LENGTH);
  return out;
}
