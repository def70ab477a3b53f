// Package hybridkem is an independent Go implementation of the hybridkem
// suites and wire format v1 (spec/WIRE-FORMAT.md). It exists only to check
// the project's main implementations and vectors: it shares no code with
// them and uses nothing but the Go standard library.
//
// Encapsulation here is always derandomised (the caller passes the
// randomness), because ML-KEM's Encaps_internal is only reachable through
// crypto/mlkem/mlkemtest, which Go reserves for known-answer tests. Do not use
// this package to protect data.
package hybridkem
