package hybridkem

import (
	"bytes"
	"crypto/hpke"
	"testing"
)

// The HPKE-PQ variants (0x0050, 0x0051) composed here from crypto/ecdh and
// crypto/mlkem must agree with crypto/hpke's own MLKEM768P256 / MLKEM1024P384
// on the public key of every seed: a check against a second implementation
// inside the standard library.
func TestHPKEVariantsMatchCryptoHPKE(t *testing.T) {
	for _, c := range []struct {
		suite *Suite
		kem   hpke.KEM
	}{{suiteHPKEMLKEM768P256, hpke.MLKEM768P256()}, {suiteHPKEMLKEM1024P384, hpke.MLKEM1024P384()}} {
		for i := range 16 {
			seed := bytes.Repeat([]byte{byte(i * 17)}, SeedSize)
			ours, sk := keyPairBoth(t, c.suite, c.kem, seed)
			if !bytes.Equal(ours, sk.PublicKey().Bytes()) {
				t.Errorf("%s seed %d: public key differs from crypto/hpke's", c.suite.Name, i)
			}
		}
	}
}
