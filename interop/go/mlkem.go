package hybridkem

import (
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"fmt"
)

// mlkemParams wraps crypto/mlkem for one parameter set.
type mlkemParams struct {
	name   string
	ekSize int
	ctSize int
}

var (
	mlkem768  = mlkemParams{name: "ML-KEM-768", ekSize: mlkem.EncapsulationKeySize768, ctSize: mlkem.CiphertextSize768}
	mlkem1024 = mlkemParams{name: "ML-KEM-1024", ekSize: mlkem.EncapsulationKeySize1024, ctSize: mlkem.CiphertextSize1024}
)

// mlkemDecapsulator is what both crypto/mlkem decapsulation key types offer.
type mlkemDecapsulator interface {
	Decapsulate(ciphertext []byte) ([]byte, error)
}

// keyGen runs FIPS 203 KeyGen_internal(d, z) on dz = d ‖ z (64 bytes) and
// returns the decapsulation key and the encoded encapsulation key.
func (p mlkemParams) keyGen(dz []byte) (mlkemDecapsulator, []byte, error) {
	switch p.ekSize {
	case mlkem.EncapsulationKeySize768:
		dk, err := mlkem.NewDecapsulationKey768(dz)
		if err != nil {
			return nil, nil, newErr(errInvalidArgumentGo, p.name+" seed", "64 bytes", fmt.Sprintf("%d bytes", len(dz)))
		}
		return dk, dk.EncapsulationKey().Bytes(), nil
	default:
		dk, err := mlkem.NewDecapsulationKey1024(dz)
		if err != nil {
			return nil, nil, newErr(errInvalidArgumentGo, p.name+" seed", "64 bytes", fmt.Sprintf("%d bytes", len(dz)))
		}
		return dk, dk.EncapsulationKey().Bytes(), nil
	}
}

// checkEncapsulationKey runs the FIPS 203 §7.2 input checks (length and
// ByteEncode12(ByteDecode12(ek)) == ek), which crypto/mlkem performs when
// parsing the key. Failure is ERR_INVALID_MLKEM_KEY (WIRE-FORMAT.md §2 step 6).
func (p mlkemParams) checkEncapsulationKey(ek []byte) error {
	var err error
	switch p.ekSize {
	case mlkem.EncapsulationKeySize768:
		_, err = mlkem.NewEncapsulationKey768(ek)
	default:
		_, err = mlkem.NewEncapsulationKey1024(ek)
	}
	if err != nil {
		return newErr(ErrInvalidMLKEMKey, p.name+" encapsulation key", "coefficients < 3329", "modulus check failed")
	}
	return nil
}

// encapsDerand runs FIPS 203 Encaps_internal(ek, m). Go exposes it only in
// crypto/mlkem/mlkemtest (for known-answer tests), which is why this package
// is a test oracle and not a production implementation.
func (p mlkemParams) encapsDerand(ek, m []byte) (ct, ss []byte, err error) {
	if err := p.checkEncapsulationKey(ek); err != nil {
		return nil, nil, err
	}
	switch p.ekSize {
	case mlkem.EncapsulationKeySize768:
		k, _ := mlkem.NewEncapsulationKey768(ek)
		ss, ct, err = mlkemtest.Encapsulate768(k, m)
	default:
		k, _ := mlkem.NewEncapsulationKey1024(ek)
		ss, ct, err = mlkemtest.Encapsulate1024(k, m)
	}
	if err != nil {
		return nil, nil, newErr(errInternalUnexpectedGo, p.name+" Encaps_internal", "success", "error")
	}
	return ct, ss, nil
}
