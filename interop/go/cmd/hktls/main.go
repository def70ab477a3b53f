// Command hktls is a TLS 1.3 test client for interop tests of
// @hybridkem/transport: it connects, reports the negotiated key exchange
// group, and optionally sends a request and reads the response.
//
//	hktls -addr HOST:PORT -ca FILE [-servername NAME] [-groups 4588,29] [-request STRING] [-timeout 10s]
//
// It prints exactly one JSON line on stdout:
//
//	{"ok":true,"group":4588,"version":"TLS 1.3","cipherSuite":4865,"response":"..."}
//	{"ok":false,"error":"..."}   (exit status 1)
//
// group is the IANA code point of ConnectionState().CurveID. Standard
// library only. Test tool only: it trusts exactly the given CA file.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

type result struct {
	OK          bool    `json:"ok"`
	Group       uint16  `json:"group,omitempty"`
	Version     string  `json:"version,omitempty"`
	CipherSuite uint16  `json:"cipherSuite,omitempty"`
	Response    *string `json:"response,omitempty"`
	Error       string  `json:"error,omitempty"`
}

func main() {
	res, err := run(os.Args[1:])
	if err != nil {
		res = result{OK: false, Error: err.Error()}
	}
	line, merr := json.Marshal(res)
	if merr != nil {
		line = []byte(`{"ok":false,"error":"hktls: cannot encode result"}`)
		err = merr
	}
	os.Stdout.Write(append(line, '\n'))
	if err != nil {
		os.Exit(1)
	}
}

// parseGroups parses a comma-separated list of IANA code points (decimal, or
// hex with a 0x prefix). An empty list means Go's defaults (nil).
func parseGroups(s string) ([]tls.CurveID, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var out []tls.CurveID
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		n, err := strconv.ParseUint(part, 0, 16)
		if err != nil {
			return nil, fmt.Errorf("invalid group %q in -groups: want a code point such as 4588 or 0x11ec", part)
		}
		out = append(out, tls.CurveID(n))
	}
	return out, nil
}

func run(args []string) (result, error) {
	fs := flag.NewFlagSet("hktls", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // usage errors are reported as JSON
	addr := fs.String("addr", "", "HOST:PORT to connect to (required)")
	serverName := fs.String("servername", "localhost", "SNI and certificate name to verify")
	caFile := fs.String("ca", "", "PEM file with the certificate(s) to trust (required)")
	groupsFlag := fs.String("groups", "", "comma-separated IANA group code points in preference order; empty means Go's defaults")
	request := fs.String("request", "", "bytes to write after the handshake; the response is read until EOF or -timeout")
	timeout := fs.Duration("timeout", 10*time.Second, "bounds dial, handshake and read together")
	if err := fs.Parse(args); err != nil {
		return result{}, fmt.Errorf("hktls: %v", err)
	}
	if fs.NArg() != 0 {
		return result{}, fmt.Errorf("hktls: unexpected arguments %q", fs.Args())
	}
	if *addr == "" {
		return result{}, errors.New("hktls: -addr is required")
	}
	if *caFile == "" {
		return result{}, errors.New("hktls: -ca is required")
	}
	if *timeout <= 0 {
		return result{}, errors.New("hktls: -timeout must be positive")
	}
	groups, err := parseGroups(*groupsFlag)
	if err != nil {
		return result{}, fmt.Errorf("hktls: %v", err)
	}
	pem, err := os.ReadFile(*caFile)
	if err != nil {
		return result{}, fmt.Errorf("hktls: reading -ca: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return result{}, fmt.Errorf("hktls: no PEM certificates in %s", *caFile)
	}

	cfg := &tls.Config{
		ServerName:       *serverName,
		RootCAs:          pool,
		MinVersion:       tls.VersionTLS13,
		MaxVersion:       tls.VersionTLS13,
		CurvePreferences: groups,
	}
	deadline := time.Now().Add(*timeout)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	dialer := &tls.Dialer{NetDialer: &net.Dialer{}, Config: cfg}
	c, err := dialer.DialContext(ctx, "tcp", *addr)
	if err != nil {
		return result{}, fmt.Errorf("hktls: handshake with %s: %v", *addr, err)
	}
	conn := c.(*tls.Conn)
	defer conn.Close()
	st := conn.ConnectionState()
	res := result{
		OK:          true,
		Group:       uint16(st.CurveID),
		Version:     tls.VersionName(st.Version),
		CipherSuite: st.CipherSuite,
	}
	if *request != "" {
		if err := conn.SetDeadline(deadline); err != nil {
			return result{}, fmt.Errorf("hktls: %v", err)
		}
		if _, err := io.WriteString(conn, *request); err != nil {
			return result{}, fmt.Errorf("hktls: writing request: %v", err)
		}
		body, err := io.ReadAll(conn)
		if err != nil {
			var ne net.Error
			if !(errors.As(err, &ne) && ne.Timeout()) {
				return result{}, fmt.Errorf("hktls: reading response: %v", err)
			}
			// Read until -timeout: keep what arrived.
		}
		s := string(body)
		res.Response = &s
	}
	return res, nil
}
