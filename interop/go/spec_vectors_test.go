package hybridkem

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Tests against the project's own vectors, spec/vectors/<suite>.json and
// spec/vectors/invalid.json (WIRE-FORMAT.md §5). Every value is recomputed
// here from the seed and randomness alone, which are themselves recomputed
// from the §5 derivation.

type specVectorFile struct {
	Suite        string       `json:"suite"`
	SuiteID      int          `json:"suiteId"`
	Construction string       `json:"construction"`
	Generator    string       `json:"generator"`
	Vectors      []specVector `json:"vectors"`
}

type specTriple struct {
	PublicKey  string `json:"publicKey"`
	PrivateKey string `json:"privateKey"`
	Ciphertext string `json:"ciphertext"`
}

type specVector struct {
	Seed         string     `json:"seed"`
	Randomness   string     `json:"randomness"`
	ExpandedSeed string     `json:"expandedSeed,omitempty"`
	PublicKey    string     `json:"publicKey"`
	Ciphertext   string     `json:"ciphertext"`
	SharedSecret string     `json:"sharedSecret"`
	Encoded      specTriple `json:"encoded"`
	Armored      specTriple `json:"armored"`
	KeyID        string     `json:"keyId"`
}

func specVectorFiles(t *testing.T, dir string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, m := range matches {
		if filepath.Base(m) != "invalid.json" {
			files = append(files, m)
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		skipOrFail(t, "no suite vector files (*.json) in "+dir+"; they are written by spec/scripts/generate-vectors.mjs")
	}
	return files
}

func TestSpecVectors(t *testing.T) { runSpecVectorDir(t, specVectorsDir) }

func runSpecVectorDir(t *testing.T, dir string) {
	files := specVectorFiles(t, dir)
	seen := map[string]bool{}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			var f specVectorFile
			readJSON(t, path, &f)
			s := SuiteByName(f.Suite)
			if s == nil {
				t.Fatalf("unknown suite %q", f.Suite)
			}
			seen[s.Name] = true
			// §5 says spec/vectors/<suite>.json; the generator writes the
			// name in lower case. Accept both spellings of the suite's name.
			if base := filepath.Base(path); base != s.Name+".json" && base != strings.ToLower(s.Name)+".json" {
				t.Errorf("file name %s does not name suite %s (§5: spec/vectors/<suite>.json)", base, s.Name)
			}
			if f.SuiteID != int(s.ID) {
				t.Errorf("suiteId %d, want %d", f.SuiteID, s.ID)
			}
			if f.Construction != s.Construction {
				t.Logf("note: construction %q differs from the Go text %q (descriptive field, not compared)", f.Construction, s.Construction)
			}
			if len(f.Vectors) == 0 {
				t.Fatal("no vectors")
			}
			for i, v := range f.Vectors {
				checkSpecVector(t, s, uint32(i), v)
			}
			t.Logf("%s: %d vectors checked", f.Suite, len(f.Vectors))
		})
	}
	for _, s := range Suites() {
		if !seen[s.Name] {
			t.Errorf("no vector file for suite %s (§5: one file per suite)", s.Name)
		}
	}
}

func checkSpecVector(t *testing.T, s *Suite, i uint32, v specVector) {
	t.Helper()
	p := s.Name + "#" + strconv.Itoa(int(i)) + " "

	// Seed and randomness come from the public §5 derivation.
	seed, rnd := VectorInput(s, i, "seed"), VectorInput(s, i, "randomness")
	checkPublic(t, p+"seed (§5 derivation)", unhex(t, "seed", v.Seed), seed)
	checkPublic(t, p+"randomness (§5 derivation)", unhex(t, "randomness", v.Randomness), rnd)

	if s.kind == hybridKind {
		ex, err := s.ExpandSeed(seed)
		if err != nil {
			t.Fatalf("%sExpandSeed: %v", p, err)
		}
		checkPublic(t, p+"expandedSeed", unhex(t, "expandedSeed", v.ExpandedSeed), ex)
	} else if v.ExpandedSeed != "" {
		// §1.4: the single-algorithm suites use the seed as it is (§5: no expandedSeed).
		t.Errorf("%sexpandedSeed present for a §1.4 suite", p)
	}

	pk, err := s.DeriveKeyPair(seed)
	if err != nil {
		t.Fatalf("%sDeriveKeyPair: %v", p, err)
	}
	checkPublic(t, p+"publicKey", unhex(t, "publicKey", v.PublicKey), pk)
	ct, ss, err := s.Encapsulate(pk, rnd)
	if err != nil {
		t.Fatalf("%sEncapsulate: %v", p, err)
	}
	checkPublic(t, p+"ciphertext", unhex(t, "ciphertext", v.Ciphertext), ct)
	checkPublic(t, p+"sharedSecret", unhex(t, "sharedSecret", v.SharedSecret), ss) // test data, not a secret
	ss2, err := s.Decapsulate(seed, ct)
	if err != nil {
		t.Fatalf("%sDecapsulate: %v", p, err)
	}
	checkPublic(t, p+"sharedSecret (decapsulate)", ss2, ss)

	raws := map[Kind][]byte{KindPublicKey: pk, KindPrivateKey: seed, KindCiphertext: ct}
	encoded := map[Kind]string{KindPublicKey: v.Encoded.PublicKey, KindPrivateKey: v.Encoded.PrivateKey, KindCiphertext: v.Encoded.Ciphertext}
	armored := map[Kind]string{KindPublicKey: v.Armored.PublicKey, KindPrivateKey: v.Armored.PrivateKey, KindCiphertext: v.Armored.Ciphertext}
	for _, k := range objectKinds {
		enc, err := Encode(s, k, raws[k])
		if err != nil {
			t.Fatalf("%sEncode %s: %v", p, k, err)
		}
		checkPublic(t, p+"encoded."+k.String(), unhex(t, "encoded", encoded[k]), enc)
		arm, err := Armor(enc)
		if err != nil {
			t.Fatalf("%sArmor %s: %v", p, k, err)
		}
		if armored[k] != arm {
			t.Errorf("%sarmored.%s differs from the Go armor:\n got  %q\n want %q", p, k, armored[k], arm)
		}
		// Decode the file's own forms and check they round-trip.
		obj, err := Decode(unhex(t, "encoded", encoded[k]), k)
		if err != nil {
			t.Errorf("%sdecoding encoded.%s: %v", p, k, err)
		} else {
			checkPublic(t, p+"decoded encoded."+k.String()+" body", obj.Body, raws[k])
			re, _ := obj.Bytes()
			checkPublic(t, p+"re-encoded "+k.String(), re, enc)
		}
		obj, err = DecodeArmored(armored[k], k)
		if err != nil {
			t.Errorf("%sdecoding armored.%s: %v", p, k, err)
		} else if obj.Suite != s || obj.Kind != k {
			t.Errorf("%sarmored.%s decoded as %s %s", p, k, obj.Suite.Name, obj.Kind)
		} else {
			checkPublic(t, p+"decoded armored."+k.String()+" body", obj.Body, raws[k])
		}
	}
	id, err := KeyID(unhex(t, "encoded", v.Encoded.PublicKey))
	if err != nil {
		t.Errorf("%sKeyID: %v", p, err)
	} else if id != v.KeyID {
		t.Errorf("%skeyId %s, want %s", p, v.KeyID, id)
	}
}

type invalidFile struct {
	Cases []struct {
		Description string  `json:"description"`
		Kind        string  `json:"kind"`
		Hex         *string `json:"hex"`
		Armored     *string `json:"armored"`
		Error       string  `json:"error"`
	} `json:"cases"`
}

var kindNames = map[string]Kind{"publicKey": KindPublicKey, "privateKey": KindPrivateKey, "ciphertext": KindCiphertext}

func TestSpecInvalid(t *testing.T) { runInvalidFile(t, filepath.Join(specVectorsDir, "invalid.json")) }

func runInvalidFile(t *testing.T, path string) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		skipOrFail(t, path+" does not exist yet")
	}
	var f invalidFile
	readJSON(t, path, &f)
	if len(f.Cases) == 0 {
		t.Fatal("invalid.json has no cases")
	}
	codes := map[string]bool{}
	for i, c := range f.Cases {
		name := "case " + strconv.Itoa(i) + " (" + c.Description + ")"
		k, ok := kindNames[c.Kind]
		if !ok {
			t.Errorf("%s: unknown kind %q", name, c.Kind)
			continue
		}
		if !strings.HasPrefix(c.Error, "ERR_") {
			t.Errorf("%s: error %q is not an ERR_ code", name, c.Error)
			continue
		}
		codes[c.Error] = true
		if c.Hex == nil && c.Armored == nil {
			t.Errorf("%s: neither hex nor armored", name)
		}
		if c.Hex != nil {
			_, err := Decode(unhex(t, "hex", *c.Hex), k)
			wantCode(t, name+" [hex]", err, Code(c.Error))
		}
		if c.Armored != nil {
			_, err := DecodeArmored(*c.Armored, k)
			wantCode(t, name+" [armored]", err, Code(c.Error))
		}
	}
	t.Logf("invalid.json: %d cases checked, %d distinct error codes", len(f.Cases), len(codes))
}
