package hybridkem

import (
	"errors"
	"fmt"
)

// Code is one of the error codes of spec/WIRE-FORMAT.md.
type Code string

// Error codes of WIRE-FORMAT.md §1.1, §2 and §3.
const (
	ErrTruncated            Code = "ERR_TRUNCATED"
	ErrUnsupportedVersion   Code = "ERR_UNSUPPORTED_VERSION"
	ErrUnknownKind          Code = "ERR_UNKNOWN_KIND"
	ErrWrongKind            Code = "ERR_WRONG_KIND"
	ErrUnknownSuite         Code = "ERR_UNKNOWN_SUITE"
	ErrTrailingData         Code = "ERR_TRAILING_DATA"
	ErrInvalidMLKEMKey      Code = "ERR_INVALID_MLKEM_KEY"
	ErrInvalidGroupElement  Code = "ERR_INVALID_GROUP_ELEMENT"
	ErrArmor                Code = "ERR_ARMOR"
	ErrInvalidSeed          Code = "ERR_INVALID_SEED"     // §1.1: RandomScalar found no valid window
	errInvalidArgumentGo    Code = "ERR_INVALID_ARGUMENT" // Go-only; API misuse, not a wire code
	errInternalUnexpectedGo Code = "ERR_INTERNAL"         // Go-only; a stdlib call failed unexpectedly
)

// Error is the error type of this package. It names the field and the
// expected and actual values (lengths, versions, ids), never key or secret
// bytes (WIRE-FORMAT.md §2, last paragraph).
type Error struct {
	Code     Code
	Field    string
	Expected string
	Actual   string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("hybridkem: %s: %s", e.Code, e.Field)
	if e.Expected != "" || e.Actual != "" {
		msg += fmt.Sprintf(" (expected %s, actual %s)", e.Expected, e.Actual)
	}
	return msg
}

func newErr(code Code, field, expected, actual string) *Error {
	return &Error{Code: code, Field: field, Expected: expected, Actual: actual}
}

// lengthErr reports a length mismatch as ERR_TRUNCATED (too short) or
// ERR_TRAILING_DATA (too long), the same split as WIRE-FORMAT.md §2 step 5.
func lengthErr(field string, want, got int) *Error {
	code := ErrTruncated
	if got > want {
		code = ErrTrailingData
	}
	return newErr(code, field, fmt.Sprintf("%d bytes", want), fmt.Sprintf("%d bytes", got))
}

// CodeOf returns the Code carried by err, or "" if err is not an *Error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
