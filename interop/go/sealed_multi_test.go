package hybridkem

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// multiParty is a key pair of a §7.1 KEM from a fixed seed.
type multiParty struct {
	kem       uint16
	seed, pub []byte
}

func newMultiParty(t testing.TB, kem uint16, seedByte byte) multiParty {
	t.Helper()
	seed := bytes.Repeat([]byte{seedByte}, SeedSize)
	k, ok := sealedKEMByID(kem)
	if !ok {
		t.Fatalf("kem 0x%04x", kem)
	}
	pub, err := k.suite.DeriveKeyPair(seed)
	if err != nil {
		t.Fatal(err)
	}
	return multiParty{kem, seed, pub}
}

func (p multiParty) recipient() MultiRecipient { return MultiRecipient{p.kem, p.pub} }
func (p multiParty) identity() MultiIdentity   { return MultiIdentity{p.kem, p.seed} }

var multiKEMs = []uint16{KEMXWing, KEMX25519MLKEM768, KEMMLKEM768P256, KEMCGMLKEM1024P384, KEMX25519MLKEM1024, KEMCGMLKEM768P256, KEMMLKEM1024P384}

func TestMultiRoundTripEverySuite(t *testing.T) {
	var parties []multiParty
	for i, kem := range multiKEMs {
		parties = append(parties, newMultiParty(t, kem, byte(i+1)))
	}
	var rs []MultiRecipient
	for _, p := range parties {
		rs = append(rs, p.recipient())
	}
	pt := bytes.Repeat([]byte("multi"), 30000) // 150000 bytes: three chunks
	for _, hide := range []bool{false, true} {
		for _, own := range []bool{false, true} {
			sealed, err := sealMultiWith(rs, pt, []byte("i"), []byte("a"), KDFHKDFSHA256, AEADAES256GCM, hide, own)
			if err != nil {
				t.Fatal(err)
			}
			// §10.1: 25 + Σ(2 + 16? + Nenc + 48) + 32, then 150000 + 3 tags.
			want := 25 + 32 + 150000 + 3*16
			for _, kem := range multiKEMs {
				k, _ := sealedKEMByID(kem)
				want += 2 + 48 + k.encSize
				if !hide {
					want += 16
				}
			}
			if len(sealed) != want {
				t.Fatalf("hide=%v: length %d, want %d", hide, len(sealed), want)
			}
			for _, p := range parties {
				// Opened by the other HPKE code than the one that sealed, for the registered KEMs.
				got, err := openMultiWith([]MultiIdentity{p.identity()}, sealed, []byte("i"), []byte("a"), !own)
				if err != nil || !bytes.Equal(got, pt) {
					t.Fatalf("hide=%v own=%v kem 0x%04x: %v", hide, own, p.kem, err)
				}
			}
		}
	}
}

func TestMultiErrors(t *testing.T) {
	a := newMultiParty(t, KEMXWing, 1)
	b := newMultiParty(t, KEMCGMLKEM1024P384, 2)
	sealed, err := SealMulti([]MultiRecipient{a.recipient(), b.recipient()}, []byte("hello"), nil, nil, KDFHKDFSHA256, AEADChaCha20Poly1305, false)
	if err != nil {
		t.Fatal(err)
	}
	hl := 25 + (2 + 16 + 1120 + 48) + (2 + 16 + 1665 + 48) + 32
	flip := func(i int, m byte) []byte {
		c := bytes.Clone(sealed)
		c[i] ^= m
		return c
	}
	open := func(m []byte) Code {
		_, err := OpenMulti([]MultiIdentity{a.identity()}, m, nil, nil)
		return CodeOf(err)
	}
	cases := []struct {
		name string
		msg  []byte
		want Code
	}{
		{"version", flip(0, 3), ErrUnsupportedVersion},
		{"kind 0x04", flip(1, 0x0d), ErrWrongKind},
		{"kind 0x0a (mesh key envelope)", flip(1, 0x03), ErrWrongKind},
		{"kind 0x0b (mesh directory record)", flip(1, 0x02), ErrWrongKind},
		{"kind 0x0c (mesh PSK exchange message)", flip(1, 0x05), ErrWrongKind},
		{"kind 0xff", flip(1, 0xf6), ErrUnknownKind},
		{"kdf", flip(3, 0x10), ErrUnknownSuite},
		{"aead", flip(5, 0x04), ErrUnknownSuite},
		{"exponent out of range", flip(6, 0x20), ErrInvalidArgument},
		{"exponent in range", flip(6, 0x01), ErrAuthentication},
		{"flags bit 1", flip(7, 0x02), ErrInvalidArgument},
		{"count 0", flip(8, 0x02), ErrInvalidArgument},
		{"salt", flip(12, 1), ErrAuthentication},
		{"own enc", flip(25+18, 1), ErrAuthentication},
		{"own wrapped key", flip(25+18+1120, 1), ErrAuthentication},
		{"other stanza", flip(25+1186+100, 1), ErrAuthentication},
		{"own key id", flip(25+2, 1), ErrInvalidArgument},
		{"unknown suite in stanza 2", flip(25+1186, 0x40), ErrUnknownSuite},
		{"MAC", flip(hl-1, 1), ErrAuthentication},
		{"chunk", flip(hl, 1), ErrAuthentication},
		{"truncated in FIXED", sealed[:20], ErrTruncated},
		{"truncated in a stanza", sealed[:500], ErrTruncated},
		{"truncated in the MAC", sealed[:hl-1], ErrTruncated},
		{"no chunk", sealed[:hl+15], ErrTruncated},
		{"reordered stanzas", append(append(append(bytes.Clone(sealed[:25]), sealed[25+1186:hl-32]...), sealed[25:25+1186]...), sealed[hl-32:]...), ErrAuthentication},
	}
	for _, c := range cases {
		if got := open(c.msg); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	stranger := newMultiParty(t, KEMXWing, 9)
	_, err = OpenMulti([]MultiIdentity{stranger.identity()}, sealed, nil, nil)
	if CodeOf(err) != ErrInvalidArgument || !strings.Contains(err.Error(), "keyId") || strings.Contains(err.Error(), hex.EncodeToString(stranger.seed)) {
		t.Errorf("stranger: %v", err)
	}
	if _, err := SealMulti(make([]MultiRecipient, 65), nil, nil, nil, KDFHKDFSHA256, AEADChaCha20Poly1305, false); CodeOf(err) != ErrInvalidArgument {
		t.Errorf("65 recipients: %v", err)
	}
}

func TestMultiTrialBound(t *testing.T) {
	p := newMultiParty(t, KEMXWing, 5)
	rs := make([]MultiRecipient, 64)
	for i := range rs {
		rs[i] = p.recipient()
	}
	sealed, err := SealMulti(rs, []byte("x"), nil, nil, KDFHKDFSHA256, AEADChaCha20Poly1305, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenMulti([]MultiIdentity{p.identity()}, sealed, nil, nil); err != nil {
		t.Fatal(err)
	}
	_, err = OpenMulti([]MultiIdentity{newMultiParty(t, KEMXWing, 6).identity(), p.identity()}, sealed, nil, nil)
	if CodeOf(err) != ErrInvalidArgument || !strings.Contains(err.Error(), "identities") {
		t.Errorf("128 candidates: %v", err)
	}
}

// TestMultiOpensTypeScriptFixture opens messages sealed by @hybridkem/seal
// (testdata/sealed_multi_ts.json, every suite, visible and hidden key ids).
func TestMultiOpensTypeScriptFixture(t *testing.T) {
	raw, err := os.ReadFile("testdata/sealed_multi_ts.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Info, AAD       string
		PlaintextLength int `json:"plaintextLength"`
		Recipients      []struct{ KEM, Seed string }
		Messages        []struct {
			HideKeyIDs bool `json:"hideKeyIds"`
			Sealed     string
		}
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	unhex := func(s string) []byte {
		b, err := hex.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	pt := make([]byte, f.PlaintextLength)
	for i := range pt {
		pt[i] = byte(i * 13)
	}
	if len(f.Recipients) != 7 || len(f.Messages) != 2 {
		t.Fatalf("fixture: %d recipients, %d messages", len(f.Recipients), len(f.Messages))
	}
	for _, m := range f.Messages {
		sealed := unhex(m.Sealed)
		h, err := ParseMultiHeader(sealed)
		if err != nil || h.Hidden != m.HideKeyIDs || len(h.Stanzas) != 7 {
			t.Fatalf("header: %v", err)
		}
		for i, r := range f.Recipients {
			var kem uint16
			for _, s := range Suites() {
				if s.Name == r.KEM {
					kem = s.ID
				}
			}
			seed := unhex(r.Seed)
			for j := range seed {
				if seed[j] != byte(31*(i+1)+7*j) {
					t.Fatalf("seed %d is not the documented one", i)
				}
			}
			got, err := OpenMulti([]MultiIdentity{{kem, seed}}, sealed, unhex(f.Info), unhex(f.AAD))
			if err != nil || !bytes.Equal(got, pt) {
				t.Errorf("hidden=%v %s: %v", m.HideKeyIDs, r.KEM, err)
			}
		}
		if _, err := OpenMulti([]MultiIdentity{{KEMXWing, unhex(f.Recipients[0].Seed)}}, sealed, nil, unhex(f.AAD)); CodeOf(err) == "" {
			t.Errorf("another info opened")
		}
	}
}

// FuzzOpenMulti: any input gives a typed error or a plaintext, never a panic.
func FuzzOpenMulti(f *testing.F) {
	p := newMultiParty(f, KEMXWing, 1)
	q := newMultiParty(f, KEMMLKEM768P256, 2)
	for _, hide := range []bool{false, true} {
		sealed, err := SealMulti([]MultiRecipient{p.recipient(), q.recipient()}, []byte("fuzz"), nil, nil, KDFHKDFSHA256, AEADChaCha20Poly1305, hide)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(sealed)
		f.Add(sealed[:30])
	}
	f.Add([]byte{1, 9, 0, 1, 0, 3, 16, 0, 64})
	f.Fuzz(func(t *testing.T, b []byte) {
		pt, err := OpenMulti([]MultiIdentity{p.identity(), q.identity()}, b, nil, nil)
		if err != nil && CodeOf(err) == "" {
			t.Fatalf("untyped error: %v", err)
		}
		if err == nil && pt == nil {
			t.Fatal("nil plaintext without an error")
		}
	})
}
