package contract

import (
	"context"
	"fmt"
	"net/url"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// level says how firmly the vendor documents a rejection, and so what a different answer from
// a target that is not the mock means. Against the mock every mismatch fails: fcmock documents
// all its answers.
type level int

const (
	// documented: FC's error-code list names the answer (InvalidArgument for a malformed
	// parameter, ServiceNotFound, ...). Any other answer fails.
	documented level = iota
	// analogy: the answer is assumed from FC's habits (400 for a limit out of range). Only a 2xx
	// or a 5xx fails; another 4xx, or another code, informs.
	analogy
	// choice: the mock's own rule (a forged nextToken). Nothing fails; a different answer informs.
	choice
)

// rejection is a request that must be refused, and how.
type rejection struct {
	check    string
	label    string // prefixes Expected, e.g. "case 7 (seed 42)"
	segment  string // "" means the target's
	function string // "" means the target's
	query    string // the raw query
	status   int
	code     fc.Code
	level    level
}

// negative sends each malformed or misdirected request once and checks the answer.
func (s *Suite) negative(ctx context.Context) error {
	cases := s.rejections()
	tokens, err := s.tokenRejections(ctx)
	if err != nil {
		return err
	}
	for _, r := range append(cases, tokens...) {
		if err := s.expectRejection(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

func (s *Suite) rejections() []rejection {
	bad := func(check, q string, lv level) rejection {
		return rejection{check: check, query: q, status: 400, code: fc.CodeInvalidArgument, level: lv}
	}
	svc := s.target.Service
	other := func(name string) string {
		if name == svc || name == s.target.Function {
			return name + "-x"
		}
		return name
	}
	return []rejection{
		bad(CheckNegLimit, "limit=0", analogy),
		bad(CheckNegLimit, "limit=101", analogy),
		bad(CheckNegLimit, "limit=-1", analogy),
		bad(CheckNegLimit, "limit=1.5", analogy),
		bad(CheckNegLimit, "limit=abc", analogy),
		bad(CheckNegEnum, "sortOrderByTime=sideways", documented),
		bad(CheckNegEnum, "status=Done", documented),
		bad(CheckNegTime, "startedTimeBegin=2020-08-20T02%3A28%3A21Z", documented),
		bad(CheckNegTime, "startedTimeEnd=yesterday", documented),
		bad(CheckNegToken, "nextToken=e026ae92-61e5-472f-b32d-1c9e3c4e0000", choice),
		{check: CheckNegNotFound, segment: other("fcmock-no-such-service"), status: 404, code: fc.CodeServiceNotFound, level: documented},
		{check: CheckNegNotFound, segment: svc, function: other("fcmock-no-such-function"), status: 404, code: fc.CodeFunctionNotFound, level: documented},
		{check: CheckNegNotFound, segment: svc + ".fcmock-no-such-alias", status: 404, code: fc.CodeAliasNotFound, level: documented},
		{check: CheckNegNotFound, segment: svc + ".987654321", status: 404, code: fc.CodeVersionNotFound, level: documented},
	}
}

// tokenRejections takes a real token from a first page of one invocation and alters it, and
// reuses it with another sort order: both must be refused.
func (s *Suite) tokenRejections(ctx context.Context) ([]rejection, error) {
	w, err := s.pages(ctx, query{segment: s.target.segment(), params: params(1, fcapi.Asc)}, 1)
	if err != nil || !w.pages[0].hasToken {
		return nil, err
	}
	tok := w.pages[0].token
	altered := []byte(tok)
	i := len(altered) / 2
	if altered[i] == 'A' {
		altered[i] = 'B'
	} else {
		altered[i] = 'A'
	}
	return []rejection{
		{check: CheckNegToken, query: "limit=1&sortOrderByTime=asc&nextToken=" + url.QueryEscape(string(altered)), status: 400, code: fc.CodeInvalidArgument, level: choice},
		{check: CheckNegToken, query: "limit=1&sortOrderByTime=desc&nextToken=" + url.QueryEscape(tok), status: 400, code: fc.CodeInvalidArgument, level: choice},
	}, nil
}

// expectRejection sends r and judges the answer by r's level (see level).
func (s *Suite) expectRejection(ctx context.Context, r rejection) error {
	segment, function := r.segment, r.function
	if segment == "" {
		segment = s.target.segment()
	}
	if function == "" {
		function = s.target.Function
	}
	ex, err := s.raw(ctx, segment, function, r.query)
	if err != nil || ex.err != nil {
		return err // no answer is no-5xx's finding
	}
	tr := s.start(r.check)
	defer tr.end()
	e, _ := ex.fcError()
	want := fmt.Sprintf("%d %s", r.status, r.code)
	if r.label != "" {
		want = r.label + ": " + want
	}
	switch {
	case ex.status == r.status && e.ErrorCode == string(r.code):
	case s.target.IsMock || r.level == documented:
		tr.fail(ex, want, ex.summary())
	case r.level == analogy && (ex.status < 300 || ex.status >= 500):
		tr.fail(ex, want+" (at least a 4xx)", ex.summary())
	default:
		tr.inform(ex, want+" (the doc does not say; fcmock answers so)", ex.summary())
	}
	return nil
}
