/**
 * The TLS named groups the policies use, one row each: the IANA code point
 * ("TLS Supported Groups" registry), the name OpenSSL 3.5 takes in a groups
 * list, the names Node's `getEphemeralKeyInfo()` reports, and what kind of
 * key exchange it is.
 *
 * Sources: the hybrid code points are draft-ietf-tls-ecdhe-mlkem (§3:
 * X25519MLKEM768 = 0x11EC, SecP256r1MLKEM768 = 0x11EB, SecP384r1MLKEM1024 =
 * 0x11ED); the classical ones RFC 8446 §4.2.7 (x25519 = 0x001D, secp256r1 =
 * 0x0017, secp384r1 = 0x0018).
 * @module
 */

export interface TlsGroup {
  /** IANA code point, as in supported_groups and key_share. */
  readonly id: number;
  /** The name in an OpenSSL groups list (`ecdhCurve`). */
  readonly openssl: string;
  /** Names Node reports for it in `getEphemeralKeyInfo().name`. */
  readonly nodeNames: readonly string[];
  /** ML-KEM combined with an elliptic-curve key exchange. */
  readonly hybrid: boolean;
  /** Its elliptic curve is a NIST curve (P-256, P-384): what FIPS 140-3 validated modules approve. */
  readonly nistCurve: boolean;
}

export const TLS_GROUPS = Object.freeze({
  X25519MLKEM768: Object.freeze({ id: 0x11ec, openssl: 'X25519MLKEM768', nodeNames: ['X25519MLKEM768'], hybrid: true, nistCurve: false }),
  SecP256r1MLKEM768: Object.freeze({ id: 0x11eb, openssl: 'SecP256r1MLKEM768', nodeNames: ['SecP256r1MLKEM768'], hybrid: true, nistCurve: true }),
  SecP384r1MLKEM1024: Object.freeze({ id: 0x11ed, openssl: 'SecP384r1MLKEM1024', nodeNames: ['SecP384r1MLKEM1024'], hybrid: true, nistCurve: true }),
  X25519: Object.freeze({ id: 0x001d, openssl: 'X25519', nodeNames: ['X25519'], hybrid: false, nistCurve: false }),
  secp256r1: Object.freeze({ id: 0x0017, openssl: 'P-256', nodeNames: ['prime256v1', 'P-256', 'secp256r1'], hybrid: false, nistCurve: true }),
  secp384r1: Object.freeze({ id: 0x0018, openssl: 'P-384', nodeNames: ['secp384r1', 'P-384'], hybrid: false, nistCurve: true }),
} satisfies Record<string, TlsGroup>);

/** A group's IANA name, the label it carries in metrics and logs. */
export type TlsGroupName = keyof typeof TLS_GROUPS;

export const TLS_GROUP_NAMES = Object.freeze(Object.keys(TLS_GROUPS) as TlsGroupName[]);

/** The group with this IANA code point, or undefined for one no policy uses. */
export function groupById(id: number): TlsGroupName | undefined {
  return TLS_GROUP_NAMES.find((name) => TLS_GROUPS[name].id === id);
}

/** The group Node reports by this name (`getEphemeralKeyInfo().name`), or undefined. */
export function groupByNodeName(name: string): TlsGroupName | undefined {
  return TLS_GROUP_NAMES.find((group) => TLS_GROUPS[group].nodeNames.includes(name));
}
