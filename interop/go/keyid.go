package hybridkem

import (
	"crypto/sha256"
	"encoding/hex"
)

// KeyID is WIRE-FORMAT.md §4: the first 16 bytes of SHA-256 over the encoded
// public key, header included (so the same raw key under two suites has two
// ids), as 32 lower-case hex digits. The object is decoded first, so only a
// valid public key gets an id.
func KeyID(encodedPublicKey []byte) (string, error) {
	if _, err := Decode(encodedPublicKey, KindPublicKey); err != nil {
		return "", err
	}
	sum := sha256.Sum256(encodedPublicKey)
	return hex.EncodeToString(sum[:16]), nil
}
