package hybridkem

import (
	"encoding/hex"
	"testing"
)

// fixture is one deterministic key pair and ciphertext per suite, built with
// the §5 derivation, for the decoder tests.
type fixture struct {
	s                *Suite
	seed, pk, ct, ss []byte
	encPK, encSK     []byte
	encCT            []byte
}

func newFixture(t testing.TB, s *Suite, index uint32) fixture {
	t.Helper()
	seed := VectorInput(s, index, "seed")
	pk, err := s.DeriveKeyPair(seed)
	if err != nil {
		t.Fatal(err)
	}
	ct, ss, err := s.Encapsulate(pk, VectorInput(s, index, "randomness"))
	if err != nil {
		t.Fatal(err)
	}
	must := func(b []byte, err error) []byte {
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return fixture{
		s: s, seed: seed, pk: pk, ct: ct, ss: ss,
		encPK: must(Encode(s, KindPublicKey, pk)),
		encSK: must(Encode(s, KindPrivateKey, seed)),
		encCT: must(Encode(s, KindCiphertext, ct)),
	}
}

// objectKinds are the kinds of §2 a fixture encodes.
var objectKinds = []Kind{KindPublicKey, KindPrivateKey, KindCiphertext}

// forEachEncoded calls fn with every suite and each encoded object of its
// fixture number index.
func forEachEncoded(tb testing.TB, index uint32, fn func(s *Suite, k Kind, enc []byte)) {
	tb.Helper()
	for _, s := range Suites() {
		f := newFixture(tb, s, index)
		for _, k := range objectKinds {
			fn(s, k, f.encoded(k))
		}
	}
}

func (f fixture) encoded(k Kind) []byte {
	switch k {
	case KindPublicKey:
		return f.encPK
	case KindPrivateKey:
		return f.encSK
	}
	return f.encCT
}

// X25519 u-coordinates that must be rejected: the points of order 1, 2, 4
// and 8, their non-canonical encodings (p, p+1) and copies with the
// ignored high bit set (RFC 7748 §5, §6.1; libsodium's blocklist).
var lowOrderX25519 = []string{
	"0000000000000000000000000000000000000000000000000000000000000000", // 0
	"0100000000000000000000000000000000000000000000000000000000000000", // 1
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // order 8
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", // order 8
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p-1
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p (= 0)
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p+1 (= 1)
	"0000000000000000000000000000000000000000000000000000000000000080", // 0, high bit set
	"0100000000000000000000000000000000000000000000000000000000000080", // 1, high bit set
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880", // order 8, high bit set
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // p-1, high bit set
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// withTail returns a copy of b with its last len(tail) bytes replaced.
func withTail(b, tail []byte) []byte {
	out := append([]byte(nil), b...)
	copy(out[len(out)-len(tail):], tail)
	return out
}

// badPoint returns an element of the suite's group that must be rejected:
// a low-order X25519 point, or a NIST point that is not on the curve.
func badPoint(s *Suite, valid []byte) []byte {
	if !s.group.nist {
		return mustHex(lowOrderX25519[2])
	}
	p := append([]byte(nil), valid...)
	p[len(p)-1] ^= 1 // change y: off the curve
	return p
}
