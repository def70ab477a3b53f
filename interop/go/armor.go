package hybridkem

import (
	"encoding/base64"
	"strings"
)

// Armor labels of WIRE-FORMAT.md §3, for every kind §2 defines: a
// well-armored object of another family then reaches Decode, which answers
// ERR_WRONG_KIND (§3's order of checks), not ERR_ARMOR for its label.
var armorLabels = map[Kind]string{
	KindPublicKey:   "HYBRIDKEM PUBLIC KEY",
	KindPrivateKey:  "HYBRIDKEM PRIVATE KEY",
	KindCiphertext:  "HYBRIDKEM CIPHERTEXT",
	kindSealed:      "HYBRIDKEM SEALED MESSAGE",
	0x05:            "HYBRIDKEM SIGNING PUBLIC KEY",
	0x06:            "HYBRIDKEM SIGNING PRIVATE KEY",
	0x07:            "HYBRIDKEM SIGNATURE",
	0x08:            "HYBRIDKEM ENCRYPTED PRIVATE KEY",
	kindMultiSealed: "HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE",
	0x0a:            "HYBRIDKEM MESH KEY ENVELOPE",
	0x0b:            "HYBRIDKEM MESH DIRECTORY RECORD",
	0x0c:            "HYBRIDKEM MESH PSK EXCHANGE",
}

const armorLineLen = 64

// Armor writes the text form of §3 for an encoded wire object: PEM
// (RFC 7468 strict) with standard padded base64 in lines of 64 characters,
// LF line endings and a final LF. The label comes from the kind byte.
func Armor(encoded []byte) (string, error) {
	if len(encoded) < headerSize {
		return "", newErr(ErrTruncated, "header", ">= 4 bytes", "shorter")
	}
	label, ok := armorLabels[Kind(encoded[1])]
	if !ok {
		return "", newErr(ErrUnknownKind, "kind", "a kind §2 defines (1 to 12)", Kind(encoded[1]).String())
	}
	b64 := base64.StdEncoding.EncodeToString(encoded)
	var sb strings.Builder
	sb.WriteString("-----BEGIN " + label + "-----\n")
	for len(b64) > armorLineLen {
		sb.WriteString(b64[:armorLineLen] + "\n")
		b64 = b64[armorLineLen:]
	}
	sb.WriteString(b64 + "\n")
	sb.WriteString("-----END " + label + "-----\n")
	return sb.String(), nil
}

// DecodeArmored reads the text form of §3 and decodes the object inside.
// Order of checks (§3): (1) armor syntax and canonical base64, ERR_ARMOR;
// (2) the label must match the kind byte inside, ERR_ARMOR (skipped when the
// object is too short to have one); (3) the binary object, with the codes and
// order of §2, including ERR_WRONG_KIND against the kind asked for.
func DecodeArmored(text string, want Kind) (*Object, error) {
	labelKind, raw, err := dearmor(text)
	if err != nil {
		return nil, err
	}
	if len(raw) >= 2 && Kind(raw[1]) != labelKind {
		return nil, newErr(ErrArmor, "armor label", armorLabels[labelKind], Kind(raw[1]).String())
	}
	return Decode(raw, want)
}

// dearmor checks the armor syntax and returns the label's kind and the
// decoded bytes. Accepted: LF or CRLF line endings and whitespace around
// the block. Rejected (ERR_ARMOR): headers, text before or after, unknown
// or mismatched labels, lines other than 64 characters (except a shorter
// last line), and non-canonical base64.
func dearmor(text string) (Kind, []byte, error) {
	bad := func(what string) (Kind, []byte, error) {
		return 0, nil, newErr(ErrArmor, "armor", "RFC 7468 strict text", what)
	}
	text = strings.Trim(text, " \t\r\n")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	if len(lines) < 3 {
		return bad("too few lines")
	}
	first, last := lines[0], lines[len(lines)-1]
	const begin, end, dashes = "-----BEGIN ", "-----END ", "-----"
	if !strings.HasPrefix(first, begin) || !strings.HasSuffix(first, dashes) || len(first) < len(begin)+len(dashes) {
		return bad("missing BEGIN line")
	}
	label := first[len(begin) : len(first)-len(dashes)]
	if last != end+label+dashes {
		return bad("END line does not match BEGIN line")
	}
	var kind Kind
	for k, l := range armorLabels {
		if l == label {
			kind = k
		}
	}
	if kind == 0 {
		return bad("unknown label")
	}
	body := lines[1 : len(lines)-1]
	for i, l := range body {
		if l == "" || len(l) > armorLineLen || (i < len(body)-1 && len(l) != armorLineLen) {
			return bad("base64 lines must be 64 characters, the last 1 to 64")
		}
	}
	b64 := strings.Join(body, "")
	raw, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil || base64.StdEncoding.EncodeToString(raw) != b64 {
		return bad("non-canonical base64")
	}
	return kind, raw, nil
}
