package hybridkem

import (
	"bytes"
	"crypto/hpke"
	"encoding/binary"
	"fmt"
	"testing"
)

func sealedTestKey(t *testing.T, b byte) (seed, pub []byte) {
	t.Helper()
	seed = bytes.Repeat([]byte{b}, SeedSize)
	pub, err := suiteXWing.DeriveKeyPair(seed)
	if err != nil {
		t.Fatal(err)
	}
	return seed, pub
}

func testPlaintext(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*7 + i>>8)
	}
	return p
}

var sealedAEADs = []uint16{AEADChaCha20Poly1305, AEADAES256GCM}

func sealedLen(l, e int) int {
	c := 1 << e
	n := 0
	if l > 0 {
		n = (l+c-1)/c - 1
	}
	return SealedHeaderSize + sealedEncSize + l + sealedTagSize*(n+1)
}

func wantSealedCode(t *testing.T, err error, code Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("got success, want %s", code)
	}
	if got := CodeOf(err); got != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

func TestSealedRoundTrip(t *testing.T) {
	seed, pub := sealedTestKey(t, 0x42)
	info, aad := []byte("ctx info"), []byte("some aad")
	for _, aead := range sealedAEADs {
		for _, n := range []int{0, 1, 65535, 65536, 65537, 200000} {
			t.Run(fmt.Sprintf("aead%d/%d", aead, n), func(t *testing.T) {
				pt := testPlaintext(n)
				sealed, err := SealMessage(pub, pt, info, aad, KDFHKDFSHA256, aead)
				if err != nil {
					t.Fatal(err)
				}
				if len(sealed) != sealedLen(n, 16) {
					t.Fatalf("length %d, want %d", len(sealed), sealedLen(n, 16))
				}
				// header of §7.2
				keyID, _ := KeyID(append([]byte{1, 1, 0x64, 0x7a}, pub...))
				want := fmt.Sprintf("0104647a0001%04x%s1000", aead, keyID)
				if got := fmt.Sprintf("%x", sealed[:SealedHeaderSize]); got != want {
					t.Fatalf("header %s, want %s", got, want)
				}
				got, err := OpenMessageSuite(seed, sealed, info, aad, 0, KDFHKDFSHA256, aead)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, pt) {
					t.Fatal("plaintext mismatch")
				}
				if _, err := OpenMessage(seed, sealed, []byte("other"), aad); CodeOf(err) != ErrAuthentication {
					t.Fatalf("other info: %v", err)
				}
				if _, err := OpenMessage(seed, sealed, info, []byte("other")); CodeOf(err) != ErrAuthentication {
					t.Fatalf("other aad: %v", err)
				}
			})
		}
	}
	// §7.2's worked lengths
	for l, want := range map[int]int{0: 1162, 65536: 1162 + 65536, 65537: 1178 + 65537} {
		if got := sealedLen(l, 16); got != want {
			t.Errorf("L=%d: %d, want %d", l, got, want)
		}
	}
}

func TestSealedSmallChunks(t *testing.T) {
	seed, pub := sealedTestKey(t, 1)
	for _, n := range []int{0, 1, 1023, 1024, 1025, 3072, 5000} {
		pt := testPlaintext(n)
		sealed, err := sealMessage(KEMXWing, pub, pt, nil, nil, KDFHKDFSHA256, AEADAES256GCM, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(sealed) != sealedLen(n, 10) {
			t.Fatalf("n=%d: length %d, want %d", n, len(sealed), sealedLen(n, 10))
		}
		got, err := OpenMessage(seed, sealed, nil, nil)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("n=%d: %v", n, err)
		}
	}
	// swapped chunks
	sealed, _ := sealMessage(KEMXWing, pub, testPlaintext(3000), nil, nil, KDFHKDFSHA256, AEADAES256GCM, 10)
	s, body := 1024+16, SealedHeaderSize+sealedEncSize
	sw := bytes.Clone(sealed)
	copy(sw[body:], sealed[body+s:body+2*s])
	copy(sw[body+s:], sealed[body:body+s])
	_, err := OpenMessage(seed, sw, nil, nil)
	wantSealedCode(t, err, ErrAuthentication)
}

func TestSealedTamper(t *testing.T) {
	seed, pub := sealedTestKey(t, 0x42)
	info, aad := []byte("i"), []byte("a")
	for _, aead := range sealedAEADs {
		sealed, err := SealMessage(pub, testPlaintext(200000), info, aad, KDFHKDFSHA256, aead)
		if err != nil {
			t.Fatal(err)
		}
		open := func(b []byte) error {
			_, err := OpenMessageSuite(seed, b, info, aad, 0, KDFHKDFSHA256, aead)
			return err
		}
		flip := func(i int, x byte) []byte { b := bytes.Clone(sealed); b[i] ^= x; return b }
		body := SealedHeaderSize + sealedEncSize
		s := 65536 + 16

		// header bytes: every one is rejected
		for i := 0; i < SealedHeaderSize; i++ {
			if err := open(flip(i, 0x01)); err == nil {
				t.Fatalf("header byte %d flipped: opened", i)
			}
		}
		wantSealedCode(t, open(flip(0, 0x01)), ErrUnsupportedVersion)
		wantSealedCode(t, open(flip(1, 0x01)), ErrWrongKind)   // 0x05
		wantSealedCode(t, open(flip(1, 0x0e)), ErrWrongKind)   // 0x0a mesh key envelope
		wantSealedCode(t, open(flip(1, 0x0f)), ErrWrongKind)   // 0x0b mesh directory record
		wantSealedCode(t, open(flip(1, 0x08)), ErrWrongKind)   // 0x0c mesh PSK exchange message
		wantSealedCode(t, open(flip(1, 0xfb)), ErrUnknownKind) // 0xff
		wantSealedCode(t, open(flip(1, 0xf0)), ErrUnknownKind) // 0xf4
		wantSealedCode(t, open(flip(3, 0x01)), ErrUnknownSuite)
		wantSealedCode(t, open(flip(5, 0x10)), ErrUnknownSuite) // KDF 0x0011
		wantSealedCode(t, open(flip(7, 0x01)), ErrInvalidArgument)
		wantSealedCode(t, open(flip(10, 0x01)), ErrInvalidArgument) // key id
		wantSealedCode(t, open(flip(24, 0x01)), ErrAuthentication)  // e = 17, in range: bound by info
		wantSealedCode(t, open(flip(24, 0x40)), ErrInvalidArgument) // e = 80
		wantSealedCode(t, open(flip(25, 0x01)), ErrInvalidArgument)
		// enc: ML-KEM part and X25519 part
		wantSealedCode(t, open(flip(SealedHeaderSize, 0x01)), ErrAuthentication)
		wantSealedCode(t, open(flip(body-1, 0x01)), ErrAuthentication)
		// chunks, tags
		wantSealedCode(t, open(flip(body, 0x01)), ErrAuthentication)
		wantSealedCode(t, open(flip(body+s-1, 0x01)), ErrAuthentication)
		wantSealedCode(t, open(flip(len(sealed)-1, 0x80)), ErrAuthentication)
		// truncation at each chunk boundary, and inside
		for k := 0; k <= 3; k++ {
			wantSealedCode(t, open(sealed[:body+k*s]), map[bool]Code{true: ErrTruncated, false: ErrAuthentication}[k == 0])
		}
		wantSealedCode(t, open(sealed[:len(sealed)-1]), ErrAuthentication)
		wantSealedCode(t, open(sealed[:body+3*s+15]), ErrTruncated)
		wantSealedCode(t, open(sealed[:body-1]), ErrTruncated)
		wantSealedCode(t, open(sealed[:20]), ErrTruncated)
		// appended bytes
		wantSealedCode(t, open(append(bytes.Clone(sealed), 0)), ErrAuthentication)
		wantSealedCode(t, open(append(bytes.Clone(sealed), make([]byte, s)...)), ErrAuthentication)
		// another key
		other, _ := sealedTestKey(t, 0x43)
		_, err = OpenMessage(other, sealed, info, aad)
		wantSealedCode(t, err, ErrInvalidArgument)
	}
}

// TestSealedNonCanonical builds, with crypto/hpke directly, a message of
// one full chunk followed by an empty final chunk (§7.2 forbids it).
func TestSealedNonCanonical(t *testing.T) {
	seed, pub := sealedTestKey(t, 7)
	keyID, _ := sealedKeyID(suiteXWing, pub)
	header := []byte{1, 4, 0x64, 0x7a, 0, 1, 0, 3}
	header = append(append(header, keyID...), 10, 0)
	pk, _ := hpke.MLKEM768X25519().NewPublicKey(pub)
	enc, ctx, err := hpke.NewSender(pk, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), sealedInfo(header, nil))
	if err != nil {
		t.Fatal(err)
	}
	c0, _ := ctx.Seal([]byte{0}, testPlaintext(1024))
	c1, _ := ctx.Seal([]byte{1}, nil)
	msg := append(append(append(bytes.Clone(header), enc...), c0...), c1...)
	_, err = OpenMessage(seed, msg, nil, nil)
	wantSealedCode(t, err, ErrInvalidArgument)
	// The canonical form of the same plaintext is one final full chunk.
	pk2 := binary.BigEndian.Uint16(header[6:8])
	canon, _ := sealMessage(KEMXWing, pub, testPlaintext(1024), nil, nil, KDFHKDFSHA256, pk2, 10)
	if len(canon) != SealedHeaderSize+sealedEncSize+1024+16 {
		t.Fatal("canonical length")
	}
}

func TestSealedWriterChecks(t *testing.T) {
	_, pub := sealedTestKey(t, 9)
	_, err := SealMessage(pub[:100], nil, nil, nil, KDFHKDFSHA256, AEADAES256GCM)
	wantSealedCode(t, err, ErrTruncated)
	bad := bytes.Clone(pub)
	bad[0], bad[1] = 0xff, 0xff // first coefficient 0xfff >= 3329
	_, err = SealMessage(bad, nil, nil, nil, KDFHKDFSHA256, AEADAES256GCM)
	wantSealedCode(t, err, ErrInvalidMLKEMKey)
	low := bytes.Clone(pub)
	copy(low[1184:], make([]byte, 32)) // u = 0
	_, err = SealMessage(low, nil, nil, nil, KDFHKDFSHA256, AEADAES256GCM)
	wantSealedCode(t, err, ErrInvalidGroupElement)
	_, err = SealMessage(pub, nil, nil, nil, 0x0011, AEADAES256GCM)
	wantSealedCode(t, err, ErrUnknownSuite)
	_, err = SealMessage(pub, nil, make([]byte, MaxSealedInfoLength+1), nil, KDFHKDFSHA256, AEADAES256GCM)
	wantSealedCode(t, err, ErrInvalidArgument)
}

func TestSealedLowOrderEnc(t *testing.T) {
	seed, pub := sealedTestKey(t, 5)
	sealed, _ := SealMessage(pub, nil, nil, nil, KDFHKDFSHA256, AEADAES256GCM)
	copy(sealed[SealedHeaderSize+1088:], make([]byte, 32))
	_, err := OpenMessage(seed, sealed, nil, nil)
	wantSealedCode(t, err, ErrInvalidGroupElement)
}

// The HPKE-PQ KEMs of §7.1 (0x0050, 0x0051): keys are our suites' keys
// (= crypto/hpke's), the header carries the suite id, enc is Nenc bytes.
var sealedPQKEMs = []struct {
	id        uint16
	suite     *Suite
	kem       func() hpke.KEM
	enc, npk  int
	groupSize int
}{
	{KEMMLKEM768P256, suiteHPKEMLKEM768P256, hpke.MLKEM768P256, 1153, 1249, 65},
	{KEMMLKEM1024P384, suiteHPKEMLKEM1024P384, hpke.MLKEM1024P384, 1665, 1665, 97},
}

// sealedRoundTrip seals n bytes to pub with KEM id (Nenc enc) and checks what
// every KEM shares: §7.2's length and header, and that OpenMessageSuite gives
// the plaintext back and OpenMessage refuses another AAD. It returns the
// sealed message for the caller's own checks.
func sealedRoundTrip(t *testing.T, id uint16, enc int, seed, pub []byte, aead uint16, n int) (sealed, info, aad []byte) {
	t.Helper()
	info, aad = []byte("ctx info"), []byte("some aad")
	pt := testPlaintext(n)
	sealed, err := SealMessageKEM(id, pub, pt, info, aad, KDFHKDFSHA256, aead)
	if err != nil {
		t.Fatal(err)
	}
	chunks := 1
	if n > 0 {
		chunks = (n + 65535) / 65536
	}
	if want := SealedHeaderSize + enc + n + sealedTagSize*chunks; len(sealed) != want {
		t.Fatalf("length %d, want %d", len(sealed), want)
	}
	keyID, _ := KeyID(append([]byte{1, 1, byte(id >> 8), byte(id)}, pub...))
	want := fmt.Sprintf("0104%04x0001%04x%s1000", id, aead, keyID)
	if got := fmt.Sprintf("%x", sealed[:SealedHeaderSize]); got != want {
		t.Fatalf("header %s, want %s", got, want)
	}
	got, err := OpenMessageSuite(seed, sealed, info, aad, id, KDFHKDFSHA256, aead)
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("open: %v", err)
	}
	if _, err := OpenMessage(seed, sealed, info, []byte("other")); CodeOf(err) != ErrAuthentication {
		t.Fatalf("other aad: %v", err)
	}
	return sealed, info, aad
}

func TestSealedPQKEMRoundTrip(t *testing.T) {
	for _, k := range sealedPQKEMs {
		seed := bytes.Repeat([]byte{0x42}, SeedSize)
		pub, sk := keyPairBoth(t, k.suite, k.kem(), seed)
		if !bytes.Equal(sk.PublicKey().Bytes(), pub) || len(pub) != k.npk {
			t.Fatalf("%s: suite public key != crypto/hpke's", k.suite.Name)
		}
		if id, ok := SealedKEMForPublicKeySize(len(pub)); !ok || id != k.id {
			t.Fatalf("%s: SealedKEMForPublicKeySize = %04x %v", k.suite.Name, id, ok)
		}
		for _, aead := range sealedAEADs {
			for _, n := range []int{0, 65536, 70000} {
				t.Run(fmt.Sprintf("%s/aead%d/%d", k.suite.Name, aead, n), func(t *testing.T) {
					sealed, info, aad := sealedRoundTrip(t, k.id, k.enc, seed, pub, aead, n)
					got, err := OpenMessage(seed, sealed, info, aad) // KEM from the header
					if err != nil || !bytes.Equal(got, testPlaintext(n)) {
						t.Fatalf("OpenMessage: %v", err)
					}
					_, err = OpenMessageSuite(seed, sealed, info, aad, KEMXWing, 0, 0)
					wantSealedCode(t, err, ErrInvalidArgument)
				})
			}
		}
	}
}

func TestSealedPQKEMTamper(t *testing.T) {
	info, aad := []byte("i"), []byte("a")
	for _, k := range sealedPQKEMs {
		seed := bytes.Repeat([]byte{7}, SeedSize)
		pub, _ := k.suite.DeriveKeyPair(seed)
		for _, aead := range sealedAEADs {
			sealed, err := SealMessageKEM(k.id, pub, testPlaintext(70000), info, aad, KDFHKDFSHA256, aead)
			if err != nil {
				t.Fatal(err)
			}
			open := func(b []byte) error {
				_, err := OpenMessageSuite(seed, b, info, aad, k.id, KDFHKDFSHA256, aead)
				return err
			}
			flip := func(i int, x byte) []byte { b := bytes.Clone(sealed); b[i] ^= x; return b }
			body := SealedHeaderSize + k.enc
			wantSealedCode(t, open(flip(body+10, 0x01)), ErrAuthentication)            // chunk 0
			wantSealedCode(t, open(flip(len(sealed)-1, 0x01)), ErrAuthentication)      // final tag
			wantSealedCode(t, open(flip(SealedHeaderSize+5, 0x01)), ErrAuthentication) // enc, ML-KEM part
			wantSealedCode(t, open(flip(12, 0x01)), ErrInvalidArgument)                // key id
			wantSealedCode(t, open(flip(3, 0x01)), ErrInvalidArgument)                 // 0x0050 <-> 0x0051: pinned KEM
			_, err = OpenMessage(seed, flip(3, 0x01), info, aad)                       // unpinned: another key id
			wantSealedCode(t, err, ErrInvalidArgument)
			wantSealedCode(t, open(flip(3, 0x02)), ErrUnknownSuite) // 0x0052 / 0x0053
			wantSealedCode(t, open(sealed[:body-1]), ErrTruncated)
			// traditional part of enc: not a point on the curve
			bad := bytes.Clone(sealed)
			copy(bad[body-k.groupSize:body], bytes.Repeat([]byte{0xff}, k.groupSize))
			bad[body-k.groupSize] = 0x04
			wantSealedCode(t, open(bad), ErrInvalidGroupElement)
			if got, err := OpenMessage(seed, sealed, info, aad); err != nil || len(got) != 70000 {
				t.Fatalf("untouched: %v", err)
			}
		}
		// writer: wrong length for the KEM, X-Wing key to a P-256 KEM
		_, xpub := sealedTestKey(t, 1)
		_, err := SealMessageKEM(k.id, xpub, nil, nil, nil, KDFHKDFSHA256, AEADAES256GCM)
		wantSealedCode(t, err, ErrTruncated)
	}
	_, err := SealMessageKEM(0x0052, nil, nil, nil, nil, KDFHKDFSHA256, AEADAES256GCM)
	wantSealedCode(t, err, ErrUnknownSuite)
}

// The four KEMs of our own (§7.1, 0xff01-0xff04), sealed and opened with
// hpke_schedule.go: header, lengths, round trip, and the typed errors.
func TestSealedOwnKEMs(t *testing.T) {
	own := []struct {
		id    uint16
		suite *Suite
		enc   int
	}{
		{KEMX25519MLKEM768, suiteX25519MLKEM768, 1120},
		{KEMX25519MLKEM1024, suiteX25519MLKEM1024, 1600},
		{KEMCGMLKEM768P256, suiteMLKEM768P256, 1153},
		{KEMCGMLKEM1024P384, suiteMLKEM1024P384, 1665},
	}
	for _, k := range own {
		if k.suite.ID != k.id || k.suite.CiphertextSize() != k.enc {
			t.Fatalf("%s: id %04x / Nenc %d", k.suite.Name, k.suite.ID, k.suite.CiphertextSize())
		}
		seed := bytes.Repeat([]byte{0x42}, SeedSize)
		pub, err := k.suite.DeriveKeyPair(seed)
		if err != nil {
			t.Fatal(err)
		}
		for _, aead := range sealedAEADs {
			for _, n := range []int{0, 65536, 70000} {
				t.Run(fmt.Sprintf("%s/aead%d/%d", k.suite.Name, aead, n), func(t *testing.T) {
					sealed, info, aad := sealedRoundTrip(t, k.id, k.enc, seed, pub, aead, n)
					flip := func(i int, x byte) []byte { b := bytes.Clone(sealed); b[i] ^= x; return b }
					body := SealedHeaderSize + k.enc
					_, err = OpenMessage(seed, flip(SealedHeaderSize+5, 0x01), info, aad) // enc, ML-KEM part
					wantSealedCode(t, err, ErrAuthentication)
					_, err = OpenMessage(seed, flip(body, 0x01), info, aad)
					wantSealedCode(t, err, ErrAuthentication)
					_, err = OpenMessageSuite(seed, sealed, info, aad, KEMXWing, 0, 0) // reader pinned to another KEM
					wantSealedCode(t, err, ErrInvalidArgument)
					_, err = OpenMessage(bytes.Repeat([]byte{0x43}, SeedSize), sealed, info, aad) // another key
					wantSealedCode(t, err, ErrInvalidArgument)
				})
			}
		}
		// the traditional part of enc: a low-order X25519 key / not a curve point
		sealed, _ := SealMessageKEM(k.id, pub, nil, nil, nil, KDFHKDFSHA256, AEADAES256GCM)
		bad := bytes.Clone(sealed)
		g := k.suite.group.elementSize
		body := SealedHeaderSize + k.enc
		copy(bad[body-g:body], make([]byte, g))
		if g > 32 {
			copy(bad[body-g:body], bytes.Repeat([]byte{0xff}, g))
			bad[body-g] = 0x04
		}
		_, err = OpenMessage(seed, bad, nil, nil)
		wantSealedCode(t, err, ErrInvalidGroupElement)
	}
	// X-Wing and X25519-MLKEM768 share a public key length (and, for one
	// seed, the key bytes): the length picks the registered KEM, and a reader
	// pinned to the other KEM refuses the message.
	seed := bytes.Repeat([]byte{9}, SeedSize)
	pub, _ := suiteX25519MLKEM768.DeriveKeyPair(seed)
	if id, _ := SealedKEMForPublicKeySize(len(pub)); id != KEMXWing {
		t.Fatalf("1216 bytes: %04x, want the registered X-Wing", id)
	}
	asXWing, err := SealMessageKEM(KEMXWing, pub, []byte("x"), nil, nil, KDFHKDFSHA256, AEADAES256GCM)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenMessageSuite(seed, asXWing, nil, nil, KEMX25519MLKEM768, 0, 0)
	wantSealedCode(t, err, ErrInvalidArgument)
	if id, ok := SealedKEMForPublicKeySize(1600); !ok || id != KEMX25519MLKEM1024 {
		t.Fatalf("1600 bytes: %04x %v", id, ok)
	}
}
