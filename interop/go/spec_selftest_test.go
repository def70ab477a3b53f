package hybridkem

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestSpecCheckerSelf runs the spec/vectors checkers on files written by this
// Go implementation into a temporary directory, so that the checking code
// is exercised before the TypeScript generator's files exist. It says
// nothing about the TypeScript implementation; TestSpecVectors does.
func TestSpecCheckerSelf(t *testing.T) {
	dir := t.TempDir()
	for _, s := range Suites() {
		f := specVectorFile{Suite: s.Name, SuiteID: int(s.ID), Construction: s.Construction, Generator: "go self-test"}
		for i := uint32(0); i < 2; i++ {
			f.Vectors = append(f.Vectors, goSpecVector(t, s, i))
		}
		writeJSON(t, filepath.Join(dir, s.Name+".json"), f)
	}
	xw := newFixture(t, suiteXWing, 0)
	text, _ := Armor(xw.encSK)
	cases := []map[string]string{
		{"description": "truncated header", "kind": "publicKey", "hex": "0101", "error": "ERR_TRUNCATED"},
		{"description": "private key asked as public key", "kind": "publicKey", "hex": hex.EncodeToString(xw.encSK), "error": "ERR_WRONG_KIND"},
		{"description": "armored wrong kind", "kind": "ciphertext", "armored": text, "error": "ERR_WRONG_KIND"},
	}
	writeJSON(t, filepath.Join(dir, "invalid.json"), map[string]any{"cases": cases})

	runSpecVectorDir(t, dir)
	runInvalidFile(t, filepath.Join(dir, "invalid.json"))
}

func goSpecVector(t *testing.T, s *Suite, i uint32) specVector {
	t.Helper()
	f := newFixture(t, s, i)
	var ex []byte // §5: hybrid suites only
	if s.kind == hybridKind {
		ex, _ = s.ExpandSeed(f.seed)
	}
	arm := func(b []byte) string { a, _ := Armor(b); return a }
	pk, _ := KeyID(f.encPK)
	return specVector{
		Seed: hex.EncodeToString(f.seed), Randomness: hex.EncodeToString(VectorInput(s, i, "randomness")),
		ExpandedSeed: hex.EncodeToString(ex), PublicKey: hex.EncodeToString(f.pk),
		Ciphertext: hex.EncodeToString(f.ct), SharedSecret: hex.EncodeToString(f.ss),
		Encoded: specTriple{hex.EncodeToString(f.encPK), hex.EncodeToString(f.encSK), hex.EncodeToString(f.encCT)},
		Armored: specTriple{arm(f.encPK), arm(f.encSK), arm(f.encCT)},
		KeyID:   pk,
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
