// Every refusal of spec/WIRE-FORMAT.md §3.1's streaming armor reader: each
// case is hand-written armor broken in one way, and must fail with
// ArmorError (ERR_ARMOR) naming the line, without quoting the input.
import { ArmorError } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import { SealedArmorReader } from '../src/armor/reader.js';
import { dearmorSealedStream } from '../src/index.js';
import { drive, pattern, rejects, utf8 } from './helpers.js';

const BEGIN = '-----BEGIN HYBRIDKEM SEALED MESSAGE-----';
const END = '-----END HYBRIDKEM SEALED MESSAGE-----';

/** Base64 lines of a sealed-looking object of `n` bytes (Buffer's encoder, split by hand). */
function lines(n: number): string[] {
  const b = pattern(n, n);
  b[0] = 1;
  b[1] = 4;
  return Buffer.from(b).toString('base64').match(/.{1,64}/g)!;
}
const doc = (body: string[], eol = '\n') => [BEGIN, ...body, END, ''].join(eol);

async function refused(input: string, lineMention: RegExp | string): Promise<string> {
  const e = await rejects(drive(dearmorSealedStream(), [utf8(input)]).then((r) => {
    if (r.error !== undefined) throw r.error;
  }), 'ERR_ARMOR');
  expect(e).toBeInstanceOf(ArmorError);
  expect(e.message).toMatch(lineMention);
  return e.message;
}

describe('streaming armor reader refuses (ERR_ARMOR)', () => {
  const body = lines(200); // 268 characters: lines 2-6 (64, 64, 64, 64, 12), END on line 7

  it('a short line in the middle', async () => {
    const b = [...body];
    b[1] = b[1]!.slice(0, 60);
    await refused(doc(b), /line 4: line 3 has 60 characters/);
  });

  it('a line longer than 64 characters, and a CR-less over-long line without buffering more than one line', async () => {
    const b = [...body];
    b[0] = b[0]! + b[1]!.slice(0, 4);
    b.splice(1, 1);
    await refused(doc(b), /line 2: longer than 64/);
    // Fed byte by byte: the reader refuses at the 66th byte of the line (64 characters and a CR at most).
    const reader = new SealedArmorReader();
    const input = utf8(`${BEGIN}\n${'A'.repeat(10_000)}`);
    let fed = 0;
    expect(() => {
      for (; fed < input.length; fed++) reader.push(input.subarray(fed, fed + 1), () => {});
    }).toThrow(/line 2: longer than 64/);
    expect(fed).toBe(BEGIN.length + 1 + 65);
    // and a long BEGIN-less run of text before the BEGIN line at its first byte
    await refused(`garbage${doc(body)}`, /line 1: expected the BEGIN line/);
  });

  it('a character outside the alphabet, without quoting the line', async () => {
    for (const bad of ['*', ' ', '\t', '.', '_', '\u00e9']) {
      const b = [...body];
      b[1] = b[1]!.slice(0, 10) + bad + b[1]!.slice(11);
      const m = await refused(doc(b), /line 3: (column 11: not a base64 character|longer than 64)/);
      expect(m).not.toContain(b[1]!.slice(0, 10));
    }
    // base64url characters are not the standard alphabet
    const b = [...body];
    b[0] = '-_' + b[0]!.slice(2);
    await refused(doc(b), /line 2:/);
  });

  it('padding anywhere but at the end of the last line', async () => {
    const b = [...body];
    b[1] = b[1]!.slice(0, 60) + 'AA=='; // canonical on its own
    await refused(doc(b), /line 4: line 3 ends with padding/);
    const c = [...body];
    c[1] = c[1]!.slice(0, 10) + '=' + c[1]!.slice(11);
    await refused(doc(c), /line 3: padding "=" is allowed only at the end of the last line/);
    await refused(doc(['AQR=eg==']), /line 2: padding/);
    await refused(doc(['A===']), /line 2: padding/);
  });

  it('non-canonical padding bits', async () => {
    // 01 04 64 7a → "AQRkeg=="; "AQRkeh==" sets an unused bit
    await refused(doc(['AQRkeh==']), /line 2: non-canonical/);
    // 01 04 64 7a 00 → "AQRkegA="; "AQRkegB=" sets an unused bit
    await refused(doc(['AQRkegB=']), /line 2: non-canonical/);
  });

  it('a last line that is not padded to a multiple of 4', async () => {
    await refused(doc(['AQRkeg']), /line 2: 6 characters, not a multiple of 4/);
  });

  it('a missing or wrong END line, and text after END', async () => {
    await refused([BEGIN, ...body, ''].join('\n'), /no END line/);
    await refused([BEGIN, ...body].join('\n'), /no END line/);
    await refused([BEGIN, ...body, '-----END HYBRIDKEM PUBLIC KEY-----', ''].join('\n'), /line 7: expected the END line/);
    await refused([BEGIN, ...body, `${END} `, ''].join('\n'), /line 7: expected the END line/);
    await refused(`${doc(body)}more`, /line 8: text after the END line/);
    await refused(`${doc(body)}\n\n${doc(body)}`, /line 10: text after the END line/);
    await refused(`${BEGIN}`, /the input ends inside the BEGIN line/);
  });

  it('a wrong label, a label that does not match the kind byte, headers', async () => {
    await refused(doc(body).replace(BEGIN, '-----BEGIN HYBRIDKEM PUBLIC KEY-----'), /line 1: the label is HYBRIDKEM PUBLIC KEY, not a sealed message's/);
    await refused(doc(body).replace(BEGIN, '-----BEGIN SOMETHING ELSE-----'), /line 1: the BEGIN line is not "-----BEGIN HYBRIDKEM SEALED MESSAGE-----"/);
    await refused(doc(body).replace(BEGIN, `${BEGIN} `), /line 1: the BEGIN line is not/);
    await refused(doc(body).replace(BEGIN, BEGIN.toLowerCase()), /line 1: the BEGIN line is not/);
    // kind 0x01 (a public key) under the sealed label: 01 01 … → "AQE…"
    const wrongKind = Buffer.from([1, 1, 0x64, 0x7a, 9, 9]).toString('base64');
    await refused(doc([wrongKind]), /line 2: the label says HYBRIDKEM SEALED MESSAGE \(kind sealedMessage\) but the kind byte inside is publicKey/);
    const unknownKind = Buffer.from([1, 0x7f, 0, 0]).toString('base64');
    await refused(doc([unknownKind]), /kind byte inside is 0x7f/);
    await refused([BEGIN, 'Proc-Type: 4,ENCRYPTED', '', ...body, END, ''].join('\n'), /line 2:/);
    // the two sealed kinds (spec §3, §10) each under the other's label
    const multi = '-----BEGIN HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE-----';
    const multiEnd = '-----END HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE-----';
    const kind9 = Buffer.from([1, 9, 0, 0, 7, 7]).toString('base64');
    await refused(doc([kind9]), /line 2: the label says HYBRIDKEM SEALED MESSAGE \(kind sealedMessage\) but the kind byte inside is multiRecipientSealedMessage/);
    await refused([multi, ...body, multiEnd, ''].join('\n'), /line 2: the label says HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE .* kind byte inside is sealedMessage/);
    await refused([multi, kind9, END, ''].join('\n'), /line 3: expected the END line "-----END HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE-----"/);
  });

  it('empty lines, no base64, empty input, whitespace only', async () => {
    await refused([BEGIN, body[0], '', ...body.slice(1), END, ''].join('\n'), /line 3: empty line/);
    await refused(doc([]), /line 2: no base64 between the BEGIN and END lines/);
    await refused('', /line 1: no BEGIN line/);
    await refused(' \n\t\r\n', /line 3: no BEGIN line/);
  });

  it('mixed line endings, either way', async () => {
    const lf = doc(body);
    await refused(lf.replace(`${body[1]}\n`, `${body[1]}\r\n`), /line 3: the line ends with CRLF but the BEGIN line with LF/);
    const crlf = doc(body, '\r\n');
    await refused(crlf.replace(`${body[2]}\r\n`, `${body[2]}\n`), /line 4: the line ends with LF but the BEGIN line with CRLF/);
    await refused(crlf.replace(`${END}\r\n`, `${END}\n`), /line 7: the line ends with LF/);
  });

  it('more than 1024 bytes of whitespace before BEGIN, and Unicode whitespace (which the §3 reader trims)', async () => {
    await refused(' '.repeat(1025) + doc(body), /more than 1024 bytes of whitespace/);
    await refused(`\ufeff${doc(body)}`, /line 1: expected the BEGIN line/);
    await refused(`${doc(body)}\u00a0`, /text after the END line/);
  });

  it('keeps failing after the first error, and emits nothing of a bad first line', async () => {
    const reader = new SealedArmorReader();
    const got: Uint8Array[] = [];
    const wrongKind = Buffer.from([1, 1, 0x64, 0x7a, 9, 9]).toString('base64');
    expect(() => reader.push(utf8(`${BEGIN}\n${wrongKind}\n`), (b) => got.push(b))).toThrow(ArmorError);
    expect(got).toEqual([]);
    expect(() => reader.push(utf8(`${END}\n`), (b) => got.push(b))).toThrow(/kind byte/);
    expect(() => reader.finish((b) => got.push(b))).toThrow(/kind byte/);
  });
});
