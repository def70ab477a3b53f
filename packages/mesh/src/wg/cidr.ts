/**
 * IPv4 and IPv6 addresses and CIDR prefixes for topology validation
 * (spec/MESH.md §13.3). Addresses are held as bigints of 32 or 128 bits so
 * that the prefix math is the same for both families; node:net's `isIP`
 * decides what is an address, this module only converts and compares.
 * @module
 */
import { isIPv4, isIPv6 } from 'node:net';

/** An address family: 4 or 6. */
export type IpFamily = 4 | 6;

/** A parsed CIDR: `address` with its host bits as written, `network` with them cleared. */
export interface Cidr {
  readonly family: IpFamily;
  /** The address as written (host bits kept). */
  readonly address: bigint;
  /** The address with the host bits cleared. */
  readonly network: bigint;
  readonly prefix: number;
}

const BITS = Object.freeze({ 4: 32, 6: 128 } as const);

/** The number of address bits of a family (32 or 128). */
export function familyBits(family: IpFamily): number {
  return BITS[family];
}

function mask(family: IpFamily, prefix: number): bigint {
  const bits = BITS[family];
  return ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}

function parseIPv4(text: string): bigint {
  let value = 0n;
  for (const part of text.split('.')) value = (value << 8n) | BigInt(Number(part));
  return value;
}

function parseIPv6(text: string): bigint {
  // isIPv6 has already accepted the text (no zone id: '%' is refused before).
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIPv4(text.slice(lastColon + 1));
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left, right] = head.includes('::') ? (head.split('::') as [string, string]) : [head, undefined];
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const all = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  let value = 0n;
  for (const g of all) value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/**
 * Parses an IP address (no prefix). IPv4 only in dotted-quad form without
 * leading zeros (node:net's rule: "010.0.0.1" is refused, as its meaning is
 * ambiguous); IPv6 in any RFC 4291 form without a zone id. Returns undefined
 * for anything else.
 */
export function parseIp(text: string): { family: IpFamily; value: bigint } | undefined {
  if (isIPv4(text)) return { family: 4, value: parseIPv4(text) };
  if (!text.includes('%') && isIPv6(text)) return { family: 6, value: parseIPv6(text) };
  return undefined;
}

/**
 * Parses `ADDRESS/PREFIX` (the prefix is required, decimal, no sign or
 * leading zero, 0..32 or 0..128). Returns undefined when it is not one.
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const p = text.slice(slash + 1);
  if (ip === undefined || !/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > BITS[ip.family]) return undefined;
  return Object.freeze({ family: ip.family, address: ip.value, network: ip.value & mask(ip.family, prefix), prefix });
}

/** Whether the two prefixes share an address: same family and equal on the shorter prefix's bits. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const m = mask(a.family, Math.min(a.prefix, b.prefix));
  return (a.network & m) === (b.network & m);
}

/** The last address of a prefix. */
export function cidrLast(c: Cidr): bigint {
  return c.network | ((1n << BigInt(BITS[c.family] - c.prefix)) - 1n);
}

/** Whether `outer` holds every address of `inner`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && cidrsOverlap(outer, inner);
}

/** Formats an address in the canonical text form (RFC 5952 for IPv6: lower case, the longest run of two or more zero groups as "::"). */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  // RFC 5952 §5: an IPv4-mapped address keeps its IPv4 part in dotted form.
  if (value >> 32n === 0xffffn) return `::ffff:${formatIp(4, value & 0xffffffffn)}`;
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Formats a prefix as NETWORK/PREFIX (host bits cleared). */
export function formatCidr(c: Cidr): string {
  return `${formatIp(c.family, c.network)}/${c.prefix}`;
}
