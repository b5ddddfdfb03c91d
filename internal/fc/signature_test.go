package fc_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/internal/fc"
)

// The worked example of wire facts section 7.6.
const (
	testKeyID  = "AKIDEXAMPLE0001"
	testSecret = "mockSecret0123456789abcdefABCDEF"
	testDate   = "Mon, 09 Nov 2020 09:46:33 GMT"
	testHost   = "http://1234567890123456.cn-hangzhou.fc.aliyuncs.com"
	listPath   = "/2016-08-15/services/demo-svc.prod/functions/demo-fn/stateful-async-invocations"
	stopPath   = "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations/job-0001"
	invokePath = "/2016-08-15/services/demo-svc/functions/demo-fn/invocations"
	testSTS    = "STS.exampleToken"
	accountID  = "1234567890123456"
	invokeBody = `{"k":"v"}`
	md5Hex     = "44244ce1a15ee6d4dc270001564cb759"
	md5B64Hex  = "NDQyNDRjZTFhMTVlZTZkNGRjMjcwMDAxNTY0Y2I3NTk="
	md5B64Raw  = "RCRM4aFe5tTcJwABVky3WQ=="
)

var (
	testNow   = mustParseTime(testDate)
	testCreds = fc.Credentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret}
	stsCreds  = fc.Credentials{AccessKeyID: "STS.AKIDTEMP0001", AccessKeySecret: "stsSecret0001", SecurityToken: testSTS}
)

func mustParseTime(s string) time.Time {
	t, err := http.ParseTime(s)
	if err != nil {
		panic(err)
	}
	return t
}

// newRequest builds a request as the server would see it, with header values set as given.
func newRequest(method, target, body string, header map[string]string) *http.Request {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, testHost+target, r)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return req
}

func TestWorkedVectors(t *testing.T) {
	invokeHeaders := func(md5 string) map[string]string {
		return map[string]string{
			"Content-MD5": md5, "Content-Type": "application/octet-stream",
			"X-Fc-Account-Id": accountID, "X-Fc-Invocation-Type": "Async",
			"X-Fc-Stateful-Async-Invocation-Id": "job-0001",
		}
	}
	invokeSTS := func(md5 string) string {
		return "POST\n" + md5 + "\napplication/octet-stream\n" + testDate + "\n" +
			"x-fc-account-id:" + accountID + "\nx-fc-invocation-type:Async\n" +
			"x-fc-stateful-async-invocation-id:job-0001\n" + invokePath
	}
	tests := []struct {
		name, method, target, body string
		header                     map[string]string
		creds                      fc.Credentials
		wantSTS, wantAuth          string
	}{
		{
			name: "A list", method: http.MethodGet, target: listPath + "?limit=10&includePayload=true",
			header: map[string]string{"X-Fc-Account-Id": accountID, "X-Fc-Trace-Id": "trace-0001"},
			creds:  testCreds,
			wantSTS: "GET\n\n\n" + testDate + "\nx-fc-account-id:" + accountID + "\nx-fc-trace-id:trace-0001\n" +
				listPath,
			wantAuth: "FC AKIDEXAMPLE0001:7ZcB9bP8S8WKJ4vf297k+zpxNQqlFKV8OWBCW8gf9Sw=",
		},
		{
			name: "B stop with STS token", method: http.MethodPut, target: stopPath,
			header: map[string]string{"X-Fc-Account-Id": accountID},
			creds:  fc.Credentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret, SecurityToken: testSTS},
			wantSTS: "PUT\n\n\n" + testDate + "\nx-fc-account-id:" + accountID + "\nx-fc-security-token:" + testSTS +
				"\n" + stopPath,
			wantAuth: "FC AKIDEXAMPLE0001:ikdh3M2/qkBeOj+Qe3PI9M5rIWecRTdae3XeUtj+nZw=",
		},
		{
			name: "C invoke, Go-style Content-MD5", method: http.MethodPost, target: invokePath, body: invokeBody,
			header: invokeHeaders(md5Hex), creds: testCreds, wantSTS: invokeSTS(md5Hex),
			wantAuth: "FC AKIDEXAMPLE0001:PGLPRodOkGP0Flel4ctVniijZvTRDcxtOW/zo7mjI6o=",
		},
		{
			name: "C invoke, Node-style Content-MD5", method: http.MethodPost, target: invokePath, body: invokeBody,
			header: invokeHeaders(md5B64Hex), creds: testCreds, wantSTS: invokeSTS(md5B64Hex),
			wantAuth: "FC AKIDEXAMPLE0001:kZuo502QpP5PbxFoLX+MyJ0ItZ/Lx9L9IokAigZNtpc=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest(tt.method, tt.target, tt.body, tt.header)
			req.Header.Set("Date", testDate)
			fc.Sign(req, tt.creds, testNow.Add(time.Hour)) // an existing Date must be kept
			got := fc.StringToSign(req.Method, req.Header, req.URL.EscapedPath(), req.URL.Query())
			if got != tt.wantSTS {
				t.Errorf("StringToSign:\n got %q\nwant %q", got, tt.wantSTS)
			}
			if a := req.Header.Get("Authorization"); a != tt.wantAuth {
				t.Errorf("Authorization = %q, want %q", a, tt.wantAuth)
			}
			if err := fc.NewVerifier(tt.creds).Verify(req, testNow); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}

// TestGoSDKProxyVector is TestGetSignature of aliyun/fc-go-sdk signature_test.go: lower-case
// header keys, no Date header, the x-fc-expires query value on the Date line.
func TestGoSDKProxyVector(t *testing.T) {
	const secret = "S9MWOBG0AOWHSO9HPASP216QOPHT5YR4NLH3A"
	header := http.Header{
		"x-fc-trace-id": {"trace-id"},
		"content-type":  {"text/json"},
		"content-md5":   {"ef5b43a0fe1d5b401b62c3ba33a7a3d6"},
	}
	query := url.Values{
		"x":                   {"xyz", "456"},
		"a":                   {"123 45"},
		"x-fc-expires":        {"1583221068"},
		"x-fc-access-key-id":  {"akID"},
		"x-fc-security-token": {"stsToken"},
	}
	wantSTS := "GET\nef5b43a0fe1d5b401b62c3ba33a7a3d6\ntext/json\n1583221068\nx-fc-trace-id:trace-id\n" +
		"/2016-08-15/proxy/service.LATEST/func/abc 123\na=123 45\nx-fc-access-key-id=akID\n" +
		"x-fc-expires=1583221068\nx-fc-security-token=stsToken\nx=456\nx=xyz"
	const wantSig = "QFdNhz0Dl+onUM/MvpX940WFH3H8OHayZHbby1c01aI="

	sts := fc.StringToSign(http.MethodGet, header, "/2016-08-15/proxy/service.LATEST/func/abc 123", query)
	if sts != wantSTS {
		t.Fatalf("StringToSign:\n got %q\nwant %q", sts, wantSTS)
	}
	if sig := fc.Signature(secret, sts); sig != wantSig {
		t.Fatalf("Signature = %q, want %q", sig, wantSig)
	}

	// The same request on the wire: escaped path and query; Verify falls back to the decoded path.
	req := httptest.NewRequest(http.MethodGet, testHost+"/2016-08-15/proxy/service.LATEST/func/abc%20123"+
		"?x=xyz&x=456&a=123%2045&x-fc-expires=1583221068&x-fc-access-key-id=akID&x-fc-security-token=stsToken", nil)
	req.Header = header.Clone()
	req.Header.Set("Date", testDate)
	req.Header.Set("Authorization", "FC akID:"+wantSig)
	v := fc.NewVerifier(fc.Credentials{AccessKeyID: "akID", AccessKeySecret: secret})
	if err := v.Verify(req, testNow); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestStringToSignCanonicalHeaders(t *testing.T) {
	header := http.Header{
		"x-fc-b":       {"2"},
		"X-FC-A":       {"a1"},
		"x-fc-a":       {"a2", "a3"},
		"X-Fc-Empty":   {},
		"X-Fcx-Nope":   {"not an x-fc- header"},
		"Accept":       {"application/json"},
		"DATE":         {testDate},
		"content-TYPE": {"application/json"},
	}
	got := fc.StringToSign("get", header, "/2016-08-15/services", url.Values{"limit": {"1"}})
	want := "GET\n\napplication/json\n" + testDate + "\nx-fc-a:a1,a2,a3\nx-fc-b:2\n/2016-08-15/services"
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

func TestStringToSignProxyQuery(t *testing.T) {
	header := http.Header{"Date": {testDate}}
	got := fc.StringToSign(http.MethodPost, header, "/2016-08-15/proxy/s/f/p",
		url.Values{"flag": nil, "k": {""}, "b": {"2", "1"}})
	want := "POST\n\n\n" + testDate + "\n/2016-08-15/proxy/s/f/p\nb=1\nb=2\nflag\nk="
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

func TestVerifyAccepts(t *testing.T) {
	tests := []struct {
		name  string
		build func() *http.Request
		creds fc.Credentials
		now   time.Time
	}{
		{"absent Content-Type", func() *http.Request { return signed(http.MethodGet, listPath, nil) }, testCreds, testNow},
		{"Content-MD5 hex (Go)", func() *http.Request { return signedInvoke(md5Hex) }, testCreds, testNow},
		{"Content-MD5 base64 of hex (Node)", func() *http.Request { return signedInvoke(md5B64Hex) }, testCreds, testNow},
		{"Content-MD5 base64 of digest (Java)", func() *http.Request { return signedInvoke(md5B64Raw) }, testCreds, testNow},
		{"Content-MD5 not matching the body", func() *http.Request { return signedInvoke("00000000000000000000000000000000") }, testCreds, testNow},
		{"STS token right", func() *http.Request { return signedWith(stsCreds, http.MethodPut, stopPath, nil) }, stsCreds, testNow},
		{"Date 15 min behind", func() *http.Request { return signed(http.MethodGet, listPath, nil) }, testCreds, testNow.Add(fc.MaxClockSkew)},
		{"Date 15 min ahead", func() *http.Request { return signed(http.MethodGet, listPath, nil) }, testCreds, testNow.Add(-fc.MaxClockSkew)},
		{"Date 14m59s behind", func() *http.Request { return signed(http.MethodGet, listPath, nil) }, testCreds, testNow.Add(fc.MaxClockSkew - time.Second)},
		{"ANSI C Date", func() *http.Request {
			return signed(http.MethodGet, listPath, map[string]string{"Date": "Mon Nov  9 09:46:33 2020"})
		}, testCreds, testNow},
		{"header names in any case", lowerCaseVectorA, testCreds, testNow},
		{"query changed after signing (not signed)", func() *http.Request {
			req := signed(http.MethodGet, listPath+"?limit=10", nil)
			req.URL.RawQuery = "limit=100&nextToken=x"
			return req
		}, testCreds, testNow},
		{"query signed on a /services/ path (2018 doc page)", func() *http.Request {
			return signedOver(http.MethodGet, "/2016-08-15/services?limit=100", "/2016-08-15/services?limit=100")
		}, testCreds, testNow},
		{"decoded path signed (Node, Python)", func() *http.Request {
			return signedOver(http.MethodGet, "/2016-08-15/services/demo%20svc", "/2016-08-15/services/demo svc")
		}, testCreds, testNow},
		{"escaped path signed (Go)", func() *http.Request {
			return signed(http.MethodGet, "/2016-08-15/services/demo%20svc/functions/f%2Fg", nil)
		}, testCreds, testNow},
		{"proxy path with query", func() *http.Request {
			return signed(http.MethodPost, "/2016-08-15/proxy/s.LATEST/f/a%20b?x=2&x=1&flag&k=", nil)
		}, testCreds, testNow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := fc.NewVerifier(fc.Credentials{AccessKeyID: "AKIDOTHER", AccessKeySecret: "other"}, tt.creds)
			if err := v.Verify(tt.build(), tt.now); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	okReq := func() *http.Request { return signed(http.MethodGet, listPath, nil) }
	with := func(mutate func(*http.Request)) func() *http.Request {
		return func() *http.Request { req := okReq(); mutate(req); return req }
	}
	skewMsg := func(now time.Time) string {
		return "the difference between the request time '" + testDate + "' and the current time '" +
			now.Format(http.TimeFormat) + "' is too large"
	}
	tests := []struct {
		name    string
		build   func() *http.Request
		now     time.Time
		want    error
		code    fc.Code
		message string // exact when it starts with "=", else a substring
	}{
		{"missing Authorization", with(func(r *http.Request) { r.Header.Del("Authorization") }), testNow,
			fc.ErrMissingAuthorization, fc.CodeAccessDenied, "Authorization header is missing"},
		{"missing Date", with(func(r *http.Request) { r.Header.Del("Date") }), testNow,
			fc.ErrMissingDate, fc.CodeMissingRequiredHeader, "=required HTTP header Date was not specified"},
		{"malformed Date", with(func(r *http.Request) { r.Header.Set("Date", "2020-11-09T09:46:33Z") }), testNow,
			fc.ErrMalformedDate, fc.CodeAccessDenied, "'2020-11-09T09:46:33Z' is not an RFC 1123 GMT date"},
		{"Date 16 min behind", okReq, testNow.Add(16 * time.Minute),
			fc.ErrClockSkew, fc.CodeRequestTimeTooSkewed, "=" + skewMsg(testNow.Add(16*time.Minute))},
		{"Date 16 min ahead", okReq, testNow.Add(-16 * time.Minute),
			fc.ErrClockSkew, fc.CodeRequestTimeTooSkewed, "=" + skewMsg(testNow.Add(-16*time.Minute))},
		{"Date 15m01s behind", okReq, testNow.Add(fc.MaxClockSkew + time.Second),
			fc.ErrClockSkew, fc.CodeRequestTimeTooSkewed, "too large"},
		{"unknown key", func() *http.Request {
			return signedWith(fc.Credentials{AccessKeyID: "AKIDUNKNOWN", AccessKeySecret: testSecret}, http.MethodGet, listPath, nil)
		}, testNow, fc.ErrUnknownAccessKey, fc.CodeInvalidAccessKeyID, "=invalid access key ID 'AKIDUNKNOWN'"},
		{"wrong secret", func() *http.Request {
			return signedWith(fc.Credentials{AccessKeyID: testKeyID, AccessKeySecret: "wrong"}, http.MethodGet, listPath, nil)
		}, testNow, fc.ErrSignatureMismatch, fc.CodeSignatureNotMatch,
			"=" + fc.SignatureMismatchMessage + ` Check your access key secret and signing method (string to sign: 'GET\n\n\n` + testDate + `\nx-fc-account-id:` + accountID +
				`\nx-fc-trace-id:trace-0001\n` + listPath + `')`},
		{"x-fc header changed after signing", with(func(r *http.Request) { r.Header.Set("X-Fc-Trace-Id", "other") }), testNow,
			fc.ErrSignatureMismatch, fc.CodeSignatureNotMatch, `x-fc-trace-id:other\n`},
		{"Content-MD5 changed after signing", func() *http.Request {
			req := signedInvoke(md5Hex)
			req.Header.Set("Content-MD5", md5B64Raw)
			return req
		}, testNow, fc.ErrSignatureMismatch, fc.CodeSignatureNotMatch, md5B64Raw},
		{"proxy query changed after signing", func() *http.Request {
			req := signed(http.MethodGet, "/2016-08-15/proxy/s/f/p?a=1", nil)
			req.URL.RawQuery = "a=2"
			return req
		}, testNow, fc.ErrSignatureMismatch, fc.CodeSignatureNotMatch, `/2016-08-15/proxy/s/f/p\na=2'`},
		{"method changed after signing", with(func(r *http.Request) { r.Method = http.MethodDelete }), testNow,
			fc.ErrSignatureMismatch, fc.CodeSignatureNotMatch, `'DELETE\n`},
		{"STS token wrong", func() *http.Request {
			req := signedWith(stsCreds, http.MethodPut, stopPath, nil)
			req.Header.Set("X-Fc-Security-Token", "STS.other")
			return req
		}, testNow, fc.ErrSecurityTokenMismatch, fc.CodeAccessDenied, "does not match the security token"},
		{"STS token missing", func() *http.Request {
			req := signedWith(fc.Credentials{AccessKeyID: stsCreds.AccessKeyID, AccessKeySecret: stsCreds.AccessKeySecret},
				http.MethodPut, stopPath, nil)
			return req
		}, testNow, fc.ErrSecurityTokenMismatch, fc.CodeAccessDenied, "requires the header X-Fc-Security-Token"},
	}
	v := fc.NewVerifier(testCreds, stsCreds)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFCError(t, v.Verify(tt.build(), tt.now), tt.want, tt.code, tt.message)
		})
	}
}

func TestVerifyMalformedAuthorization(t *testing.T) {
	valid := "FC " + testKeyID + ":" + fc.Signature(testSecret, "x")
	bad := []string{
		"Bearer abc",
		"fc " + valid[3:],
		"FC",
		"FC ",
		"FC  " + valid[3:],
		"FC" + valid[3:],
		"FC " + testKeyID,
		"FC " + testKeyID + ":",
		"FC :" + fc.Signature(testSecret, "x"),
		"FC AKID EXAMPLE:" + fc.Signature(testSecret, "x"),
		"FC AKID\x7fEXAMPLE:" + fc.Signature(testSecret, "x"), // DEL is a control character
		"FC AKID\x1fEXAMPLE:" + fc.Signature(testSecret, "x"),
		"FC AKID\x80EXAMPLE:" + fc.Signature(testSecret, "x"), // not ASCII
		"FC " + testKeyID + ":not base64!",
		"FC " + testKeyID + ":c2hvcnQ=", // base64, but not 32 bytes
		valid + "=",
		valid[:len(valid)-1],
		valid + " ",
		"FC " + testKeyID + ":" + strings.TrimSuffix(fc.Signature(testSecret, "x"), "="), // no padding
	}
	v := fc.NewVerifier(testCreds)
	for _, auth := range bad {
		t.Run(auth, func(t *testing.T) {
			req := signed(http.MethodGet, listPath, nil)
			req.Header.Set("Authorization", auth)
			checkFCError(t, v.Verify(req, testNow), fc.ErrMalformedAuthorization, fc.CodeAccessDenied,
				"=the Authorization header is not of the form 'FC <AccessKeyID>:<Signature>'")
			if _, _, err := fc.ParseAuthorization(auth); !errors.Is(err, fc.ErrMalformedAuthorization) {
				t.Errorf("ParseAuthorization(%q) err = %v", auth, err)
			}
		})
	}
}

func TestParseAuthorization(t *testing.T) {
	id, sig, err := fc.ParseAuthorization("FC AKIDEXAMPLE0001:7ZcB9bP8S8WKJ4vf297k+zpxNQqlFKV8OWBCW8gf9Sw=")
	if err != nil || id != testKeyID || sig != "7ZcB9bP8S8WKJ4vf297k+zpxNQqlFKV8OWBCW8gf9Sw=" {
		t.Fatalf("got (%q, %q, %v)", id, sig, err)
	}
	// STS key ids have a dot; ids may carry any printable ASCII but ':'.
	if id, _, err := fc.ParseAuthorization("FC STS.NUx-y_z:" + sig); err != nil || id != "STS.NUx-y_z" {
		t.Fatalf("STS id: got (%q, %v)", id, err)
	}
}

func TestSign(t *testing.T) {
	req := newRequest(http.MethodGet, listPath, "", nil)
	req.Header["x-fc-security-token"] = []string{"stale"} // hand-built lower-case key must not survive
	fc.Sign(req, stsCreds, testNow.Add(90*time.Second).In(time.FixedZone("CET", 3600)))
	if got, want := req.Header.Get("Date"), "Mon, 09 Nov 2020 09:48:03 GMT"; got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
	if got := req.Header.Values("X-Fc-Security-Token"); len(got) != 1 || got[0] != testSTS {
		t.Errorf("X-Fc-Security-Token = %q", got)
	}
	if _, ok := req.Header["x-fc-security-token"]; ok {
		t.Errorf("lower-case token key kept: %v", req.Header)
	}
	if !strings.HasPrefix(req.Header.Get("Authorization"), "FC "+stsCreds.AccessKeyID+":") {
		t.Errorf("Authorization = %q", req.Header.Get("Authorization"))
	}
	plain := newRequest(http.MethodGet, listPath, "", nil)
	fc.Sign(plain, testCreds, testNow)
	if _, ok := plain.Header["X-Fc-Security-Token"]; ok {
		t.Errorf("token header set for non-STS credentials")
	}
}

// TestRoundTripOverHTTP signs with a real client and verifies what net/http's server parsed.
func TestRoundTripOverHTTP(t *testing.T) {
	v := fc.NewVerifier(testCreds, stsCreds)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := v.Verify(r, testNow.Add(time.Minute)); err != nil {
			http.Error(w, err.Error(), fc.StatusFor(fc.CodeOf(err)))
		}
	}))
	defer srv.Close()
	targets := []struct{ method, target, body string }{
		{http.MethodGet, listPath + "?limit=10&includePayload=true&invocationIdPrefix=job-", ""},
		{http.MethodPut, stopPath, ""},
		{http.MethodPost, invokePath, invokeBody},
		{http.MethodGet, "/2016-08-15/services/" + url.PathEscape("a b") + "/functions/" + url.PathEscape("c/d"), ""},
		{http.MethodPost, "/2016-08-15/proxy/s.LATEST/f/x%20y?q=1&q=0&flag&e=", "payload"},
	}
	for _, creds := range []fc.Credentials{testCreds, stsCreds} {
		for _, tt := range targets {
			req, err := http.NewRequest(tt.method, srv.URL+tt.target, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Fc-Account-Id", accountID)
			fc.Sign(req, creds, testNow)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s %s as %s: %d %s", tt.method, tt.target, creds.AccessKeyID, resp.StatusCode, msg)
			}
		}
	}
}

// lowerCaseVectorA is vector A with every header key hand-written in lower or upper case.
func lowerCaseVectorA() *http.Request {
	req := httptest.NewRequest(http.MethodGet, testHost+listPath, nil)
	req.Header = http.Header{
		"DATE":            {testDate},
		"x-fc-account-id": {accountID},
		"X-FC-TRACE-ID":   {"trace-0001"},
		"authorization":   {"FC AKIDEXAMPLE0001:7ZcB9bP8S8WKJ4vf297k+zpxNQqlFKV8OWBCW8gf9Sw="},
	}
	return req
}

func signed(method, target string, header map[string]string) *http.Request {
	return signedWith(testCreds, method, target, header)
}

func signedWith(c fc.Credentials, method, target string, header map[string]string) *http.Request {
	req := newRequest(method, target, "", header)
	req.Header.Set("X-Fc-Account-Id", accountID)
	req.Header.Set("X-Fc-Trace-Id", "trace-0001")
	fc.Sign(req, c, testNow)
	return req
}

func signedInvoke(md5 string) *http.Request {
	req := newRequest(http.MethodPost, invokePath, invokeBody, map[string]string{
		"Content-MD5": md5, "Content-Type": "application/octet-stream", "X-Fc-Invocation-Type": "Async",
	})
	fc.Sign(req, testCreds, testNow)
	return req
}

// signedOver signs a request to target over resource instead of the path Sign would use.
func signedOver(method, target, resource string) *http.Request {
	req := newRequest(method, target, "", map[string]string{"Date": testDate, "X-Fc-Account-Id": accountID})
	sts := fc.StringToSign(method, req.Header, resource, nil)
	req.Header.Set("Authorization", "FC "+testKeyID+":"+fc.Signature(testSecret, sts))
	return req
}

func checkFCError(t *testing.T, err, want error, code fc.Code, message string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want errors.Is %v", err, want)
	}
	var fe *fc.Error
	if !errors.As(err, &fe) {
		t.Fatalf("err %T is not *fc.Error", err)
	}
	if fe.Code != code {
		t.Errorf("code = %s, want %s", fe.Code, code)
	}
	if exact, ok := strings.CutPrefix(message, "="); ok {
		if fe.Message != exact {
			t.Errorf("message = %q, want %q", fe.Message, exact)
		}
	} else if !strings.Contains(fe.Message, message) {
		t.Errorf("message = %q, want it to contain %q", fe.Message, message)
	}
	for _, secret := range []string{testSecret, stsCreds.AccessKeySecret} {
		if strings.Contains(fe.Message, secret) {
			t.Errorf("message leaks a secret: %q", fe.Message)
		}
	}
}

// TestStringToSignHeaderLookup pins how Content-MD5, Content-Type and Date are found in
// hand-built headers: in any case, skipping keys with no values, and, of two keys that differ
// only in case, the one that sorts first (so the choice never depends on map order).
func TestStringToSignHeaderLookup(t *testing.T) {
	tests := []struct {
		name       string
		givenMD5   http.Header
		expectLine string
	}{
		{"canonical key", http.Header{"Content-Md5": {"canon"}}, "canon"},
		{"lower-case key", http.Header{"content-md5": {"lower"}}, "lower"},
		{"a key with no values is absent", http.Header{"content-md5": {}}, ""},
		{"a key with no values next to one with a value", http.Header{"content-md5": {}, "CONTENT-MD5": {"upper"}}, "upper"},
		{"two case variants: the first in byte order wins", http.Header{"content-md5": {"lower"}, "CONTENT-MD5": {"upper"}, "Content-mD5": {"mixed"}}, "upper"},
		{"the canonical key wins over variants", http.Header{"Content-Md5": {"canon"}, "CONTENT-MD5": {"upper"}}, "canon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fc.StringToSign(http.MethodGet, tt.givenMD5, "/p", nil)
			want := "GET\n" + tt.expectLine + "\n\n\n/p"
			if got != want {
				t.Errorf("StringToSign = %q, want %q", got, want)
			}
		})
	}
}

// A browser cannot set Date, so it signs with x-fc-date, which Java copies into Date before
// signing (wire facts section 6): the Date line carries x-fc-date's value, and x-fc-date is
// signed again among the x-fc-* headers. The signature was computed outside Go (Python hmac).
func TestXFcDateVector(t *testing.T) {
	const wantSig = "lBJFT4EVq7amQLfZcP2myqGjC7mt9zrqKWOzIuO/jP0="
	header := http.Header{"X-Fc-Date": {testDate}, "X-Fc-Account-Id": {accountID}}
	wantSTS := "GET\n\n\n" + testDate + "\nx-fc-account-id:" + accountID + "\nx-fc-date:" + testDate + "\n" + listPath
	if got := fc.StringToSign(http.MethodGet, header, listPath, nil); got != wantSTS {
		t.Fatalf("StringToSign = %q, want %q", got, wantSTS)
	}
	if got := fc.Signature(testSecret, wantSTS); got != wantSig {
		t.Fatalf("Signature = %q, want %q", got, wantSig)
	}
	v := fc.NewVerifier(testCreds)
	build := func(h map[string]string) *http.Request {
		req := newRequest(http.MethodGet, listPath+"?limit=10", "", h)
		req.Header.Set("Authorization", "FC "+testKeyID+":"+wantSig)
		return req
	}
	tests := []struct {
		name   string
		header map[string]string
		now    time.Time
		want   fc.Code // "" for accepted
	}{
		{"x-fc-date alone", map[string]string{"x-fc-date": testDate, "X-Fc-Account-Id": accountID}, testNow, ""},
		{"x-fc-date too old", map[string]string{"x-fc-date": testDate, "X-Fc-Account-Id": accountID}, testNow.Add(16 * time.Minute), fc.CodeRequestTimeTooSkewed},
		{"x-fc-date malformed", map[string]string{"x-fc-date": "yesterday", "X-Fc-Account-Id": accountID}, testNow, fc.CodeAccessDenied},
		// With both, Date is the Date line: this signature (over x-fc-date's value) no longer matches.
		{"Date wins over x-fc-date", map[string]string{"Date": "Mon, 09 Nov 2020 09:47:00 GMT", "x-fc-date": testDate, "X-Fc-Account-Id": accountID}, testNow, fc.CodeSignatureNotMatch},
		{"neither", map[string]string{"X-Fc-Account-Id": accountID}, testNow, fc.CodeMissingRequiredHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := v.Verify(build(tt.header), tt.now)
			var fe *fc.Error
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Verify: %v", err)
			case tt.want != "" && (!errors.As(err, &fe) || fe.Code != tt.want):
				t.Fatalf("Verify = %v, want code %s", err, tt.want)
			}
		})
	}
}
