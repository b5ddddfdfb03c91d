package contract

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// sigChecks are the checks of the signature family, skipped together when the target is not
// known to verify signatures.
var sigChecks = []string{CheckSigUnsigned, CheckSigWrongSecret, CheckSigUnknownKey, CheckSigSkew,
	CheckSigMissingDate, CheckSigTampered, CheckSigAccepted, CheckSigSTSToken}

// sigLevel says how firmly FC documents the answer to a case, and so how a target that is not
// the mock is judged when it answers otherwise. The mock must give its own answer exactly.
type sigLevel int

const (
	// sigDocumented: status and code are FC's documented ones (SignatureNotMatch,
	// InvalidAccessKeyID, a 2xx for what every SDK sends); any other answer fails.
	sigDocumented sigLevel = iota
	// sigStatus: the status is documented, the code never observed (clock skew, wire facts
	// 7.5): another code only informs, and tells the user what FC really answers.
	sigStatus
	// sigRefusal: only "refused" is documented: a status of the case's pass list passes, a 2xx
	// or a 5xx fails, another status informs.
	sigRefusal
	// sigOpen: the doc does not decide (a Date 14 minutes off also depends on the two clocks):
	// a different answer informs.
	sigOpen
)

// sigCase is one request the signature family sends: a listing request (limit=1) signed with
// the target's credentials, then changed in one way, and the answer the mock gives to it.
type sigCase struct {
	check   string
	label   string // what was done to the request; the curl line hides Authorization
	prepare func(req *http.Request, now time.Time)
	status  int // 200 stands for any 2xx
	code    fc.Code
	level   sigLevel
	pass    []int // sigRefusal: the statuses that count as the refusal
}

// signature runs the signature/* checks, when the target says it verifies signatures: a target
// that lets every request in is not wrong unless it claims to check them. Each case goes
// through send, so conformance and no-5xx judge its answer too, and its curl line is redacted.
func (s *Suite) signature(ctx context.Context) error {
	if !s.target.VerifiesSignatures {
		s.skip("the target is not known to verify signatures (--verifies-signatures)", sigChecks...)
		return nil
	}
	c := *s.target.Credentials
	if c.SecurityToken == "" {
		s.skip("the credentials have no security token (they are not STS credentials)", CheckSigSTSToken)
	}
	// The wrong secret is all but one character of the right one: it must never be shown either.
	s.redact = append(s.redact, newRedactor(&fc.Credentials{AccessKeySecret: wrongSecret(c.AccessKeySecret)})...)
	for _, sc := range append(s.refusals(c), s.acceptances(c)...) {
		if err := s.expectSig(ctx, sc); err != nil {
			return err
		}
	}
	return nil
}

// refusals are the requests a verifying target must refuse, each the right request changed
// in one way.
func (s *Suite) refusals(c fc.Credentials) []sigCase {
	wrong, unknown, noToken := c, c, c
	wrong.AccessKeySecret = wrongSecret(c.AccessKeySecret)
	unknown.AccessKeyID = fmt.Sprintf("FCMOCKUNKNOWN%d", s.opts.Seed) // from the seed: reports replay
	noToken.SecurityToken = ""
	cases := []sigCase{
		{CheckSigUnsigned, "without Authorization", signThen(c, del("Authorization")), 403, fc.CodeAccessDenied, sigRefusal, []int{403}},
		{CheckSigWrongSecret, "signed with a wrong secret", signAt(wrong, 0), 403, fc.CodeSignatureNotMatch, sigDocumented, nil},
		{CheckSigUnknownKey, "signed with the unknown access key id " + unknown.AccessKeyID, signAt(unknown, 0),
			403, fc.CodeInvalidAccessKeyID, sigDocumented, nil},
		{CheckSigSkew, "a Date 16 minutes behind", signAt(c, -16*time.Minute), 403, fc.CodeRequestTimeTooSkewed, sigStatus, nil},
		{CheckSigSkew, "a Date 16 minutes ahead", signAt(c, 16*time.Minute), 403, fc.CodeRequestTimeTooSkewed, sigStatus, nil},
		{CheckSigSkew, "a Date 14 minutes behind", signAt(c, -14*time.Minute), 200, "", sigOpen, nil},
		{CheckSigSkew, "a Date 14 minutes ahead", signAt(c, 14*time.Minute), 200, "", sigOpen, nil},
		{CheckSigMissingDate, "signed, then Date removed", signThen(c, del("Date")), 400, fc.CodeMissingRequiredHeader, sigRefusal, []int{400, 403}},
		{CheckSigTampered, fc.HeaderTraceID + " changed after signing", tampered(c), 403, fc.CodeSignatureNotMatch, sigDocumented, nil},
	}
	if c.SecurityToken != "" {
		cases = append(cases, sigCase{CheckSigSTSToken, "STS credentials without " + fc.HeaderSecurityToken,
			signAt(noToken, 0), 403, fc.CodeAccessDenied, sigRefusal, []int{403}})
	}
	return cases
}

// acceptances are the SDKs' ways of signing a bodiless request (wire facts 7.4): each
// Content-MD5 encoding of the empty body, or none, each with and without Content-Type. All
// work against FC, so a verifying target must accept them all.
func (s *Suite) acceptances(c fc.Credentials) []sigCase {
	sum := md5.Sum(nil)
	hexSum := hex.EncodeToString(sum[:])
	md5s := [][2]string{
		{"no Content-MD5", ""},
		{"Content-MD5 in hex (Go SDK)", hexSum},
		{"Content-MD5 as Base64 of the hex (Node.js SDK)", base64.StdEncoding.EncodeToString([]byte(hexSum))},
		{"Content-MD5 as Base64 of the digest (Java SDK)", base64.StdEncoding.EncodeToString(sum[:])},
	}
	var cases []sigCase
	for _, m := range md5s {
		for _, ct := range []string{"", "application/json"} {
			ctLabel := "no Content-Type"
			if ct != "" {
				ctLabel = "Content-Type " + ct
			}
			cases = append(cases, sigCase{CheckSigAccepted, "signed with " + m[0] + " and " + ctLabel,
				signWith(c, m[1], ct), 200, "", sigDocumented, nil})
		}
	}
	return cases
}

// expectSig sends one case and judges the answer by its level.
func (s *Suite) expectSig(ctx context.Context, c sigCase) error {
	p := params(1, "")
	req, err := fcapi.NewListStatefulAsyncInvocationsRequest(s.target.BaseURL, s.target.segment(), s.target.Function, &p)
	if err != nil {
		return fmt.Errorf("contract: build request: %w", err)
	}
	if s.target.AccountID != "" { // before signing: send would add it after, unsigned
		req.Header.Set(fc.HeaderAccountID, s.target.AccountID)
	}
	c.prepare(req, time.Now())
	ex, err := s.sendAsPrepared(ctx, req)
	if err != nil || ex.err != nil {
		return err // no answer is no-5xx's finding
	}
	tr := s.start(c.check)
	s.judgeSig(tr, ex, c)
	tr.end()
	return nil
}

// sendAsPrepared sends req as the case left it: the case signed (or mis-signed) it itself, so
// the suite's own signing is held off for this one exchange. A Suite runs one request at a
// time, so no other exchange sees the credentials missing.
func (s *Suite) sendAsPrepared(ctx context.Context, req *http.Request) (*exchange, error) {
	creds := s.target.Credentials
	s.target.Credentials = nil
	defer func() { s.target.Credentials = creds }()
	return s.send(ctx, req)
}

func (s *Suite) judgeSig(tr *trial, ex *exchange, c sigCase) {
	e, _ := ex.fcError()
	want := c.label + ": " + c.want()
	switch {
	case c.status == 200 && ex.status/100 == 2 || ex.status == c.status && e.ErrorCode == string(c.code):
	case s.profile == ProfileMock || c.level == sigDocumented:
		tr.fail(ex, want, ex.summary())
	case c.level == sigOpen:
		tr.inform(ex, want+" (the doc does not say; fcmock answers so)", ex.summary())
	case ex.status < 400 || ex.status >= 500:
		tr.fail(ex, want+" (at least a refusal)", ex.summary())
	case c.level == sigStatus && ex.status == c.status:
		tr.inform(ex, want+" (FC's code for this was never observed; fcmock answers "+string(c.code)+")", ex.summary())
	case c.level == sigStatus:
		tr.fail(ex, want, ex.summary())
	case !slices.Contains(c.pass, ex.status):
		tr.inform(ex, fmt.Sprintf("%s (or any %v; the doc says only that it is refused)", want, c.pass), ex.summary())
	}
}

func (c sigCase) want() string {
	if c.status == 200 {
		return "2xx"
	}
	return fmt.Sprintf("%d %s", c.status, c.code)
}

// wrongSecret changes the secret's last character: a typo's distance from the right one, so
// only a target that really compares signatures refuses it. (Appending a NUL would not do:
// HMAC pads short keys with zeros.)
func wrongSecret(secret string) string {
	last := byte('x')
	if secret[len(secret)-1] == last {
		last = 'y'
	}
	return secret[:len(secret)-1] + string(last)
}

// signAt signs as the SDKs do, with the Date off the clock by skew.
func signAt(c fc.Credentials, skew time.Duration) func(*http.Request, time.Time) {
	return func(req *http.Request, now time.Time) { fc.Sign(req, c, now.Add(skew)) }
}

// signWith signs with Content-MD5 and Content-Type set first ("" leaves one out), so both are
// in the string to sign.
func signWith(c fc.Credentials, contentMD5, contentType string) func(*http.Request, time.Time) {
	return func(req *http.Request, now time.Time) {
		if contentMD5 != "" {
			req.Header.Set("Content-MD5", contentMD5)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		fc.Sign(req, c, now)
	}
}

// signThen signs correctly, then changes the signed request.
func signThen(c fc.Credentials, change func(http.Header)) func(*http.Request, time.Time) {
	return func(req *http.Request, now time.Time) {
		fc.Sign(req, c, now)
		change(req.Header)
	}
}

func del(name string) func(http.Header) { return func(h http.Header) { h.Del(name) } }

// tampered signs with a trace id, then changes it: every x-fc-* header is signed, so the
// signature no longer matches although key, secret and Date are right.
func tampered(c fc.Credentials) func(*http.Request, time.Time) {
	return func(req *http.Request, now time.Time) {
		req.Header.Set(fc.HeaderTraceID, "fcmock-contract")
		fc.Sign(req, c, now)
		req.Header.Set(fc.HeaderTraceID, "fcmock-contract-tampered")
	}
}
