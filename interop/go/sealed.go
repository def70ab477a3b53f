package hybridkem

import (
	"crypto/hpke"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// Sealed messages, WIRE-FORMAT.md §7, written from the spec text only. For
// the registered KEMs (X-Wing, HPKE-MLKEM768-P256, HPKE-MLKEM1024-P384) HPKE
// itself (Encap/Decap, key schedule, ContextS.Seal / ContextR.Open) is Go's
// crypto/hpke; for the four KEMs of our own (0xff01-0xff04) it is
// hpke_schedule.go over this package's suites. This file supplies the
// header, info, chunking and AAD.

// Error codes used by sealed messages in addition to those of §2.
const (
	// ErrAuthentication: a chunk failed to open (§7.4, §7.5).
	ErrAuthentication Code = "ERR_AUTHENTICATION"
	// ErrInvalidArgument: header fields against the reader's suite or key,
	// chunk size exponent, reserved byte, non-canonical final chunk (§7.5).
	ErrInvalidArgument Code = errInvalidArgumentGo
)

// HPKE algorithm ids of §7.1.
const (
	KDFHKDFSHA256            uint16 = 0x0001
	AEADAES256GCM            uint16 = 0x0002
	AEADChaCha20Poly1305     uint16 = 0x0003
	KEMXWing                 uint16 = 0x647a // wire suite id = HPKE KEM id (§7.1)
	KEMMLKEM768P256          uint16 = 0x0050 // HPKE-MLKEM768-P256
	KEMMLKEM1024P384         uint16 = 0x0051 // HPKE-MLKEM1024-P384
	KEMX25519MLKEM768        uint16 = 0xff01 // ours (§7.1)
	KEMX25519MLKEM1024       uint16 = 0xff02 // ours
	KEMCGMLKEM768P256        uint16 = 0xff03 // MLKEM768-P256 (concrete-hybrid-kems), ours
	KEMCGMLKEM1024P384       uint16 = 0xff04 // MLKEM1024-P384 (concrete-hybrid-kems), ours
	sealedKEMSuiteID                = KEMXWing
	SealedHeaderSize                = 26
	sealedTagSize                   = 16
	sealedEncSize                   = 1120 // X-Wing Nenc
	sealedPublicKeySize             = 1216 // X-Wing Npk
	sealedKindByte                  = byte(kindSealed)
	DefaultChunkSizeExponent        = 16
	MinChunkSizeExponent            = 10
	MaxChunkSizeExponent            = 22
	MaxSealedInfoLength             = 65536
	sealedInfoLabel                 = "hybridkem/v1/sealed"
	sealedFlagNonFinal              = 0x00
	sealedFlagFinal                 = 0x01
)

// sealedKEM is one KEM row of §7.1: the §1 suite (same id as the HPKE KEM
// id) and, for the registered KEMs, crypto/hpke's implementation of it (nil:
// hpke_schedule.go).
type sealedKEM struct {
	suite   *Suite
	hpke    func() hpke.KEM
	encSize int // Nenc
}

// The registered KEMs first: SealedKEMForPublicKeySize picks the first KEM
// of a length.
var sealedKEMs = []sealedKEM{
	{suiteXWing, hpke.MLKEM768X25519, 1120},
	{suiteHPKEMLKEM768P256, hpke.MLKEM768P256, 1153},
	{suiteHPKEMLKEM1024P384, hpke.MLKEM1024P384, 1665},
	{suiteX25519MLKEM768, nil, 1120},
	{suiteX25519MLKEM1024, nil, 1600},
	{suiteMLKEM768P256, nil, 1153},
	{suiteMLKEM1024P384, nil, 1665},
}

func sealedKEMByID(id uint16) (*sealedKEM, bool) {
	for i := range sealedKEMs {
		if sealedKEMs[i].suite.ID == id {
			return &sealedKEMs[i], true
		}
	}
	return nil, false
}

// SealedKEMForPublicKeySize returns the §7.1 KEM id whose raw public key
// (Npk) has n bytes; where two KEMs share a length it is the registered one:
// 1216 X-Wing, 1249 HPKE-MLKEM768-P256, 1665 HPKE-MLKEM1024-P384, 1600
// X25519-MLKEM1024. ok is false for any other length.
func SealedKEMForPublicKeySize(n int) (id uint16, ok bool) {
	for _, k := range sealedKEMs {
		if k.suite.PublicKeySize() == n {
			return k.suite.ID, true
		}
	}
	return 0, false
}

const sealedKEMIDs = "0x647a, 0x0050, 0x0051 or 0xff01-0xff04"

// hpkeKDF and hpkeAEAD are crypto/hpke's implementations of the §7.1 KDF
// and AEAD ids; any other id is ERR_UNKNOWN_SUITE.
func hpkeKDF(id uint16) (hpke.KDF, error) {
	if id == KDFHKDFSHA256 {
		return hpke.HKDFSHA256(), nil
	}
	return nil, newErr(ErrUnknownSuite, "kdf", "0x0001", fmt.Sprintf("0x%04x", id))
}

func hpkeAEAD(id uint16) (hpke.AEAD, error) {
	switch id {
	case AEADAES256GCM:
		return hpke.AES256GCM(), nil
	case AEADChaCha20Poly1305:
		return hpke.ChaCha20Poly1305(), nil
	}
	return nil, unknownAEAD(id)
}

// hpkeAlgorithms is hpkeKDF and hpkeAEAD of a sender's ids, KDF first.
func hpkeAlgorithms(kdfID, aeadID uint16) (hpke.KDF, hpke.AEAD, error) {
	kdf, err := hpkeKDF(kdfID)
	if err != nil {
		return nil, nil, err
	}
	aead, err := hpkeAEAD(aeadID)
	if err != nil {
		return nil, nil, err
	}
	return kdf, aead, nil
}

func unknownAEAD(id uint16) error {
	return newErr(ErrUnknownSuite, "aead", "0x0002 or 0x0003", fmt.Sprintf("0x%04x", id))
}

// sealedKeyID is §7.2 offset 8: SHA-256(0x01 ‖ 0x01 ‖ suite id ‖ raw public
// key)[0..16], i.e. the §4 key id as bytes.
func sealedKeyID(s *Suite, rawPublicKey []byte) ([]byte, error) {
	obj, err := Encode(s, KindPublicKey, rawPublicKey)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(obj)
	return sum[:16], nil
}

// sealedInfo is §7.3: "hybridkem/v1/sealed" ‖ 0x00 ‖ HEADER ‖ I2OSP(len(user_info), 4) ‖ user_info.
func sealedInfo(header, userInfo []byte) []byte {
	out := make([]byte, 0, len(sealedInfoLabel)+1+len(header)+4+len(userInfo))
	out = append(out, sealedInfoLabel...)
	out = append(out, 0x00)
	out = append(out, header...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(userInfo)))
	return append(out, userInfo...)
}

func checkUserInfo(info []byte) error {
	if len(info) > MaxSealedInfoLength {
		return newErr(ErrInvalidArgument, "info", fmt.Sprintf("<= %d bytes", MaxSealedInfoLength), fmt.Sprintf("%d bytes", len(info)))
	}
	return nil
}

// SealMessage seals plaintext to an X-Wing public key (raw, 1216 bytes) as in
// WIRE-FORMAT.md §7 with 64 KiB chunks (e = 16). kdf and aead are HPKE ids
// (KDFHKDFSHA256; AEADAES256GCM or AEADChaCha20Poly1305). SealMessageKEM
// seals to the other KEMs of §7.1.
func SealMessage(recipientPublicKey, plaintext, info, aad []byte, kdf, aead uint16) ([]byte, error) {
	return sealMessage(KEMXWing, recipientPublicKey, plaintext, info, aad, kdf, aead, DefaultChunkSizeExponent)
}

// SealMessageKEM is SealMessage for a recipient key of the suite kem (any
// §7.1 KEM id, e.g. KEMXWing, KEMMLKEM768P256, KEMX25519MLKEM768);
// recipientPublicKey is that suite's raw public key.
func SealMessageKEM(kem uint16, recipientPublicKey, plaintext, info, aad []byte, kdf, aead uint16) ([]byte, error) {
	return sealMessage(kem, recipientPublicKey, plaintext, info, aad, kdf, aead, DefaultChunkSizeExponent)
}

// hpkeSealer and hpkeOpener are what the framing needs of an HPKE context:
// crypto/hpke's *Sender / *Recipient and hpke_schedule.go's *hpkeContext.
type hpkeSealer interface {
	Seal(aad, plaintext []byte) ([]byte, error)
}
type hpkeOpener interface {
	Open(aad, ciphertext []byte) ([]byte, error)
}

// scheduleFor says which HPKE code a sealed message uses: crypto/hpke where
// it has the KEM, hpke_schedule.go otherwise; tests set ownSchedule to run
// the registered KEMs through hpke_schedule.go as well.
func scheduleFor(kem *sealedKEM, ownSchedule bool) bool {
	return ownSchedule || kem.hpke == nil
}

func sealMessage(kemID uint16, pub, plaintext, info, aad []byte, kdfID, aeadID uint16, e int) ([]byte, error) {
	return sealMessageWith(kemID, pub, plaintext, info, aad, kdfID, aeadID, e, false)
}

func sealMessageWith(kemID uint16, pub, plaintext, info, aad []byte, kdfID, aeadID uint16, e int, ownSchedule bool) ([]byte, error) {
	kem, ok := sealedKEMByID(kemID)
	if !ok {
		return nil, newErr(ErrUnknownSuite, "kem", sealedKEMIDs, fmt.Sprintf("0x%04x", kemID))
	}
	kdf, aead, err := hpkeAlgorithms(kdfID, aeadID)
	if err != nil {
		return nil, err
	}
	own := scheduleFor(kem, ownSchedule)
	if err := checkChunkSizeExponent(e); err != nil {
		return nil, err
	}
	if err := checkUserInfo(info); err != nil {
		return nil, err
	}
	keyID, err := recipientKeyID(kem, kem.suite.Name+" public key", pub)
	if err != nil {
		return nil, err
	}

	header := make([]byte, 0, SealedHeaderSize)
	header = append(header, Version, sealedKindByte)
	header = binary.BigEndian.AppendUint16(header, kemID)
	header = binary.BigEndian.AppendUint16(header, kdfID)
	header = binary.BigEndian.AppendUint16(header, aeadID)
	header = append(header, keyID...)
	header = append(header, byte(e), 0x00)

	var enc []byte
	var ctx hpkeSealer
	if own {
		enc, ctx, err = setupBaseS(kem.suite, kdfID, aeadID, pub, sealedInfo(header, info))
		if err != nil {
			return nil, err
		}
	} else {
		pk, err := kem.hpke().NewPublicKey(pub)
		if err != nil {
			return nil, newErr(errInternalUnexpectedGo, "public key", "accepted by crypto/hpke", err.Error())
		}
		enc, ctx, err = hpke.NewSender(pk, kdf, aead, sealedInfo(header, info))
		if err != nil {
			return nil, newErr(errInternalUnexpectedGo, "SetupBaseS", "success", err.Error())
		}
	}
	if len(enc) != kem.encSize {
		return nil, newErr(errInternalUnexpectedGo, "enc", fmt.Sprint(kem.encSize), fmt.Sprint(len(enc)))
	}

	chunks := finalChunkIndex(len(plaintext), e) + 1
	out := make([]byte, 0, SealedHeaderSize+kem.encSize+len(plaintext)+sealedTagSize*chunks)
	out = append(out, header...)
	out = append(out, enc...)
	return sealChunks(out, plaintext, e, aad, func(aad, plaintext []byte) ([]byte, error) {
		ct, err := ctx.Seal(aad, plaintext)
		if err != nil {
			return nil, newErr(errInternalUnexpectedGo, "ContextS.Seal", "success", err.Error())
		}
		return ct, nil
	})
}

// recipientKeyID checks a recipient's raw public key (field names it in the
// length error) and returns its key id (§7.2). The key gets the checks of
// §1.3 / §2 step 6 (ERR_INVALID_MLKEM_KEY, ERR_INVALID_GROUP_ELEMENT, length)
// from the independent decoder.
func recipientKeyID(kem *sealedKEM, field string, pub []byte) ([]byte, error) {
	if n := kem.suite.PublicKeySize(); len(pub) != n {
		return nil, lengthErr(field, n, len(pub))
	}
	obj, _ := Encode(kem.suite, KindPublicKey, pub)
	if _, err := Decode(obj, KindPublicKey); err != nil {
		return nil, err
	}
	return sealedKeyID(kem.suite, pub)
}

// SealedHeader is the parsed 26-byte header of §7.2.
type SealedHeader struct {
	KEM, KDF, AEAD    uint16
	KeyID             []byte
	ChunkSizeExponent int
}

// parseSealedHeader is §7.4 step 1: fields checked by offset as far as the
// input goes, then the length.
func parseSealedHeader(b []byte) (*SealedHeader, error) {
	if len(b) >= 1 && b[0] != Version {
		return nil, newErr(ErrUnsupportedVersion, "version", "1", fmt.Sprint(b[0]))
	}
	if len(b) >= 2 && b[1] != sealedKindByte {
		if isDefinedKind(b[1]) {
			return nil, newErr(ErrWrongKind, "kind", "4 (sealed message)", fmt.Sprint(b[1]))
		}
		return nil, newErr(ErrUnknownKind, "kind", "4 (sealed message)", fmt.Sprint(b[1]))
	}
	if len(b) >= 4 {
		if id := binary.BigEndian.Uint16(b[2:4]); !isSealedKEM(id) {
			return nil, newErr(ErrUnknownSuite, "suite id", sealedKEMIDs, fmt.Sprintf("0x%04x", id))
		}
	}
	if err := checkHeaderAlgorithms(b, 4, 24); err != nil {
		return nil, err
	}
	if len(b) >= 26 && b[25] != 0 {
		return nil, newErr(ErrInvalidArgument, "reserved", "0", fmt.Sprint(b[25]))
	}
	if len(b) < SealedHeaderSize {
		return nil, newErr(ErrTruncated, "header", fmt.Sprintf("%d bytes", SealedHeaderSize), fmt.Sprintf("%d bytes", len(b)))
	}
	return &SealedHeader{
		KEM:               binary.BigEndian.Uint16(b[2:4]),
		KDF:               binary.BigEndian.Uint16(b[4:6]),
		AEAD:              binary.BigEndian.Uint16(b[6:8]),
		KeyID:             append([]byte(nil), b[8:24]...),
		ChunkSizeExponent: int(b[24]),
	}, nil
}

func isSealedKEM(id uint16) bool {
	_, ok := sealedKEMByID(id)
	return ok
}

// OpenMessage opens a sealed message (§7.4) with the recipient's 32-byte
// seed (the private key of any §7.1 KEM). It uses the KEM, KDF and AEAD named
// in the header, provided they are implemented (§7.4 step 1.4); use
// OpenMessageSuite to pin them.
func OpenMessage(seed, sealed, info, aad []byte) ([]byte, error) {
	return OpenMessageSuite(seed, sealed, info, aad, 0, 0, 0)
}

// OpenMessageSuite is OpenMessage for a reader that holds a suite (§7.4
// step 2): kem / kdf / aead other than 0 must equal the header's ids
// (ERR_INVALID_ARGUMENT otherwise).
func OpenMessageSuite(seed, sealed, info, aad []byte, kemID, kdfID, aeadID uint16) ([]byte, error) {
	return openMessageWith(seed, sealed, info, aad, kemID, kdfID, aeadID, false)
}

func openMessageWith(seed, sealed, info, aad []byte, kemID, kdfID, aeadID uint16, ownSchedule bool) ([]byte, error) {
	if len(seed) != SeedSize {
		return nil, lengthErr("private key (seed)", SeedSize, len(seed))
	}
	if kemID != 0 && !isSealedKEM(kemID) {
		return nil, newErr(ErrUnknownSuite, "kem", sealedKEMIDs, fmt.Sprintf("0x%04x", kemID))
	}
	if err := checkUserInfo(info); err != nil {
		return nil, err
	}
	// 1. header
	h, err := parseSealedHeader(sealed)
	if err != nil {
		return nil, err
	}
	// 2. header against the reader's suite and key
	if kemID != 0 && h.KEM != kemID {
		return nil, newErr(ErrInvalidArgument, "kem", fmt.Sprintf("0x%04x", kemID), fmt.Sprintf("0x%04x", h.KEM))
	}
	if kdfID != 0 && h.KDF != kdfID {
		return nil, newErr(ErrInvalidArgument, "kdf", fmt.Sprintf("0x%04x", kdfID), fmt.Sprintf("0x%04x", h.KDF))
	}
	if aeadID != 0 && h.AEAD != aeadID {
		return nil, newErr(ErrInvalidArgument, "aead", fmt.Sprintf("0x%04x", aeadID), fmt.Sprintf("0x%04x", h.AEAD))
	}
	kem, _ := sealedKEMByID(h.KEM)
	own := scheduleFor(kem, ownSchedule)
	myPub, err := kem.suite.DeriveKeyPair(seed)
	if err != nil {
		return nil, err
	}
	myID, err := sealedKeyID(kem.suite, myPub)
	if err != nil {
		return nil, err
	}
	if string(myID) != string(h.KeyID) {
		return nil, newErr(ErrInvalidArgument, "keyId", hex.EncodeToString(myID), hex.EncodeToString(h.KeyID))
	}
	// 3. enc and SetupBaseR
	rest := sealed[SealedHeaderSize:]
	if len(rest) < kem.encSize {
		return nil, newErr(ErrTruncated, "enc", fmt.Sprintf("%d bytes", kem.encSize), fmt.Sprintf("%d bytes", len(rest)))
	}
	enc := rest[:kem.encSize]
	rest = rest[kem.encSize:]
	var ctx hpkeOpener
	if own {
		// The suite's Decapsulate gives §1.3's typed errors (a low-order or
		// off-curve ephemeral key) itself.
		if ctx, err = setupBaseR(kem.suite, h.KDF, h.AEAD, enc, seed, sealedInfo(sealed[:SealedHeaderSize], info)); err != nil {
			return nil, err
		}
	} else if ctx, err = openWithCryptoHPKE(kem, seed, enc, h.KDF, h.AEAD, sealedInfo(sealed[:SealedHeaderSize], info)); err != nil {
		return nil, err
	}
	// 4 and 5. the chunks
	return openChunks(rest, h.ChunkSizeExponent, aad, func(aad, ct []byte) ([]byte, bool, error) {
		p, err := ctx.Open(aad, ct)
		return p, err == nil, nil
	})
}

// checkHeaderAlgorithms checks, as far as b goes, the KDF id at kdfAt, the
// AEAD id after it, and the chunk size exponent at exponentAt of a sealed
// header (§7.2) or a multi-recipient FIXED (§10.1).
func checkHeaderAlgorithms(b []byte, kdfAt, exponentAt int) error {
	if len(b) >= kdfAt+2 {
		if _, err := hpkeKDF(binary.BigEndian.Uint16(b[kdfAt:])); err != nil {
			return err
		}
	}
	if len(b) >= kdfAt+4 {
		if _, err := hpkeAEAD(binary.BigEndian.Uint16(b[kdfAt+2:])); err != nil {
			return err
		}
	}
	if len(b) > exponentAt {
		return checkChunkSizeExponent(int(b[exponentAt]))
	}
	return nil
}

// openWithCryptoHPKE is SetupBaseR with crypto/hpke (the registered KEMs);
// the KDF and AEAD ids are ones the header check has accepted.
func openWithCryptoHPKE(kem *sealedKEM, seed, enc []byte, kdfID, aeadID uint16, info []byte) (hpkeOpener, error) {
	kdf, aead, _ := hpkeAlgorithms(kdfID, aeadID)
	sk, err := kem.hpke().NewPrivateKey(seed)
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, "private key", "accepted by crypto/hpke", err.Error())
	}
	ctx, err := hpke.NewRecipient(enc, sk, kdf, aead, info)
	if err != nil {
		// With an enc of the right length the ML-KEM part cannot fail
		// (implicit rejection); what remains is the traditional part: a
		// low-order X25519 key, or a P-256 / P-384 encoding that is not a
		// point on the curve (or is the identity).
		if kem.suite.ID == KEMXWing {
			return nil, newErr(ErrInvalidGroupElement, "enc (traditional part)", "a non-low-order X25519 key", "low-order")
		}
		return nil, newErr(ErrInvalidGroupElement, "enc (traditional part)", "a valid "+kem.suite.group.name+" point", err.Error())
	}
	return ctx, nil
}
