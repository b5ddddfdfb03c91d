package contract

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fcmock/fcmock/internal/fc"
)

// Target is the service under test: a base URL and the function whose listing the suite walks.
type Target struct {
	// BaseURL is the endpoint without the API version, e.g. http://127.0.0.1:9000 or
	// https://1234567890123456.cn-hangzhou.fc.aliyuncs.com. A path prefix is kept.
	BaseURL string
	// Service and Function name the function to list. Qualifier, when set, is glued to the
	// service as FC does (service.qualifier) for every listing request.
	Service, Function, Qualifier string
	// HTTPClient sends the requests; nil means a client with a 30 s timeout.
	HTTPClient *http.Client
	// Credentials, when not nil, sign every request with FC's signature (internal/fc.Sign).
	// They never appear in findings or reports.
	Credentials *fc.Credentials
	// AccountID is sent as X-Fc-Account-Id when not empty.
	AccountID string
	// AdminToken is sent as X-Fcmock-Admin-Token on the lifecycle family's requests to the
	// mock's clock (fcmock serve --admin-token); it never appears in findings.
	AdminToken string
	// IsMock says the target is fcmock: its data does not change while the suite runs, and,
	// unless Options.Profile says otherwise, it is held to the mock profile (every rule fails,
	// fcmock's own choices included).
	IsMock bool
	// VerifiesSignatures says the target checks FC signatures, so the signature/* checks
	// (unsigned, wrongly signed and skewed requests) run; it needs Credentials. Without it
	// they are skipped: a target that lets unsigned requests in is not wrong unless it claims
	// to check them.
	VerifiesSignatures bool
}

// Options tunes a run. The zero value works: a random seed and DefaultCases generated cases.
type Options struct {
	// Seed drives the generated cases; 0 picks one from the clock. The report prints it so any
	// run can be replayed.
	Seed int64
	// Cases is the number of generated cases; 0 means DefaultCases, a negative number none.
	Cases int
	// Progress receives a live progress line (a terminal) or one line per phase (anything
	// else); nil prints nothing.
	Progress io.Writer
	// Mutating runs the lifecycle/* checks, which create and stop invocations (on a real
	// account that costs money), and the resources/* checks, which create, change and delete
	// services of their own; without it they are skipped.
	Mutating bool
	// LifecycleFunction names an existing function for the lifecycle family, in stateful mode
	// (its async invoke config has statefulInvocation on). Its zero value makes the family, with
	// Mutating, make a function of its own through FC's resource API (a service
	// fcmock-contract-<seed>-<clock>, a function in it, its async invoke config) and delete it
	// afterwards, whatever happened (docs/contract.md).
	LifecycleFunction FunctionRef
	// LifecycleWait bounds each wait of the lifecycle family on a target whose clock it cannot
	// advance; 0 means DefaultLifecycleWait.
	LifecycleWait time.Duration
	// Profile decides which rules fail the run (see Profile); "" means ProfileMock for a
	// target that IsMock and ProfileService for any other.
	Profile Profile
	// MinInvocations, when above 0, makes a function with fewer invocations a violation
	// (data/min-invocations) instead of checks that report "not exercised".
	MinInvocations int
}

func (o Options) profile(t Target) (Profile, error) {
	switch {
	case o.Profile == "" && t.IsMock:
		return ProfileMock, nil
	case o.Profile == "":
		return ProfileService, nil
	case o.Profile == ProfileMock || o.Profile == ProfileService:
		return o.Profile, nil
	}
	return "", fmt.Errorf("contract: profile %q is neither %q nor %q", o.Profile, ProfileService, ProfileMock)
}

// DefaultCases is the number of generated cases when Options.Cases is 0.
const DefaultCases = 40

// ErrUnreachable is returned by Run when the target gives no HTTP answer at all.
var ErrUnreachable = errors.New("contract: target unreachable")

func (t Target) validate() error {
	u, err := url.Parse(t.BaseURL)
	switch {
	case err != nil:
		return fmt.Errorf("contract: base URL %q: %w", t.BaseURL, err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return fmt.Errorf("contract: base URL %q must be http:// or https:// with a host", t.BaseURL)
	case t.Service == "" || t.Function == "":
		return errors.New("contract: the target needs a service and a function")
	case !fc.ValidName(t.Service) || !fc.ValidName(t.Function):
		return fmt.Errorf("contract: %q/%q is not a legal service/function name", t.Service, t.Function)
	case t.Qualifier != "" && !fc.ValidQualifier(t.Qualifier):
		return fmt.Errorf("contract: %q is not a legal qualifier", t.Qualifier)
	case t.Credentials != nil && (t.Credentials.AccessKeyID == "" || t.Credentials.AccessKeySecret == ""):
		return errors.New("contract: credentials need both an access key id and a secret")
	case t.VerifiesSignatures && t.Credentials == nil:
		return errors.New("contract: checking signature verification needs credentials to sign with")
	}
	return nil
}

// segment returns the service path segment of the target's listing: service or service.qualifier.
func (t Target) segment() string {
	if t.Qualifier == "" {
		return t.Service
	}
	return t.Service + "." + t.Qualifier
}

// String names the target for reports: base URL and function, never credentials.
func (t Target) String() string {
	s := strings.TrimRight(t.BaseURL, "/") + " " + t.segment() + "/" + t.Function
	if t.IsMock {
		s += " (mock)"
	}
	return s
}

func (t Target) client() *http.Client {
	if t.HTTPClient != nil {
		return t.HTTPClient
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// redactor removes the target's secrets from any text the suite reports.
type redactor []string

func newRedactor(c *fc.Credentials) redactor {
	if c == nil {
		return nil
	}
	var r redactor
	for _, s := range []string{c.AccessKeySecret, c.SecurityToken} {
		if len(s) >= 4 { // shorter "secrets" would blank out ordinary text
			r = append(r, s)
		}
	}
	return r
}

func (r redactor) apply(s string) string {
	for _, secret := range r {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	return s
}

const redacted = "<redacted>"
