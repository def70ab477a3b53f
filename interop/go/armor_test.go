package hybridkem

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

func TestArmorRoundTrip(t *testing.T) {
	forEachEncoded(t, 1, func(s *Suite, k Kind, enc []byte) {
		text, err := Armor(enc)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		if lines[0] != "-----BEGIN "+armorLabels[k]+"-----" || lines[len(lines)-1] != "-----END "+armorLabels[k]+"-----" || !strings.HasSuffix(text, "-----\n") {
			t.Errorf("%s %s: bad armor frame", s.Name, k)
		}
		for _, l := range lines[1 : len(lines)-2] {
			if len(l) != 64 {
				t.Errorf("%s %s: line of %d chars", s.Name, k, len(l))
			}
		}
		variants := map[string]string{
			"LF":         text,
			"CRLF":       strings.ReplaceAll(text, "\n", "\r\n"),
			"whitespace": "\n  \t" + text + "\n\n  ",
			"no final":   strings.TrimSuffix(text, "\n"),
		}
		for name, v := range variants {
			obj, err := DecodeArmored(v, k)
			if err != nil {
				t.Errorf("%s %s %s: %v", s.Name, k, name, err)
				continue
			}
			re, _ := obj.Bytes()
			checkPublic(t, s.Name+" "+k.String()+" "+name, re, enc)
		}
	})
}

func TestArmorErrors(t *testing.T) {
	f := newFixture(t, suiteXWing, 2)
	pk, _ := Armor(f.encPK)
	sk, _ := Armor(f.encSK)
	lines := strings.Split(strings.TrimSuffix(pk, "\n"), "\n")
	join := func(ls ...string) string { return strings.Join(ls, "\n") + "\n" }
	body := lines[1 : len(lines)-1]
	last := body[len(body)-1]
	urlLine := 0 // a line with '+' or '/', to rewrite in the URL-safe alphabet
	for i, l := range body {
		if strings.ContainsAny(l, "+/") {
			urlLine = i
			break
		}
	}

	// A valid object under the wrong label; and a bad binary object inside
	// valid armor (the binary code wins, §2 order).
	relabelled := strings.ReplaceAll(sk, "PRIVATE KEY", "PUBLIC KEY")
	trailing := mustArmor(t, append(append([]byte(nil), f.encSK...), 0))

	cases := []struct {
		name, text string
		want       Kind
		code       Code
	}{
		{"empty", "", KindPublicKey, ErrArmor},
		{"text before", "hello\n" + pk, KindPublicKey, ErrArmor},
		{"text after", pk + "bye\n", KindPublicKey, ErrArmor},
		{"header line", join(append(append([]string{lines[0], "Comment: x", ""}, body...), lines[len(lines)-1])...), KindPublicKey, ErrArmor},
		{"END label differs", strings.Replace(pk, "END HYBRIDKEM PUBLIC KEY", "END HYBRIDKEM CIPHERTEXT", 1), KindPublicKey, ErrArmor},
		{"unknown label", strings.ReplaceAll(pk, "HYBRIDKEM PUBLIC KEY", "PUBLIC KEY"), KindPublicKey, ErrArmor},
		{"label does not match kind byte", relabelled, KindPublicKey, ErrArmor},
		{"label does not match kind byte, any", relabelled, KindAny, ErrArmor},
		{"63-char line", join(append(append([]string{lines[0], body[0][:63], body[0][63:] + body[1]}, body[2:]...), lines[len(lines)-1])...), KindPublicKey, ErrArmor},
		{"one long line", join(lines[0], strings.Join(body, ""), lines[len(lines)-1]), KindPublicKey, ErrArmor},
		{"empty line in body", join(append(append([]string{lines[0], ""}, body...), lines[len(lines)-1])...), KindPublicKey, ErrArmor},
		{"space in line", strings.Replace(pk, body[0], body[0][:10]+" "+body[0][11:], 1), KindPublicKey, ErrArmor},
		{"trailing space on line", strings.Replace(pk, body[0], body[0]+" ", 1), KindPublicKey, ErrArmor},
		{"URL-safe alphabet", strings.Replace(pk, body[urlLine], strings.NewReplacer("+", "-", "/", "_").Replace(body[urlLine]), 1), KindPublicKey, ErrArmor},
		{"missing padding", strings.Replace(pk, last, strings.TrimRight(last, "="), 1), KindPublicKey, ErrArmor},
		{"non-canonical padding bits", strings.Replace(pk, last, nonCanonical(last), 1), KindPublicKey, ErrArmor},
		{"wrong kind asked", pk, KindCiphertext, ErrWrongKind},
		{"binary error inside armor", trailing, KindPrivateKey, ErrTrailingData},
	}
	for _, c := range cases {
		_, err := DecodeArmored(c.text, c.want)
		wantCode(t, c.name, err, c.code)
	}
}

// Every kind §2 defines has its §3 label (labels written out from the spec),
// so a well-armored object of another family is ERR_WRONG_KIND for the KEM
// decoder, as §3 orders the checks; an undefined kind has no armor.
func TestArmorEveryDefinedKind(t *testing.T) {
	labels := map[byte]string{
		0x01: "HYBRIDKEM PUBLIC KEY", 0x02: "HYBRIDKEM PRIVATE KEY", 0x03: "HYBRIDKEM CIPHERTEXT",
		0x04: "HYBRIDKEM SEALED MESSAGE", 0x05: "HYBRIDKEM SIGNING PUBLIC KEY",
		0x06: "HYBRIDKEM SIGNING PRIVATE KEY", 0x07: "HYBRIDKEM SIGNATURE",
		0x08: "HYBRIDKEM ENCRYPTED PRIVATE KEY", 0x09: "HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE",
		0x0a: "HYBRIDKEM MESH KEY ENVELOPE", 0x0b: "HYBRIDKEM MESH DIRECTORY RECORD",
		0x0c: "HYBRIDKEM MESH PSK EXCHANGE",
	}
	if len(armorLabels) != len(labels) {
		t.Fatalf("armorLabels has %d kinds, §3 lists %d", len(armorLabels), len(labels))
	}
	for k := 0x04; k <= 0x0c; k++ {
		obj := []byte{1, byte(k), 0xfe, 0x01, 7, 7, 7}
		text := mustArmor(t, obj)
		want := "-----BEGIN " + labels[byte(k)] + "-----\n" + base64.StdEncoding.EncodeToString(obj) + "\n-----END " + labels[byte(k)] + "-----\n"
		if text != want {
			t.Fatalf("kind 0x%02x armored as %q, want %q", k, text, want)
		}
		_, err := DecodeArmored(text, KindPublicKey)
		wantCode(t, fmt.Sprintf("kind 0x%02x under its label", k), err, ErrWrongKind)
		_, err = DecodeArmored(text, KindAny)
		wantCode(t, fmt.Sprintf("kind 0x%02x under its label, any KEM kind", k), err, ErrWrongKind)
	}
	envelope := mustArmor(t, []byte{1, 0x0a, 0xfe, 0x01, 7})
	_, err := DecodeArmored(strings.ReplaceAll(envelope, "MESH KEY ENVELOPE", "MESH DIRECTORY RECORD"), KindAny)
	wantCode(t, "envelope under the directory record label", err, ErrArmor)
	exchange := mustArmor(t, []byte{1, 0x0c, 0xfe, 0x02, 5})
	_, err = DecodeArmored(strings.ReplaceAll(exchange, "MESH PSK EXCHANGE", "MESH KEY ENVELOPE"), KindAny)
	wantCode(t, "PSK exchange under the key envelope label", err, ErrArmor)
	// 0xff stands for "not defined": the next kind reserved does not change this test.
	_, err = Armor([]byte{1, 0xff, 0xfe, 0x01})
	wantCode(t, "armor of kind 0xff", err, ErrUnknownKind)
}

func mustArmor(t *testing.T, encoded []byte) string {
	t.Helper()
	s, err := Armor(encoded)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// nonCanonical flips a padding bit of the last base64 quantum: it still
// decodes with a lax decoder but is not the canonical encoding.
func nonCanonical(last string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	trimmed := strings.TrimRight(last, "=")
	pad := last[len(trimmed):]
	if pad == "" {
		return last + "=" // not canonical either: padding where none belongs
	}
	c := trimmed[len(trimmed)-1]
	i := strings.IndexByte(alphabet, c)
	return trimmed[:len(trimmed)-1] + string(alphabet[i^1]) + pad
}
