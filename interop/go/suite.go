package hybridkem

import (
	"crypto/sha256"
	"crypto/sha512"
	"hash"
)

type combinerKind int

// suiteKind says which of WIRE-FORMAT.md §1's constructions a suite is.
type suiteKind int

const (
	// hybridKind: ML-KEM + a group under a combiner (§1.1, §1.2).
	hybridKind suiteKind = iota
	// mlkemKind: ML-KEM alone, private key d ‖ z, randomness m (§1.4).
	mlkemKind
	// dhkemKind: DHKEM(X25519, HKDF-SHA256) of RFC 9180 (§1.4).
	dhkemKind
)

const (
	// kitchenSink is the HKDF combiner of WIRE-FORMAT.md §1.2.
	kitchenSink combinerKind = iota
	// cg is the SHA3-256 combiner of WIRE-FORMAT.md §1.2 (X-Wing / CG).
	cg
)

// Suite is one row of WIRE-FORMAT.md §1.
type Suite struct {
	Name         string
	ID           uint16
	Construction string

	kind     suiteKind
	pq       mlkemParams
	group    *ecGroup
	combiner combinerKind
	// label is the combiner label (§1.2): the ASCII construction name for
	// KitchenSink, the 6-byte ASCII-art label for CG.
	label []byte
	// kdfHash is the HKDF hash for KitchenSink (nil for CG).
	kdfHash func() hash.Hash
}

// Sizes of the raw objects (WIRE-FORMAT.md §1 table).
const (
	SeedSize         = 32
	SharedSecretSize = 32
	mlkemSeedSize    = 64 // d ‖ z, FIPS 203 KeyGen_internal
	mlkemMsgSize     = 32 // m, FIPS 203 Encaps_internal
)

// partsSize is the size of an object made of an ML-KEM part followed by a
// traditional (group) part, §1.1; a §1.4 suite has only one of the two parts.
// The parts are functions because the missing half's params are unset.
func (s *Suite) partsSize(mlkemPart, groupPart func() int) int {
	switch s.kind {
	case mlkemKind:
		return mlkemPart()
	case dhkemKind:
		return groupPart()
	}
	return mlkemPart() + groupPart()
}

// PublicKeySize is len(ML-KEM ek ‖ traditional public key); ek alone or the
// X25519 public key for the §1.4 suites.
func (s *Suite) PublicKeySize() int {
	return s.partsSize(func() int { return s.pq.ekSize }, func() int { return s.group.elementSize })
}

// PrivateKeySize is the 32-byte seed; 64 bytes (d ‖ z) for ML-KEM alone (§1.4).
func (s *Suite) PrivateKeySize() int {
	if s.kind == mlkemKind {
		return mlkemSeedSize
	}
	return SeedSize
}

// CiphertextSize is len(ML-KEM ct ‖ traditional ephemeral public key); the
// ML-KEM ciphertext or enc alone for the §1.4 suites.
func (s *Suite) CiphertextSize() int {
	return s.partsSize(func() int { return s.pq.ctSize }, func() int { return s.group.elementSize })
}

// RandomnessSize is len(m ‖ traditional ephemeral seed), §1.1; m alone for
// ML-KEM, ikmE (Nsk = 32 bytes) for DHKEM (§1.4).
func (s *Suite) RandomnessSize() int {
	if s.kind == dhkemKind {
		return s.group.scalarSize
	}
	return s.partsSize(func() int { return mlkemMsgSize }, func() int { return s.group.ephSeedSize })
}

// ExpandedSeedSize is 64 + Nseed_T, §1.1; 0 for the §1.4 suites, which use
// the seed as it is.
func (s *Suite) ExpandedSeedSize() int {
	if s.kind != hybridKind {
		return 0
	}
	return mlkemSeedSize + s.group.seedSize
}

// kitchenSinkSuite is a §1.2 KitchenSink suite: its combiner label is its
// construction name.
func kitchenSinkSuite(name string, id uint16, construction string, pq mlkemParams, kdfHash func() hash.Hash) *Suite {
	return &Suite{Name: name, ID: id, Construction: construction, pq: pq, group: groupX25519,
		combiner: kitchenSink, label: []byte(construction), kdfHash: kdfHash}
}

// cgSuite is a §1.2 CG (SHA3-256) suite with the given combiner label.
func cgSuite(name string, id uint16, construction string, pq mlkemParams, group *ecGroup, label string) *Suite {
	return &Suite{Name: name, ID: id, Construction: construction, pq: pq, group: group,
		combiner: cg, label: []byte(label)}
}

// mlkemSuite is ML-KEM alone (FIPS 203), §1.4: its construction is its name.
func mlkemSuite(name string, id uint16, pq mlkemParams) *Suite {
	return &Suite{Name: name, ID: id, Construction: name, kind: mlkemKind, pq: pq}
}

var (
	suiteX25519MLKEM768 = kitchenSinkSuite("X25519-MLKEM768", 0xff01,
		"KitchenSink-KEM(ML-KEM-768,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-256)", mlkem768, sha256.New)
	suiteX25519MLKEM1024 = kitchenSinkSuite("X25519-MLKEM1024", 0xff02,
		"KitchenSink-KEM(ML-KEM-1024,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-512)", mlkem1024, sha512.New)
	suiteXWing = cgSuite("X-Wing", 0x647a,
		"X-Wing, draft-connolly-cfrg-xwing-kem-10 (= MLKEM768-X25519 of draft-irtf-cfrg-concrete-hybrid-kems)",
		mlkem768, groupX25519, `\.//^\`) // 5c2e2f2f5e5c, §1.2
	// 0xff03 and 0xff04 are ours, not HPKE 0x0050 / 0x0051 (§1).
	suiteMLKEM768P256 = cgSuite("MLKEM768-P256", 0xff03,
		"draft-irtf-cfrg-concrete-hybrid-kems, CG framework", mlkem768, groupP256, `|-()-|`) // 7c2d28292d7c, §1.2
	suiteMLKEM1024P384 = cgSuite("MLKEM1024-P384", 0xff04,
		"draft-irtf-cfrg-concrete-hybrid-kems, CG framework", mlkem1024, groupP384, ` | /-\`) // 207c202f2d5c, §1.2
	// HPKE KEM ids of draft-ietf-hpke-pq-04; the label is the KEM's name there.
	suiteHPKEMLKEM768P256 = cgSuite("HPKE-MLKEM768-P256", 0x0050,
		"MLKEM768-P256 of draft-ietf-hpke-pq-04", mlkem768, groupP256HPKE, "MLKEM768-P256")
	suiteHPKEMLKEM1024P384 = cgSuite("HPKE-MLKEM1024-P384", 0x0051,
		"MLKEM1024-P384 of draft-ietf-hpke-pq-04", mlkem1024, groupP384HPKE, "MLKEM1024-P384")
	// HPKE KEM ids of draft-ietf-hpke-pq-04.
	suiteMLKEM768    = mlkemSuite("ML-KEM-768", 0x0041, mlkem768)
	suiteMLKEM1024   = mlkemSuite("ML-KEM-1024", 0x0042, mlkem1024)
	suiteDHKEMX25519 = &Suite{
		Name:         "DHKEM-X25519-HKDF-SHA256",
		ID:           0x0020,                       // HPKE KEM id, RFC 9180 §7.1
		Construction: "DHKEM(X25519, HKDF-SHA256)", // RFC 9180 §4.1
		kind:         dhkemKind,
		group:        groupX25519,
	}
)

// Suites lists the suites in the order of WIRE-FORMAT.md §1.
func Suites() []*Suite {
	return append(hybridSuites(), suiteMLKEM768, suiteMLKEM1024, suiteDHKEMX25519)
}

// hybridSuites lists the hybrid suites of §1.1 in §1's order.
func hybridSuites() []*Suite {
	return []*Suite{suiteX25519MLKEM768, suiteX25519MLKEM1024, suiteXWing, suiteMLKEM768P256, suiteMLKEM1024P384, suiteHPKEMLKEM768P256, suiteHPKEMLKEM1024P384}
}

// SuiteByName returns the suite with the given §1 name, or nil.
func SuiteByName(name string) *Suite {
	for _, s := range Suites() {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// SuiteByID returns the suite with the given §1 id, or nil.
func SuiteByID(id uint16) *Suite {
	for _, s := range Suites() {
		if s.ID == id {
			return s
		}
	}
	return nil
}
