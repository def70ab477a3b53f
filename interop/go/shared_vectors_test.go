package hybridkem

import (
	"path/filepath"
	"strconv"
	"testing"
)

// Tests against the published vectors in shared/vectors (copied unchanged
// from their sources, see shared/vectors/README.md). They check this Go
// implementation itself, independently of the project's own vectors.

// kemCase is one known-answer test in the fields common to all sources.
type kemCase struct {
	seed, randomness, pk, ct, ss []byte
}

// checkKEM reproduces pk, ct and ss from seed and randomness and checks that
// decapsulation gives ss.
func checkKEM(t *testing.T, s *Suite, name string, c kemCase) {
	t.Helper()
	pk, err := s.DeriveKeyPair(c.seed)
	if err != nil {
		t.Errorf("%s: DeriveKeyPair: %v", name, err)
		return
	}
	checkPublic(t, name+" public key", pk, c.pk)
	ct, ss, err := s.Encapsulate(c.pk, c.randomness)
	if err != nil {
		t.Errorf("%s: Encapsulate: %v", name, err)
		return
	}
	checkPublic(t, name+" ciphertext", ct, c.ct)
	checkSecret(t, name+" shared secret (encapsulate)", ss, c.ss)
	ss2, err := s.Decapsulate(c.seed, c.ct)
	if err != nil {
		t.Errorf("%s: Decapsulate: %v", name, err)
		return
	}
	checkSecret(t, name+" shared secret (decapsulate)", ss2, c.ss)
}

type seedVector struct {
	Seed       string `json:"seed"`
	Eseed      string `json:"eseed"`      // X-Wing
	Randomness string `json:"randomness"` // KitchenSink
	SK         string `json:"sk"`
	PK         string `json:"pk"`
	CT         string `json:"ct"`
	SS         string `json:"ss"`
}

func runSeedVectors(t *testing.T, s *Suite, file string) {
	var vs []seedVector
	readJSON(t, filepath.Join(sharedVectorsDir, file), &vs)
	if len(vs) == 0 {
		t.Fatalf("%s: no vectors", file)
	}
	for i, v := range vs {
		name := file + "#" + strconv.Itoa(i)
		r := v.Randomness
		if r == "" {
			r = v.Eseed
		}
		c := kemCase{
			seed: unhex(t, "seed", v.Seed), randomness: unhex(t, "randomness", r),
			pk: unhex(t, "pk", v.PK), ct: unhex(t, "ct", v.CT), ss: unhex(t, "ss", v.SS),
		}
		// The private key of these suites is the 32-byte seed itself.
		checkSecret(t, name+" sk == seed", unhex(t, "sk", v.SK), c.seed)
		checkKEM(t, s, name, c)
	}
	t.Logf("%s: %d vectors checked against %s", file, len(vs), s.Name)
}

func TestSharedXWing(t *testing.T) {
	runSeedVectors(t, suiteXWing, filepath.Join("xwing", "test-vectors.json"))
}

func TestSharedKitchenSinkMLKEM768X25519(t *testing.T) {
	runSeedVectors(t, suiteX25519MLKEM768, filepath.Join("hybrid-kems", "kitchensink-mlkem768-x25519-hkdf-sha256.json"))
}

type concreteVector struct {
	Seed               string `json:"seed"`
	Randomness         string `json:"randomness"`
	EncapsulationKey   string `json:"encapsulation_key"`
	DecapsulationKey   string `json:"decapsulation_key"`
	DecapsulationKeyPQ string `json:"decapsulation_key_pq"`
	DecapsulationKeyT  string `json:"decapsulation_key_t"`
	Ciphertext         string `json:"ciphertext"`
	SharedSecret       string `json:"shared_secret"`
}

func TestSharedConcreteHybridKEMs(t *testing.T) {
	file := filepath.Join("concrete-hybrid-kems", "test-vectors.json")
	var all map[string][]concreteVector
	readJSON(t, filepath.Join(sharedVectorsDir, file), &all)
	suites := map[string]*Suite{
		"mlkem768_p256":   suiteMLKEM768P256,
		"mlkem768_x25519": suiteXWing, // identical to X-Wing (§1 table)
		"mlkem1024_p384":  suiteMLKEM1024P384,
	}
	for key, s := range suites {
		t.Run(key, func(t *testing.T) {
			vs := all[key]
			if len(vs) == 0 {
				t.Fatalf("%s: no vectors under %q", file, key)
			}
			for i, v := range vs {
				name := key + "#" + strconv.Itoa(i)
				seed := unhex(t, "seed", v.Seed)
				checkSecret(t, name+" decapsulation_key == seed", unhex(t, "decapsulation_key", v.DecapsulationKey), seed)
				kp, err := s.expand(seed)
				if err != nil {
					t.Fatalf("%s: expand: %v", name, err)
				}
				ex, _ := s.ExpandSeed(seed)
				checkSecret(t, name+" decapsulation_key_pq (d ‖ z)", ex[:mlkemSeedSize], unhex(t, "decapsulation_key_pq", v.DecapsulationKeyPQ))
				checkSecret(t, name+" decapsulation_key_t (scalar)", kp.skT.Bytes(), unhex(t, "decapsulation_key_t", v.DecapsulationKeyT))
				checkKEM(t, s, name, kemCase{
					seed: seed, randomness: unhex(t, "randomness", v.Randomness),
					pk: unhex(t, "encapsulation_key", v.EncapsulationKey),
					ct: unhex(t, "ciphertext", v.Ciphertext), ss: unhex(t, "shared_secret", v.SharedSecret),
				})
			}
			t.Logf("%s[%s]: %d vectors checked against %s", file, key, len(vs), s.Name)
		})
	}
}
