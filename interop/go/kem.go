package hybridkem

import (
	"crypto/ecdh"
	"crypto/sha3"
)

// ExpandSeed returns SHAKE256(seed) truncated to 64 + Nseed_T bytes
// (WIRE-FORMAT.md §1.1): d ‖ z for ML-KEM, then the traditional seed.
func (s *Suite) ExpandSeed(seed []byte) ([]byte, error) {
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
