package hybridkem

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// Kind is the kind byte of the wire header (WIRE-FORMAT.md §2).
type Kind byte

// Kinds of wire objects. KindAny is not on the wire: passed to Decode it
// accepts any of the three defined kinds.
const (
	KindAny        Kind = 0x00
	KindPublicKey  Kind = 0x01
	KindPrivateKey Kind = 0x02
	KindCiphertext Kind = 0x03
	// kindSealed (0x04) is a sealed message (§7): a defined kind, but not a
	// KEM object, so this KEM decoder answers ERR_WRONG_KIND for it.
	kindSealed Kind = 0x04
)

// lastDefinedKind is the highest kind byte §2 defines: 0x04-0x09 are sealed
// messages, composite-signature objects and encrypted private keys (§6-§8,
// §10), 0x0a-0x0c the mesh key envelope, directory record and PSK exchange
// message (spec/MESH.md). The bytes 0x01 to lastDefinedKind are all defined.
const lastDefinedKind = 0x0c

// isDefinedKind tells a kind of another family (ERR_WRONG_KIND for a decoder
// of one family) from a byte §2 does not define (ERR_UNKNOWN_KIND).
func isDefinedKind(b byte) bool { return b >= 0x01 && b <= lastDefinedKind }

// Version is the only wire version (§2).
const Version = 0x01

const headerSize = 4 // version, kind, suite id (big-endian), §2

func (k Kind) String() string {
	switch k {
	case KindPublicKey:
		return "public key"
	case KindPrivateKey:
		return "private key"
	case KindCiphertext:
		return "ciphertext"
	case kindSealed:
		return "sealed message"
	case KindAny:
		return "any"
	}
	return fmt.Sprintf("0x%02x", byte(k))
}

// Object is a decoded wire object: its suite, kind and raw body (§1 bytes).
type Object struct {
	Suite *Suite
	Kind  Kind
	Body  []byte
}

// bodySize is the exact body length of kind k for suite s (§2).
func (s *Suite) bodySize(k Kind) int {
	switch k {
	case KindPublicKey:
		return s.PublicKeySize()
	case KindPrivateKey:
		return s.PrivateKeySize()
	case KindCiphertext:
		return s.CiphertextSize()
	}
	return -1
}

// Encode writes the wire v1 object version ‖ kind ‖ suite id ‖ body (§2).
func Encode(s *Suite, k Kind, body []byte) ([]byte, error) {
	n := s.bodySize(k)
	if n < 0 {
		return nil, newErr(errInvalidArgumentGo, "kind", "public key, private key or ciphertext", k.String())
	}
	if len(body) != n {
		return nil, lengthErr(k.String()+" body", n, len(body))
	}
	out := make([]byte, 0, headerSize+n)
	out = append(out, Version, byte(k))
	out = binary.BigEndian.AppendUint16(out, s.ID)
	return append(out, body...), nil
}

// Bytes re-encodes the object.
func (o *Object) Bytes() ([]byte, error) { return Encode(o.Suite, o.Kind, o.Body) }

// Decode parses a wire v1 object strictly, with the checks and error codes
// of §2 in the order given there. want is the kind the caller expects, or
// KindAny.
func Decode(b []byte, want Kind) (*Object, error) {
	if want != KindAny && want != KindPublicKey && want != KindPrivateKey && want != KindCiphertext {
		return nil, newErr(errInvalidArgumentGo, "requested kind", "public key, private key, ciphertext or any", want.String())
	}
	// 1. header length
	if len(b) < headerSize {
		return nil, newErr(ErrTruncated, "header", fmt.Sprintf(">= %d bytes", headerSize), fmt.Sprintf("%d bytes", len(b)))
	}
	// 2. version
	if b[0] != Version {
		return nil, newErr(ErrUnsupportedVersion, "version", "1", fmt.Sprint(b[0]))
	}
	// 3. kind
	kind := Kind(b[1])
	switch kind {
	case KindPublicKey, KindPrivateKey, KindCiphertext:
	default:
		if isDefinedKind(b[1]) {
			// Sealed messages and encrypted private keys (§7, §8, §10), composite-signature
			// objects (§6), mesh objects: defined kinds, but not KEM objects.
			return nil, newErr(ErrWrongKind, "kind", "a KEM object (1, 2 or 3)", fmt.Sprint(b[1]))
		}
		return nil, newErr(ErrUnknownKind, "kind", "1, 2 or 3", fmt.Sprint(b[1]))
	}
	if want != KindAny && kind != want {
		return nil, newErr(ErrWrongKind, "kind", fmt.Sprintf("%d (%s)", want, want), fmt.Sprintf("%d (%s)", kind, kind))
	}
	// 4. suite id
	id := binary.BigEndian.Uint16(b[2:4])
	s := SuiteByID(id)
	if s == nil {
		return nil, newErr(ErrUnknownSuite, "suite id", knownSuiteIDs(), fmt.Sprintf("0x%04x", id))
	}
	// 5. body length
	body := b[headerSize:]
	if n := s.bodySize(kind); len(body) != n {
		return nil, lengthErr(s.Name+" "+kind.String()+" body", n, len(body))
	}
	// 6. contents
	if err := s.validateBody(kind, body); err != nil {
		return nil, err
	}
	return &Object{Suite: s, Kind: kind, Body: append([]byte(nil), body...)}, nil
}

// validateBody is step 6 of §2: public keys get the ML-KEM modulus check
// (ERR_INVALID_MLKEM_KEY) and then the traditional key check
// (ERR_INVALID_GROUP_ELEMENT); ciphertexts get the check of the ephemeral
// traditional key. Private keys (seeds) need none.
func (s *Suite) validateBody(kind Kind, body []byte) error {
	switch s.kind {
	case mlkemKind: // §1.4: the modulus check on ek; nothing to check in a ciphertext
		if kind == KindPublicKey {
			return s.pq.checkEncapsulationKey(body)
		}
		return nil
	case dhkemKind: // §1.4: pkR and enc are X25519 values, not low-order
		switch kind {
		case KindPublicKey:
			_, err := s.group.parseElement("public key", body)
			return err
		case KindCiphertext:
			_, err := s.group.parseElement("ciphertext (enc)", body)
			return err
		}
		return nil
	}
	switch kind {
	case KindPublicKey:
		if err := s.pq.checkEncapsulationKey(body[:s.pq.ekSize]); err != nil {
			return err
		}
		_, err := s.group.parseElement("public key (traditional part)", body[s.pq.ekSize:])
		return err
	case KindCiphertext:
		_, err := s.group.parseElement("ciphertext (traditional part)", body[s.pq.ctSize:])
		return err
	}
	return nil
}

func knownSuiteIDs() string {
	ids := make([]string, 0, 5)
	for _, s := range Suites() {
		ids = append(ids, fmt.Sprintf("0x%04x", s.ID))
	}
	return "one of " + strings.Join(ids, ", ")
}
