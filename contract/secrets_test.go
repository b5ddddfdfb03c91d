package contract_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/internal/fc"
)

var stsCreds = fc.Credentials{AccessKeyID: "STS.AKIDCONTRACT01", AccessKeySecret: "contract-secret-0123456789", SecurityToken: "contract-sts-token-abcdef"}

const accountID = "1234567890123456"

// verifying answers 403 to any request that fc.Verifier (the verifier the mock uses) rejects,
// or that lacks the account id.
func verifying(creds fc.Credentials, next http.Handler) http.Handler {
	v := fc.NewVerifier(creds)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := v.Verify(r, time.Now())
		if err == nil && r.Header.Get(fc.HeaderAccountID) != accountID {
			err = fc.Errorf(fc.CodeAccessDenied, "no account id")
		}
		if err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set(fc.HeaderRequestID, "verify")
			w.WriteHeader(http.StatusForbidden)
			json.NewEncoder(w).Encode(map[string]string{"ErrorCode": string(fc.CodeOf(err)), "ErrorMessage": err.Error()})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Every request is signed with internal/fc's signature and carries the account id; no secret
// reaches the report in any format, even when the target echoes it back.
func TestSignedRunKeepsSecrets(t *testing.T) {
	echo := after(func(r *http.Request, a *answer) {
		if q(r, "limit") == "0" { // a target that quotes the credentials back
			a.body["ErrorCode"] = "EchoedSecrets"
			a.body["ErrorMessage"] = "token " + r.Header.Get(fc.HeaderSecurityToken) + " secret " + stsCreds.AccessKeySecret
		}
	})
	tg := newMock(t, dataSet(), func(h http.Handler) http.Handler { return verifying(stsCreds, echo(h)) })
	tg.Credentials, tg.AccountID = &stsCreds, accountID
	var progress bytes.Buffer
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: 8, Progress: &progress})
	if err != nil {
		t.Fatalf("a signed run was refused: %v", err)
	}
	if got := failing(rep); len(got) != 1 || got[0] != contract.CheckNegLimit {
		t.Fatalf("failing checks = %v, want only %s (the echo); the signature must pass everywhere else\n%s", got, contract.CheckNegLimit, text(rep))
	}
	var out bytes.Buffer
	rep.WriteText(&out)
	rep.WriteJSON(&out)
	rep.WriteJUnit(&out)
	out.Write(progress.Bytes())
	for _, secret := range []string{stsCreds.AccessKeySecret, stsCreds.SecurityToken} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("the reports contain the secret %q", secret)
		}
	}
	for _, want := range []string{"-H 'Authorization: <redacted>'", "-H 'X-Fc-Security-Token: <redacted>'", "-H 'X-Fc-Account-Id: " + accountID + "'", "token <redacted> secret <redacted>"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the reports do not show %q", want)
		}
	}
}

// A signature the target rejects is a violation on the first listing, reported without the
// secret or the token.
func TestWrongSecretFailsTheRun(t *testing.T) {
	tg := newMock(t, dataSet(), func(h http.Handler) http.Handler { return verifying(stsCreds, h) })
	wrong := stsCreds
	wrong.AccessKeySecret = "not-the-secret-0000"
	tg.Credentials, tg.AccountID = &wrong, accountID
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: 4})
	if err != nil {
		t.Fatal(err)
	}
	out := text(rep)
	if rep.OK() || !strings.Contains(out, "403 SignatureNotMatch") ||
		strings.Contains(out, wrong.AccessKeySecret) || strings.Contains(out, wrong.SecurityToken) {
		t.Errorf("OK=%v, want a 403 SignatureNotMatch violation without the secret or the token:\n%s", rep.OK(), out)
	}
}
