package hybridkem

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
)

// The single-algorithm suites of WIRE-FORMAT.md §1.4 against published
// vectors: draft-ietf-hpke-pq's (kem_id 0x0041, 0x0042, 0x0020; skRm is the
// private key, ikmE the encapsulation randomness) and Wycheproof's ML-KEM
// and X25519 files.

func TestSingleSuiteSizes(t *testing.T) {
	// §1's table, written out: pk, sk, ct, randomness.
	want := map[string][4]int{
		"ML-KEM-768":               {1184, 64, 1088, 32},
		"ML-KEM-1024":              {1568, 64, 1568, 32},
		"DHKEM-X25519-HKDF-SHA256": {32, 32, 32, 32},
	}
	for name, w := range want {
		s := SuiteByName(name)
		if s == nil {
			t.Fatalf("no suite %s", name)
		}
		got := [4]int{s.PublicKeySize(), s.PrivateKeySize(), s.CiphertextSize(), s.RandomnessSize()}
		if got != w {
			t.Errorf("%s: sizes %v, want %v", name, got, w)
		}
	}
	for id, name := range map[uint16]string{0x0041: "ML-KEM-768", 0x0042: "ML-KEM-1024", 0x0020: "DHKEM-X25519-HKDF-SHA256"} {
		if s := SuiteByID(id); s == nil || s.Name != name {
			t.Errorf("SuiteByID(0x%04x) is not %s", id, name)
		}
	}
}

func TestSharedHPKEPQSingleSuites(t *testing.T) {
	var all []struct {
		KemID        int    `json:"kem_id"`
		IkmE         string `json:"ikmE"`
		SkRm         string `json:"skRm"`
		PkRm         string `json:"pkRm"`
		Enc          string `json:"enc"`
		SharedSecret string `json:"shared_secret"`
	}
	readJSON(t, filepath.Join(sharedVectorsDir, "hpke-pq", "test-vectors.json"), &all)
	seen := map[int]int{}
	for i, v := range all {
		s := SuiteByID(uint16(v.KemID))
		if s == nil || s.kind == hybridKind {
			continue
		}
		seen[v.KemID]++
		checkKEM(t, s, fmt.Sprintf("hpke-pq #%d (%s)", i, s.Name), kemCase{
			seed: unhex(t, "skRm", v.SkRm), randomness: unhex(t, "ikmE", v.IkmE),
			pk: unhex(t, "pkRm", v.PkRm), ct: unhex(t, "enc", v.Enc), ss: unhex(t, "shared_secret", v.SharedSecret),
		})
	}
	for _, id := range []int{0x0041, 0x0042, 0x0020} {
		if seen[id] == 0 {
			t.Errorf("hpke-pq: no vector of kem 0x%04x", id)
		}
	}
	t.Logf("hpke-pq: %v vectors checked (by kem id)", seen)
}

type wycheproofFile[T any] struct {
	TestGroups []struct {
		Tests []T `json:"tests"`
	} `json:"testGroups"`
}

func wycheproofCases[T any](t *testing.T, file string) []T {
	var f wycheproofFile[T]
	readJSON(t, filepath.Join(sharedVectorsDir, "wycheproof", file), &f)
	var out []T
	for _, g := range f.TestGroups {
		out = append(out, g.Tests...)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no cases", file)
	}
	return out
}

func TestWycheproofMLKEMSuites(t *testing.T) {
	for _, s := range []*Suite{suiteMLKEM768, suiteMLKEM1024} {
		n := map[int]string{mlkem768.ekSize: "768", mlkem1024.ekSize: "1024"}[s.pq.ekSize]
		t.Run(s.Name, func(t *testing.T) {
			type keygen struct {
				TcID int    `json:"tcId"`
				Seed string `json:"seed"`
				Ek   string `json:"ek"`
			}
			for _, c := range wycheproofCases[keygen](t, "mlkem_"+n+"_keygen_seed_test.json") {
				pk, err := s.DeriveKeyPair(unhex(t, "seed", c.Seed))
				if err != nil || !bytes.Equal(pk, unhex(t, "ek", c.Ek)) {
					t.Errorf("keygen tcId %d: wrong ek (err %v)", c.TcID, err)
				}
			}
			type encaps struct {
				TcID   int    `json:"tcId"`
				M      string `json:"m"`
				Ek     string `json:"ek"`
				C      string `json:"c"`
				K      string `json:"K"`
				Result string `json:"result"`
			}
			for _, c := range wycheproofCases[encaps](t, "mlkem_"+n+"_encaps_test.json") {
				ek := unhex(t, "ek", c.Ek)
				ct, ss, err := s.Encapsulate(ek, unhex(t, "m", c.M))
				name := "encaps tcId " + strconv.Itoa(c.TcID)
				if c.Result == "valid" {
					if err != nil || !bytes.Equal(ct, unhex(t, "c", c.C)) || !bytes.Equal(ss, unhex(t, "K", c.K)) {
						t.Errorf("%s: wrong result (err %v)", name, err)
					}
					continue
				}
				if len(ek) == s.PublicKeySize() {
					wantCode(t, name, err, ErrInvalidMLKEMKey)
				} else if err == nil || (CodeOf(err) != ErrTruncated && CodeOf(err) != ErrTrailingData) {
					t.Errorf("%s: %d-byte key: want a length error, got %v", name, len(ek), err)
				}
			}
			type decaps struct {
				TcID   int    `json:"tcId"`
				Seed   string `json:"seed"`
				Ek     string `json:"ek"`
				C      string `json:"c"`
				K      string `json:"K"`
				Result string `json:"result"`
			}
			for _, c := range wycheproofCases[decaps](t, "mlkem_"+n+"_test.json") {
				seed, ct := unhex(t, "seed", c.Seed), unhex(t, "c", c.C)
				ss, err := s.Decapsulate(seed, ct)
				name := "decaps tcId " + strconv.Itoa(c.TcID)
				if c.Result == "valid" {
					if err != nil || !bytes.Equal(ss, unhex(t, "K", c.K)) {
						t.Errorf("%s: wrong K (err %v)", name, err)
					}
					continue
				}
				// Wycheproof's invalid decapsulations have a seed or ciphertext of the wrong length.
				if err == nil || (CodeOf(err) != ErrTruncated && CodeOf(err) != ErrTrailingData) {
					t.Errorf("%s: want a length error, got %v", name, err)
				}
			}
		})
	}
}

// TestWycheproofDHKEMLowOrder: every X25519 public value whose DH is all
// zero is refused as pkR (Encap) and as enc (Decap), RFC 9180 §7.1.4.
func TestWycheproofDHKEMLowOrder(t *testing.T) {
	type xdh struct {
		TcID   int    `json:"tcId"`
		Public string `json:"public"`
		Shared string `json:"shared"`
	}
	s := suiteDHKEMX25519
	f := newFixture(t, s, 0)
	rnd := VectorInput(s, 0, "randomness")
	zero := 0
	for _, c := range wycheproofCases[xdh](t, "x25519_test.json") {
		pub := unhex(t, "public", c.Public)
		name := "tcId " + strconv.Itoa(c.TcID)
		if !bytes.Equal(unhex(t, "shared", c.Shared), make([]byte, 32)) {
			if _, _, err := s.Encapsulate(pub, rnd); err != nil {
				t.Errorf("%s: non-zero DH refused: %v", name, err)
			}
			continue
		}
		zero++
		_, _, err := s.Encapsulate(pub, rnd)
		wantCode(t, name+" Encap", err, ErrInvalidGroupElement)
		_, err = s.Decapsulate(f.seed, pub)
		wantCode(t, name+" Decap", err, ErrInvalidGroupElement)
	}
	if zero < 10 {
		t.Errorf("only %d low-order cases", zero)
	}
}

func TestSingleSuiteInputChecks(t *testing.T) {
	for _, s := range []*Suite{suiteMLKEM768, suiteMLKEM1024, suiteDHKEMX25519} {
		f := newFixture(t, s, 0)
		rnd := VectorInput(s, 0, "randomness")
		if s.kind == mlkemKind {
			bad := append([]byte(nil), f.pk...)
			bad[0], bad[1] = 0xff, 0x0f
			_, _, err := s.Encapsulate(bad, rnd)
			wantCode(t, s.Name+" modulus", err, ErrInvalidMLKEMKey)
		} else {
			_, _, err := s.Encapsulate(mustHex(lowOrderX25519[2]), rnd)
			wantCode(t, s.Name+" low-order pkR", err, ErrInvalidGroupElement)
			_, err = s.Decapsulate(f.seed, mustHex(lowOrderX25519[0]))
			wantCode(t, s.Name+" low-order enc", err, ErrInvalidGroupElement)
		}
		_, _, err := s.Encapsulate(f.pk[1:], rnd)
		wantCode(t, s.Name+" short public key", err, ErrTruncated)
		_, _, err = s.Encapsulate(f.pk, append(rnd, 0))
		wantCode(t, s.Name+" long randomness", err, ErrTrailingData)
		_, err = s.Decapsulate(f.seed[1:], f.ct)
		wantCode(t, s.Name+" short seed", err, ErrTruncated)
		_, err = s.Decapsulate(append(f.seed, 0), f.ct)
		wantCode(t, s.Name+" long seed", err, ErrTrailingData)
		_, err = s.Decapsulate(f.seed, append(f.ct, 0))
		wantCode(t, s.Name+" long ciphertext", err, ErrTrailingData)
		if _, err := s.ExpandSeed(f.seed); err == nil {
			t.Errorf("%s: ExpandSeed accepted a §1.4 suite", s.Name)
		}
	}
}
