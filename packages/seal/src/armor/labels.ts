/**
 * The sealed kinds and their armor labels, read from @hybridkem/core (spec
 * §2, §3): a sealed kind is one whose §3 label ends in "SEALED MESSAGE"
 * (spec/WIRE-FORMAT.md §3.1) — 0x04 (§7) and 0x09 (§10) once core defines it.
 * Taking them from core's tables rather than copying the bytes keeps one
 * source of truth for kind bytes and labels.
 * @module
 */
import { ARMOR_LABELS, KIND_NAMES, type KindName } from '@hybridkem/core';

export interface SealedArmorLabel {
  readonly kind: number;
  readonly kindName: KindName;
  readonly label: string;
  /** `-----BEGIN <label>-----` and `-----END <label>-----` as ASCII bytes (no line ending). */
  readonly begin: Uint8Array;
  readonly end: Uint8Array;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Every sealed kind core defines, in kind order. */
export const SEALED_ARMOR_LABELS: readonly SealedArmorLabel[] = /* @__PURE__ */ Object.freeze(
  Object.entries(KIND_NAMES)
    .map(([byte, kindName]) => ({ kind: Number(byte), kindName, label: ARMOR_LABELS[kindName] }))
    .filter((k) => k.label.endsWith(' SEALED MESSAGE'))
    .sort((a, b) => a.kind - b.kind)
    .map((k) => Object.freeze({ ...k, begin: ascii(`-----BEGIN ${k.label}-----`), end: ascii(`-----END ${k.label}-----`) })),
);

export function sealedLabelForKind(kind: number): SealedArmorLabel | undefined {
  return SEALED_ARMOR_LABELS.find((l) => l.kind === kind);
}

/** The name of a kind byte for messages: core's name, or its hex value. */
export function kindDescription(kind: number): string {
  return KIND_NAMES[kind] ?? `0x${kind.toString(16).padStart(2, '0')}`;
}
