package hybridkem

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"hash"
	"math"

	"golang.org/x/crypto/chacha20poly1305"
)

// HPKE (RFC 9180) base mode, written here from the RFC text for the KEMs
// that Go's crypto/hpke cannot take: its KEM and PublicKey interfaces have
// unexported methods, so no KEM can be added from outside that package.
// X25519-MLKEM768, X25519-MLKEM1024, MLKEM768-P256 and MLKEM1024-P384
// (0xff01-0xff04, WIRE-FORMAT.md §7.1) are sealed and opened with this code;
// the registered KEMs still use crypto/hpke, and hpke_schedule_test.go checks
// that this code and crypto/hpke give the same bytes for those.
//
// As draft-ietf-hpke-pq §4 uses a hybrid KEM, and as §7.1 specifies for the
// four KEMs of our own, HPKE's shared_secret is the KEM's 32-byte shared
// secret, with no further ExtractAndExpand; Encap / Decap are the suite's
// Encapsulate / Decapsulate (kem.go).

// HPKE KDF and AEAD ids (RFC 9180 §7.2, §7.3) the schedule implements.
const (
	KDFHKDFSHA384 uint16 = 0x0002
	KDFHKDFSHA512 uint16 = 0x0003
	AEADAES128GCM uint16 = 0x0001
)

// hpkeSuiteID is RFC 9180 §5.1's suite_id: "HPKE" ‖ I2OSP(kem_id, 2) ‖
// I2OSP(kdf_id, 2) ‖ I2OSP(aead_id, 2).
func hpkeSuiteID(kemID, kdfID, aeadID uint16) []byte {
	out := []byte("HPKE")
	out = binary.BigEndian.AppendUint16(out, kemID)
	out = binary.BigEndian.AppendUint16(out, kdfID)
	return binary.BigEndian.AppendUint16(out, aeadID)
}

// scheduleKDF is HKDF with the hash of RFC 9180 §7.2 (Nh = the hash size).
func scheduleKDF(id uint16) (func() hash.Hash, bool) {
	switch id {
	case KDFHKDFSHA256:
		return sha256.New, true
	case KDFHKDFSHA384:
		return sha512.New384, true
	case KDFHKDFSHA512:
		return sha512.New, true
	}
	return nil, false
}

// scheduleAEAD returns Nk and the AEAD of RFC 9180 §7.3 (Nn = 12, Nt = 16
// for all three).
func scheduleAEAD(id uint16) (nk int, newAEAD func(key []byte) (cipher.AEAD, error), ok bool) {
	gcm := func(key []byte) (cipher.AEAD, error) {
		b, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		return cipher.NewGCM(b)
	}
	switch id {
	case AEADAES128GCM:
		return 16, gcm, true
	case AEADAES256GCM:
		return 32, gcm, true
	case AEADChaCha20Poly1305:
		return chacha20poly1305.KeySize, chacha20poly1305.New, true
	}
	return 0, nil, false
}

const hpkeNonceSize = 12 // Nn of every AEAD of §7.3

// hpkeContext is an RFC 9180 §5.2 encryption context (sender or recipient):
// the AEAD key, base_nonce, the sequence number and exporter_secret.
type hpkeContext struct {
	aead           cipher.AEAD
	baseNonce      []byte
	seq            uint64
	exporterSecret []byte
	h              func() hash.Hash
	suiteID        []byte
}

// labeledExtract is RFC 9180 §4: Extract(salt, "HPKE-v1" ‖ suite_id ‖ label ‖ ikm).
func labeledExtract(h func() hash.Hash, suiteID, salt []byte, label string, ikm []byte) ([]byte, error) {
	labeled := make([]byte, 0, 7+len(suiteID)+len(label)+len(ikm))
	labeled = append(labeled, "HPKE-v1"...)
	labeled = append(labeled, suiteID...)
	labeled = append(labeled, label...)
	labeled = append(labeled, ikm...)
	defer clear(labeled)
	return hkdf.Extract(h, labeled, salt)
}

// labeledExpand is RFC 9180 §4: Expand(prk, I2OSP(L, 2) ‖ "HPKE-v1" ‖
// suite_id ‖ label ‖ info, L).
func labeledExpand(h func() hash.Hash, suiteID, prk []byte, label string, info []byte, length int) ([]byte, error) {
	if length > math.MaxUint16 {
		return nil, newErr(ErrInvalidArgument, "length", "<= 65535", fmt.Sprint(length))
	}
	labeled := binary.BigEndian.AppendUint16(nil, uint16(length))
	labeled = append(labeled, "HPKE-v1"...)
	labeled = append(labeled, suiteID...)
	labeled = append(labeled, label...)
	labeled = append(labeled, info...)
	return hkdf.Expand(h, prk, string(labeled), length)
}

// keyScheduleBase is RFC 9180 §5.1 KeySchedule for mode_base (0x00), with
// the default empty psk and psk_id.
func keyScheduleBase(kemID, kdfID, aeadID uint16, sharedSecret, info []byte) (*hpkeContext, error) {
	h, ok := scheduleKDF(kdfID)
	if !ok {
		return nil, newErr(ErrUnknownSuite, "kdf", "0x0001, 0x0002 or 0x0003", fmt.Sprintf("0x%04x", kdfID))
	}
	nk, newAEAD, ok := scheduleAEAD(aeadID)
	if !ok {
		return nil, newErr(ErrUnknownSuite, "aead", "0x0001, 0x0002 or 0x0003", fmt.Sprintf("0x%04x", aeadID))
	}
	suiteID := hpkeSuiteID(kemID, kdfID, aeadID)
	pskIDHash, err := labeledExtract(h, suiteID, nil, "psk_id_hash", nil)
	if err != nil {
		return nil, err
	}
	infoHash, err := labeledExtract(h, suiteID, nil, "info_hash", info)
	if err != nil {
		return nil, err
	}
	ksc := append(append([]byte{0x00}, pskIDHash...), infoHash...) // mode ‖ psk_id_hash ‖ info_hash
	secret, err := labeledExtract(h, suiteID, sharedSecret, "secret", nil)
	if err != nil {
		return nil, err
	}
	defer clear(secret)
	key, err := labeledExpand(h, suiteID, secret, "key", ksc, nk)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	baseNonce, err := labeledExpand(h, suiteID, secret, "base_nonce", ksc, hpkeNonceSize)
	if err != nil {
		return nil, err
	}
	exporterSecret, err := labeledExpand(h, suiteID, secret, "exp", ksc, h().Size())
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	return &hpkeContext{aead: aead, baseNonce: baseNonce, exporterSecret: exporterSecret, h: h, suiteID: suiteID}, nil
}

// computeNonce is RFC 9180 §5.2: base_nonce XOR I2OSP(seq, Nn).
func (c *hpkeContext) computeNonce() []byte {
	nonce := make([]byte, hpkeNonceSize)
	binary.BigEndian.PutUint64(nonce[hpkeNonceSize-8:], c.seq)
	for i := range nonce {
		nonce[i] ^= c.baseNonce[i]
	}
	return nonce
}

// incrementSeq is RFC 9180 §5.2 IncrementSeq. The RFC's limit is
// 2^(8·Nn) − 1; a uint64 counter reaches its own end long before that, so
// that end is the limit here.
func (c *hpkeContext) incrementSeq() error {
	if c.seq == math.MaxUint64 {
		return newErr(ErrInvalidArgument, "sequence number", "< 2^64-1", "2^64-1")
	}
	c.seq++
	return nil
}

// Seal is ContextS.Seal (RFC 9180 §5.2).
func (c *hpkeContext) Seal(aad, plaintext []byte) ([]byte, error) {
	if c.seq == math.MaxUint64 {
		return nil, newErr(ErrInvalidArgument, "sequence number", "< 2^64-1", "2^64-1")
	}
	ct := c.aead.Seal(nil, c.computeNonce(), plaintext, aad)
	return ct, c.incrementSeq()
}

// Open is ContextR.Open (RFC 9180 §5.2): the sequence number advances only
// when the ciphertext opens.
func (c *hpkeContext) Open(aad, ciphertext []byte) ([]byte, error) {
	pt, err := c.aead.Open(nil, c.computeNonce(), ciphertext, aad)
	if err != nil {
		return nil, err
	}
	return pt, c.incrementSeq()
}

// Export is RFC 9180 §5.3: LabeledExpand(exporter_secret, "sec", exporter_context, L).
func (c *hpkeContext) Export(exporterContext []byte, length int) ([]byte, error) {
	return labeledExpand(c.h, c.suiteID, c.exporterSecret, "sec", exporterContext, length)
}

// setupBaseS is RFC 9180 §5.1.1 SetupBaseS(pkR, info) with the suite's
// encapsulation on fresh randomness from crypto/rand.
func setupBaseS(s *Suite, kdfID, aeadID uint16, publicKey, info []byte) (enc []byte, ctx *hpkeContext, err error) {
	randomness := make([]byte, s.RandomnessSize())
	defer clear(randomness)
	if _, err := rand.Read(randomness); err != nil {
		return nil, nil, err
	}
	return setupBaseSDerand(s, kdfID, aeadID, publicKey, info, randomness)
}

// setupBaseSDerand is setupBaseS with the encapsulation randomness given (tests).
func setupBaseSDerand(s *Suite, kdfID, aeadID uint16, publicKey, info, randomness []byte) (enc []byte, ctx *hpkeContext, err error) {
	enc, sharedSecret, err := s.Encapsulate(publicKey, randomness)
	if err != nil {
		return nil, nil, err
	}
	defer clear(sharedSecret)
	ctx, err = keyScheduleBase(s.ID, kdfID, aeadID, sharedSecret, info)
	if err != nil {
		return nil, nil, err
	}
	return enc, ctx, nil
}

// setupBaseR is RFC 9180 §5.1.1 SetupBaseR(enc, skR, info); the private key
// is the suite's 32-byte seed.
func setupBaseR(s *Suite, kdfID, aeadID uint16, enc, seed, info []byte) (*hpkeContext, error) {
	sharedSecret, err := s.Decapsulate(seed, enc)
	if err != nil {
		return nil, err
	}
	defer clear(sharedSecret)
	return keyScheduleBase(s.ID, kdfID, aeadID, sharedSecret, info)
}
