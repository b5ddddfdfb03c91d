package contract_test

import (
	"bytes"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

var sigCreds = fc.Credentials{AccessKeyID: "AKIDSIGCONTRACT01", AccessKeySecret: "sig-contract-secret-0123456789"}

// newSigningMock serves the mock over the suite's data, verifying signatures with creds, behind
// wrap when it is not nil, and returns a target that signs with creds and says it verifies.
func newSigningMock(t testing.TB, creds fc.Credentials, wrap func(http.Handler) http.Handler) contract.Target {
	t.Helper()
	target := serveMock(t, mock.Options{Fixtures: dataSet(), Credentials: []fc.Credentials{creds}}, wrap)
	target.Credentials, target.VerifiesSignatures = &creds, true
	return target
}

// A sigFault is a fault of a signature-verifying target; sts runs it with STS credentials.
type sigFault struct {
	fault
	sts bool
}

func (f sigFault) creds() fc.Credentials {
	if f.sts {
		return stsCreds
	}
	return sigCreds
}

// sigFaults break one signature rule each. A wrapper sees only the wire, so some key on what
// only their case sends (a trace id, a Content-MD5), as the query faults key on one value.
var sigFaults = []sigFault{
	{fault{"unsigned requests signed by the target itself", contract.CheckSigUnsigned, "?limit=1'", 0,
		letIn(sigCreds, func(r *http.Request) bool { return r.Header.Get("Authorization") == "" })}, false},
	{fault{"a wrong secret answered AccessDenied", contract.CheckSigWrongSecret, "?limit=1'", 0,
		after(func(r *http.Request, a *answer) {
			if a.body["ErrorCode"] == string(fc.CodeSignatureNotMatch) && r.Header.Get(fc.HeaderTraceID) == "" {
				a.body["ErrorCode"] = string(fc.CodeAccessDenied)
			}
		})}, false},
	{fault{"an unknown key answered SignatureNotMatch", contract.CheckSigUnknownKey, "?limit=1'", 0,
		after(func(r *http.Request, a *answer) {
			if a.body["ErrorCode"] == string(fc.CodeInvalidAccessKeyID) {
				a.body["ErrorCode"] = string(fc.CodeSignatureNotMatch)
			}
		})}, false},
	{fault{"a skewed Date replaced by the target's clock", contract.CheckSigSkew, "Date: ", 0,
		letIn(sigCreds, func(r *http.Request) bool { return skewed(r, fc.MaxClockSkew) })}, false},
	{fault{"a 10-minute skew window", contract.CheckSigSkew, "Date: ", 0, refuseSkewBeyond(10 * time.Minute)}, false},
	// One direction at a time: the suite must send a skewed Date each way, not one way twice.
	{fault{"a Date far behind the clock let in", contract.CheckSigSkew, "Date: ", 0,
		letIn(sigCreds, func(r *http.Request) bool { return behind(r, fc.MaxClockSkew) })}, false},
	{fault{"a Date far ahead of the clock let in", contract.CheckSigSkew, "Date: ", 0,
		letIn(sigCreds, func(r *http.Request) bool { return ahead(r, fc.MaxClockSkew) })}, false},
	{fault{"a 10-minute window behind the clock", contract.CheckSigSkew, "Date: ", 0,
		refuse(func(r *http.Request) bool { return behind(r, 10*time.Minute) }, 403, fc.CodeRequestTimeTooSkewed)}, false},
	{fault{"a 10-minute window ahead of the clock", contract.CheckSigSkew, "Date: ", 0,
		refuse(func(r *http.Request) bool { return ahead(r, 10*time.Minute) }, 403, fc.CodeRequestTimeTooSkewed)}, false},
	{fault{"a missing Date read as now", contract.CheckSigMissingDate, "?limit=1'", 0,
		letIn(sigCreds, func(r *http.Request) bool { return r.Header.Get("Date") == "" && r.Header.Get("Authorization") != "" })}, false},
	{fault{"an x-fc-* header changed after signing let in", contract.CheckSigTampered, "fcmock-contract-tampered", 0,
		letIn(sigCreds, func(r *http.Request) bool {
			err := fc.NewVerifier(sigCreds).Verify(r, time.Now())
			return r.Header.Get(fc.HeaderTraceID) != "" && errors.Is(err, fc.ErrSignatureMismatch)
		})}, false},
	// Any 2xx is an acceptance: an undeclared 299 is conformance/status's finding alone.
	{fault{"a 299 for every signed request it accepts", contract.CheckStatus, "limit=100", 0,
		after(func(r *http.Request, a *answer) {
			if a.status == 200 {
				a.status = 299
			}
		})}, false},
	{fault{"Content-MD5 refused on a GET", contract.CheckSigAccepted, "Content-Md5: ", 0, refuseContentMD5()}, false},
	{fault{"Content-Type left out of a GET's string to sign", contract.CheckSigAccepted, "Content-Type: application/json", 0,
		func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.Header.Del("Content-Type") // the mock then signs without it: the signatures differ
				next.ServeHTTP(w, r)
			})
		}}, false},
	{fault{"an STS key let in without its token", contract.CheckSigSTSToken, "?limit=1'", 0,
		letIn(stsCreds, func(r *http.Request) bool {
			return r.Header.Get(fc.HeaderSecurityToken) == "" && r.Header.Get("Authorization") != ""
		})}, true},
}

// Each signature fault fails exactly its check, on the signing mock.
func TestEachSignatureCheckFailsOnItsFault(t *testing.T) {
	for _, f := range sigFaults {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			rep, err := contract.Run(t.Context(), newSigningMock(t, f.creds(), f.wrap), contract.Options{Seed: seed, Cases: -1})
			if err != nil {
				t.Fatal(err)
			}
			checkFault(t, f.fault, rep)
		})
	}
}

// On the clean signing mock every signature check runs and passes; sts-token needs STS
// credentials and says so otherwise.
func TestSigningMockPasses(t *testing.T) {
	tests := []struct {
		name        string
		givenCreds  fc.Credentials
		expectSkips []string
		accountID   string
	}{
		{"a plain key", sigCreds, []string{contract.CheckSigSTSToken}, ""},
		{"STS credentials", stsCreds, nil, ""},
		// X-Fc-Account-Id is an x-fc-* header, so signed: the suite sets it before signing.
		{"a plain key and an account id", sigCreds, []string{contract.CheckSigSTSToken}, "1234567890"},
		// The wrong secret changes the last character: to y when it is x.
		{"a secret ending in x", fc.Credentials{AccessKeyID: "AKIDSIGCONTRACT02", AccessKeySecret: "sig-contract-secret-x"},
			[]string{contract.CheckSigSTSToken}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			target := newSigningMock(t, tt.givenCreds, nil)
			target.AccountID = tt.accountID
			rep := contract.Test(t, target, contract.Options{Seed: seed, Cases: 8, MinInvocations: 10})
			for _, c := range rep.Results {
				// lifecycle/* and resources/* need Mutating: TestLifecycleSigned runs them signed.
				skip := slices.Contains(tt.expectSkips, c.Name) || strings.HasPrefix(c.Name, "lifecycle/") || strings.HasPrefix(c.Name, "resources/")
				if (c.Cases == 0) != skip || c.Informed > 0 {
					t.Errorf("%s: %d cases (%d informed), skipped %q; want skipped=%v and no information", c.Name, c.Cases, c.Informed, c.Skipped, skip)
				}
			}
			if r, _ := rep.Result(contract.CheckSigSTSToken); tt.expectSkips != nil && !strings.Contains(r.Skipped, "not STS") {
				t.Errorf("sts-token skipped %q; want the reason", r.Skipped)
			}
		})
	}
}

// Without VerifiesSignatures the family is skipped, with the reason, and fails nothing: even
// against a target that lets every request in.
func TestSignatureChecksSkippedUnlessVerified(t *testing.T) {
	tg := newMock(t, dataSet(), nil) // checks no signature at all
	tg.Credentials = &sigCreds
	rep := contract.Test(t, tg, contract.Options{Seed: seed, Cases: -1})
	for _, c := range rep.Results {
		if strings.HasPrefix(c.Name, "signature/") && (c.Cases != 0 || !strings.Contains(c.Skipped, "--verifies-signatures")) {
			t.Errorf("%s: %d cases, skipped %q; want skipped, naming --verifies-signatures", c.Name, c.Cases, c.Skipped)
		}
	}
	if !strings.Contains(text(rep), "skipped: the target is not known to verify signatures") {
		t.Errorf("the text report does not say why:\n%s", text(rep))
	}
	tg.Credentials = nil
	tg.VerifiesSignatures = true
	if _, err := contract.New(tg, contract.Options{}); err == nil || !strings.Contains(err.Error(), "needs credentials") {
		t.Errorf("VerifiesSignatures without credentials: err = %v", err)
	}
}

// Against a target that is not the mock, only what FC documents fails: any 403 for an
// unsigned request, 400 or 403 for a missing Date; an unobserved skew code, a 14-minute window
// or another refusal only inform. A refusal's absence fails everywhere.
func TestSignatureLevelsAgainstRealTargets(t *testing.T) {
	tests := []struct {
		name           string
		givenWrap      func(http.Handler) http.Handler
		expectCheck    string
		expectFailed   int
		expectInformed int
	}{
		{"unsigned: 403 with another code", recode(fc.CodeAccessDenied, 403, "Unauthorized"), contract.CheckSigUnsigned, 0, 0},
		{"unsigned: a 401", recode(fc.CodeAccessDenied, 401, "Unauthorized"), contract.CheckSigUnsigned, 0, 1},
		{"unsigned: a 400", recode(fc.CodeAccessDenied, 400, "InvalidArgument"), contract.CheckSigUnsigned, 0, 1}, // 400 is a refusal
		{"unsigned: let in", sigFaults[0].wrap, contract.CheckSigUnsigned, 1, 0},
		{"skew: 403 InvalidArgument", recode(fc.CodeRequestTimeTooSkewed, 403, "InvalidArgument"), contract.CheckSigSkew, 0, 2},
		{"skew: 400 RequestTimeTooSkewed", recode(fc.CodeRequestTimeTooSkewed, 400, "RequestTimeTooSkewed"), contract.CheckSigSkew, 2, 0},
		{"skew: a 10-minute window", refuseSkewBeyond(10 * time.Minute), contract.CheckSigSkew, 0, 2},
		{"missing Date: 403 AccessDenied", recode(fc.CodeMissingRequiredHeader, 403, "AccessDenied"), contract.CheckSigMissingDate, 0, 0},
		{"missing Date: a 500", recode(fc.CodeMissingRequiredHeader, 500, "InternalServerError"), contract.CheckSigMissingDate, 1, 0},
		{"wrong secret: another code", sigFaults[1].wrap, contract.CheckSigWrongSecret, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tg := newSigningMock(t, sigCreds, tt.givenWrap)
			tg.IsMock = false
			rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: -1})
			if err != nil {
				t.Fatal(err)
			}
			r, _ := rep.Result(tt.expectCheck)
			if r.Failed != tt.expectFailed || r.Informed != tt.expectInformed {
				t.Errorf("%s: %d failed, %d informed; want %d and %d\n%s", r.Name, r.Failed, r.Informed, tt.expectFailed, tt.expectInformed, text(rep))
			}
		})
	}
}

// No secret reaches any report: not the secret, not the token, not the wrong secret (the
// secret with its last character changed), even from a target that echoes all three.
func TestSignatureRunKeepsSecrets(t *testing.T) {
	wrong := stsCreds.AccessKeySecret[:len(stsCreds.AccessKeySecret)-1] + "x"
	echo := after(func(r *http.Request, a *answer) {
		if a.status == 403 {
			a.body["ErrorMessage"] = "secret " + stsCreds.AccessKeySecret + " token " + stsCreds.SecurityToken + " wrong " + wrong
		}
	})
	tg := newSigningMock(t, stsCreds, func(h http.Handler) http.Handler { return echo(sigFaults[1].wrap(h)) })
	var out bytes.Buffer
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: -1, Progress: &out})
	if err != nil {
		t.Fatal(err)
	}
	if got := failing(rep); !slices.Equal(got, []string{contract.CheckSigWrongSecret}) {
		t.Fatalf("failing = %v, want the wrong secret's finding to be reported", got)
	}
	rep.WriteText(&out)
	rep.WriteJSON(&out)
	rep.WriteJUnit(&out)
	stem := stsCreds.AccessKeySecret[:len(stsCreds.AccessKeySecret)-1] // all but the changed character
	for _, secret := range []string{stem, stsCreds.SecurityToken} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("the reports contain %q", secret)
		}
	}
	if want := "secret <redacted> token <redacted> wrong <redacted>"; !strings.Contains(out.String(), want) {
		t.Errorf("the reports do not show %q:\n%s", want, out.String())
	}
}

// letIn signs, with the right credentials and the target's clock, the requests for which
// wrongly is true, before the mock verifies them: a target that lets them in.
func letIn(c fc.Credentials, wrongly func(*http.Request) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if wrongly(r) {
				r.Header.Del("Authorization")
				r.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
				fc.Sign(r, c, time.Now())
			}
			next.ServeHTTP(w, r)
		})
	}
}

// skewed reports whether the request's Date is more than d off the clock.
func skewed(r *http.Request, d time.Duration) bool { return behind(r, d) || ahead(r, d) }

// behind and ahead report whether the request's Date is more than d behind or ahead of the clock.
func behind(r *http.Request, d time.Duration) bool {
	t, err := http.ParseTime(r.Header.Get("Date"))
	return err == nil && time.Since(t) > d
}

func ahead(r *http.Request, d time.Duration) bool {
	t, err := http.ParseTime(r.Header.Get("Date"))
	return err == nil && time.Until(t) > d
}

// refuseSkewBeyond answers 403 RequestTimeTooSkewed to a Date more than d off.
func refuseSkewBeyond(d time.Duration) func(http.Handler) http.Handler {
	return refuse(func(r *http.Request) bool { return skewed(r, d) }, 403, fc.CodeRequestTimeTooSkewed)
}

func refuseContentMD5() func(http.Handler) http.Handler {
	return refuse(func(r *http.Request) bool { return r.Header.Get("Content-MD5") != "" }, 400, fc.CodeInvalidArgument)
}

// refuse answers status and code, as FC's error body, to the requests when selects.
func refuse(when func(*http.Request) bool, status int, code fc.Code) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !when(r) {
				next.ServeHTTP(w, r)
				return
			}
			a := &answer{status: status, header: http.Header{"Content-Type": {"application/json"}, fc.HeaderRequestID: {"refused"}},
				body: map[string]any{"ErrorCode": string(code), "ErrorMessage": "refused by the fault"}}
			a.write(w)
		})
	}
}

// recode answers the mock's refusals with code from, with status and code instead.
func recode(from fc.Code, status int, code string) func(http.Handler) http.Handler {
	return after(func(r *http.Request, a *answer) {
		if a.body["ErrorCode"] == string(from) {
			a.status, a.body["ErrorCode"] = status, code
		}
	})
}
