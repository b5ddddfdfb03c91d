package fc_test

import (
	"errors"
	"testing"

	"github.com/fcmock/fcmock/internal/fc"
)

// FuzzPageToken checks page tokens against arbitrary input:
//   - Decode never panics and fails only with ErrInvalidPageToken;
//   - a token Decode accepts is the one Encode makes for its cursor (one spelling per cursor);
//   - Encode then Decode returns the cursor, and only for the same key and fingerprint;
//   - a valid token with one character replaced is rejected, or still spells its cursor.
func FuzzPageToken(f *testing.F) {
	tokens := fc.NewPageTokens(nil)
	fp := fc.NewFingerprint("svc", "", "fn", "", "", "-", "-", "false")
	for _, s := range []struct {
		tok     string
		started int64
		id      string
		filter  string
		pos     uint16
		char    byte
	}{
		{tokens.Encode(fc.Cursor{StartedTime: 2000, InvocationID: "job-a"}, fp), 2000, "job-a", "svc", 0, 'A'},
		{tokens.Encode(fc.Cursor{StartedTime: 1604915193000, InvocationID: "job-20201109-0001"}, fp), 0, "", "", 40, 'x'},
		{"", -1, "id", "filter", 3, '-'},
		{"AQ", 1 << 62, "\x00\xff", "a\x00b", 1, '_'},
		{"e026ae92-61e5-472f-b32d-1c9e3c4e0000", -1 << 63, "e026ae92-61e5-472f-b32d-1c9e3c4e0000", "x", 7, '='},
		{"caeba0be030000f84eb48b699f0a4883", 1<<63 - 1, "caeba0be", "", 31, 'B'},
		{"AQAAAAAAAAAAAAAAAAAAAAAA", 0, "", "", 23, 'B'},
		{"!!!!", 5, "a b", "c", 0, '+'},
		{"AQ==", 5, "\u00e9", "d", 2, '/'},
	} {
		f.Add(s.tok, s.started, s.id, s.filter, s.pos, s.char)
	}
	f.Fuzz(func(t *testing.T, tok string, started int64, id, filter string, pos uint16, char byte) {
		checkDecode(t, tokens, tok, fp)
		c := fc.Cursor{StartedTime: started, InvocationID: id}
		other := fc.NewFingerprint(filter)
		enc := tokens.Encode(c, other)
		got, err := tokens.Decode(enc, other)
		if err != nil || got != c {
			t.Fatalf("Decode(Encode(%+v)) = %+v, %v", c, got, err)
		}
		if _, err := tokens.Decode(enc, fc.NewFingerprint(filter, "")); err == nil {
			t.Fatalf("token %q accepted for another fingerprint", enc)
		}
		if _, err := fc.NewPageTokens([]byte("another key")).Decode(enc, other); err == nil {
			t.Fatalf("token %q accepted under another key", enc)
		}
		mutated := []byte(enc)
		mutated[int(pos)%len(mutated)] = char
		checkDecode(t, tokens, string(mutated), other)
	})
}

// checkDecode asserts Decode rejects tok with ErrInvalidPageToken or accepts exactly the
// spelling Encode gives the cursor it decodes to.
func checkDecode(t *testing.T, tokens *fc.PageTokens, tok string, fp fc.Fingerprint) {
	t.Helper()
	c, err := tokens.Decode(tok, fp)
	if err != nil {
		if !errors.Is(err, fc.ErrInvalidPageToken) {
			t.Fatalf("Decode(%q) err = %v, not ErrInvalidPageToken", tok, err)
		}
		return
	}
	if again := tokens.Encode(c, fp); again != tok {
		t.Fatalf("Decode accepted %q as %+v, whose token is %q", tok, c, again)
	}
}

// Regression (found by FuzzPageToken): base64's unused low bits of a token's last character were
// ignored, so several spellings of one token were accepted. Each cursor has one token.
func TestPageTokenWithAlteredPaddingBitsIsRejected(t *testing.T) {
	tokens := fc.NewPageTokens(nil)
	fp := fc.NewFingerprint("svc", "fn")
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for _, id := range []string{"a", "ab", "abc", "job-20201109-0001"} {
		tok := tokens.Encode(fc.Cursor{StartedTime: 1000, InvocationID: id}, fp)
		last := tok[len(tok)-1]
		for i := 0; i < len(alphabet); i++ {
			if alphabet[i] == last {
				continue
			}
			alt := tok[:len(tok)-1] + string(alphabet[i])
			if c, err := tokens.Decode(alt, fp); err == nil {
				t.Errorf("id %q: token %q accepted as %+v; only %q spells it", id, alt, c, tok)
			}
		}
	}
}

// Regression (found by FuzzPageToken): base64 decoding skips '\r' and '\n' anywhere in its input,
// so a token with line breaks inside was accepted as the token without them.
func TestPageTokenWithLineBreaksIsRejected(t *testing.T) {
	tokens := fc.NewPageTokens(nil)
	fp := fc.NewFingerprint("svc", "fn")
	tok := tokens.Encode(fc.Cursor{StartedTime: 1604915193000, InvocationID: "job-20201109-0001"}, fp)
	for _, alt := range []string{tok[:10] + "\r" + tok[10:], tok[:10] + "\n" + tok[10:], "\r\n" + tok, tok + "\n"} {
		if c, err := tokens.Decode(alt, fp); err == nil {
			t.Errorf("token %q accepted as %+v; only %q spells it", alt, c, tok)
		}
	}
}
