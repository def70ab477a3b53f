// Package cli holds what the test commands hkseal and hkmulti share: running
// on the process's arguments and standard streams, and naming a suite on the
// command line.
package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	hybridkem "github.com/hybridkem/hybridkem/interop/go"
)

// Run is a command's body: the arguments after the program name, stdin and stdout.
type Run func(args []string, stdin io.Reader, stdout io.Writer) error

// Main runs run on os.Args[1:], os.Stdin and os.Stdout. On failure it prints
// one line to stderr, "tool: " then (withCode) the error code and the
// message, and exits with status 1.
func Main(tool string, withCode bool, run Run) {
	err := run(os.Args[1:], os.Stdin, os.Stdout)
	if err == nil {
		return
	}
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	if withCode {
		fmt.Fprintln(os.Stderr, tool+":", hybridkem.CodeOf(err), msg)
	} else {
		fmt.Fprintln(os.Stderr, tool+":", msg)
	}
	os.Exit(1)
}

// NewFlagSet is the flag set of one subcommand: parse errors are returned
// (Main prints them as its one line), never printed by package flag.
func NewFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// SuiteID is the id of the WIRE-FORMAT.md §1 suite that name names: its
// name or its id in hex (0xff03), any case.
func SuiteID(name string) (uint16, bool) {
	for _, s := range hybridkem.Suites() {
		if strings.EqualFold(name, s.Name) || strings.EqualFold(name, fmt.Sprintf("0x%04x", s.ID)) {
			return s.ID, true
		}
	}
	return 0, false
}
