/**
 * One audit-log entry (spec/MESH.md §8.1-§8.3): its canonical JSON form
 * (RFC 8785, the JSON Canonicalization Scheme, over the small value domain
 * the log allows), the bytes that are signed and hashed, and the structural
 * checks a reader applies to a line before any hashing or signature work.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { AuditData, AuditEventType } from './sink.js';

/** Domain label of the hash chain and signature context of every entry (spec/MESH.md §8.3). */
export const AUDIT_LABEL = 'hybridkem/v1/mesh/audit';
/** The composite-signature `ctx` (spec/WIRE-FORMAT.md §6.2) of every entry. */
export const AUDIT_SIGNATURE_CONTEXT: Uint8Array = new TextEncoder().encode(AUDIT_LABEL);
/** The entry format version, member `v`. */
export const AUDIT_ENTRY_VERSION = 1;
/** `prev` of entry 1, and the head hash of an empty log. */
export const ZERO_HASH = '0'.repeat(64);
/** Longest line (LF excluded) a reader accepts or a writer produces, in bytes. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Most members of `data`. */
export const MAX_DATA_MEMBERS = 64;
/** Longest member name of `data`, in UTF-16 code units. */
export const MAX_DATA_KEY_LENGTH = 128;
/** Longest string value of `data`, in UTF-16 code units. */
export const MAX_DATA_STRING_LENGTH = 4096;

/** Every entry type a log holds: the mesh's events and the writer's checkpoints. */
export const AUDIT_ENTRY_TYPES = Object.freeze(['issue', 'deliver', 'refuse', 'rotate', 'directory', 'checkpoint'] as const);
export type AuditEntryType = AuditEventType | 'checkpoint';

/** An entry without its signature: what is signed (spec/MESH.md §8.2). */
export interface AuditEntryBody {
  readonly v: 1;
  /** 1-based, consecutive. */
  readonly seq: number;
  /** Milliseconds since the Unix epoch, from the writer's Clock. */
  readonly time: number;
  readonly type: AuditEntryType;
  readonly data: AuditData;
  /** Lower-case hex SHA-256 of the previous entry's hash input; 64 zeros for seq 1. */
  readonly prev: string;
  /** Lower-case hex signing key id (spec/WIRE-FORMAT.md §6.5) of the key that signed. */
  readonly signer: string;
}

export interface AuditEntry extends AuditEntryBody {
  /** Base64 (RFC 4648 §4, padded) of the raw composite signature over the body. */
  readonly sig: string;
}

/** The state a log has reached: how many entries, and the hash of the last one (ZERO_HASH when none). */
export interface AuditHead {
  readonly count: number;
  readonly hash: string;
}

/** A lone surrogate: a string that is not well-formed Unicode (RFC 8785 §3.2.2.2 needs I-JSON strings). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);

const HEX64 = /^[0-9a-f]{64}$/;
const HEX32 = /^[0-9a-f]{32}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const ENTRY_MEMBERS = ['data', 'prev', 'seq', 'sig', 'signer', 'time', 'type', 'v'] as const;

/** Why a value cannot be in an entry; undefined when it can. */
function valueProblem(value: unknown): string | undefined {
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? undefined : 'numbers must be safe integers';
  if (typeof value === 'string') {
    if (value.length > MAX_DATA_STRING_LENGTH) return `strings are at most ${MAX_DATA_STRING_LENGTH} characters`;
    return wellFormed(value) ? undefined : 'strings must be well-formed Unicode (no lone surrogates)';
  }
  return 'values must be strings, safe integers or booleans';
}

/** Why `data` cannot be an entry's data; undefined when it can. Names members, never their values. */
export function dataProblem(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return 'data must be an object';
  const keys = Object.keys(data);
  if (keys.length > MAX_DATA_MEMBERS) return `data has ${keys.length} members, at most ${MAX_DATA_MEMBERS}`;
  for (const k of keys) {
    if (k.length === 0 || k.length > MAX_DATA_KEY_LENGTH || !wellFormed(k)) {
      return `data member names are 1..${MAX_DATA_KEY_LENGTH} characters of well-formed Unicode`;
    }
    const p = valueProblem((data as Record<string, unknown>)[k]);
    if (p !== undefined) return `data member ${JSON.stringify(k.slice(0, 40))}: ${p}`;
  }
  return undefined;
}

/**
 * RFC 8785 serialization of a value of the log's domain: objects of
 * strings, safe integers, booleans and (one level down) such objects.
 * Members are sorted by UTF-16 code units (RFC 8785 §3.2.3; Array.prototype.sort's
 * default order), strings are escaped as ECMAScript's JSON.stringify does
 * (RFC 8785 §3.2.2.2), and a safe integer's decimal form is what
 * Number.prototype.toString gives (RFC 8785 §3.2.2.3). Object.keys would put
 * integer-like names first, hence the explicit sort.
 */
function canonical(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The canonical line of an entry, LF excluded. */
export function serializeEntry(entry: AuditEntry): string {
  return canonical(entry);
}

/** The exact bytes signed: the canonical form of the entry without `sig` (spec/MESH.md §8.2). */
export function bodyBytes(body: AuditEntryBody): Uint8Array {
  const { v, seq, time, type, data, prev, signer } = body;
  return new TextEncoder().encode(canonical({ v, seq, time, type, data, prev, signer }));
}

const LABEL_PREFIX = new TextEncoder().encode(`${AUDIT_LABEL}\0`);

/**
 * The hash of an entry: SHA-256(ASCII label ‖ 0x00 ‖ the line's bytes, LF
 * excluded), lower-case hex. The line includes the signature, so a head
 * pins every byte of the log up to it.
 */
export function entryHash(line: Uint8Array): string {
  return bytesToHex(sha256.create().update(LABEL_PREFIX).update(line).digest());
}

/** A base64 string that is the one canonical encoding of its bytes, decoded; undefined otherwise. */
export function decodeBase64Canonical(s: string, maxBytes: number): Uint8Array | undefined {
  // The length is bounded before decoding: 4 characters per 3 bytes.
  if (s.length > Math.ceil(maxBytes / 3) * 4 || s.length % 4 !== 0 || !BASE64.test(s)) return undefined;
  const bytes = Buffer.from(s, 'base64');
  if (bytes.toString('base64') !== s) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

/** The outcome of reading one line's structure: an entry, or why not (the reason codes of errors.ts). */
export type ParsedLine =
  | { readonly ok: true; readonly entry: AuditEntry }
  | { readonly ok: false; readonly reason: 'bad-json' | 'malformed' | 'not-canonical'; readonly message: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses one line (LF excluded, already checked against MAX_LINE_BYTES):
 * UTF-8, JSON, exactly the members of §8.1 with their types and bounds, and
 * byte-for-byte the canonical form, so the signed bytes are the line's own.
 */
export function parseLine(line: Uint8Array): ParsedLine {
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(line);
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'bad-json', message: 'not a JSON text in UTF-8' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'malformed', message: 'not a JSON object' };
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  if (keys.length !== ENTRY_MEMBERS.length || keys.some((k, i) => k !== ENTRY_MEMBERS[i])) {
    return { ok: false, reason: 'malformed', message: `members must be exactly ${ENTRY_MEMBERS.join(', ')}` };
  }
  const bad = (message: string): ParsedLine => ({ ok: false, reason: 'malformed', message });
  if (o.v !== AUDIT_ENTRY_VERSION) return bad(`v must be ${AUDIT_ENTRY_VERSION}`);
  if (!Number.isSafeInteger(o.seq) || (o.seq as number) < 1) return bad('seq must be a safe integer ≥ 1');
  if (!Number.isSafeInteger(o.time) || (o.time as number) < 0) return bad('time must be a safe integer ≥ 0');
  if (typeof o.type !== 'string' || !(AUDIT_ENTRY_TYPES as readonly string[]).includes(o.type)) {
    return bad(`type must be one of ${AUDIT_ENTRY_TYPES.join(', ')}`);
  }
  const dp = dataProblem(o.data);
  if (dp !== undefined) return bad(dp);
  if (typeof o.prev !== 'string' || !HEX64.test(o.prev)) return bad('prev must be 64 lower-case hex digits');
  if (typeof o.signer !== 'string' || !HEX32.test(o.signer)) return bad('signer must be 32 lower-case hex digits');
  if (typeof o.sig !== 'string') return bad('sig must be a base64 string');
  const entry = o as unknown as AuditEntry;
  if (serializeEntry(entry) !== text) {
    return { ok: false, reason: 'not-canonical', message: 'the line is not the canonical (RFC 8785) form of its entry' };
  }
  return { ok: true, entry };
}
