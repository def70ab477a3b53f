package hybridkem

import (
	"crypto/hpke"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// Sealed messages, WIRE-FORMAT.md §7, written from the spec text only. HPKE
// itself (X-Wing Encap/Decap, key schedule, ContextS.Seal / ContextR.Open) is
// Go's crypto/hpke; this file supplies the header, info, chunking and AAD.

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
	sealedKEMSuiteID         uint16 = 0x647a // X-Wing: wire suite id = HPKE KEM id
	SealedHeaderSize                = 26
	sealedTagSize                   = 16
	sealedEncSize                   = 1120
	sealedPublicKeySize             = 1216
	sealedKindByte                  = byte(kindSealed)
	DefaultChunkSizeExponent        = 16
	MinChunkSizeExponent            = 10
	MaxChunkSizeExponent            = 22
	MaxSealedInfoLength             = 65536
	sealedInfoLabel                 = "hybridkem/v1/sealed"
	sealedFlagNonFinal              = 0x00
	sealedFlagFinal                 = 0x01
)

func hpkeKDF(id uint16) (hpke.KDF, bool) {
	if id == KDFHKDFSHA256 {
		return hpke.HKDFSHA256(), true
	}
	return nil, false
}

func hpkeAEAD(id uint16) (hpke.AEAD, bool) {
	switch id {
	case AEADAES256GCM:
		return hpke.AES256GCM(), true
	case AEADChaCha20Poly1305:
		return hpke.ChaCha20Poly1305(), true
	}
	return nil, false
}

// sealedKeyID is §7.2 offset 8: SHA-256(0x01 ‖ 0x01 ‖ 0x647a ‖ raw public
// key)[0..16], i.e. the §4 key id as bytes.
func sealedKeyID(rawPublicKey []byte) ([]byte, error) {
	obj, err := Encode(suiteXWing, KindPublicKey, rawPublicKey)
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

// sealedAAD is §7.3: aad_i = flag_i ‖ user_aad.
func sealedAAD(flag byte, userAAD []byte) []byte {
	out := make([]byte, 0, 1+len(userAAD))
	return append(append(out, flag), userAAD...)
}

func checkUserInfo(info []byte) error {
	if len(info) > MaxSealedInfoLength {
		return newErr(ErrInvalidArgument, "info", fmt.Sprintf("<= %d bytes", MaxSealedInfoLength), fmt.Sprintf("%d bytes", len(info)))
	}
	return nil
}

// SealMessage seals plaintext to an X-Wing public key (raw, 1216 bytes) as in
// WIRE-FORMAT.md §7 with 64 KiB chunks (e = 16). kdf and aead are HPKE ids
// (KDFHKDFSHA256; AEADAES256GCM or AEADChaCha20Poly1305).
func SealMessage(recipientPublicKey, plaintext, info, aad []byte, kdf, aead uint16) ([]byte, error) {
	return sealMessage(recipientPublicKey, plaintext, info, aad, kdf, aead, DefaultChunkSizeExponent)
}

func sealMessage(pub, plaintext, info, aad []byte, kdfID, aeadID uint16, e int) ([]byte, error) {
	kdf, ok := hpkeKDF(kdfID)
	if !ok {
		return nil, newErr(ErrUnknownSuite, "kdf", "0x0001", fmt.Sprintf("0x%04x", kdfID))
	}
	aead, ok := hpkeAEAD(aeadID)
	if !ok {
		return nil, newErr(ErrUnknownSuite, "aead", "0x0002 or 0x0003", fmt.Sprintf("0x%04x", aeadID))
	}
	if e < MinChunkSizeExponent || e > MaxChunkSizeExponent {
		return nil, newErr(ErrInvalidArgument, "chunkSizeExponent", "10..22", fmt.Sprint(e))
	}
	if err := checkUserInfo(info); err != nil {
		return nil, err
	}
	// The recipient key gets the checks of §1.3 / §2 step 6 (ERR_INVALID_MLKEM_KEY,
	// ERR_INVALID_GROUP_ELEMENT, length) from the independent decoder.
	if len(pub) != sealedPublicKeySize {
		return nil, lengthErr("X-Wing public key", sealedPublicKeySize, len(pub))
	}
	keyID, err := sealedKeyID(pub)
	if err != nil {
		return nil, err
	}
	obj, _ := Encode(suiteXWing, KindPublicKey, pub)
	if _, err := Decode(obj, KindPublicKey); err != nil {
		return nil, err
	}
	pk, err := hpke.MLKEM768X25519().NewPublicKey(pub)
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, "public key", "accepted by crypto/hpke", err.Error())
	}

	header := make([]byte, 0, SealedHeaderSize)
	header = append(header, Version, sealedKindByte)
	header = binary.BigEndian.AppendUint16(header, sealedKEMSuiteID)
	header = binary.BigEndian.AppendUint16(header, kdfID)
	header = binary.BigEndian.AppendUint16(header, aeadID)
	header = append(header, keyID...)
	header = append(header, byte(e), 0x00)

	enc, ctx, err := hpke.NewSender(pk, kdf, aead, sealedInfo(header, info))
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, "SetupBaseS", "success", err.Error())
	}
	if len(enc) != sealedEncSize {
		return nil, newErr(errInternalUnexpectedGo, "enc", fmt.Sprint(sealedEncSize), fmt.Sprint(len(enc)))
	}

	c := 1 << e
	// n = max(0, ceil(L / C) − 1); chunks 0..n-1 are full, chunk n is final.
	n := 0
	if len(plaintext) > 0 {
		n = (len(plaintext)+c-1)/c - 1
	}
	out := make([]byte, 0, SealedHeaderSize+sealedEncSize+len(plaintext)+sealedTagSize*(n+1))
	out = append(out, header...)
	out = append(out, enc...)
	for i := 0; i <= n; i++ {
		start := i * c
		end := min(start+c, len(plaintext))
		flag := byte(sealedFlagNonFinal)
		if i == n {
			flag = sealedFlagFinal
		}
		ct, err := ctx.Seal(sealedAAD(flag, aad), plaintext[start:end])
		if err != nil {
			return nil, newErr(errInternalUnexpectedGo, "ContextS.Seal", "success", err.Error())
		}
		out = append(out, ct...)
	}
	return out, nil
}

// SealedHeader is the parsed 26-byte header of §7.2.
type SealedHeader struct {
	KDF, AEAD         uint16
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
		switch b[1] {
		case 0x01, 0x02, 0x03, 0x05, 0x06, 0x07, 0x08:
			return nil, newErr(ErrWrongKind, "kind", "4 (sealed message)", fmt.Sprint(b[1]))
		default:
			return nil, newErr(ErrUnknownKind, "kind", "4 (sealed message)", fmt.Sprint(b[1]))
		}
	}
	if len(b) >= 4 {
		if id := binary.BigEndian.Uint16(b[2:4]); id != sealedKEMSuiteID {
			return nil, newErr(ErrUnknownSuite, "suite id", "0x647a", fmt.Sprintf("0x%04x", id))
		}
	}
	if len(b) >= 6 {
		if id := binary.BigEndian.Uint16(b[4:6]); id != KDFHKDFSHA256 {
			return nil, newErr(ErrUnknownSuite, "kdf", "0x0001", fmt.Sprintf("0x%04x", id))
		}
	}
	if len(b) >= 8 {
		if id := binary.BigEndian.Uint16(b[6:8]); id != AEADAES256GCM && id != AEADChaCha20Poly1305 {
			return nil, newErr(ErrUnknownSuite, "aead", "0x0002 or 0x0003", fmt.Sprintf("0x%04x", id))
		}
	}
	if len(b) >= 25 {
		if e := int(b[24]); e < MinChunkSizeExponent || e > MaxChunkSizeExponent {
			return nil, newErr(ErrInvalidArgument, "chunkSizeExponent", "10..22", fmt.Sprint(e))
		}
	}
	if len(b) >= 26 && b[25] != 0 {
		return nil, newErr(ErrInvalidArgument, "reserved", "0", fmt.Sprint(b[25]))
	}
	if len(b) < SealedHeaderSize {
		return nil, newErr(ErrTruncated, "header", fmt.Sprintf("%d bytes", SealedHeaderSize), fmt.Sprintf("%d bytes", len(b)))
	}
	return &SealedHeader{
		KDF:               binary.BigEndian.Uint16(b[4:6]),
		AEAD:              binary.BigEndian.Uint16(b[6:8]),
		KeyID:             append([]byte(nil), b[8:24]...),
		ChunkSizeExponent: int(b[24]),
	}, nil
}

// OpenMessage opens a sealed message (§7.4) with the recipient's 32-byte
// X-Wing seed. It uses the KDF and AEAD named in the header, provided they
// are implemented (§7.4 step 1.4); use OpenMessageSuite to pin them.
func OpenMessage(seed, sealed, info, aad []byte) ([]byte, error) {
	return OpenMessageSuite(seed, sealed, info, aad, 0, 0)
}

// OpenMessageSuite is OpenMessage for a reader that holds a suite (§7.4
// step 2): kdf / aead other than 0 must equal the header's ids
// (ERR_INVALID_ARGUMENT otherwise).
func OpenMessageSuite(seed, sealed, info, aad []byte, kdfID, aeadID uint16) ([]byte, error) {
	if len(seed) != SeedSize {
		return nil, lengthErr("X-Wing private key (seed)", SeedSize, len(seed))
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
	if kdfID != 0 && h.KDF != kdfID {
		return nil, newErr(ErrInvalidArgument, "kdf", fmt.Sprintf("0x%04x", kdfID), fmt.Sprintf("0x%04x", h.KDF))
	}
	if aeadID != 0 && h.AEAD != aeadID {
		return nil, newErr(ErrInvalidArgument, "aead", fmt.Sprintf("0x%04x", aeadID), fmt.Sprintf("0x%04x", h.AEAD))
	}
	sk, err := hpke.MLKEM768X25519().NewPrivateKey(seed)
	if err != nil {
		return nil, newErr(errInternalUnexpectedGo, "private key", "accepted by crypto/hpke", err.Error())
	}
	myID, err := sealedKeyID(sk.PublicKey().Bytes())
	if err != nil {
		return nil, err
	}
	if string(myID) != string(h.KeyID) {
		return nil, newErr(ErrInvalidArgument, "keyId", hex.EncodeToString(myID), hex.EncodeToString(h.KeyID))
	}
	// 3. enc and SetupBaseR
	rest := sealed[SealedHeaderSize:]
	if len(rest) < sealedEncSize {
		return nil, newErr(ErrTruncated, "enc", fmt.Sprintf("%d bytes", sealedEncSize), fmt.Sprintf("%d bytes", len(rest)))
	}
	enc := rest[:sealedEncSize]
	rest = rest[sealedEncSize:]
	kdf, _ := hpkeKDF(h.KDF)
	aead, _ := hpkeAEAD(h.AEAD)
	ctx, err := hpke.NewRecipient(enc, sk, kdf, aead, sealedInfo(sealed[:SealedHeaderSize], info))
	if err != nil {
		// With a 1120-byte enc the ML-KEM part cannot fail (implicit
		// rejection); what remains is a low-order X25519 key.
		return nil, newErr(ErrInvalidGroupElement, "enc (traditional part)", "a non-low-order X25519 key", "low-order")
	}
	// 4. non-final chunks: a full S-byte chunk with at least one more byte after it
	s := 1<<h.ChunkSizeExponent + sealedTagSize
	var out []byte
	i := 0
	for len(rest) > s {
		p, err := ctx.Open(sealedAAD(sealedFlagNonFinal, aad), rest[:s])
		if err != nil {
			return nil, newErr(ErrAuthentication, fmt.Sprintf("chunk %d", i), "", "")
		}
		out = append(out, p...)
		rest = rest[s:]
		i++
	}
	// 5. final chunk
	if len(rest) < sealedTagSize {
		return nil, newErr(ErrTruncated, "final chunk", fmt.Sprintf(">= %d bytes", sealedTagSize), fmt.Sprintf("%d bytes", len(rest)))
	}
	p, err := ctx.Open(sealedAAD(sealedFlagFinal, aad), rest)
	if err != nil {
		return nil, newErr(ErrAuthentication, fmt.Sprintf("chunk %d (final)", i), "", "")
	}
	if len(p) == 0 && i > 0 {
		return nil, newErr(ErrInvalidArgument, "final chunk", "non-empty after a full chunk", "empty")
	}
	out = append(out, p...)
	if out == nil {
		out = []byte{}
	}
	return out, nil
}
