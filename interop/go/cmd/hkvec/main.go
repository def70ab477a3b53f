// Command hkvec prints the public key, ciphertext and shared secret that the
// independent Go implementation computes for one suite, seed and
// encapsulation randomness, as JSON. It is meant for cross-checks from other
// implementations' tests:
//
//	go run ./cmd/hkvec -suite X-Wing -seed HEX -randomness HEX
//	go run ./cmd/hkvec -suite X-Wing -index 0   # seed and randomness of WIRE-FORMAT.md §5
//
// The shared secret is printed on purpose: this tool only handles test
// inputs. Never feed it real keys.
package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	hybridkem "github.com/hybridkem/hybridkem/interop/go"
)

func main() {
	suiteName := flag.String("suite", "", "suite name from WIRE-FORMAT.md §1, e.g. X-Wing")
	seedHex := flag.String("seed", "", "the private key (seed), hex: 32 bytes, 64 for ML-KEM-768 / ML-KEM-1024")
	rndHex := flag.String("randomness", "", "encapsulation randomness, hex (64 or 80 bytes)")
	index := flag.Int("index", -1, "derive seed and randomness of vector number INDEX (WIRE-FORMAT.md §5) instead")
	flag.Parse()

	if err := run(*suiteName, *seedHex, *rndHex, *index); err != nil {
		fmt.Fprintln(os.Stderr, "hkvec:", err)
		os.Exit(1)
	}
}

func run(suiteName, seedHex, rndHex string, index int) error {
	s := hybridkem.SuiteByName(suiteName)
	if s == nil {
		var names []string
		for _, s := range hybridkem.Suites() {
			names = append(names, s.Name)
		}
		return fmt.Errorf("unknown -suite %q (one of %s)", suiteName, strings.Join(names, ", "))
	}
	var seed, rnd []byte
	if index >= 0 {
		if seedHex != "" || rndHex != "" {
			return fmt.Errorf("-index excludes -seed and -randomness")
		}
		seed = hybridkem.VectorInput(s, uint32(index), "seed")
		rnd = hybridkem.VectorInput(s, uint32(index), "randomness")
	} else {
		var err error
		if seed, err = hex.DecodeString(seedHex); err != nil {
			return fmt.Errorf("-seed: %v", err)
		}
		if rnd, err = hex.DecodeString(rndHex); err != nil {
			return fmt.Errorf("-randomness: %v", err)
		}
	}
	pk, err := s.DeriveKeyPair(seed)
	if err != nil {
		return err
	}
	ct, ss, err := s.Encapsulate(pk, rnd)
	if err != nil {
		return err
	}
	out := map[string]string{
		"publicKey":    hex.EncodeToString(pk),
		"ciphertext":   hex.EncodeToString(ct),
		"sharedSecret": hex.EncodeToString(ss),
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
