package hybridkem

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/hpke"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// Multi-recipient sealed messages, WIRE-FORMAT.md §10, written from the spec
// text only: a random file key, one HPKE SealBase of it per recipient
// (crypto/hpke for the registered KEMs, hpke_schedule.go for ours, as
// sealed.go), HMAC-SHA-256 over the header with a key from HKDF-SHA-256 of the
// file key, and the §7 chunks under a payload key from HKDF-SHA-256.

const (
	kindMultiSealed     Kind = 0x09
	multiFixedSize           = 25
	multiMaxRecipients       = 64
	multiMaxTrials           = 64
	multiFlagHideKeyIDs      = 0x01
	multiFileKeySize         = 32
	multiSaltSize            = 16
	multiWrappedSize         = multiFileKeySize + sealedTagSize
	multiMACSize             = 32
	multiInfoLabel           = "hybridkem/v1/multi-recipient"
	multiHeaderLabel         = "hybridkem/v1/multi-recipient header"
	multiPayloadLabel        = "hybridkem/v1/multi-recipient payload"
	multiMaxChunks           = 1 << 32
)

// MultiRecipient is a recipient of SealMulti: a §7.1 KEM id and the raw public key.
type MultiRecipient struct {
	KEM       uint16
	PublicKey []byte
}

// MultiIdentity is a key OpenMulti may use: a §7.1 KEM id and the 32-byte seed.
type MultiIdentity struct {
	KEM  uint16
	Seed []byte
}

// MultiStanza is one parsed stanza of §10.1.
type MultiStanza struct {
	KEM          uint16
	KeyID        []byte // nil when the ids are hidden
	Enc, Wrapped []byte
}

// MultiHeader is the parsed HEADER of §10.1.
type MultiHeader struct {
	KDF, AEAD         uint16
	ChunkSizeExponent int
	Hidden            bool
	Stanzas           []MultiStanza
	Fixed             []byte // the 25 bytes of FIXED
	Length            int    // len(HEADER), MAC included
}

// ParseMultiHeader reads HEADER (§10.3 steps 1 and 3): every field checked
// as soon as its bytes are there, the count before any stanza, each stanza's
// suite id before the rest of it.
func ParseMultiHeader(b []byte) (*MultiHeader, error) {
	if len(b) >= 1 && b[0] != Version {
		return nil, newErr(ErrUnsupportedVersion, "version", "1", fmt.Sprint(b[0]))
	}
	if len(b) >= 2 && b[1] != byte(kindMultiSealed) {
		if isDefinedKind(b[1]) {
			return nil, newErr(ErrWrongKind, "kind", "9 (multi-recipient sealed message)", fmt.Sprint(b[1]))
		}
		return nil, newErr(ErrUnknownKind, "kind", "9 (multi-recipient sealed message)", fmt.Sprint(b[1]))
	}
	if err := checkHeaderAlgorithms(b, 2, 6); err != nil {
		return nil, err
	}
	if len(b) >= 8 && b[7]&^multiFlagHideKeyIDs != 0 {
		return nil, newErr(ErrInvalidArgument, "flags", "0 or 1", fmt.Sprint(b[7]))
	}
	if len(b) >= 9 && (b[8] < 1 || b[8] > multiMaxRecipients) {
		return nil, newErr(ErrInvalidArgument, "recipientCount", "1..64", fmt.Sprint(b[8]))
	}
	if len(b) < multiFixedSize {
		return nil, newErr(ErrTruncated, "FIXED", "25 bytes", fmt.Sprintf("%d bytes", len(b)))
	}
	h := &MultiHeader{
		KDF:               binary.BigEndian.Uint16(b[2:4]),
		AEAD:              binary.BigEndian.Uint16(b[4:6]),
		ChunkSizeExponent: int(b[6]),
		Hidden:            b[7]&multiFlagHideKeyIDs != 0,
		Fixed:             b[:multiFixedSize],
	}
	at := multiFixedSize
	for i := 0; i < int(b[8]); i++ {
		if len(b) < at+2 {
			return nil, newErr(ErrTruncated, fmt.Sprintf("stanza %d suite id", i), "2 bytes", fmt.Sprintf("%d bytes", len(b)-at))
		}
		id := binary.BigEndian.Uint16(b[at : at+2])
		kem, ok := sealedKEMByID(id)
		if !ok {
			return nil, newErr(ErrUnknownSuite, fmt.Sprintf("stanza %d suite id", i), sealedKEMIDs, fmt.Sprintf("0x%04x", id))
		}
		idSize := 16
		if h.Hidden {
			idSize = 0
		}
		size := 2 + idSize + kem.encSize + multiWrappedSize
		if len(b) < at+size {
			return nil, newErr(ErrTruncated, fmt.Sprintf("stanza %d", i), fmt.Sprintf("%d bytes", size), fmt.Sprintf("%d bytes", len(b)-at))
		}
		st := MultiStanza{KEM: id}
		p := at + 2
		if !h.Hidden {
			st.KeyID = b[p : p+16]
			p += 16
		}
		st.Enc = b[p : p+kem.encSize]
		st.Wrapped = b[p+kem.encSize : at+size]
		h.Stanzas = append(h.Stanzas, st)
		at += size
	}
	if len(b) < at+multiMACSize {
		return nil, newErr(ErrTruncated, "MAC", "32 bytes", fmt.Sprintf("%d bytes", len(b)-at))
	}
	h.Length = at + multiMACSize
	return h, nil
}

// multiWrapInfo is §10.2: "hybridkem/v1/multi-recipient" ‖ 0x00 ‖ FIXED ‖
// suite id ‖ key id (visible only) ‖ I2OSP(len(user_info), 4) ‖ user_info.
func multiWrapInfo(fixed []byte, kem uint16, keyID, userInfo []byte) []byte {
	out := append([]byte(multiInfoLabel), 0x00)
	out = append(out, fixed...)
	out = binary.BigEndian.AppendUint16(out, kem)
	out = append(out, keyID...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(userInfo)))
	return append(out, userInfo...)
}

// multiMAC is §10.2: HMAC-SHA-256(HKDF-SHA-256(salt = "", IKM = file key, info = header label, 32), header).
func multiMAC(fileKey, header []byte) ([]byte, error) {
	key, err := hkdf.Key(sha256.New, fileKey, nil, multiHeaderLabel, 32)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	m := hmac.New(sha256.New, key)
	m.Write(header)
	return m.Sum(nil), nil
}

// multiPayload is §10.2's payload AEAD: key ‖ base_nonce = HKDF-SHA-256(salt,
// file key, payload label, Nk + 12); chunk i uses base_nonce XOR I2OSP(i, 12).
type multiPayload struct {
	seal      func(nonce, aad, pt []byte) []byte
	open      func(nonce, aad, ct []byte) ([]byte, error)
	baseNonce []byte
	seq       uint64
}

func newMultiPayload(fileKey, salt []byte, aeadID uint16) (*multiPayload, error) {
	nk, newAEAD, ok := scheduleAEAD(aeadID)
	if !ok {
		return nil, unknownAEAD(aeadID)
	}
	okm, err := hkdf.Key(sha256.New, fileKey, salt, multiPayloadLabel, nk+hpkeNonceSize)
	if err != nil {
		return nil, err
	}
	defer clear(okm)
	a, err := newAEAD(okm[:nk])
	if err != nil {
		return nil, err
	}
	return &multiPayload{
		seal:      func(n, aad, pt []byte) []byte { return a.Seal(nil, n, pt, aad) },
		open:      func(n, aad, ct []byte) ([]byte, error) { return a.Open(nil, n, ct, aad) },
		baseNonce: append([]byte(nil), okm[nk:]...),
	}, nil
}

func (p *multiPayload) nonce() ([]byte, error) {
	if p.seq >= multiMaxChunks {
		return nil, newErr(ErrInvalidArgument, "chunk", "< 2^32 chunks", "2^32")
	}
	n := make([]byte, hpkeNonceSize)
	binary.BigEndian.PutUint64(n[hpkeNonceSize-8:], p.seq)
	for i := range n {
		n[i] ^= p.baseNonce[i]
	}
	p.seq++
	return n, nil
}

// SealMulti seals plaintext once to every recipient (§10; 1 to 64, any
// §7.1 KEMs), with HPKE ids kdf (KDFHKDFSHA256) and aead (AEADAES256GCM or
// AEADChaCha20Poly1305), 64 KiB chunks, key ids visible unless hide.
func SealMulti(recipients []MultiRecipient, plaintext, info, aad []byte, kdfID, aeadID uint16, hide bool) ([]byte, error) {
	return sealMultiWith(recipients, plaintext, info, aad, kdfID, aeadID, hide, false)
}

func sealMultiWith(recipients []MultiRecipient, plaintext, info, aad []byte, kdfID, aeadID uint16, hide, ownSchedule bool) ([]byte, error) {
	if len(recipients) < 1 || len(recipients) > multiMaxRecipients {
		return nil, newErr(ErrInvalidArgument, "recipients", "1..64", fmt.Sprint(len(recipients)))
	}
	kdf, aead, err := hpkeAlgorithms(kdfID, aeadID)
	if err != nil {
		return nil, err
	}
	if err := checkUserInfo(info); err != nil {
		return nil, err
	}
	var keyIDs [][]byte
	for i, r := range recipients {
		kem, ok := sealedKEMByID(r.KEM)
		if !ok {
			return nil, newErr(ErrUnknownSuite, fmt.Sprintf("recipients[%d] kem", i), sealedKEMIDs, fmt.Sprintf("0x%04x", r.KEM))
		}
		id, err := recipientKeyID(kem, fmt.Sprintf("recipients[%d] public key", i), r.PublicKey)
		if err != nil {
			return nil, err
		}
		keyIDs = append(keyIDs, id)
	}
	fileKey := make([]byte, multiFileKeySize)
	defer clear(fileKey)
	salt := make([]byte, multiSaltSize)
	if _, err := rand.Read(fileKey); err != nil {
		return nil, err
	}
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	flags := byte(0)
	if hide {
		flags = multiFlagHideKeyIDs
	}
	header := []byte{Version, byte(kindMultiSealed)}
	header = binary.BigEndian.AppendUint16(header, kdfID)
	header = binary.BigEndian.AppendUint16(header, aeadID)
	header = append(header, DefaultChunkSizeExponent, flags, byte(len(recipients)))
	header = append(header, salt...)
	fixed := append([]byte(nil), header...)
	for i, r := range recipients {
		kem, _ := sealedKEMByID(r.KEM)
		var keyID []byte
		if !hide {
			keyID = keyIDs[i]
		}
		winfo := multiWrapInfo(fixed, r.KEM, keyID, info)
		var enc []byte
		var ctx hpkeSealer
		var err error
		if scheduleFor(kem, ownSchedule) {
			enc, ctx, err = setupBaseS(kem.suite, kdfID, aeadID, r.PublicKey, winfo)
		} else {
			pk, perr := kem.hpke().NewPublicKey(r.PublicKey)
			if perr != nil {
				return nil, newErr(errInternalUnexpectedGo, "public key", "accepted by crypto/hpke", perr.Error())
			}
			enc, ctx, err = hpke.NewSender(pk, kdf, aead, winfo)
		}
		if err != nil {
			return nil, err
		}
		wrapped, err := ctx.Seal(nil, fileKey)
		if err != nil {
			return nil, err
		}
		header = binary.BigEndian.AppendUint16(header, r.KEM)
		header = append(header, keyID...)
		header = append(header, enc...)
		header = append(header, wrapped...)
	}
	mac, err := multiMAC(fileKey, header)
	if err != nil {
		return nil, err
	}
	header = append(header, mac...)
	payload, err := newMultiPayload(fileKey, salt, aeadID)
	if err != nil {
		return nil, err
	}
	return sealChunks(header, plaintext, DefaultChunkSizeExponent, aad, func(aad, plaintext []byte) ([]byte, error) {
		nonce, err := payload.nonce()
		if err != nil {
			return nil, err
		}
		return payload.seal(nonce, aad, plaintext), nil
	})
}

// OpenMulti opens a multi-recipient sealed message (§10.3) with the
// identities held (all for the message's KDF and AEAD, which this reader
// takes from the header when they are implemented).
func OpenMulti(identities []MultiIdentity, sealed, info, aad []byte) ([]byte, error) {
	return openMultiWith(identities, sealed, info, aad, false)
}

func openMultiWith(identities []MultiIdentity, sealed, info, aad []byte, ownSchedule bool) ([]byte, error) {
	if len(identities) == 0 {
		return nil, newErr(ErrInvalidArgument, "identities", "at least one", "none")
	}
	if err := checkUserInfo(info); err != nil {
		return nil, err
	}
	// 1 and 3: the header.
	h, err := ParseMultiHeader(sealed)
	if err != nil {
		return nil, err
	}
	// The identities' key ids (public), for matching and for the error.
	ids := make([][]byte, len(identities))
	for i, id := range identities {
		kem, ok := sealedKEMByID(id.KEM)
		if !ok {
			return nil, newErr(ErrUnknownSuite, fmt.Sprintf("identities[%d] kem", i), sealedKEMIDs, fmt.Sprintf("0x%04x", id.KEM))
		}
		if len(id.Seed) != SeedSize {
			return nil, lengthErr(fmt.Sprintf("identities[%d] seed", i), SeedSize, len(id.Seed))
		}
		pub, err := kem.suite.DeriveKeyPair(id.Seed)
		if err != nil {
			return nil, err
		}
		if ids[i], err = sealedKeyID(kem.suite, pub); err != nil {
			return nil, err
		}
	}
	// 4: candidates, bounded before any decapsulation.
	type candidate struct{ stanza, identity int }
	var cands []candidate
	for s, st := range h.Stanzas {
		for i, id := range identities {
			if id.KEM == st.KEM && (h.Hidden || string(ids[i]) == string(st.KeyID)) {
				cands = append(cands, candidate{s, i})
			}
		}
	}
	if len(cands) == 0 {
		return nil, multiNoIdentity(h, ids)
	}
	if len(cands) > multiMaxTrials {
		return nil, newErr(ErrInvalidArgument, "identities", "at most 64 trial decapsulations", fmt.Sprint(len(cands)))
	}
	// 5: the first candidate that opens gives the file key, then the MAC.
	for _, c := range cands {
		st := h.Stanzas[c.stanza]
		id := identities[c.identity]
		kem, _ := sealedKEMByID(st.KEM)
		winfo := multiWrapInfo(h.Fixed, st.KEM, st.KeyID, info)
		var ctx hpkeOpener
		var err error
		if scheduleFor(kem, ownSchedule) {
			ctx, err = setupBaseR(kem.suite, h.KDF, h.AEAD, st.Enc, id.Seed, winfo)
		} else {
			ctx, err = openWithCryptoHPKE(kem, id.Seed, st.Enc, h.KDF, h.AEAD, winfo)
		}
		if err != nil {
			continue
		}
		fileKey, err := ctx.Open(nil, st.Wrapped)
		if err != nil || len(fileKey) != multiFileKeySize {
			continue
		}
		defer clear(fileKey)
		mac, err := multiMAC(fileKey, sealed[:h.Length-multiMACSize])
		if err != nil {
			return nil, err
		}
		if subtle.ConstantTimeCompare(mac, sealed[h.Length-multiMACSize:h.Length]) != 1 {
			return nil, newErr(ErrAuthentication, "header MAC", "", "")
		}
		return openMultiPayload(fileKey, h, sealed[h.Length:], aad)
	}
	if !h.Hidden {
		return nil, newErr(ErrAuthentication, "stanza", "", "")
	}
	return nil, multiNoIdentity(h, ids)
}

func multiNoIdentity(h *MultiHeader, ids [][]byte) error {
	ours := make([]string, len(ids))
	for i, id := range ids {
		ours[i] = hex.EncodeToString(id)
	}
	if h.Hidden {
		return newErr(ErrInvalidArgument, "keyId", fmt.Sprintf("one of %d hidden recipients", len(h.Stanzas)), strings.Join(ours, ", "))
	}
	theirs := make([]string, len(h.Stanzas))
	for i, st := range h.Stanzas {
		theirs[i] = hex.EncodeToString(st.KeyID)
	}
	return newErr(ErrInvalidArgument, "keyId", strings.Join(theirs, ", "), strings.Join(ours, ", "))
}

// openMultiPayload is §10.3 step 6: the chunks of §7.4 steps 4 and 5.
func openMultiPayload(fileKey []byte, h *MultiHeader, rest, aad []byte) ([]byte, error) {
	payload, err := newMultiPayload(fileKey, h.Fixed[9:25], h.AEAD)
	if err != nil {
		return nil, err
	}
	return openChunks(rest, h.ChunkSizeExponent, aad, func(aad, ct []byte) ([]byte, bool, error) {
		nonce, err := payload.nonce()
		if err != nil {
			return nil, false, err
		}
		p, err := payload.open(nonce, aad, ct)
		return p, err == nil, nil
	})
}
