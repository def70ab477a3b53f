package hybridkem

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

const sealedBegin, sealedEnd = "-----BEGIN HYBRIDKEM SEALED MESSAGE-----", "-----END HYBRIDKEM SEALED MESSAGE-----"

// handArmor builds the §3.1 text by hand: base64 of the whole input cut into 64-character lines.
func handArmor(b []byte, eol string) string {
	b64 := base64.StdEncoding.EncodeToString(b)
	lines := []string{sealedBegin}
	for len(b64) > 64 {
		lines = append(lines, b64[:64])
		b64 = b64[64:]
	}
	lines = append(lines, b64, sealedEnd, "")
	return strings.Join(lines, eol)
}

func sealedLike(n int, seed byte) []byte {
	b := make([]byte, n)
	x := uint32(seed) | 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	b[0], b[1] = 1, 4
	return b
}

func armorStream(t *testing.T, in []byte, pieces int) string {
	t.Helper()
	var out bytes.Buffer
	w := NewSealedArmorWriter(&out)
	step := max(1, len(in)/pieces)
	for off := 0; off < len(in); off += step {
		if _, err := w.Write(in[off:min(off+step, len(in))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func dearmorStream(r io.Reader) ([]byte, error) { return io.ReadAll(NewSealedArmorReader(r)) }

func TestSealedArmorStreamLiteral(t *testing.T) {
	// 01 04 64 7a: "AQRk" "eg==" (also the literal vector of the TypeScript tests)
	const literal = "-----BEGIN HYBRIDKEM SEALED MESSAGE-----\nAQRkeg==\n-----END HYBRIDKEM SEALED MESSAGE-----\n"
	msg := []byte{1, 4, 0x64, 0x7a}
	if got := armorStream(t, msg, 1); got != literal {
		t.Fatalf("armor = %q", got)
	}
	got, err := dearmorStream(strings.NewReader(literal))
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("dearmor = %x, %v", got, err)
	}
}

func TestSealedArmorStreamRoundTrip(t *testing.T) {
	for _, n := range []int{4, 5, 6, 47, 48, 49, 95, 96, 97, 1000, 4801} {
		msg := sealedLike(n, byte(n))
		for _, pieces := range []int{1, 3, 7} {
			if got := armorStream(t, msg, pieces); got != handArmor(msg, "\n") {
				t.Fatalf("length %d, %d pieces: armor differs", n, pieces)
			}
		}
		for name, text := range map[string]string{
			"LF":         handArmor(msg, "\n"),
			"CRLF":       handArmor(msg, "\r\n"),
			"whitespace": " \t\r\n" + handArmor(msg, "\n") + "\n \t",
			"no final":   strings.TrimSuffix(handArmor(msg, "\n"), "\n"),
		} {
			got, err := dearmorStream(iotest.OneByteReader(strings.NewReader(text)))
			if err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("length %d %s: %v", n, name, err)
			}
		}
	}
}

// sealedArmorRefusals are texts §3.1 refuses, each broken in one way.
func sealedArmorRefusals() map[string]string {
	body := strings.Split(strings.TrimSuffix(handArmor(sealedLike(200, 9), "\n"), "\n"), "\n")
	lines := body[1 : len(body)-1] // 64, 64, 64, 64, 12
	doc := func(ls ...string) string {
		return strings.Join(append(append([]string{sealedBegin}, ls...), sealedEnd, ""), "\n")
	}
	with := func(i int, l string) []string {
		c := append([]string(nil), lines...)
		c[i] = l
		return c
	}
	return map[string]string{
		"short middle line":     doc(with(1, lines[1][:60])...),
		"long line":             doc(append([]string{lines[0] + lines[1][:4]}, lines[2:]...)...),
		"bad character":         doc(with(1, lines[1][:10]+"*"+lines[1][11:])...),
		"CR inside a line":      doc(with(1, lines[1][:10]+"\r\r\r\r"+lines[1][14:])...),
		"base64url":             doc(with(0, "-_"+lines[0][2:])...),
		"padding in the middle": doc(with(1, lines[1][:60]+"AA==")...),
		"padding inside":        doc(with(1, lines[1][:10]+"="+lines[1][11:])...),
		"three =":               doc("A==="),
		"non-canonical ==":      doc("AQRkeh=="),
		"non-canonical =":       doc("AQRkegB="),
		"unpadded last line":    doc("AQRkeg"),
		"missing END":           strings.Join(append([]string{sealedBegin}, lines...), "\n") + "\n",
		"wrong END":             strings.Replace(doc(lines...), sealedEnd, "-----END HYBRIDKEM PUBLIC KEY-----", 1),
		"text after END":        doc(lines...) + "more",
		"wrong label":           strings.Replace(doc(lines...), sealedBegin, "-----BEGIN HYBRIDKEM PUBLIC KEY-----", 1),
		"label/kind mismatch":   doc(base64.StdEncoding.EncodeToString([]byte{1, 1, 0x64, 0x7a, 9, 9})),
		"header line":           doc(append([]string{"Proc-Type: 4,ENCRYPTED", ""}, lines...)...),
		"empty line":            doc(append([]string{lines[0], ""}, lines[1:]...)...),
		"no base64":             doc(),
		"empty input":           "",
		"whitespace only":       " \n\t\r\n",
		"mixed CRLF in LF":      strings.Replace(doc(lines...), lines[1]+"\n", lines[1]+"\r\n", 1),
		"mixed LF in CRLF":      strings.Replace(strings.ReplaceAll(doc(lines...), "\n", "\r\n"), lines[2]+"\r\n", lines[2]+"\n", 1),
		"1025 spaces before":    strings.Repeat(" ", 1025) + doc(lines...),
		"BOM before BEGIN":      "\ufeff" + doc(lines...),
		"NBSP after END":        doc(lines...) + "\u00a0",
		"text before BEGIN":     "garbage" + doc(lines...),
		"BEGIN with a space":    strings.Replace(doc(lines...), sealedBegin, sealedBegin+" ", 1),
	}
}

func TestSealedArmorStreamRefusals(t *testing.T) {
	for name, text := range sealedArmorRefusals() {
		_, err := dearmorStream(strings.NewReader(text))
		if CodeOf(err) != ErrArmor {
			t.Errorf("%s: got %v, want ERR_ARMOR", name, err)
		}
	}
	// The 1024 spaces the rule allows are accepted.
	msg := sealedLike(100, 3)
	if got, err := dearmorStream(strings.NewReader(strings.Repeat(" ", 1024) + handArmor(msg, "\n"))); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("1024 spaces: %v", err)
	}
}

// endless yields 'A' forever and counts what was read.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'A'
	}
	e.n += len(p)
	return len(p), nil
}

func TestSealedArmorStreamOverLongLineBounded(t *testing.T) {
	src := &endless{}
	_, err := dearmorStream(io.MultiReader(strings.NewReader(sealedBegin+"\n"), src))
	if CodeOf(err) != ErrArmor || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("got %v", err)
	}
	if src.n > 2*armorStreamMaxLineHeld {
		t.Fatalf("read %d bytes of an endless line before refusing it", src.n)
	}
}

// TestSealedArmorStreamCorpus is the Go side of the TypeScript cross-check
// (packages/seal/test/armor-stream-go.test.ts), which sets
// HYBRIDKEM_ARMOR_STREAM_CORPUS to a folder holding corpus.json: texts to
// dearmor and byte strings to armor. It writes go-results.json there with
// Go's verdict and output for each; the TypeScript test compares them with
// its own. Without the variable there is nothing to compare.
func TestSealedArmorStreamCorpus(t *testing.T) {
	dir := os.Getenv("HYBRIDKEM_ARMOR_STREAM_CORPUS")
	if dir == "" {
		t.Skip("run by packages/seal/test/armor-stream-go.test.ts")
	}
	var corpus struct {
		Dearmor map[string][]byte `json:"dearmor"`
		Armor   map[string][]byte `json:"armor"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "corpus.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &corpus); err != nil {
		t.Fatal(err)
	}
	type verdict struct {
		Code   string `json:"code"`
		Output []byte `json:"output"`
	}
	results := struct {
		Dearmor map[string]verdict `json:"dearmor"`
		Armor   map[string]string  `json:"armor"`
	}{map[string]verdict{}, map[string]string{}}
	for name, text := range corpus.Dearmor {
		out, err := dearmorStream(iotest.HalfReader(bytes.NewReader(text)))
		if err != nil {
			results.Dearmor[name] = verdict{Code: string(CodeOf(err))}
		} else {
			results.Dearmor[name] = verdict{Code: "ok", Output: out}
		}
	}
	for name, in := range corpus.Armor {
		results.Armor[name] = armorStream(t, in, 5)
	}
	js, _ := json.Marshal(results)
	if err := os.WriteFile(filepath.Join(dir, "go-results.json"), js, 0o600); err != nil {
		t.Fatal(err)
	}
}
