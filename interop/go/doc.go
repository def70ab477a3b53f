// Package hybridkem is an independent Go implementation of the hybridkem
// suites and wire format v1 (spec/WIRE-FORMAT.md). It exists only to check
// the project's main implementations and vectors: it shares no code with
// them and uses the Go standard library, plus golang.org/x/crypto's
// ChaCha20-Poly1305 for the HPKE key schedule of hpke_schedule.go (the
// standard library's copy of it is internal to crypto/hpke and crypto/tls).
//
// Encapsulation here is always derandomised (the caller passes the
// randomness), because ML-KEM's Encaps_internal is only reachable through
// crypto/mlkem/mlkemtest, which Go reserves for known-answer tests; sealing
// draws that randomness from crypto/rand. Do not use this package to protect
// data.
package hybridkem
