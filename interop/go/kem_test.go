package hybridkem

import (
	"bytes"
	"crypto/ecdh"
	"crypto/sha3"
	"math/big"
	"path/filepath"
	"strconv"
	"testing"
)

func TestKEMRoundTrip(t *testing.T) {
	for _, s := range Suites() {
		for i := uint32(0); i < 4; i++ {
			f := newFixture(t, s, i)
			ss, err := s.Decapsulate(f.seed, f.ct)
			if err != nil {
				t.Fatalf("%s #%d: %v", s.Name, i, err)
			}
			checkSecret(t, s.Name+" round trip", ss, f.ss)
			// Implicit rejection: a wrong ML-KEM ciphertext is not an error.
			bad := append([]byte(nil), f.ct...)
			bad[0] ^= 1
			ss2, err := s.Decapsulate(f.seed, bad)
			if err != nil {
				t.Errorf("%s: tampered ML-KEM ciphertext gave an error: %v", s.Name, err)
			} else if bytes.Equal(ss2, f.ss) {
				t.Errorf("%s: tampered ciphertext gave the same shared secret", s.Name)
			}
		}
	}
}

func TestKEMInputChecks(t *testing.T) {
	for _, s := range hybridSuites() {
		f := newFixture(t, s, 0)
		rnd := VectorInput(s, 0, "randomness")
		elem := s.group.elementSize

		badM := append([]byte(nil), f.pk...)
		badM[0], badM[1] = 0xff, 0x0f
		_, _, err := s.Encapsulate(badM, rnd)
		wantCode(t, s.Name+" encapsulate: ML-KEM modulus", err, ErrInvalidMLKEMKey)

		_, _, err = s.Encapsulate(withTail(f.pk, badPoint(s, f.pk[len(f.pk)-elem:])), rnd)
		wantCode(t, s.Name+" encapsulate: bad traditional key", err, ErrInvalidGroupElement)

		_, err = s.Decapsulate(f.seed, withTail(f.ct, badPoint(s, f.ct[len(f.ct)-elem:])))
		wantCode(t, s.Name+" decapsulate: bad ephemeral key", err, ErrInvalidGroupElement)

		_, _, err = s.Encapsulate(f.pk[1:], rnd)
		wantCode(t, s.Name+" short public key", err, ErrTruncated)
		_, _, err = s.Encapsulate(f.pk, append(rnd, 0))
		wantCode(t, s.Name+" long randomness", err, ErrTrailingData)
		_, err = s.Decapsulate(f.seed[1:], f.ct)
		wantCode(t, s.Name+" short seed", err, ErrTruncated)
		_, err = s.Decapsulate(f.seed, append(f.ct, 0))
		wantCode(t, s.Name+" long ciphertext", err, ErrTrailingData)
	}
}

func TestScalarInRange(t *testing.T) {
	for _, g := range []*ecGroup{groupP256, groupP384} {
		n := new(big.Int).SetBytes(g.order)
		one := big.NewInt(1)
		vals := []*big.Int{big.NewInt(0), one, new(big.Int).Sub(n, one), n, new(big.Int).Add(n, one),
			new(big.Int).Sub(new(big.Int).Lsh(one, uint(8*g.scalarSize)), one)}
		xof := sha3.NewSHAKE256()
		for range 200 {
			b := make([]byte, g.scalarSize)
			xof.Read(b)
			vals = append(vals, new(big.Int).SetBytes(b))
		}
		for _, v := range vals {
			k := v.FillBytes(make([]byte, g.scalarSize))
			want := v.Sign() > 0 && v.Cmp(n) < 0
			if got := scalarInRange(k, g.order); got != want {
				t.Errorf("%s: scalarInRange(%x) = %v, want %v", g.name, k, got, want)
			}
		}
	}
}

func TestRandomScalarRejection(t *testing.T) {
	// Windows out of range (n, then 0) are skipped; the next one is used.
	g := groupP256
	valid := bytes.Repeat([]byte{0x11}, 32)
	stream := bytes.Join([][]byte{g.order, make([]byte, 32), valid}, nil)
	sk, err := g.sampleScalar(bytes.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sk.Bytes(), valid) {
		t.Errorf("picked %x, want the third window", sk.Bytes())
	}
	_, err = g.sampleScalar(bytes.NewReader(g.order))
	wantCode(t, "stream that ends", err, ErrInvalidSeed)

	// §1.1: 16 rejected windows fail; a valid 16th window is still taken.
	bad15 := bytes.Repeat(g.order, 15)
	sk, err = g.sampleScalar(bytes.NewReader(bytes.Join([][]byte{bad15, valid}, nil)))
	if err != nil || !bytes.Equal(sk.Bytes(), valid) {
		t.Errorf("16th window not taken: %v", err)
	}
	_, err = g.sampleScalar(bytes.NewReader(bytes.Join([][]byte{bad15, g.order, valid}, nil)))
	wantCode(t, "17th window", err, ErrInvalidSeed)
}

// TestWycheproofX25519 checks the low-order detection used by the decoder
// and by (de)capsulation: every public key whose shared secret is all zero
// must be rejected, every other must be accepted and give the listed secret.
func TestWycheproofX25519(t *testing.T) {
	var f struct {
		TestGroups []struct {
			Tests []struct {
				TcID    int      `json:"tcId"`
				Public  string   `json:"public"`
				Private string   `json:"private"`
				Shared  string   `json:"shared"`
				Result  string   `json:"result"`
				Flags   []string `json:"flags"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	readJSON(t, filepath.Join(sharedVectorsDir, "wycheproof", "x25519_test.json"), &f)
	n, zero := 0, 0
	for _, g := range f.TestGroups {
		for _, c := range g.Tests {
			n++
			pub := unhex(t, "public", c.Public)
			shared := unhex(t, "shared", c.Shared)
			isZero := bytes.Equal(shared, make([]byte, 32))
			_, perr := groupX25519.parseElement("public", pub)
			if isZero {
				zero++
				wantCode(t, "tcId "+strconv.Itoa(c.TcID)+" low-order public key", perr, ErrInvalidGroupElement)
				continue
			}
			if perr != nil {
				t.Errorf("tcId %d (%v): rejected: %v", c.TcID, c.Flags, perr)
				continue
			}
			sk, _ := ecdh.X25519().NewPrivateKey(unhex(t, "private", c.Private))
			pk, _ := ecdh.X25519().NewPublicKey(pub)
			got, err := groupX25519.dh("public", sk, pk)
			if err != nil || !bytes.Equal(got, shared) {
				t.Errorf("tcId %d: wrong shared secret (err %v)", c.TcID, err)
			}
		}
	}
	t.Logf("wycheproof x25519: %d cases, %d low-order rejected", n, zero)
}
