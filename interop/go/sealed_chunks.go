package hybridkem

import "fmt"

// The chunking of WIRE-FORMAT.md §7.3 and §7.4 steps 4 and 5, shared by the
// sealed messages of §7 (HPKE context) and the payload of §10 (its own
// AEAD key and nonces).

// checkChunkSizeExponent is the range of the chunk size exponent e (§7.2).
func checkChunkSizeExponent(e int) error {
	if e < MinChunkSizeExponent || e > MaxChunkSizeExponent {
		return newErr(ErrInvalidArgument, "chunkSizeExponent", "10..22", fmt.Sprint(e))
	}
	return nil
}

// sealedAAD is §7.3: aad_i = flag_i ‖ user_aad.
func sealedAAD(flag byte, userAAD []byte) []byte {
	out := make([]byte, 0, 1+len(userAAD))
	return append(append(out, flag), userAAD...)
}

// finalChunkIndex is n = max(0, ceil(L / C) − 1) for C = 2^e: chunks 0..n-1
// are full, chunk n is final.
func finalChunkIndex(plaintextSize, e int) int {
	c := 1 << e
	if plaintextSize == 0 {
		return 0
	}
	return (plaintextSize+c-1)/c - 1
}

// sealChunks appends the chunks of plaintext (§7.3) to out, each sealed by
// seal with aad_i; seal's errors are returned as they are.
func sealChunks(out, plaintext []byte, e int, aad []byte, seal func(aad, plaintext []byte) ([]byte, error)) ([]byte, error) {
	c := 1 << e
	n := finalChunkIndex(len(plaintext), e)
	for i := 0; i <= n; i++ {
		flag := byte(sealedFlagNonFinal)
		if i == n {
			flag = sealedFlagFinal
		}
		ct, err := seal(sealedAAD(flag, aad), plaintext[i*c:min((i+1)*c, len(plaintext))])
		if err != nil {
			return nil, err
		}
		out = append(out, ct...)
	}
	return out, nil
}

// chunkOpener opens one chunk. A chunk that does not open is ok == false
// (ERR_AUTHENTICATION naming the chunk); err is a failure of the reader
// itself (the §10 nonce limit), returned as it is.
type chunkOpener func(aad, ciphertext []byte) (plaintext []byte, ok bool, err error)

// openChunks is §7.4 steps 4 and 5 over rest, the bytes after the header
// and enc: non-final chunks are full S-byte chunks with at least one more
// byte after them, the final chunk is the rest.
func openChunks(rest []byte, e int, aad []byte, open chunkOpener) ([]byte, error) {
	s := 1<<e + sealedTagSize
	var out []byte
	i := 0
	for len(rest) > s {
		p, ok, err := open(sealedAAD(sealedFlagNonFinal, aad), rest[:s])
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, newErr(ErrAuthentication, fmt.Sprintf("chunk %d", i), "", "")
		}
		out = append(out, p...)
		rest = rest[s:]
		i++
	}
	if len(rest) < sealedTagSize {
		return nil, newErr(ErrTruncated, "final chunk", fmt.Sprintf(">= %d bytes", sealedTagSize), fmt.Sprintf("%d bytes", len(rest)))
	}
	p, ok, err := open(sealedAAD(sealedFlagFinal, aad), rest)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, newErr(ErrAuthentication, fmt.Sprintf("chunk %d (final)", i), "", "")
	}
	if len(p) == 0 && i > 0 {
		return nil, newErr(ErrInvalidArgument, "final chunk", "non-empty after a full chunk", "empty")
	}
	out = append(out, p...)
	if out == nil {
		out = []byte{}
	}
	return out, nil
}
