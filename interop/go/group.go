package hybridkem

import (
	"crypto/ecdh"
	"fmt"
	"sync"
)

// ecGroup is the traditional half of a suite (WIRE-FORMAT.md §1.1 table).
type ecGroup struct {
	name  string
	curve ecdh.Curve
	// nist selects RandomScalar (group_nist.go); X25519 uses the seed as is.
	nist bool
	// order is the big-endian group order n (NIST curves only).
	order []byte
	// scalarSize is Nscalar; elementSize is Nelem (public key bytes).
	scalarSize  int
	elementSize int
	// seedSize is Nseed_T, the bytes of SHAKE256(seed) after d ‖ z that
	// seed the traditional key; ephSeedSize is the traditional part of the
	// encapsulation randomness. See group_nist.go for how the NIST values
	// were established from the published vectors.
	seedSize    int
	ephSeedSize int
	// mainStream selects the HPKE-PQ RandomScalar (WIRE-FORMAT.md §1.1):
	// windows are read from the given bytes directly, not from SHAKE256 of them.
	mainStream bool
}

var groupX25519 = &ecGroup{
	name:        "X25519",
	curve:       ecdh.X25519(),
	scalarSize:  32,
	elementSize: 32,
	seedSize:    32,
	ephSeedSize: 32,
}

// privateKey turns a traditional seed into a private key: for X25519 the 32
// bytes are the scalar (RFC 7748 clamping happens inside crypto/ecdh); for
// the NIST curves it is RandomScalar.
func (g *ecGroup) privateKey(seed []byte) (*ecdh.PrivateKey, error) {
	if g.nist {
		return g.randomScalar(seed)
	}
	if len(seed) != g.scalarSize {
		return nil, lengthErr(g.name+" seed", g.scalarSize, len(seed))
	}
	sk, err := g.curve.NewPrivateKey(seed)
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, g.name+" private key", "valid", "rejected")
	}
	return sk, nil
}

// parseElement checks a traditional public key or ephemeral key
// (WIRE-FORMAT.md §1.3, §2 step 6). NIST: SEC1 uncompressed, on the curve,
// not the identity (crypto/ecdh does these checks). X25519: 32 bytes and not
// a low-order point; a point is low-order exactly when X25519 with any
// clamped scalar (a multiple of the cofactor 8) gives the all-zero output,
// which crypto/ecdh reports as an error (RFC 7748 §6.1).
func (g *ecGroup) parseElement(field string, b []byte) (*ecdh.PublicKey, error) {
	if len(b) != g.elementSize {
		return nil, lengthErr(field, g.elementSize, len(b))
	}
	pk, err := g.curve.NewPublicKey(b)
	if err != nil {
		return nil, newErr(ErrInvalidGroupElement, field, "valid "+g.name+" point", "invalid encoding or not on curve")
	}
	if !g.nist {
		if _, err := x25519Probe().ECDH(pk); err != nil {
			return nil, newErr(ErrInvalidGroupElement, field, "X25519 point of large order", "low-order point")
		}
	}
	return pk, nil
}

// dh computes the traditional shared secret: the X25519 output, or the
// x-coordinate for NIST curves (SEC1 §3.3.1, what the vectors require). An
// all-zero X25519 output is rejected (WIRE-FORMAT.md §1.3).
func (g *ecGroup) dh(field string, sk *ecdh.PrivateKey, pk *ecdh.PublicKey) ([]byte, error) {
	ss, err := sk.ECDH(pk)
	if err != nil {
		return nil, newErr(ErrInvalidGroupElement, field, "non-zero DH output", "all-zero or invalid")
	}
	if len(ss) != g.scalarSize {
		return nil, newErr(errInternalUnexpectedGo, g.name+" shared secret", fmt.Sprint(g.scalarSize), fmt.Sprint(len(ss)))
	}
	return ss, nil
}

var (
	probeOnce sync.Once
	probeKey  *ecdh.PrivateKey
)

// x25519Probe is a fixed, public X25519 key used only to detect low-order
// points in parseElement. It protects nothing.
func x25519Probe() *ecdh.PrivateKey {
	probeOnce.Do(func() {
		k := make([]byte, 32)
		for i := range k {
			k[i] = 0x5a
		}
		probeKey, _ = ecdh.X25519().NewPrivateKey(k)
	})
	return probeKey
}
