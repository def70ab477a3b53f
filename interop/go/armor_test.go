package hybridkem

import (
	"strings"
	"testing"
)

func TestArmorRoundTrip(t *testing.T) {
	for _, s := range Suites() {
		f := newFixture(t, s, 1)
		for _, k := range []Kind{KindPublicKey, KindPrivateKey, KindCiphertext} {
			text, err := Armor(f.encoded(k))
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
				checkPublic(t, s.Name+" "+k.String()+" "+name, re, f.encoded(k))
			}
		}
	}
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
