// Command hkmulti seals and opens multi-recipient sealed messages
// (spec/WIRE-FORMAT.md §10) with the independent Go implementation, for
// cross-checks from other implementations' tests:
//
//	hkmulti seal -to KEM:PUBHEX [-to KEM:PUBHEX ...] [-hide] [-info HEX] [-aad HEX] [-aead chacha20poly1305|aes256gcm] < plaintext > sealed
//	hkmulti open -id KEM:SEEDHEX [-id KEM:SEEDHEX ...] [-info HEX] [-aad HEX] < sealed > plaintext
//
// KEM is a suite name of WIRE-FORMAT.md §1, any case, or its id in hex
// (0xff03). On failure it prints one line to stderr, starting with the error
// code, and exits with status 1. Test tool only: never feed it real keys.
package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	hybridkem "github.com/hybridkem/hybridkem/interop/go"
	"github.com/hybridkem/hybridkem/interop/go/internal/cli"
)

func main() { cli.Main("hkmulti", true, run) }

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

// keyArg parses KEM:HEX.
func keyArg(s string) (uint16, []byte, error) {
	name, h, ok := strings.Cut(s, ":")
	if !ok {
		return 0, nil, fmt.Errorf("expected KEM:HEX, got %q", s)
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return 0, nil, fmt.Errorf("invalid hex in %q: %v", name, err)
	}
	id, ok := cli.SuiteID(name)
	if !ok {
		return 0, nil, fmt.Errorf("unknown KEM %q", name)
	}
	return id, b, nil
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "seal" && args[0] != "open") {
		return errors.New("usage: hkmulti seal -to KEM:PUBHEX... [-hide] [-info HEX] [-aad HEX] [-aead A] | hkmulti open -id KEM:SEEDHEX... [-info HEX] [-aad HEX]")
	}
	cmd := args[0]
	fs := cli.NewFlagSet("hkmulti " + cmd)
	var to, ids list
	fs.Var(&to, "to", "recipient KEM:PUBHEX (seal, repeatable)")
	fs.Var(&ids, "id", "identity KEM:SEEDHEX (open, repeatable)")
	hide := fs.Bool("hide", false, "hide the recipients' key ids (seal)")
	infoHex := fs.String("info", "", "user info, hex")
	aadHex := fs.String("aad", "", "user aad, hex")
	aeadName := fs.String("aead", "chacha20poly1305", "chacha20poly1305 or aes256gcm (seal)")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%s: %v", cmd, err)
	}
	info, err := hex.DecodeString(*infoHex)
	if err != nil {
		return fmt.Errorf("-info: %v", err)
	}
	aad, err := hex.DecodeString(*aadHex)
	if err != nil {
		return fmt.Errorf("-aad: %v", err)
	}
	input, err := io.ReadAll(stdin)
	if err != nil {
		return err
	}
	var out []byte
	if cmd == "seal" {
		aead := hybridkem.AEADChaCha20Poly1305
		switch strings.ToLower(*aeadName) {
		case "chacha20poly1305":
		case "aes256gcm":
			aead = hybridkem.AEADAES256GCM
		default:
			return fmt.Errorf("unknown -aead %q", *aeadName)
		}
		var rs []hybridkem.MultiRecipient
		for _, t := range to {
			kem, pub, err := keyArg(t)
			if err != nil {
				return fmt.Errorf("-to: %v", err)
			}
			rs = append(rs, hybridkem.MultiRecipient{KEM: kem, PublicKey: pub})
		}
		out, err = hybridkem.SealMulti(rs, input, info, aad, hybridkem.KDFHKDFSHA256, aead, *hide)
	} else {
		var is []hybridkem.MultiIdentity
		for _, t := range ids {
			kem, seed, err := keyArg(t)
			if err != nil {
				return fmt.Errorf("-id: %v", err)
			}
			is = append(is, hybridkem.MultiIdentity{KEM: kem, Seed: seed})
		}
		out, err = hybridkem.OpenMulti(is, input, info, aad)
	}
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}
