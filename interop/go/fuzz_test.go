package hybridkem

import (
	"bytes"
	"testing"
)

// FuzzDecode asserts that the binary decoder never panics, and that whatever
// it accepts re-encodes to the same bytes. `go test` runs only the seed
// corpus; run `go test -fuzz=FuzzDecode` to explore.
func FuzzDecode(f *testing.F) {
	forEachEncoded(f, 0, func(_ *Suite, k Kind, enc []byte) {
		f.Add(enc, byte(k))
		f.Add(enc[:len(enc)-1], byte(k))
		f.Add(append(append([]byte(nil), enc...), 0), byte(KindAny))
	})
	f.Add([]byte{}, byte(0))
	f.Add([]byte{1, 4, 0x64, 0x7a}, byte(1))
	f.Fuzz(func(t *testing.T, data []byte, want byte) {
		w := Kind(want % 4) // KindAny or one of the three kinds
		obj, err := Decode(data, w)
		if err != nil {
			if CodeOf(err) == "" {
				t.Fatalf("error without code: %v", err)
			}
			return
		}
		re, err := obj.Bytes()
		if err != nil || !bytes.Equal(re, data) {
			t.Fatalf("accepted input does not round-trip (err %v)", err)
		}
		if w != KindAny && obj.Kind != w {
			t.Fatalf("asked for %s, got %s", w, obj.Kind)
		}
	})
}

// FuzzDecodeArmored does the same for the text form.
func FuzzDecodeArmored(f *testing.F) {
	forEachEncoded(f, 0, func(_ *Suite, _ Kind, enc []byte) {
		text, _ := Armor(enc)
		f.Add(text)
	})
	f.Add("-----BEGIN HYBRIDKEM PRIVATE KEY-----\nAQL/AQ==\n-----END HYBRIDKEM PRIVATE KEY-----\n")
	f.Fuzz(func(t *testing.T, text string) {
		obj, err := DecodeArmored(text, KindAny)
		if err != nil {
			if CodeOf(err) == "" {
				t.Fatalf("error without code: %v", err)
			}
			return
		}
		enc, err := obj.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		canon, err := Armor(enc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeArmored(canon, obj.Kind); err != nil {
			t.Fatalf("canonical armor of an accepted object rejected: %v", err)
		}
	})
}
