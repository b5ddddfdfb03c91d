package fc

import (
	"errors"
	"testing"
)

// TestDecodeRefusesATruncatedVarintUnderAValidMAC pins the varint check: a token whose MAC is
// right but whose startedTime varint is cut short (a lone continuation byte) must not decode to
// startedTime 0 and the rest as the id.
func TestDecodeRefusesATruncatedVarintUnderAValidMAC(t *testing.T) {
	p := NewPageTokens(nil)
	fp := NewFingerprint("svc", "fn")
	for _, body := range [][]byte{
		{tokenVersion, 0x80},             // continuation bit set, nothing follows
		{tokenVersion, 0xff, 0xff, 0xff}, // three continuation bytes, nothing follows
	} {
		raw := append(append([]byte(nil), body...), p.mac(body, fp)...)
		tok := tokenEncoding.EncodeToString(raw)
		if c, err := p.Decode(tok, fp); !errors.Is(err, ErrInvalidPageToken) {
			t.Errorf("Decode(% x + valid mac) = %+v, %v; want ErrInvalidPageToken", body, c, err)
		}
	}
}
