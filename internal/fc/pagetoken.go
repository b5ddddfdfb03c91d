package fc

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
)

// Cursor is a position in a listing: the key (startedTime, invocationId) of the last invocation
// a page returned. The next page starts strictly after it in the listing's order.
type Cursor struct {
	StartedTime  int64
	InvocationID string
}

// ErrInvalidPageToken is returned by PageTokens.Decode for a token that was forged, truncated,
// altered, signed with another key, or issued for a query with other filters.
var ErrInvalidPageToken = errors.New("fc: invalid page token")

// Fingerprint identifies a query's filters and sort order: everything a token must be reused
// with. Build it with NewFingerprint.
type Fingerprint [sha256.Size]byte

// NewFingerprint hashes the query's parts, each preceded by its length so that no two different
// lists of parts hash alike ("a","bc" differs from "ab","c").
func NewFingerprint(parts ...string) Fingerprint {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, p := range parts {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(p)))])
		h.Write([]byte(p))
	}
	var fp Fingerprint
	h.Sum(fp[:0])
	return fp
}

var tokenEncoding = base64.RawURLEncoding.Strict()

// tokenVersion is the first byte of every token, so the format can change without old tokens
// being misread.
const tokenVersion = 1

// macSize is the length of the truncated HMAC-SHA256 a token carries (128 bits).
const macSize = 16

// defaultPageTokenKey is the key used when none is configured. It is fixed rather than random
// per process so that replicas behind a load balancer, and a restarted mock, accept each other's
// tokens. Tokens protect paging from mistakes, not secrets: configure a key to keep others from
// minting them.
const defaultPageTokenKey = "fcmock page tokens v1"

// DefaultPageTokenKey returns the key used when none is configured (a copy of a constant).
func DefaultPageTokenKey() []byte { return []byte(defaultPageTokenKey) }

// PageTokens mints and checks opaque page tokens: base64url(version | startedTime | id | mac),
// where mac = HMAC-SHA256(key, version | startedTime | id | fingerprint) truncated to 16 bytes.
// The fingerprint is not in the token; a token reused with other filters fails the MAC check.
type PageTokens struct {
	key []byte
}

// NewPageTokens returns a PageTokens using key, or DefaultPageTokenKey() when key is empty.
func NewPageTokens(key []byte) *PageTokens {
	if len(key) == 0 {
		key = []byte(defaultPageTokenKey)
	}
	return &PageTokens{key: append([]byte(nil), key...)}
}

// Encode returns the token for the page after c, for the query with fingerprint fp.
func (p *PageTokens) Encode(c Cursor, fp Fingerprint) string {
	body := make([]byte, 0, 1+binary.MaxVarintLen64+len(c.InvocationID)+macSize)
	body = append(body, tokenVersion)
	body = binary.AppendVarint(body, c.StartedTime)
	body = append(body, c.InvocationID...)
	body = append(body, p.mac(body, fp)...)
	return tokenEncoding.EncodeToString(body)
}

// Decode checks tok against fp and returns its cursor. It returns ErrInvalidPageToken for any
// token Encode did not produce for this key and fingerprint.
func (p *PageTokens) Decode(tok string, fp Fingerprint) (Cursor, error) {
	// Strict: the last character's unused bits must be zero, so each token has one spelling.
	// The decoder skips \r and \n wherever they are; the length check refuses them.
	raw, err := tokenEncoding.DecodeString(tok)
	if err != nil || len(tok) != tokenEncoding.EncodedLen(len(raw)) || len(raw) < 2+macSize || raw[0] != tokenVersion {
		return Cursor{}, ErrInvalidPageToken
	}
	body, mac := raw[:len(raw)-macSize], raw[len(raw)-macSize:]
	if !hmac.Equal(mac, p.mac(body, fp)) {
		return Cursor{}, ErrInvalidPageToken
	}
	started, n := binary.Varint(body[1:])
	if n <= 0 {
		return Cursor{}, ErrInvalidPageToken
	}
	return Cursor{StartedTime: started, InvocationID: string(body[1+n:])}, nil
}

func (p *PageTokens) mac(body []byte, fp Fingerprint) []byte {
	m := hmac.New(sha256.New, p.key)
	m.Write(body)
	m.Write(fp[:])
	return m.Sum(nil)[:macSize]
}
