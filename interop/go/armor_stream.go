package hybridkem

// The streaming armor for sealed messages, WIRE-FORMAT.md §3.1, written from
// the spec: a writer that wraps an io.Writer and a strict line-by-line reader
// that wraps an io.Reader, each holding at most one line.

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
)

// sealedArmorLabels are the sealed kinds of §3.1 with their §3 labels
// (0x04, §7; 0x09, §10).
var sealedArmorLabels = map[byte]string{
	byte(kindSealed):      armorLabels[kindSealed],
	byte(kindMultiSealed): armorLabels[kindMultiSealed],
}

const (
	armorStreamLineBytes   = 48   // bytes per 64-character line
	maxArmorLeadingSpace   = 1024 // §3.1 rule 1
	armorStreamMaxLineHeld = armorLineLen + 2
)

func armorStreamErr(line int, what string) error {
	return newErr(ErrArmor, fmt.Sprintf("armor line %d", line), "WIRE-FORMAT.md §3.1 streaming armor", what)
}

func isArmorSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// SealedArmorWriter armors a sealed message written to it; Close writes the
// last line and the END line.
type SealedArmorWriter struct {
	w     io.Writer
	carry []byte
	label string
	err   error
}

// NewSealedArmorWriter returns a writer of the §3.1 armor to w.
func NewSealedArmorWriter(w io.Writer) *SealedArmorWriter {
	return &SealedArmorWriter{w: w, carry: make([]byte, 0, armorStreamLineBytes)}
}

func (a *SealedArmorWriter) start() error {
	if len(a.carry) < headerSize {
		return newErr(ErrArmor, "armor", ">= 4 bytes (a sealed message header)", fmt.Sprintf("%d bytes", len(a.carry)))
	}
	label, ok := sealedArmorLabels[a.carry[1]]
	if !ok {
		return newErr(ErrArmor, "armor kind", "a sealed kind (0x04, 0x09)", Kind(a.carry[1]).String())
	}
	a.label = label
	_, err := io.WriteString(a.w, "-----BEGIN "+label+"-----\n")
	return err
}

func (a *SealedArmorWriter) Write(p []byte) (int, error) {
	if a.err != nil {
		return 0, a.err
	}
	n := len(p)
	var line [armorLineLen + 1]byte
	line[armorLineLen] = '\n'
	for len(p) > 0 {
		take := min(cap(a.carry)-len(a.carry), len(p))
		a.carry = append(a.carry, p[:take]...)
		p = p[take:]
		if a.label == "" && len(a.carry) >= headerSize {
			if a.err = a.start(); a.err != nil {
				return 0, a.err
			}
		}
		if len(a.carry) == armorStreamLineBytes && a.label != "" {
			base64.StdEncoding.Encode(line[:armorLineLen], a.carry)
			if _, a.err = a.w.Write(line[:]); a.err != nil {
				return 0, a.err
			}
			a.carry = a.carry[:0]
		}
	}
	return n, nil
}

// Close writes the last base64 line and the END line.
func (a *SealedArmorWriter) Close() error {
	if a.err != nil {
		return a.err
	}
	if a.label == "" {
		if a.err = a.start(); a.err != nil {
			return a.err
		}
	}
	var out bytes.Buffer
	if len(a.carry) > 0 {
		out.WriteString(base64.StdEncoding.EncodeToString(a.carry) + "\n")
	}
	out.WriteString("-----END " + a.label + "-----\n")
	if _, err := a.w.Write(out.Bytes()); err != nil {
		a.err = err
		return err
	}
	a.err = errWriterClosed
	return nil
}

var errWriterClosed = errors.New("hybridkem: armor writer closed")

// SealedArmorReader reads the §3.1 armor and gives the sealed message's
// bytes. Errors are *Error with ERR_ARMOR naming the line.
type SealedArmorReader struct {
	r        *bufio.Reader
	line     int
	started  bool
	done     bool
	crlf     bool
	kind     byte
	label    string
	prevLen  int
	prevPad  bool
	total    int
	checked  bool
	pending  []byte
	withheld []byte
	err      error
}

// NewSealedArmorReader returns a reader of the §3.1 armor from r. Its bytes
// are unauthenticated; the sealed-message reader authenticates them.
func NewSealedArmorReader(r io.Reader) *SealedArmorReader {
	return &SealedArmorReader{r: bufio.NewReaderSize(r, armorStreamMaxLineHeld), line: 1}
}

func (s *SealedArmorReader) Read(p []byte) (int, error) {
	for len(s.pending) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		s.err = s.step()
	}
	n := copy(p, s.pending)
	s.pending = s.pending[n:]
	return n, nil
}

// step consumes one line (or the leading whitespace, or the rest after END).
func (s *SealedArmorReader) step() error {
	if !s.started {
		return s.leading()
	}
	if s.done {
		for {
			b, err := s.r.ReadByte()
			if err == io.EOF {
				return io.EOF
			}
			if err != nil {
				return err
			}
			if !isArmorSpace(b) {
				return armorStreamErr(s.line, "text after the END line")
			}
			if b == '\n' {
				s.line++
			}
		}
	}
	raw, err := s.r.ReadSlice('\n')
	terminated := err == nil
	if err == bufio.ErrBufferFull {
		return armorStreamErr(s.line, "longer than 64 characters")
	}
	if err != nil && err != io.EOF {
		return err
	}
	content := raw
	if terminated {
		content = raw[:len(raw)-1]
		hasCR := len(content) > 0 && content[len(content)-1] == '\r'
		if s.label == "" {
			s.crlf = hasCR
		} else if hasCR != s.crlf {
			return armorStreamErr(s.line, "line ending differs from the BEGIN line's")
		}
		if hasCR {
			content = content[:len(content)-1]
		}
	} else if s.crlf && len(content) > 0 && content[len(content)-1] == '\r' {
		content = content[:len(content)-1]
	}
	if len(content) > armorLineLen {
		return armorStreamErr(s.line, "longer than 64 characters")
	}
	defer func() {
		if terminated {
			s.line++
		}
	}()
	if s.label == "" {
		if !terminated {
			return armorStreamErr(s.line, "the input ends inside the BEGIN line")
		}
		for kind, label := range sealedArmorLabels {
			if string(content) == "-----BEGIN "+label+"-----" {
				s.kind, s.label = kind, label
				return nil
			}
		}
		return armorStreamErr(s.line, "not the BEGIN line of a sealed kind")
	}
	if !terminated && len(content) == 0 {
		return armorStreamErr(s.line, "no END line")
	}
	if len(content) > 0 && content[0] == '-' {
		if string(content) != "-----END "+s.label+"-----" {
			return armorStreamErr(s.line, "not the END line")
		}
		if s.prevLen == 0 {
			return armorStreamErr(s.line, "no base64 between BEGIN and END")
		}
		s.done = true
		if len(s.withheld) > 0 {
			s.pending, s.withheld = s.withheld, nil
		}
		return nil
	}
	if !terminated {
		return armorStreamErr(s.line, "no END line")
	}
	return s.base64Line(content)
}

func (s *SealedArmorReader) leading() error {
	for n := 0; ; n++ {
		b, err := s.r.ReadByte()
		if err == io.EOF {
			return armorStreamErr(s.line, "no BEGIN line")
		}
		if err != nil {
			return err
		}
		if b == '-' {
			s.started = true
			return s.r.UnreadByte()
		}
		if !isArmorSpace(b) {
			return armorStreamErr(s.line, "text before the BEGIN line")
		}
		if n >= maxArmorLeadingSpace {
			return armorStreamErr(s.line, "more than 1024 bytes of whitespace before BEGIN")
		}
		if b == '\n' {
			s.line++
		}
	}
}

func (s *SealedArmorReader) base64Line(content []byte) error {
	if len(content) == 0 {
		return armorStreamErr(s.line, "empty line")
	}
	if s.prevPad {
		return armorStreamErr(s.line, "the previous line ends with padding")
	}
	if s.prevLen != 0 && s.prevLen != armorLineLen {
		return armorStreamErr(s.line, "the previous line is shorter than 64 characters")
	}
	for i, c := range content {
		// Go's decoder skips CR and LF inside its input: check the alphabet first.
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			return armorStreamErr(s.line, fmt.Sprintf("column %d: not a base64 character", i+1))
		}
	}
	if len(content)%4 != 0 {
		return armorStreamErr(s.line, "not a multiple of 4 characters")
	}
	// Strict() refuses non-zero padding bits (RFC 4648 §3.5) and the decoder
	// "=" anywhere but in the final group, so a line of the alphabet decodes
	// only if it is canonical base64.
	out := make([]byte, base64.StdEncoding.DecodedLen(len(content)))
	n, err := base64.StdEncoding.Strict().Decode(out, content)
	if err != nil {
		return armorStreamErr(s.line, "not canonical base64")
	}
	out = out[:n]
	s.prevLen = len(content)
	s.prevPad = content[len(content)-1] == '='
	s.total += n
	if !s.checked && s.total >= 2 {
		if out[1] != s.kind {
			return armorStreamErr(s.line, fmt.Sprintf("the label's kind is %s but the kind byte is %s", Kind(s.kind), Kind(out[1])))
		}
		s.checked = true
	}
	if !s.checked {
		s.withheld = out
		return nil
	}
	s.pending = out
	return nil
}
