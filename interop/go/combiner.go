package hybridkem

import (
	"crypto/hkdf"
	"crypto/sha3"
	"encoding/binary"
)

// combineKitchenSink is the HKDF combiner of WIRE-FORMAT.md §1.2
// (cfrg/draft-irtf-cfrg-hybrid-kems, kitchensink_mlkem768_x25519.py):
//
//	prk = HKDF-Extract(salt = Nh zero bytes,
//	                   IKM  = "hybrid_prk" ‖ ss_M ‖ ss_X ‖ ct_M ‖ pk_M ‖ ct_X ‖ pk_X ‖ label)
//	ss  = HKDF-Expand(prk, info = I2OSP(32, 2) ‖ "shared_secret", L = 32)
//
// The order of concatenation is normative; every part has a fixed length
// per suite, which keeps the IKM injective.
func (s *Suite) combineKitchenSink(ssM, ssX, ctM, pkM, ctX, pkX []byte) ([]byte, error) {
	ikm := make([]byte, 0, len("hybrid_prk")+len(ssM)+len(ssX)+len(ctM)+len(pkM)+len(ctX)+len(pkX)+len(s.label))
	ikm = append(ikm, "hybrid_prk"...)
	ikm = append(ikm, ssM...)
	ikm = append(ikm, ssX...)
	ikm = append(ikm, ctM...)
	ikm = append(ikm, pkM...)
	ikm = append(ikm, ctX...)
	ikm = append(ikm, pkX...)
	ikm = append(ikm, s.label...)
	defer clear(ikm)

	salt := make([]byte, s.kdfHash().Size()) // Nh zero bytes
	prk, err := hkdf.Extract(s.kdfHash, ikm, salt)
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, "HKDF-Extract", "success", "error")
	}
	defer clear(prk)

	info := binary.BigEndian.AppendUint16(nil, SharedSecretSize) // I2OSP(32, 2)
	info = append(info, "shared_secret"...)
	ss, err := hkdf.Expand(s.kdfHash, prk, string(info), SharedSecretSize)
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, "HKDF-Expand", "success", "error")
	}
	return ss, nil
}

// combineCG is the SHA3-256 combiner of WIRE-FORMAT.md §1.2 (X-Wing and the
// CG framework of draft-irtf-cfrg-concrete-hybrid-kems):
//
//	ss = SHA3-256(ss_M ‖ ss_T ‖ ct_T ‖ pk_T ‖ label)
//
// The label comes last; ct_M and pk_M are left out because ML-KEM is C2PRI.
func (s *Suite) combineCG(ssM, ssT, ctT, pkT []byte) []byte {
	h := sha3.New256()
	h.Write(ssM)
	h.Write(ssT)
	h.Write(ctT)
	h.Write(pkT)
	h.Write(s.label)
	return h.Sum(nil)
}
