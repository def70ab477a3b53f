package hybridkem

import (
	"bytes"
	"crypto/hpke"
	"fmt"
	"testing"
)

// hpke_schedule.go against Go's own crypto/hpke, on the KEMs crypto/hpke has
// (X-Wing = MLKEM768X25519, MLKEM768P256, MLKEM1024P384), for every KDF and
// AEAD of RFC 9180 §7: same shared secret and info in, same ciphertexts and
// exported secrets out, in both directions. crypto/hpke draws its own
// encapsulation randomness, so direction 1 feeds its enc to this package's
// Decapsulate and rebuilds its context from that shared secret.
func TestScheduleMatchesCryptoHPKE(t *testing.T) {
	kems := []struct {
		suite *Suite
		kem   func() hpke.KEM
	}{
		{suiteXWing, hpke.MLKEM768X25519},
		{suiteHPKEMLKEM768P256, hpke.MLKEM768P256},
		{suiteHPKEMLKEM1024P384, hpke.MLKEM1024P384},
	}
	kdfs := []uint16{KDFHKDFSHA256, KDFHKDFSHA384, KDFHKDFSHA512}
	aeads := []uint16{AEADAES128GCM, AEADAES256GCM, AEADChaCha20Poly1305}
	info := []byte("schedule check info")
	for _, k := range kems {
		seed := bytes.Repeat([]byte{0x5c}, SeedSize)
		pub, sk := keyPairBoth(t, k.suite, k.kem(), seed)
		for _, kdfID := range kdfs {
			for _, aeadID := range aeads {
				t.Run(fmt.Sprintf("%s/kdf%d/aead%d", k.suite.Name, kdfID, aeadID), func(t *testing.T) {
					kdf, err := hpke.NewKDF(kdfID)
					if err != nil {
						t.Fatal(err)
					}
					aead, err := hpke.NewAEAD(aeadID)
					if err != nil {
						t.Fatal(err)
					}
					msgs := [][]byte{nil, []byte("one"), testPlaintext(1000), []byte("three")}
					aad := func(i int) []byte { return []byte{byte(i), 0xaa} }

					// 1. crypto/hpke seals; ours seals the same and opens crypto/hpke's.
					enc, sender, err := hpke.NewSender(sk.PublicKey(), kdf, aead, info)
					if err != nil {
						t.Fatal(err)
					}
					ourS, err := setupBaseR(k.suite, kdfID, aeadID, enc, seed, info) // same secret: a context to seal with
					if err != nil {
						t.Fatal(err)
					}
					ourR, err := setupBaseR(k.suite, kdfID, aeadID, enc, seed, info)
					if err != nil {
						t.Fatal(err)
					}
					for i, m := range msgs {
						want, err := sender.Seal(aad(i), m)
						if err != nil {
							t.Fatal(err)
						}
						got, err := ourS.Seal(aad(i), m)
						if err != nil {
							t.Fatal(err)
						}
						if !bytes.Equal(got, want) {
							t.Fatalf("message %d: our ciphertext differs from crypto/hpke's", i)
						}
						pt, err := ourR.Open(aad(i), want)
						if err != nil || !bytes.Equal(pt, m) {
							t.Fatalf("message %d: crypto/hpke's ciphertext does not open here: %v", i, err)
						}
					}
					wantExp, _ := sender.Export("exporter ctx", 48)
					gotExp, err := ourS.Export([]byte("exporter ctx"), 48)
					if err != nil || !bytes.Equal(gotExp, wantExp) {
						t.Fatalf("Export differs from crypto/hpke's: %v", err)
					}

					// 2. ours seals (own encapsulation); crypto/hpke opens.
					enc2, ours, err := setupBaseS(k.suite, kdfID, aeadID, pub, info)
					if err != nil {
						t.Fatal(err)
					}
					recipient, err := hpke.NewRecipient(enc2, sk, kdf, aead, info)
					if err != nil {
						t.Fatal(err)
					}
					for i, m := range msgs {
						ct, err := ours.Seal(aad(i), m)
						if err != nil {
							t.Fatal(err)
						}
						pt, err := recipient.Open(aad(i), ct)
						if err != nil || !bytes.Equal(pt, m) {
							t.Fatalf("message %d: crypto/hpke does not open ours: %v", i, err)
						}
					}
					wantExp, _ = recipient.Export("exporter ctx", 48)
					gotExp, _ = ours.Export([]byte("exporter ctx"), 48)
					if !bytes.Equal(gotExp, wantExp) {
						t.Fatal("Export (direction 2) differs from crypto/hpke's")
					}

					// The suite_id is bound: another kem_id gives other bytes.
					ss, err := k.suite.Decapsulate(seed, enc)
					if err != nil {
						t.Fatal(err)
					}
					wrong, err := keyScheduleBase(k.suite.ID^0x0100, kdfID, aeadID, ss, info)
					if err != nil {
						t.Fatal(err)
					}
					first, _ := hpke.NewRecipient(enc, sk, kdf, aead, info)
					ct, _ := wrong.Seal(aad(0), msgs[0])
					if _, err := first.Open(aad(0), ct); err == nil {
						t.Fatal("a context with another kem_id in its suite_id interoperates")
					}
				})
			}
		}
	}
}

// Whole sealed messages for the registered KEMs: sealed with crypto/hpke,
// opened with hpke_schedule.go, and the reverse.
func TestSealedOwnScheduleAgainstCryptoHPKE(t *testing.T) {
	info, aad := []byte("i"), []byte("a")
	for _, k := range sealedKEMs[:3] {
		seed := bytes.Repeat([]byte{0x21}, SeedSize)
		pub, _ := k.suite.DeriveKeyPair(seed)
		for _, aeadID := range sealedAEADs {
			for _, n := range []int{0, 70000} {
				pt := testPlaintext(n)
				for _, sealOwn := range []bool{false, true} {
					sealed, err := sealMessageWith(k.suite.ID, pub, pt, info, aad, KDFHKDFSHA256, aeadID, DefaultChunkSizeExponent, sealOwn)
					if err != nil {
						t.Fatal(err)
					}
					got, err := openMessageWith(seed, sealed, info, aad, k.suite.ID, KDFHKDFSHA256, aeadID, !sealOwn)
					if err != nil || !bytes.Equal(got, pt) {
						t.Fatalf("%s aead %d n %d sealed own=%v: %v", k.suite.Name, aeadID, n, sealOwn, err)
					}
				}
			}
		}
	}
}

func TestScheduleSequenceAndErrors(t *testing.T) {
	ctx, err := keyScheduleBase(KEMX25519MLKEM768, KDFHKDFSHA256, AEADChaCha20Poly1305, make([]byte, 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := keyScheduleBase(KEMX25519MLKEM768, KDFHKDFSHA256, AEADChaCha20Poly1305, make([]byte, 32), nil)
	c0, _ := ctx.Seal(nil, []byte("x"))
	c1, _ := ctx.Seal(nil, []byte("x"))
	if bytes.Equal(c0, c1) {
		t.Fatal("the nonce did not change with the sequence number")
	}
	if _, err := r.Open(nil, c1); err == nil {
		t.Fatal("chunk 1 opened at sequence number 0")
	}
	if _, err := r.Open(nil, c0); err != nil { // a failed Open does not advance the sequence number
		t.Fatal(err)
	}
	if _, err := r.Open(nil, c1); err != nil {
		t.Fatal(err)
	}
	_, err = keyScheduleBase(KEMXWing, 0x0011, AEADAES256GCM, make([]byte, 32), nil)
	wantSealedCode(t, err, ErrUnknownSuite)
	_, err = keyScheduleBase(KEMXWing, KDFHKDFSHA256, 0x0004, make([]byte, 32), nil)
	wantSealedCode(t, err, ErrUnknownSuite)
}
