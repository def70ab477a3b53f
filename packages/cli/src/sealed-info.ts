/**
 * What `inspect` says about a sealed message without any key: the header of
 * kind 0x04 (spec/WIRE-FORMAT.md §7.2) or 0x09 (§10.1), the total size and
 * the plaintext size that follows from it (every chunk carries a 16-byte
 * tag; §7.2's split). Armored messages (§3.1) are decoded as a stream.
 * @module
 */
import { createReadStream } from 'node:fs';
import { getSuite, Kind } from '@hybridkem/core';
import { dearmorSealedNodeStream, parseMultiRecipientHeader, parseSealedHeader, SEALED_HEADER_LENGTH } from '@hybridkem/seal';
import { AEAD_BY_ID } from './sealing.js';

/** The longest header of either kind is under this (§10: 64 recipients of the largest suite, about 108 KiB). */
export const SEALED_HEAD_BYTES = 128 * 1024;
const TAG_LENGTH = 16;
const KDF_BY_ID: Readonly<Record<number, string>> = { 0x0001: 'HKDF-SHA256', 0x0002: 'HKDF-SHA384', 0x0003: 'HKDF-SHA512' };

export interface SealedRecipientInfo {
  readonly suite: string;
  readonly suiteId: number;
  /** undefined: hidden by the sender. */
  readonly keyId: string | undefined;
}

export interface SealedInfo {
  readonly kind: 'sealedMessage' | 'multiRecipientSealedMessage';
  readonly kdf: string;
  readonly aead: string;
  readonly chunkSize: number;
  readonly headerLength: number;
  readonly recipients: readonly SealedRecipientInfo[];
  readonly keyIdsHidden: boolean;
  /** The binary message's size. */
  readonly size: number;
  /** What the size implies, for an intact message; undefined when it is too short to hold one chunk. */
  readonly plaintextLength: number | undefined;
  readonly chunks: number | undefined;
}

/** Plaintext length and chunk count implied by the bytes after the header (§7.2: n+1 chunks, each +16). */
function plaintextOf(rest: number, chunkSize: number): { plaintextLength: number; chunks: number } | undefined {
  if (rest < TAG_LENGTH) return undefined;
  const chunks = Math.max(1, Math.ceil(rest / (chunkSize + TAG_LENGTH)));
  return { plaintextLength: rest - chunks * TAG_LENGTH, chunks };
}

/** Describes a binary sealed message from its first bytes (at least the header, or all of it) and its size. */
export function describeSealed(head: Uint8Array, size: number): SealedInfo {
  if (head[1] === Kind.sealedMessage) {
    const h = parseSealedHeader(head.subarray(0, SEALED_HEADER_LENGTH), true)!;
    const suite = getSuite(h.kemId);
    const headerLength = SEALED_HEADER_LENGTH + suite.lengths.ciphertext;
    const chunkSize = 2 ** h.chunkSizeExponent;
    const p = plaintextOf(size - headerLength, chunkSize);
    return {
      kind: 'sealedMessage',
      kdf: KDF_BY_ID[h.kdfId] ?? `0x${h.kdfId.toString(16)}`,
      aead: AEAD_BY_ID[h.aeadId] ?? `0x${h.aeadId.toString(16)}`,
      chunkSize,
      headerLength,
      recipients: [{ suite: suite.name, suiteId: suite.id, keyId: h.keyId }],
      keyIdsHidden: false,
      size,
      plaintextLength: p?.plaintextLength,
      chunks: p?.chunks,
    };
  }
  const h = parseMultiRecipientHeader(head);
  if (h === undefined) throw new Error(`multi-recipient sealed message: truncated header (${size} bytes)`);
  const chunkSize = 2 ** h.chunkSizeExponent;
  const p = plaintextOf(size - h.headerLength, chunkSize);
  return {
    kind: 'multiRecipientSealedMessage',
    kdf: h.kdf,
    aead: h.aead,
    chunkSize,
    headerLength: h.headerLength,
    recipients: h.recipients.map((r) => ({ suite: r.suite, suiteId: r.suiteId, keyId: r.keyId })),
    keyIdsHidden: h.keyIdsHidden,
    size,
    plaintextLength: p?.plaintextLength,
    chunks: p?.chunks,
  };
}

/** An armored sealed message decoded as a stream: its first bytes and its binary size. */
export async function dearmorHead(path: string): Promise<{ head: Uint8Array; size: number }> {
  const pieces: Buffer[] = [];
  let kept = 0;
  let size = 0;
  const source = createReadStream(path);
  const decoded = dearmorSealedNodeStream();
  source.on('error', (error) => decoded.destroy(error));
  source.pipe(decoded);
  for await (const chunk of decoded as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (kept < SEALED_HEAD_BYTES) {
      pieces.push(chunk.subarray(0, SEALED_HEAD_BYTES - kept));
      kept += Math.min(chunk.length, SEALED_HEAD_BYTES - kept);
    }
  }
  return { head: Buffer.concat(pieces), size };
}

/** "64 KiB", "1 MiB" */
export function formatChunkSize(bytes: number): string {
  return bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : `${bytes / 1024} KiB`;
}
