package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// The Node SDK's test matches FC's own sentence, then Node appends a period: the message must
// start with it exactly (capital T), the string to sign following, and the request id be 36
// characters (its pattern: `requestid: .{36}`).
func TestSignatureMismatchMessageIsFCs(t *testing.T) {
	tg := newSignedTarget(t)
	req, _ := http.NewRequest(http.MethodGet, tg.url+"/2016-08-15/services", nil)
	fc.Sign(req, fc.Credentials{AccessKeyID: plainKey.AccessKeyID, AccessKeySecret: "wrong"}, signedNow)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var e fcapi.Error
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("body %q: %v", b, err)
	}
	nodeMessage := "GET /services failed with 403. requestid: " + res.Header.Get(fc.HeaderRequestID) + ", message: " + e.ErrorMessage + "."
	re := regexp.MustCompile(`^GET /services failed with 403\. requestid: .{36}, message: The request signature we calculated does not match the signature you provided\.`)
	if res.StatusCode != http.StatusForbidden || e.ErrorCode != string(fc.CodeSignatureNotMatch) || !re.MatchString(nodeMessage) {
		t.Errorf("%d %s: Node's message %q does not match %s", res.StatusCode, e.ErrorCode, nodeMessage, re)
	}
	if !regexp.MustCompile(`string to sign: 'GET\\n\\n\\n[^']*\\n/2016-08-15/services'`).MatchString(e.ErrorMessage) {
		t.Errorf("message %q does not show the string to sign", e.ErrorMessage)
	}
}
