package hybridkem

import (
	"bytes"
	"crypto/hpke"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// sharedVectorsDir is the `shared` folder beside the repository root
// (shared/vectors/README.md): interop/go -> ../../../shared/vectors.
var sharedVectorsDir = filepath.Join("..", "..", "..", "shared", "vectors")

// specVectorsDir holds the project's own vectors (WIRE-FORMAT.md §5).
var specVectorsDir = filepath.Join("..", "..", "spec", "vectors")

func inCI() bool { return os.Getenv("CI") == "true" }

// skipOrFail skips the test with msg, or fails it when CI=true, where every
// vector source must be present.
func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	if inCI() {
		t.Fatalf("%s (CI=true: vectors are required)", msg)
	}
	t.Skip(msg)
}

// readJSON reads path into v; a missing file skips (or fails under CI).
func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		skipOrFail(t, "vector file "+path+" not found")
	}
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
}

// keyPairBoth derives the public key of seed with the suite and the private
// key of seed with crypto/hpke's implementation of the same KEM.
func keyPairBoth(t *testing.T, s *Suite, kem hpke.KEM, seed []byte) (pub []byte, sk hpke.PrivateKey) {
	t.Helper()
	pub, err := s.DeriveKeyPair(seed)
	if err != nil {
		t.Fatalf("%s: %v", s.Name, err)
	}
	sk, err = kem.NewPrivateKey(seed)
	if err != nil {
		t.Fatalf("%s: crypto/hpke: %v", s.Name, err)
	}
	return pub, sk
}

func unhex(t *testing.T, field, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("%s: bad hex: %v", field, err)
	}
	return b
}

// checkPublic compares a public value and prints where it differs.
func checkPublic(t *testing.T, what string, got, want []byte) bool {
	t.Helper()
	if bytes.Equal(got, want) {
		return true
	}
	off := 0
	for off < len(got) && off < len(want) && got[off] == want[off] {
		off++
	}
	end := func(b []byte) []byte { return b[off:min(len(b), off+16)] }
	t.Errorf("%s mismatch: len got %d want %d, first difference at byte %d: got %x… want %x…",
		what, len(got), len(want), off, end(got), end(want))
	return false
}

// checkSecret compares a secret value without printing it.
func checkSecret(t *testing.T, what string, got, want []byte) bool {
	t.Helper()
	if bytes.Equal(got, want) {
		return true
	}
	t.Errorf("%s mismatch (value not printed; lengths got %d want %d)", what, len(got), len(want))
	return false
}

func wantCode(t *testing.T, what string, err error, code Code) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: got no error, want %s", what, code)
		return
	}
	if got := CodeOf(err); got != code {
		t.Errorf("%s: got %v, want %s", what, err, code)
	}
}
