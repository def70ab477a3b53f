package hybridkem

import (
	"bytes"
	"crypto/ecdh"
	"crypto/sha3"
	"encoding/hex"
	"io"
)

// NIST-curve parameters, WIRE-FORMAT.md §1.1: Nseed_T is 32 bytes for P-256
// and 48 for P-384, and RandomScalar(s) reads consecutive Nscalar-byte
// big-endian windows of SHAKE256(s), returning the first in [1, n-1]. This is
// what the published vectors of draft-irtf-cfrg-concrete-hybrid-kems
// (commit 0114ace) require; the draft's text at that commit (Nseed = 128,
// windows of the seed itself) cannot reproduce them. The same RandomScalar
// turns the traditional part of the encapsulation randomness (32 / 48 bytes)
// into the ephemeral scalar.
//
// maxScalarWindows: "after 16 rejected windows it fails (ERR_INVALID_SEED)".
const maxScalarWindows = 16

var (
	orderP256, _ = hex.DecodeString("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
	orderP384, _ = hex.DecodeString("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973")
)

// nistGroup is a NIST curve as the CG suites use it: Nseed_T and the
// traditional part of the encapsulation randomness are one Nscalar-byte
// input to RandomScalar each.
func nistGroup(name string, curve ecdh.Curve, order []byte, scalarSize, elementSize int) *ecGroup {
	return &ecGroup{name: name, curve: curve, nist: true, order: order,
		scalarSize: scalarSize, elementSize: elementSize, seedSize: scalarSize, ephSeedSize: scalarSize}
}

var (
	groupP256 = nistGroup("P-256", ecdh.P256(), orderP256, 32, 65)
	groupP384 = nistGroup("P-384", ecdh.P384(), orderP384, 48, 97)
)

// hpkeVariant is the group as the HPKE-PQ variants use it
// (draft-ietf-hpke-pq-04, as Go's crypto/hpke does it): the scalar is the
// first valid window of the main SHAKE256(seed) stream after the 64 ML-KEM
// bytes (16 windows are expanded), and the encapsulation randomness after m
// holds ephWindows candidate ephemeral scalars directly: 3 windows for
// P-256, 1 for P-384 (WIRE-FORMAT.md §1.1).
func (g ecGroup) hpkeVariant(ephWindows int) *ecGroup {
	g.seedSize = 16 * g.scalarSize
	g.ephSeedSize = ephWindows * g.scalarSize
	g.mainStream = true
	return &g
}

var (
	groupP256HPKE = groupP256.hpkeVariant(3)
	groupP384HPKE = groupP384.hpkeVariant(1)
)

// randomScalar is RandomScalar for the NIST curves, in the form the
// published vectors require (see the comment at the top of this file).
func (g *ecGroup) randomScalar(seed []byte) (*ecdh.PrivateKey, error) {
	if g.mainStream {
		return g.sampleScalar(bytes.NewReader(seed))
	}
	xof := sha3.NewSHAKE256()
	xof.Write(seed)
	return g.sampleScalar(xof)
}

// sampleScalar reads Nscalar-byte big-endian windows from r and returns the
// first in [1, n-1] (rejection sampling, no modular reduction).
func (g *ecGroup) sampleScalar(r io.Reader) (*ecdh.PrivateKey, error) {
	window := make([]byte, g.scalarSize)
	defer clear(window)
	for range maxScalarWindows {
		if _, err := io.ReadFull(r, window); err != nil {
			return nil, newErr(ErrInvalidSeed, g.name+" RandomScalar", "enough seed bytes", "stream ended")
		}
		if !scalarInRange(window, g.order) {
			continue
		}
		sk, err := g.curve.NewPrivateKey(window)
		if err != nil {
			return nil, newErr(errInternalUnexpectedGo, g.name+" private key", "accepted", "rejected")
		}
		return sk, nil
	}
	return nil, newErr(ErrInvalidSeed, g.name+" RandomScalar", "a window in [1, n-1]", "none found")
}

// scalarInRange reports whether 0 < k < order for equal-length big-endian
// k and order. It runs in time independent of k: only the final yes/no
// (which rejection sampling reveals anyway) leaves it.
func scalarInRange(k, order []byte) bool {
	if len(k) != len(order) {
		return false
	}
	var borrow, nonzero int
	for i := len(k) - 1; i >= 0; i-- {
		d := int(k[i]) - int(order[i]) - borrow
		borrow = (d >> 8) & 1 // 1 when d < 0
		nonzero |= int(k[i])
	}
	// borrow == 1 iff k < order.
	return borrow == 1 && nonzero != 0
}
