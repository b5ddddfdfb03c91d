package fc

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// FC request signature, API 2016-08-15 ("FC" scheme; wire facts section 7):
//
//	StringToSign  = METHOD \n Content-MD5 \n Content-Type \n Date \n CanonicalizedFCHeaders CanonicalizedResource
//	Authorization = "FC " + AccessKeyID + ":" + Base64(HMAC-SHA256(AccessKeySecret, StringToSign))

// Credentials is one key pair the verifier knows; SecurityToken is non-empty for STS credentials.
type Credentials struct {
	AccessKeyID, AccessKeySecret, SecurityToken string
}

// MaxClockSkew is how far the Date header may be from the server's clock, either way.
const MaxClockSkew = 15 * time.Minute

// One sentinel per way a request can fail verification; Verify wraps them in *Error.
var (
	ErrMissingAuthorization   = errors.New("fc: missing Authorization header")
	ErrMalformedAuthorization = errors.New("fc: malformed Authorization header")
	ErrMissingDate            = errors.New("fc: missing Date header")
	ErrMalformedDate          = errors.New("fc: malformed Date header")
	ErrClockSkew              = errors.New("fc: request time too skewed")
	ErrUnknownAccessKey       = errors.New("fc: unknown access key ID")
	ErrSecurityTokenMismatch  = errors.New("fc: security token mismatch")
	ErrSignatureMismatch      = errors.New("fc: signature mismatch")
)

const (
	headerAuthorization = "Authorization"
	headerDate          = "Date"
	// headerFCDate stands in for Date, which browsers may not set: Java copies it into Date
	// before signing, and the 2021 API documents it (wire facts section 6).
	headerFCDate      = "x-fc-date"
	headerContentMD5  = "Content-MD5"
	headerContentType = "Content-Type"
	authScheme        = "FC "
	fcHeaderPrefix    = "x-fc-"
	// sigProxyPrefix marks HTTP-trigger paths, the only ones whose query is signed.
	sigProxyPrefix = "/" + APIVersion + "/proxy/"
	// sigExpiresKey is the signed-URL expiry; its value replaces the Date line (section 7.3).
	sigExpiresKey = "x-fc-expires"
)

// StringToSign returns the text FC signs. path is signed as given (the Go SDK passes the
// escaped path, Node and Python the raw one). query matters only for /2016-08-15/proxy/
// paths, where the resource gains one sorted "key=value" line per value (a key with no
// values gives the bare key) and an x-fc-expires value replaces the Date line; for any
// other path the query is not signed.
//
// The Date line is the Date header or, when there is none, x-fc-date (which, being an x-fc-*
// header, is also signed among them): a browser cannot set Date.
//
// Header names match in any case. Content-MD5 is signed as received, whatever its encoding.
// A header with several values contributes its first value for Content-MD5, Content-Type
// and Date, and all values joined with "," for x-fc-* headers.
func StringToSign(method string, header http.Header, path string, query url.Values) string {
	in := sigInput{method: method, header: header, path: path, query: sigValuesLines(query)}
	return in.String()
}

// Signature returns Base64(HMAC-SHA256(secret, stringToSign)).
func Signature(secret, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Sign signs req as the FC SDKs do: it sets Date to now (unless req has one), the
// X-Fc-Security-Token of STS credentials, then Authorization. It signs
// req.URL.EscapedPath(), like the Go SDK; for proxy paths the query is taken from
// req.URL.RawQuery, so the result always passes Verify.
func Sign(req *http.Request, c Credentials, now time.Time) {
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	if sigHeaderValue(req.Header, headerDate) == "" {
		sigSetHeader(req.Header, headerDate, now.UTC().Format(http.TimeFormat))
	}
	if c.SecurityToken != "" {
		sigSetHeader(req.Header, HeaderSecurityToken, c.SecurityToken)
	}
	in := sigInput{
		method: req.Method, header: req.Header,
		path: req.URL.EscapedPath(), query: sigRawQueryLines(req.URL.RawQuery),
	}
	sigSetHeader(req.Header, headerAuthorization,
		authScheme+c.AccessKeyID+":"+Signature(c.AccessKeySecret, in.String()))
}

// ParseAuthorization splits "FC <AccessKeyID>:<Signature>". The scheme is case-sensitive
// and followed by exactly one space; the key id is non-empty printable ASCII without
// spaces or ':'; the signature is canonical standard Base64 of 32 bytes (HMAC-SHA256),
// so that any value accepted re-formats to the same string.
func ParseAuthorization(v string) (accessKeyID, signature string, err error) {
	rest, ok := strings.CutPrefix(v, authScheme)
	if !ok {
		return "", "", fmt.Errorf("%w: does not start with %q", ErrMalformedAuthorization, authScheme)
	}
	id, sig, ok := strings.Cut(rest, ":")
	if !ok {
		return "", "", fmt.Errorf("%w: no ':' between access key ID and signature", ErrMalformedAuthorization)
	}
	if !sigValidKeyID(id) {
		return "", "", fmt.Errorf("%w: access key ID is empty or has spaces or control characters", ErrMalformedAuthorization)
	}
	raw, decErr := base64.StdEncoding.DecodeString(sig)
	if decErr != nil || len(raw) != sha256.Size || base64.StdEncoding.EncodeToString(raw) != sig {
		return "", "", fmt.Errorf("%w: signature is not the Base64 of a 32-byte HMAC-SHA256", ErrMalformedAuthorization)
	}
	return id, sig, nil
}

func sigValidKeyID(id string) bool {
	if id == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// Verifier checks FC signatures against a fixed set of credentials. It is immutable once
// built, so one Verifier may serve concurrent requests.
type Verifier struct {
	creds map[string]Credentials
}

// NewVerifier returns a Verifier that knows creds, keyed by AccessKeyID (a later duplicate wins).
func NewVerifier(creds ...Credentials) *Verifier {
	m := make(map[string]Credentials, len(creds))
	for _, c := range creds {
		m[c.AccessKeyID] = c
	}
	return &Verifier{creds: m}
}

// Verify checks req's Authorization, Date, STS token and signature at time now. Every error
// is an *Error whose code is what FC answers and which unwraps to one of the Err* sentinels.
// The cheap checks that need no secret come first.
func (v *Verifier) Verify(req *http.Request, now time.Time) error {
	id, sig, err := sigAuthorization(req.Header)
	if err != nil {
		return err
	}
	if err := sigCheckDate(req.Header, now); err != nil {
		return err
	}
	c, ok := v.creds[id]
	if !ok {
		return Wrap(ErrUnknownAccessKey, CodeInvalidAccessKeyID, fmt.Sprintf("invalid access key ID '%s'", id))
	}
	if err := sigCheckToken(req.Header, c); err != nil {
		return err
	}
	return sigCheckSignature(req, c.AccessKeySecret, sig)
}

func sigAuthorization(h http.Header) (id, sig string, err error) {
	v := sigHeaderValue(h, headerAuthorization)
	if v == "" {
		return "", "", Wrap(ErrMissingAuthorization, CodeAccessDenied,
			"the Authorization header is missing; sign the request as 'FC <AccessKeyID>:<Signature>'")
	}
	id, sig, err = ParseAuthorization(v)
	if err != nil {
		return "", "", Wrap(err, CodeAccessDenied,
			"the Authorization header is not of the form 'FC <AccessKeyID>:<Signature>'")
	}
	return id, sig, nil
}

// sigDate is the request time a signature covers: Date, or x-fc-date when Date is absent.
func sigDate(h http.Header) string {
	if d := sigHeaderValue(h, headerDate); d != "" {
		return d
	}
	return sigHeaderValue(h, headerFCDate)
}

func sigCheckDate(h http.Header, now time.Time) error {
	date := sigDate(h)
	if date == "" {
		return Wrap(ErrMissingDate, CodeMissingRequiredHeader, "required HTTP header Date was not specified")
	}
	t, err := http.ParseTime(date)
	if err != nil {
		return Wrap(ErrMalformedDate, CodeAccessDenied, fmt.Sprintf(
			"the Date header '%s' is not an RFC 1123 GMT date such as 'Mon, 09 Nov 2020 09:46:33 GMT'", date))
	}
	if d := now.Sub(t); d > MaxClockSkew || d < -MaxClockSkew {
		return Wrap(ErrClockSkew, CodeRequestTimeTooSkewed, fmt.Sprintf(
			"the difference between the request time '%s' and the current time '%s' is too large",
			date, now.UTC().Format(http.TimeFormat)))
	}
	return nil
}

// sigCheckToken requires the STS token of temporary credentials. The code is AccessDenied,
// not InvalidAccessKeyID: the key id is known and valid, and InvalidAccessKeyID's fixed
// text ("invalid access key ID '%s'") would send the caller to check the wrong thing.
func sigCheckToken(h http.Header, c Credentials) error {
	if c.SecurityToken == "" {
		return nil
	}
	got := sigHeaderValue(h, HeaderSecurityToken)
	if got == "" {
		return Wrap(ErrSecurityTokenMismatch, CodeAccessDenied, fmt.Sprintf(
			"access key ID '%s' is an STS key and requires the header %s", c.AccessKeyID, HeaderSecurityToken))
	}
	if !hmac.Equal([]byte(got), []byte(c.SecurityToken)) {
		return Wrap(ErrSecurityTokenMismatch, CodeAccessDenied, fmt.Sprintf(
			"the %s header does not match the security token of access key ID '%s'", HeaderSecurityToken, c.AccessKeyID))
	}
	return nil
}

// sigCheckSignature accepts a signature over any of the strings SDKs are known to sign
// (see sigCandidates). Every candidate is compared, so timing does not tell which matched.
func sigCheckSignature(req *http.Request, secret, sig string) error {
	candidates := sigCandidates(req)
	match := false
	for _, s := range candidates {
		if hmac.Equal([]byte(Signature(secret, s)), []byte(sig)) {
			match = true
		}
	}
	if match {
		return nil
	}
	// The message starts exactly as FC's does (the Node SDK's tests match that sentence, capital
	// T and period included). The string to sign is no secret: showing it (newlines escaped,
	// one line) lets a caller diff it against its own.
	return Wrap(ErrSignatureMismatch, CodeSignatureNotMatch, fmt.Sprintf(
		SignatureMismatchMessage+" Check your access key secret and signing method (string to sign: '%s')",
		strings.ReplaceAll(candidates[0], "\n", `\n`)))
}

// SignatureMismatchMessage is how FC's SignatureNotMatch message begins, word for word.
const SignatureMismatchMessage = "The request signature we calculated does not match the signature you provided."

// sigCandidates lists the strings to sign Verify accepts, the canonical one first:
//   - the escaped path (Go SDK) and, if different, the decoded path (Node, Python, Java);
//   - for non-proxy paths, also the path with "?" and the raw query appended: the 2018
//     signature page shows a resource with "?limit=100" although no SDK signs the query
//     there (wire facts 7.3 CONFLICT), so a client that follows the page is accepted too.
func sigCandidates(req *http.Request) []string {
	paths := []string{req.URL.EscapedPath()}
	if p := req.URL.Path; p != paths[0] {
		paths = append(paths, p)
	}
	lines := sigRawQueryLines(req.URL.RawQuery)
	var out []string
	for _, p := range paths {
		in := sigInput{method: req.Method, header: req.Header, path: p, query: lines}
		out = append(out, in.String())
		if !sigIsProxy(p) && req.URL.RawQuery != "" {
			in.path = p + "?" + req.URL.RawQuery
			out = append(out, in.String())
		}
	}
	return out
}

// sigInput is what a string to sign is built from; query holds the sorted canonical
// query lines, used only for proxy paths.
type sigInput struct {
	method string
	header http.Header
	path   string
	query  []string
}

func (in sigInput) String() string {
	method := strings.ToUpper(in.method)
	if method == "" {
		method = http.MethodGet // what net/http sends for an empty Method
	}
	date, resource := sigDate(in.header), in.path
	if sigIsProxy(in.path) {
		resource = in.path + "\n" + strings.Join(in.query, "\n")
		if exp, ok := sigExpires(in.query); ok {
			date = exp
		}
	}
	var b strings.Builder
	for _, s := range []string{method, sigHeaderValue(in.header, headerContentMD5),
		sigHeaderValue(in.header, headerContentType), date} {
		b.WriteString(s)
		b.WriteByte('\n')
	}
	sigWriteFCHeaders(&b, in.header)
	b.WriteString(resource)
	return b.String()
}

func sigIsProxy(path string) bool { return strings.HasPrefix(path, sigProxyPrefix) }

func sigExpires(lines []string) (string, bool) {
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l, sigExpiresKey+"="); ok {
			return v, true
		}
	}
	return "", false
}

// sigWriteFCHeaders writes every x-fc-* header as "name:value\n", names lower-cased and
// sorted. Keys that differ only in case are merged; values are joined with "," in sorted
// key order, so the result never depends on map order. Keys without values are skipped:
// net/http does not send them.
func sigWriteFCHeaders(b *strings.Builder, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	merged := make(map[string][]string)
	var names []string
	for _, k := range keys {
		lk := strings.ToLower(k)
		if !strings.HasPrefix(lk, fcHeaderPrefix) || len(h[k]) == 0 {
			continue
		}
		if _, seen := merged[lk]; !seen {
			names = append(names, lk)
		}
		merged[lk] = append(merged[lk], h[k]...)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString(n + ":" + strings.Join(merged[n], ",") + "\n")
	}
}

// sigHeaderValue returns the first value of header name matched in any case. net/http
// canonicalises received names, but hand-built headers (and the SDKs' own vectors) use
// lower-case keys, and "Content-MD5" is not canonical form.
func sigHeaderValue(h http.Header, name string) string {
	if v := h.Values(name); len(v) > 0 {
		return v[0]
	}
	best := ""
	for k := range h {
		if strings.EqualFold(k, name) && len(h[k]) > 0 && (best == "" || k < best) {
			best = k
		}
	}
	if best == "" {
		return ""
	}
	return h[best][0]
}

// sigSetHeader sets name after deleting every key equal to it in any case, so a
// hand-built lower-case key cannot survive next to the new value.
func sigSetHeader(h http.Header, name, value string) {
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
	h.Set(name, value)
}

// sigValuesLines renders query as sorted "key=value" lines; a key with no values gives
// the bare key (as the Go SDK's GetSignResourceWithQueries does).
func sigValuesLines(query url.Values) []string {
	var lines []string
	for k, vs := range query {
		if len(vs) == 0 {
			lines = append(lines, k)
			continue
		}
		for _, v := range vs {
			lines = append(lines, k+"="+v)
		}
	}
	sort.Strings(lines)
	return lines
}

// sigRawQueryLines renders a raw query like sigValuesLines, but from the wire text, so a
// parameter without "=" (Java sends a null value that way) stays a bare key while "k="
// gives "k=". Keys and values are decoded; text that does not decode is kept as sent.
func sigRawQueryLines(raw string) []string {
	var lines []string
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, hasValue := strings.Cut(part, "=")
		if !hasValue {
			lines = append(lines, sigUnescape(k))
			continue
		}
		lines = append(lines, sigUnescape(k)+"="+sigUnescape(v))
	}
	sort.Strings(lines)
	return lines
}

func sigUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}
