package hybridkem

import (
	"crypto/ecdh"
	"crypto/sha3"
)

// ExpandSeed returns SHAKE256(seed) truncated to 64 + Nseed_T bytes
// (WIRE-FORMAT.md §1.1): d ‖ z for ML-KEM, then the traditional seed.
func (s *Suite) ExpandSeed(seed []byte) ([]byte, error) {
	if s.kind != hybridKind {
		return nil, newErr(errInvalidArgumentGo, "suite", "a hybrid suite (§1.1)", s.Name+" (§1.4: no seed expansion)")
	}
	if len(seed) != SeedSize {
		return nil, lengthErr("seed", SeedSize, len(seed))
	}
	return sha3.SumSHAKE256(seed, s.ExpandedSeedSize()), nil
}

type keyPair struct {
	dk  mlkemDecapsulator
	pkM []byte
	skT *ecdh.PrivateKey
	pkT []byte
}

// expand derives both halves of the key pair from the 32-byte seed.
func (s *Suite) expand(seed []byte) (*keyPair, error) {
	ex, err := s.ExpandSeed(seed)
	if err != nil {
		return nil, err
	}
	defer clear(ex)
	dk, pkM, err := s.pq.keyGen(ex[:mlkemSeedSize]) // §1.1: bytes 0..64 are d ‖ z
	if err != nil {
		return nil, err
	}
	skT, err := s.group.privateKey(ex[mlkemSeedSize:]) // the rest seeds the traditional key
	if err != nil {
		return nil, err
	}
	return &keyPair{dk: dk, pkM: pkM, skT: skT, pkT: skT.PublicKey().Bytes()}, nil
}

// DeriveKeyPair returns the raw public key ML-KEM ek ‖ traditional public
// key (§1.1) for a 32-byte seed.
func (s *Suite) DeriveKeyPair(seed []byte) ([]byte, error) {
	if s.kind != hybridKind && len(seed) != s.PrivateKeySize() {
		return nil, lengthErr("seed", s.PrivateKeySize(), len(seed))
	}
	switch s.kind {
	case mlkemKind: // §1.4: the private key is d ‖ z itself
		_, ek, err := s.pq.keyGen(seed)
		return ek, err
	case dhkemKind: // §1.4: the private key is the X25519 private key
		sk, err := s.group.privateKey(seed)
		if err != nil {
			return nil, err
		}
		return sk.PublicKey().Bytes(), nil
	}
	kp, err := s.expand(seed)
	if err != nil {
		return nil, err
	}
	pk := make([]byte, 0, s.PublicKeySize())
	pk = append(pk, kp.pkM...)
	return append(pk, kp.pkT...), nil
}

// Encapsulate is derandomised encapsulation: randomness = m (32 bytes,
// FIPS 203 Encaps_internal) ‖ the traditional ephemeral seed (§1.1). It
// returns the raw ciphertext ML-KEM ct ‖ traditional ephemeral public key
// and the 32-byte shared secret. Input checks of §1.3: ML-KEM modulus check
// first, then the traditional key, then a zero X25519 output.
func (s *Suite) Encapsulate(publicKey, randomness []byte) (ciphertext, sharedSecret []byte, err error) {
	if len(publicKey) != s.PublicKeySize() {
		return nil, nil, lengthErr("public key", s.PublicKeySize(), len(publicKey))
	}
	if len(randomness) != s.RandomnessSize() {
		return nil, nil, lengthErr("randomness", s.RandomnessSize(), len(randomness))
	}
	switch s.kind {
	case mlkemKind: // §1.4: randomness = m
		return s.pq.encapsDerand(publicKey, randomness)
	case dhkemKind: // §1.4: randomness = ikmE
		return s.dhkemEncap(publicKey, randomness)
	}
	pkM, pkT := publicKey[:s.pq.ekSize], publicKey[s.pq.ekSize:]

	ctM, ssM, err := s.pq.encapsDerand(pkM, randomness[:mlkemMsgSize])
	if err != nil {
		return nil, nil, err
	}
	defer clear(ssM)
	peer, err := s.group.parseElement("public key (traditional part)", pkT)
	if err != nil {
		return nil, nil, err
	}
	esk, err := s.group.privateKey(randomness[mlkemMsgSize:])
	if err != nil {
		return nil, nil, err
	}
	ctT := esk.PublicKey().Bytes()
	ssT, err := s.group.dh("public key (traditional part)", esk, peer)
	if err != nil {
		return nil, nil, err
	}
	defer clear(ssT)

	ss, err := s.combine(ssM, ssT, ctM, pkM, ctT, pkT)
	if err != nil {
		return nil, nil, err
	}
	ct := make([]byte, 0, s.CiphertextSize())
	ct = append(ct, ctM...)
	return append(ct, ctT...), ss, nil
}

// Decapsulate recomputes the shared secret from the 32-byte seed and a raw
// ciphertext. A wrong ML-KEM ciphertext is not an error (implicit
// rejection, FIPS 203 §7.3); an invalid or low-order ephemeral traditional
// key is (§1.3).
func (s *Suite) Decapsulate(seed, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) != s.CiphertextSize() {
		return nil, lengthErr("ciphertext", s.CiphertextSize(), len(ciphertext))
	}
	if s.kind != hybridKind && len(seed) != s.PrivateKeySize() {
		return nil, lengthErr("seed", s.PrivateKeySize(), len(seed))
	}
	switch s.kind {
	case mlkemKind:
		dk, _, err := s.pq.keyGen(seed)
		if err != nil {
			return nil, err
		}
		// A wrong ciphertext gives the implicit-rejection secret (FIPS 203 §7.3).
		ss, err := dk.Decapsulate(ciphertext)
		if err != nil {
			return nil, newErr(errInternalUnexpectedGo, s.pq.name+" Decaps", "success", "error")
		}
		return ss, nil
	case dhkemKind:
		return s.dhkemDecap(seed, ciphertext)
	}
	kp, err := s.expand(seed)
	if err != nil {
		return nil, err
	}
	ctM, ctT := ciphertext[:s.pq.ctSize], ciphertext[s.pq.ctSize:]
	eph, err := s.group.parseElement("ciphertext (traditional part)", ctT)
	if err != nil {
		return nil, err
	}
	ssM, err := kp.dk.Decapsulate(ctM)
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, s.pq.name+" Decaps", "success", "error")
	}
	defer clear(ssM)
	ssT, err := s.group.dh("ciphertext (traditional part)", kp.skT, eph)
	if err != nil {
		return nil, err
	}
	defer clear(ssT)
	return s.combine(ssM, ssT, ctM, kp.pkM, ctT, kp.pkT)
}

func (s *Suite) combine(ssM, ssT, ctM, pkM, ctT, pkT []byte) ([]byte, error) {
	if s.combiner == kitchenSink {
		return s.combineKitchenSink(ssM, ssT, ctM, pkM, ctT, pkT)
	}
	return s.combineCG(ssM, ssT, ctT, pkT), nil
}
