package contract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// maxBody caps how much of a response body the suite reads.
const maxBody = 16 << 20

// exchange is one request the suite sent and what came back. Every exchange goes through the
// conformance checks; the semantic checks read the decoded page.
type exchange struct {
	req       *http.Request // as sent: signed, with the suite's headers
	curl      string        // the request as a curl line, secrets redacted
	status    int
	header    http.Header
	body      []byte
	err       error // no HTTP answer (connection refused, reset, timeout)
	requestID string
}

// list sends a listing request built by the generated client: every well-formed query goes
// this way, so the suite speaks exactly the wire format the spec generates.
func (s *Suite) list(ctx context.Context, segment string, p fcapi.ListStatefulAsyncInvocationsParams) (*exchange, error) {
	req, err := fcapi.NewListStatefulAsyncInvocationsRequest(s.target.BaseURL, segment, s.target.Function, &p)
	if err != nil {
		return nil, fmt.Errorf("contract: build request: %w", err)
	}
	return s.send(ctx, req)
}

// raw sends a listing request with a query written by hand, for values the generated client's
// types cannot express (limit=1.5, startedTimeBegin=yesterday).
func (s *Suite) raw(ctx context.Context, segment, function, rawQuery string) (*exchange, error) {
	req, err := fcapi.NewListStatefulAsyncInvocationsRequest(s.target.BaseURL, segment, function, nil)
	if err != nil {
		return nil, fmt.Errorf("contract: build request: %w", err)
	}
	req.URL.RawQuery = rawQuery
	return s.send(ctx, req)
}

// send signs req when the target has credentials, sends it, reads the answer and runs the
// checks every response gets. It returns an error only when ctx ends; a failed exchange is
// reported as a finding and returned with err set.
func (s *Suite) send(ctx context.Context, req *http.Request) (*exchange, error) {
	req = req.WithContext(ctx)
	if s.target.AccountID != "" {
		req.Header.Set(fc.HeaderAccountID, s.target.AccountID)
	}
	if c := s.target.Credentials; c != nil {
		fc.Sign(req, *c, time.Now())
	}
	ex := &exchange{req: req, curl: s.redact.apply(curlLine(req))}
	res, err := s.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ex.err = err
	} else {
		ex.status, ex.header = res.StatusCode, res.Header
		ex.requestID = res.Header.Get(fc.HeaderRequestID)
		ex.body, ex.err = io.ReadAll(io.LimitReader(res.Body, maxBody))
		res.Body.Close()
	}
	s.observe(ex)
	return ex, nil
}

// observe runs the checks every exchange gets: conformance and no-5xx.
func (s *Suite) observe(ex *exchange) {
	s.requests++
	s.progress.tick(s.requests, s.violations)
	k := s.start(CheckNo5xx)
	switch {
	case ex.err != nil:
		k.fail(ex, "an HTTP answer", "no answer: "+errorText(ex.err))
	case ex.status >= 500:
		k.fail(ex, "a status below 500", ex.summary())
	}
	k.end()
	if ex.err == nil {
		s.conform(ex)
	}
}

// summary is what came back, in one line: status, FC error code and message when it is an
// error body.
func (ex *exchange) summary() string {
	if ex.err != nil {
		return "no answer: " + errorText(ex.err)
	}
	s := fmt.Sprintf("%d", ex.status)
	if e, ok := ex.fcError(); ok {
		s += " " + e.ErrorCode
		if e.ErrorMessage != "" {
			s += ": " + truncate(e.ErrorMessage, 160)
		}
	}
	return s
}

// relative is the request's path relative to the base URL, with its query: what the spec's routes
// are written against.
func (s *Suite) relative(u *url.URL) *url.URL {
	p := strings.TrimPrefix(u.EscapedPath(), s.basePath)
	rel, err := url.Parse(p)
	if err != nil {
		rel = &url.URL{Path: u.Path}
	}
	rel.RawQuery = u.RawQuery
	return rel
}

// curlLine renders req as a curl command, sorted headers, secrets replaced by <redacted>.
func curlLine(req *http.Request) string {
	var b strings.Builder
	b.WriteString("curl -sS")
	if req.Method != http.MethodGet {
		b.WriteString(" -X " + req.Method)
	}
	b.WriteString(" " + shellQuote(req.URL.String()))
	names := make([]string, 0, len(req.Header))
	for k := range req.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range req.Header[k] {
			if strings.EqualFold(k, "Authorization") || strings.EqualFold(k, fc.HeaderSecurityToken) {
				v = redacted
			}
			b.WriteString(" -H " + shellQuote(k+": "+v))
		}
	}
	return b.String()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func errorText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
