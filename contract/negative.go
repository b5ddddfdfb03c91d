package contract

import (
	"context"
	"fmt"
	"net/url"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// rejection is a request that must be refused, and how. Two rules are at stake, each graded by
// its own evidence: that the request is refused at all (any 4xx; refuse), and that the refusal
// has FC's status and error code (answer). A 2xx, 3xx or 5xx breaks the first; another 4xx or
// another code only the second.
type rejection struct {
	check    string
	label    string // prefixes Expected, e.g. "case 7 (seed 42)"
	segment  string // "" means the target's
	function string // "" means the target's
	query    string // the raw query
	status   int
	code     fc.Code
	refuse   Evidence
	answer   Evidence
}

// rejectEvidence is the evidence of refusing a bad value of a parameter, from openapi.yaml:
// the parameter's x-fc-evidence (its type and presence) or its schema's (value constraints),
// and its x-fc-evidence-error (the 400 InvalidArgument answer).
type rejectEvidence struct {
	param, schema, answer Evidence
}

func loadRejectEvidence(name, schemaPtr string) rejectEvidence {
	var r rejectEvidence
	r.param, _ = EvidenceAt(param(name, "x-fc-evidence"))
	if schemaPtr == "" {
		schemaPtr = param(name, "schema/x-fc-evidence")
	}
	if ev, err := EvidenceAt(schemaPtr); err == nil {
		r.schema = weaker(r.param, ev)
	} else {
		r.schema = r.param
	}
	if ev, err := EvidenceAt(param(name, "x-fc-evidence-error")); err == nil {
		r.answer = ev
	} else {
		r.answer, _ = EvidenceAt("/components/responses/BadRequest/x-fc-evidence-codes/InvalidArgument")
	}
	return r
}

// badValue is a rejection of a bad value of parameter name: a wrong type (typed) or a value
// outside the schema's constraints.
func badValue(check, name, query string, typed bool) rejection {
	schemaPtr := ""
	switch name {
	case "SortOrderByTime":
		schemaPtr = "/components/schemas/SortOrder/x-fc-evidence"
	case "Status":
		schemaPtr = "/components/schemas/StatefulInvocationStatus/x-fc-evidence"
	}
	ev := loadRejectEvidence(name, schemaPtr)
	r := rejection{check: check, query: query, status: 400, code: fc.CodeInvalidArgument, refuse: ev.schema, answer: ev.answer}
	if typed {
		r.refuse = ev.param
	}
	return r
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
	svc := s.target.Service
	other := func(name string) string {
		if name == svc || name == s.target.Function {
			return name + "-x"
		}
		return name
	}
	notFound := func(segment, function string, code fc.Code) rejection {
		ev, err := EvidenceAt("/components/responses/NotFound/x-fc-evidence-codes/" + string(code))
		if err != nil {
			ev = s.evidence[CheckNegNotFound]
		}
		return rejection{check: CheckNegNotFound, segment: segment, function: function, status: 404, code: code, refuse: ev, answer: ev}
	}
	return []rejection{
		badValue(CheckNegLimit, "Limit", "limit=0", false),
		badValue(CheckNegLimit, "Limit", "limit=101", false),
		badValue(CheckNegLimit, "Limit", "limit=-1", false),
		badValue(CheckNegLimit, "Limit", "limit=1.5", true),
		badValue(CheckNegLimit, "Limit", "limit=abc", true),
		badValue(CheckNegEnum, "SortOrderByTime", "sortOrderByTime=sideways", false),
		badValue(CheckNegEnum, "Status", "status=Done", false),
		badValue(CheckNegTime, "StartedTimeBegin", "startedTimeBegin=2020-08-20T02%3A28%3A21Z", true),
		badValue(CheckNegTime, "StartedTimeEnd", "startedTimeEnd=yesterday", true),
		badValue(CheckNegToken, "NextToken", "nextToken=e026ae92-61e5-472f-b32d-1c9e3c4e0000", false),
		notFound(other("fcmock-no-such-service"), "", fc.CodeServiceNotFound),
		notFound(svc, other("fcmock-no-such-function"), fc.CodeFunctionNotFound),
		notFound(svc+".fcmock-no-such-alias", "", fc.CodeAliasNotFound),
		notFound(svc+".987654321", "", fc.CodeVersionNotFound),
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
		badValue(CheckNegToken, "NextToken", "limit=1&sortOrderByTime=asc&nextToken="+url.QueryEscape(string(altered)), false),
		badValue(CheckNegToken, "NextToken", "limit=1&sortOrderByTime=desc&nextToken="+url.QueryEscape(tok), false),
	}, nil
}

// expectRejection sends r and judges the answer: a 2xx, 3xx or 5xx breaks the rule that the
// request is refused, another 4xx or another code the rule of FC's answer (see rejection).
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
	case ex.status < 400 || ex.status >= 500: // a 3xx is no refusal either
		tr.failAt(r.refuse, ex, want+" (at least a 4xx)", ex.summary())
	default:
		tr.failAt(r.answer, ex, want, ex.summary())
	}
	return nil
}
