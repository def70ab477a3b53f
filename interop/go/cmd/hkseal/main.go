// Command hkseal seals and opens hybridkem sealed messages
// (spec/WIRE-FORMAT.md §7) with the independent Go implementation, for
// cross-checks from other implementations' tests:
//
//	hkseal seal -pub HEX [-kem KEM] [-info HEX] [-aad HEX] [-aead chacha20poly1305|aes256gcm] < plaintext > sealed
//	hkseal open -seed HEX [-kem KEM] [-info HEX] [-aad HEX] [-aead chacha20poly1305|aes256gcm] < sealed > plaintext
//
// KEM is a suite name of WIRE-FORMAT.md §1, any case (X-Wing,
// HPKE-MLKEM768-P256, HPKE-MLKEM1024-P384, X25519-MLKEM768,
// X25519-MLKEM1024, MLKEM768-P256, MLKEM1024-P384; every §1 suite is a §7.1
// KEM), "xwing", or its id in hex (0xff03). -pub is the recipient's raw
// public key; seal without -kem takes the KEM from its length, the
// registered KEM where two share a length (1216 X-Wing, 1249
// HPKE-MLKEM768-P256, 1665 HPKE-MLKEM1024-P384, 1600 X25519-MLKEM1024); with
// -kem the length must match. -seed is the 32-byte private key of any of
// them; open without -kem uses the KEM named in the header, with -kem it
// requires that KEM. open without -aead accepts either implemented AEAD
// named in the header.
// On failure it prints one line to stderr and exits with status 1. Test
// tool only: never feed it real keys.
package main

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	hybridkem "github.com/hybridkem/hybridkem/interop/go"
	"github.com/hybridkem/hybridkem/interop/go/internal/cli"
)

func main() { cli.Main("hkseal", false, run) }

func usage() error {
	return errors.New("usage: hkseal seal -pub HEX [-kem SUITE] [-info HEX] [-aad HEX] [-aead chacha20poly1305|aes256gcm] | hkseal open -seed HEX [-kem SUITE] [-info HEX] [-aad HEX] [-aead ...] (SUITE: a WIRE-FORMAT.md §1 suite name or hex id; seal: -kem defaults from the -pub length; open: from the header)")
}

func parseKEM(name string) (uint16, error) {
	if name == "" {
		return 0, nil
	}
	if strings.EqualFold(name, "xwing") {
		return hybridkem.KEMXWing, nil
	}
	if id, ok := cli.SuiteID(name); ok {
		return id, nil
	}
	names := make([]string, 0, 7)
	for _, s := range hybridkem.Suites() {
		names = append(names, s.Name)
	}
	return 0, fmt.Errorf("unknown -kem %q (%s, or a hex id)", name, strings.Join(names, ", "))
}

func parseAEAD(name string) (uint16, error) {
	switch strings.ToLower(name) {
	case "":
		return 0, nil
	case "chacha20poly1305", "chacha20-poly1305":
		return hybridkem.AEADChaCha20Poly1305, nil
	case "aes256gcm", "aes-256-gcm":
		return hybridkem.AEADAES256GCM, nil
	}
	return 0, fmt.Errorf("unknown -aead %q (chacha20poly1305 or aes256gcm)", name)
}

func decodeHex(flagName, s string) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("-%s: invalid hex: %v", flagName, err)
	}
	return b, nil
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return usage()
	}
	cmd := args[0]
	if cmd != "seal" && cmd != "open" {
		return usage()
	}
	fs := cli.NewFlagSet("hkseal " + cmd)
	pubHex := fs.String("pub", "", "recipient's raw public key, hex (seal)")
	seedHex := fs.String("seed", "", "32-byte private key, hex (open)")
	kemName := fs.String("kem", "", "a §1 suite name or hex id (seal default: from the -pub length; open default: from the header)")
	infoHex := fs.String("info", "", "user info, hex")
	aadHex := fs.String("aad", "", "user aad, hex")
	aeadName := fs.String("aead", "", "chacha20poly1305 or aes256gcm (seal default: chacha20poly1305)")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usage()
		}
		return fmt.Errorf("%s: %v", cmd, err)
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%s: unexpected argument %q", cmd, fs.Arg(0))
	}
	info, err := decodeHex("info", *infoHex)
	if err != nil {
		return err
	}
	aad, err := decodeHex("aad", *aadHex)
	if err != nil {
		return err
	}
	aead, err := parseAEAD(*aeadName)
	if err != nil {
		return err
	}
	kem, err := parseKEM(*kemName)
	if err != nil {
		return err
	}
	input, err := io.ReadAll(stdin)
	if err != nil {
		return fmt.Errorf("reading stdin: %v", err)
	}
	var out []byte
	switch cmd {
	case "seal":
		if *seedHex != "" {
			return errors.New("seal: -seed is not a seal option")
		}
		pub, err := decodeHex("pub", *pubHex)
		if err != nil {
			return err
		}
		if aead == 0 {
			aead = hybridkem.AEADChaCha20Poly1305
		}
		if kem == 0 {
			var ok bool
			if kem, ok = hybridkem.SealedKEMForPublicKeySize(len(pub)); !ok {
				return fmt.Errorf("seal: -pub has %d bytes, not the public key length of any suite; -kem selects the KEM", len(pub))
			}
		}
		out, err = hybridkem.SealMessageKEM(kem, pub, input, info, aad, hybridkem.KDFHKDFSHA256, aead)
		if err != nil {
			return err
		}
	case "open":
		if *pubHex != "" {
			return errors.New("open: -pub is not an open option")
		}
		seed, err := decodeHex("seed", *seedHex)
		if err != nil {
			return err
		}
		out, err = hybridkem.OpenMessageSuite(seed, input, info, aad, kem, 0, aead)
		if err != nil {
			return err
		}
	}
	_, err = stdout.Write(out)
	return err
}
