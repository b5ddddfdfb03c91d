package contract

import "strings"

// opPointer is the JSON pointer of an operation of openapi.yaml: its path and lower-case method.
func opPointer(path, method string) string {
	return "/paths/" + strings.ReplaceAll(strings.ReplaceAll(path, "~", "~0"), "/", "~1") + "/" + method
}

// The lifecycle family's operations in openapi.yaml, whose x-fc-rules hold its behaviour rules.
var (
	invokeOp = opPointer("/2016-08-15/services/{serviceName}/functions/{functionName}/invocations", "post")
	getOp    = opPointer("/2016-08-15/services/{serviceName}/functions/{functionName}/stateful-async-invocations/{invocationId}", "get")
	stopOp   = opPointer("/2016-08-15/services/{serviceName}/functions/{functionName}/stateful-async-invocations/{invocationId}", "put")
)

const invocationSchema = "/components/schemas/StatefulAsyncInvocation"

// lcEvidence is the evidence of the lifecycle family's findings that rest on more than their
// check's rule (CheckInfo.Evidence): each is graded by what it breaks, so that the service
// profile fails only what the doc or an SDK rated H makes, and warns on fcmock's choices.
type lcEvidence struct {
	echo            Evidence // the 202 echoes the id: the header's annotation
	includePayload  Evidence // invocationPayload only with includePayload=true
	filterQualifier Evidence // an unqualified listing holds a qualified invocation (a choice)
	requestID       Evidence // the record's requestId is the invoke's X-Fc-Request-Id
	getPayload      Evidence // GET always carries the payload (a choice)
	eventsPresent   Evidence // every read carries events (a choice)
	transitions     Evidence // the state machine of wire facts 5
	get, stopped    Evidence // GET, Stop answer an invocation (refuse an unknown id)
	duplicate       Evidence // a reused id is refused
	duplicateAnswer Evidence // ... with 409 StatefulAsyncInvocationAlreadyExists
	notFoundAnswer  Evidence // an unknown id: 404 StatefulAsyncInvocationNotFound
}

// loadLcEvidence reads lcEvidence from openapi.yaml; an error means a pointer here names
// nothing there.
func loadLcEvidence() (lcEvidence, error) {
	var e lcEvidence
	for _, f := range []struct {
		dst *Evidence
		ptr string
	}{
		{&e.echo, "/components/headers/XFcStatefulAsyncInvocationIdEcho/x-fc-evidence"},
		{&e.includePayload, rule("include-payload")},
		{&e.filterQualifier, rule("filter-qualifier")},
		{&e.requestID, invocationSchema + "/properties/requestId/x-fc-evidence"},
		{&e.getPayload, getOp + "/x-fc-rules/payload"},
		{&e.eventsPresent, getOp + "/x-fc-rules/events-present"},
		{&e.transitions, getOp + "/x-fc-rules/transitions"},
		{&e.get, getOp + "/x-fc-evidence"},
		{&e.stopped, stopOp + "/x-fc-evidence"},
		{&e.duplicate, invokeOp + "/x-fc-rules/duplicate-id"},
		{&e.duplicateAnswer, "/components/responses/InvocationAlreadyExists/x-fc-evidence"},
		{&e.notFoundAnswer, "/components/responses/InvocationNotFound/x-fc-evidence"},
	} {
		ev, err := EvidenceAt(f.ptr)
		if err != nil {
			return e, err
		}
		*f.dst = ev
	}
	return e, nil
}
