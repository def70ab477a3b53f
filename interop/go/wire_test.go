package hybridkem

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func TestWireRoundTrip(t *testing.T) {
	forEachEncoded(t, 0, func(s *Suite, k Kind, enc []byte) {
		if enc[0] != 1 || Kind(enc[1]) != k || int(enc[2])<<8|int(enc[3]) != int(s.ID) {
			t.Errorf("%s %s: header %x", s.Name, k, enc[:4])
		}
		for _, want := range []Kind{k, KindAny} {
			obj, err := Decode(enc, want)
			if err != nil {
				t.Fatalf("%s %s: %v", s.Name, k, err)
			}
			if obj.Suite != s || obj.Kind != k || !bytes.Equal(obj.Body, enc[4:]) {
				t.Errorf("%s %s: decoded to %s %s", s.Name, k, obj.Suite.Name, obj.Kind)
			}
		}
	})
}

func TestSuiteTable(t *testing.T) {
	// WIRE-FORMAT.md §1: name, id, pk, sk, ct, randomness, and §1.2 labels.
	want := []struct {
		name              string
		id                uint16
		pk, sk, ct, rnd   int
		labelHexOrASCII   string
		expandedSeedBytes int
	}{
		{"X25519-MLKEM768", 0xff01, 1216, 32, 1120, 64, "KitchenSink-KEM(ML-KEM-768,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-256)", 96},
		{"X25519-MLKEM1024", 0xff02, 1600, 32, 1600, 64, "KitchenSink-KEM(ML-KEM-1024,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-512)", 96},
		{"X-Wing", 0x647a, 1216, 32, 1120, 64, "5c2e2f2f5e5c", 96},
		// expanded seed 96, not 64+128: see group_nist.go
		{"MLKEM768-P256", 0xff03, 1249, 32, 1153, 64, "7c2d28292d7c", 96},
		{"MLKEM1024-P384", 0xff04, 1665, 32, 1665, 80, "207c202f2d5c", 112},
	}
	for i, w := range want {
		s := Suites()[i]
		label := string(s.label)
		if s.combiner == cg {
			label = hex.EncodeToString(s.label)
		}
		if s.Name != w.name || s.ID != w.id || s.PublicKeySize() != w.pk || s.PrivateKeySize() != w.sk ||
			s.CiphertextSize() != w.ct || s.RandomnessSize() != w.rnd || label != w.labelHexOrASCII ||
			s.ExpandedSeedSize() != w.expandedSeedBytes {
			t.Errorf("suite %d (%s) does not match the §1 table", i, s.Name)
		}
		if SuiteByID(w.id) != s || SuiteByName(w.name) != s {
			t.Errorf("lookup of %s failed", w.name)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	xw := newFixture(t, suiteXWing, 0)
	p256 := newFixture(t, suiteMLKEM768P256, 0)
	hdr := func(v, k byte, id uint16) []byte { return []byte{v, k, byte(id >> 8), byte(id)} }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	badMLKEM := append([]byte(nil), xw.encPK...)
	badMLKEM[4], badMLKEM[5] = 0xff, 0x0f // first coefficient 4095 >= 3329

	cases := []struct {
		name string
		in   []byte
		want Kind
		code Code
	}{
		{"empty", nil, KindPublicKey, ErrTruncated},
		{"3 bytes", []byte{1, 1, 0x64}, KindPublicKey, ErrTruncated},
		{"version 0", hdr(0, 1, 0x647a), KindPublicKey, ErrUnsupportedVersion},
		{"version 2 before everything else", cat(hdr(2, 9, 0x1234), []byte{1}), KindPublicKey, ErrUnsupportedVersion},
		{"kind 0", hdr(1, 0, 0x647a), KindPublicKey, ErrUnknownKind},
		{"kind 5 (a signature kind, not a KEM object)", hdr(1, 5, 0x647a), KindAny, ErrWrongKind},
		{"kind 8 (an encrypted private key, not a KEM object)", hdr(1, 8, 0x647a), KindAny, ErrWrongKind},
		{"kind 9 (a multi-recipient sealed message, not a KEM object)", hdr(1, 9, 0x647a), KindAny, ErrWrongKind},
		{"kind 0x0a (a mesh key envelope, not a KEM object)", hdr(1, 0x0a, 0x647a), KindPublicKey, ErrWrongKind},
		{"kind 0x0b (a mesh directory record, not a KEM object)", hdr(1, 0x0b, 0x647a), KindAny, ErrWrongKind},
		{"kind 0x0c (a mesh PSK exchange message, not a KEM object)", hdr(1, 0x0c, 0x647a), KindPrivateKey, ErrWrongKind},
		{"kind 0xff before suite", hdr(1, 0xff, 0x1234), KindPublicKey, ErrUnknownKind},
		{"kind 4 (a sealed message, not a KEM object)", hdr(1, 4, 0x647a), KindAny, ErrWrongKind},
		{"kind 4 asked for public key", hdr(1, 4, 0x647a), KindPublicKey, ErrWrongKind},
		{"private key asked for public key", xw.encSK, KindPublicKey, ErrWrongKind},
		{"ciphertext asked for private key", xw.encCT, KindPrivateKey, ErrWrongKind},
		{"wrong kind before unknown suite", hdr(1, 2, 0x1234), KindPublicKey, ErrWrongKind},
		{"suite 0x0000", hdr(1, 1, 0), KindPublicKey, ErrUnknownSuite},
		{"suite 0x0040 (HPKE ML-KEM-512, not a suite of §1)", cat(hdr(1, 1, 0x0040), xw.pk), KindPublicKey, ErrUnknownSuite},
		{"ML-KEM-768 private key: a 32-byte seed where d ‖ z (64 bytes) is expected", cat(hdr(1, 2, 0x0041), xw.seed), KindPrivateKey, ErrTruncated},
		{"suite 0xffff", hdr(1, 2, 0xffff), KindPrivateKey, ErrUnknownSuite},
		{"HPKE id 0x0052 is not one of our suites", cat(hdr(1, 1, 0x0052), p256.pk), KindPublicKey, ErrUnknownSuite},
		{"HPKE-MLKEM1024-P384 (0x0051) ciphertext without a body", hdr(1, 3, 0x0051), KindCiphertext, ErrTruncated},
		{"header only", hdr(1, 1, 0x647a), KindPublicKey, ErrTruncated},
		{"public key one byte short", xw.encPK[:len(xw.encPK)-1], KindPublicKey, ErrTruncated},
		{"seed one byte short", xw.encSK[:len(xw.encSK)-1], KindPrivateKey, ErrTruncated},
		{"ciphertext one byte long", cat(xw.encCT, []byte{0}), KindCiphertext, ErrTrailingData},
		{"seed one byte long", cat(xw.encSK, []byte{0}), KindPrivateKey, ErrTrailingData},
		{"public key under another suite's length", cat(hdr(1, 1, 0xff03), xw.pk), KindPublicKey, ErrTruncated},
		{"ML-KEM modulus", badMLKEM, KindPublicKey, ErrInvalidMLKEMKey},
		{"ML-KEM modulus before bad X25519", withTail(badMLKEM, mustHex(lowOrderX25519[0])), KindPublicKey, ErrInvalidMLKEMKey},
		{"P-256 public key off curve", withTail(p256.encPK, badPoint(suiteMLKEM768P256, p256.pk[len(p256.pk)-65:])), KindPublicKey, ErrInvalidGroupElement},
		{"P-256 ciphertext ephemeral off curve", withTail(p256.encCT, badPoint(suiteMLKEM768P256, p256.ct[len(p256.ct)-65:])), KindCiphertext, ErrInvalidGroupElement},
		{"P-256 identity (all zero)", withTail(p256.encPK, make([]byte, 65)), KindPublicKey, ErrInvalidGroupElement},
		{"P-256 compressed prefix", withTail(p256.encPK, append([]byte{0x02}, p256.pk[len(p256.pk)-64:]...)), KindPublicKey, ErrInvalidGroupElement},
	}
	for _, hexU := range lowOrderX25519 {
		u := mustHex(hexU)
		cases = append(cases,
			struct {
				name string
				in   []byte
				want Kind
				code Code
			}{"X25519 low-order public key " + hexU[:8], withTail(xw.encPK, u), KindPublicKey, ErrInvalidGroupElement},
			struct {
				name string
				in   []byte
				want Kind
				code Code
			}{"X25519 low-order ciphertext " + hexU[:8], withTail(xw.encCT, u), KindCiphertext, ErrInvalidGroupElement},
		)
	}
	for _, c := range cases {
		_, err := Decode(c.in, c.want)
		wantCode(t, c.name, err, c.code)
		if err != nil && len(c.in) >= 12 && strings.Contains(err.Error(), hex.EncodeToString(c.in[4:12])) {
			t.Errorf("%s: error message contains body bytes: %v", c.name, err)
		}
	}
	// Every wire code of §2 is covered above.
	covered := map[Code]bool{}
	for _, c := range cases {
		covered[c.code] = true
	}
	for _, code := range []Code{ErrTruncated, ErrUnsupportedVersion, ErrUnknownKind, ErrWrongKind, ErrUnknownSuite, ErrTrailingData, ErrInvalidMLKEMKey, ErrInvalidGroupElement} {
		if !covered[code] {
			t.Errorf("no decoder case for %s", code)
		}
	}
}

func TestDecodeAcceptsNonLowOrderX25519Encodings(t *testing.T) {
	// RFC 7748 §5: the high bit is masked and non-canonical u are accepted,
	// so only low-order points are errors. 9 (the base point) with the high
	// bit set is a valid public key.
	xw := newFixture(t, suiteXWing, 0)
	u := make([]byte, 32)
	u[0], u[31] = 9, 0x80
	if _, err := Decode(withTail(xw.encPK, u), KindPublicKey); err != nil {
		t.Errorf("base point with high bit set rejected: %v", err)
	}
}

func TestEncodeRejectsWrongLength(t *testing.T) {
	_, err := Encode(suiteXWing, KindPublicKey, make([]byte, 1215))
	wantCode(t, "short body", err, ErrTruncated)
	_, err = Encode(suiteXWing, KindPrivateKey, make([]byte, 33))
	wantCode(t, "long body", err, ErrTrailingData)
	if _, err = Encode(suiteXWing, kindSealed, nil); err == nil {
		t.Error("encoded a sealed message")
	}
}

func TestKeyID(t *testing.T) {
	f := newFixture(t, suiteXWing, 0)
	id, err := KeyID(f.encPK)
	if err != nil {
		t.Fatal(err)
	}
	if len(id) != 32 || strings.ToLower(id) != id {
		t.Errorf("key id %q is not 32 lower-case hex digits", id)
	}
	// The header is hashed: the same raw key under X25519-MLKEM768 (same
	// sizes as X-Wing) has another id.
	other, _ := Encode(suiteX25519MLKEM768, KindPublicKey, f.pk)
	id2, err := KeyID(other)
	if err != nil || id2 == id {
		t.Errorf("key id does not depend on the suite: %s %s %v", id, id2, err)
	}
	if _, err := KeyID(f.encSK); CodeOf(err) != ErrWrongKind {
		t.Errorf("key id of a private key: %v", err)
	}
}
