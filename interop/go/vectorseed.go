package hybridkem

import (
	"crypto/sha3"
	"encoding/binary"
)

// VectorInput derives the seed or randomness of vector number index of a
// suite, as WIRE-FORMAT.md §5 defines:
//
//	SHAKE256("hybridkem/v1/vectors" ‖ 0x00 ‖ suite name ‖ 0x00 ‖ I2OSP(index, 4) ‖ what)
//
// with what = "seed" (the suite's private key length: 32 bytes, 64 for
// ML-KEM alone) or "randomness" (the suite's length).
func VectorInput(s *Suite, index uint32, what string) []byte {
	n := s.PrivateKeySize()
	if what == "randomness" {
		n = s.RandomnessSize()
	}
	in := []byte("hybridkem/v1/vectors")
	in = append(in, 0x00)
	in = append(in, s.Name...)
	in = append(in, 0x00)
	in = binary.BigEndian.AppendUint32(in, index)
	in = append(in, what...)
	return sha3.SumSHAKE256(in, n)
}
