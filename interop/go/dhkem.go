package hybridkem

import (
	"crypto/ecdh"
	"crypto/sha256"
	"encoding/binary"
)

// DHKEM(X25519, HKDF-SHA256), written from RFC 9180 §4 and §7.1
// (WIRE-FORMAT.md §1.4): X25519 from crypto/ecdh, HKDF from crypto/hkdf
// through labeledExtract / labeledExpand (hpke_schedule.go, RFC 9180 §4).

// dhkemSuiteID is suite_id = "KEM" ‖ I2OSP(kem_id, 2) (RFC 9180 §4.1).
func dhkemSuiteID(id uint16) []byte {
	return binary.BigEndian.AppendUint16([]byte("KEM"), id)
}

// dhkemDeriveSecretKey is DeriveKeyPair's private key for X25519 (RFC 9180
// §7.1.3): dkp_prk = LabeledExtract("", "dkp_prk", ikm);
// sk = LabeledExpand(dkp_prk, "sk", "", Nsk).
func (s *Suite) dhkemDeriveSecretKey(ikm []byte) (*ecdh.PrivateKey, error) {
	sid := dhkemSuiteID(s.ID)
	prk, err := labeledExtract(sha256.New, sid, nil, "dkp_prk", ikm)
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, "DeriveKeyPair", "success", "error")
	}
	defer clear(prk)
	sk, err := labeledExpand(sha256.New, sid, prk, "sk", nil, s.group.scalarSize)
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, "DeriveKeyPair", "success", "error")
	}
	defer clear(sk)
	return s.group.privateKey(sk)
}

// dhkemSharedSecret is ExtractAndExpand(dh, kem_context) of RFC 9180 §4.1:
// eae_prk = LabeledExtract("", "eae_prk", dh);
// shared_secret = LabeledExpand(eae_prk, "shared_secret", kem_context, Nsecret).
func (s *Suite) dhkemSharedSecret(dh, enc, pkR []byte) ([]byte, error) {
	sid := dhkemSuiteID(s.ID)
	prk, err := labeledExtract(sha256.New, sid, nil, "eae_prk", dh)
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, "ExtractAndExpand", "success", "error")
	}
	defer clear(prk)
	kemContext := append(append([]byte(nil), enc...), pkR...)
	ss, err := labeledExpand(sha256.New, sid, prk, "shared_secret", kemContext, SharedSecretSize)
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, "ExtractAndExpand", "success", "error")
	}
	return ss, nil
}

// dhkemEncap is Encap(pkR) with skE from DeriveKeyPair(ikmE) (RFC 9180 §4.1,
// §7.1.3): enc = pkE, dh = DH(skE, pkR). A low-order pkR (all-zero dh) is
// ERR_INVALID_GROUP_ELEMENT (RFC 9180 §7.1.4, WIRE-FORMAT.md §1.4).
func (s *Suite) dhkemEncap(pkR, ikmE []byte) (enc, ss []byte, err error) {
	peer, err := s.group.parseElement("public key", pkR)
	if err != nil {
		return nil, nil, err
	}
	skE, err := s.dhkemDeriveSecretKey(ikmE)
	if err != nil {
		return nil, nil, err
	}
	dh, err := s.group.dh("public key", skE, peer)
	if err != nil {
		return nil, nil, err
	}
	defer clear(dh)
	enc = skE.PublicKey().Bytes()
	ss, err = s.dhkemSharedSecret(dh, enc, pkR)
	if err != nil {
		return nil, nil, err
	}
	return enc, ss, nil
}

// dhkemDecap is Decap(enc, skR) (RFC 9180 §4.1): dh = DH(skR, enc),
// kem_context = enc ‖ pkR.
func (s *Suite) dhkemDecap(skR, enc []byte) ([]byte, error) {
	sk, err := s.group.privateKey(skR)
	if err != nil {
		return nil, err
	}
	eph, err := s.group.parseElement("ciphertext (enc)", enc)
	if err != nil {
		return nil, err
	}
	dh, err := s.group.dh("ciphertext (enc)", sk, eph)
	if err != nil {
		return nil, err
	}
	defer clear(dh)
	return s.dhkemSharedSecret(dh, enc, sk.PublicKey().Bytes())
}
