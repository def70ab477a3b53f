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
				got, err := OpenMessageSuite(seed, sealed, info, aad, KDFHKDFSHA256, aead)
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
		sealed, err := sealMessage(pub, pt, nil, nil, KDFHKDFSHA256, AEADAES256GCM, 10)
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
	sealed, _ := sealMessage(pub, testPlaintext(3000), nil, nil, KDFHKDFSHA256, AEADAES256GCM, 10)
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
		open := func(b []byte) error { _, err := OpenMessageSuite(seed, b, info, aad, KDFHKDFSHA256, aead); return err }
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
	keyID, _ := sealedKeyID(pub)
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
	canon, _ := sealMessage(pub, testPlaintext(1024), nil, nil, KDFHKDFSHA256, pk2, 10)
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
