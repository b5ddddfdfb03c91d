package contract

import "slices"

// CheckInfo describes one check: its stable name, the rule it enforces, and where openapi.yaml
// gives the rule's evidence.
type CheckInfo struct {
	// Name is stable across releases: CI dashboards and the JUnit report key on it.
	Name string `json:"name"`
	// Rule says, in one sentence, what must hold.
	Rule string `json:"rule"`
	// Evidence is the JSON pointer of the rule's x-fc-evidence annotation in openapi.yaml. A
	// finding may rest on a more specific annotation (the schema constraint it breaks, the
	// enum value it uses); the profile grades each by its own evidence.
	Evidence string `json:"evidence,omitempty"`
	// Open marks a rule the doc does not make, for a check without an Evidence pointer: it is
	// graded as a choice.
	Open bool `json:"open,omitempty"`
}

// Check names. Each family lives in its own file: conformance.go, semantics.go, choices.go,
// negative.go, generated.go, signature.go, lifecycle*.go, resources.go.
const (
	CheckStatus      = "conformance/status"
	CheckContentType = "conformance/content-type"
	CheckSchema      = "conformance/schema"
	CheckRequestID   = "conformance/request-id"
	CheckNo5xx       = "no-5xx"

	CheckAccepted       = "semantics/accepted"
	CheckLimit          = "semantics/limit"
	CheckPaging         = "semantics/paging"
	CheckSort           = "semantics/sort"
	CheckFilterTime     = "semantics/filter-time"
	CheckFilterPrefix   = "semantics/filter-prefix"
	CheckFilterStatus   = "semantics/filter-status"
	CheckIncludePayload = "semantics/include-payload"

	CheckSortTies        = "semantics/sort-ties"
	CheckDefaultOrder    = "semantics/default-order"
	CheckTimeBounds      = "semantics/time-bounds"
	CheckFilterQualifier = "semantics/filter-qualifier"
	CheckPayloadDefault  = "semantics/payload-default"
	CheckEmptyShape      = "semantics/empty-shape"

	CheckPayloadKey        = "semantics/payload-key"
	CheckQualifiedListing  = "semantics/qualified-listing"
	CheckFilterConsistency = "semantics/filter-consistency"
	CheckTokenReuse        = "semantics/token-reuse"
	CheckStatusCase        = "semantics/status-case"
	CheckMinInvocations    = "data/min-invocations"

	CheckNegLimit    = "negative/limit"
	CheckNegEnum     = "negative/enum"
	CheckNegTime     = "negative/time"
	CheckNegToken    = "negative/next-token"
	CheckNegNotFound = "negative/not-found"

	CheckGenValid   = "generated/valid"
	CheckGenInvalid = "generated/invalid"

	CheckSigUnsigned    = "signature/unsigned"
	CheckSigWrongSecret = "signature/wrong-secret"
	CheckSigUnknownKey  = "signature/unknown-key"
	CheckSigSkew        = "signature/skew"
	CheckSigMissingDate = "signature/missing-date"
	CheckSigTampered    = "signature/tampered"
	CheckSigAccepted    = "signature/accepted"
	CheckSigSTSToken    = "signature/sts-token"

	CheckLcInvoke       = "lifecycle/invoke"
	CheckLcListed       = "lifecycle/listed"
	CheckLcGet          = "lifecycle/get"
	CheckLcStop         = "lifecycle/stop"
	CheckLcEndTime      = "lifecycle/end-time"
	CheckLcDuplicate    = "lifecycle/duplicate-id"
	CheckLcNotFound     = "lifecycle/not-found"
	CheckLcStopFinished = "lifecycle/stop-finished"
	CheckLcEvents       = "lifecycle/events"
	CheckLcTransitions  = "lifecycle/transitions"
)

// registry lists every check in report order: these, then the resources family's
// (resources.go), last.
var registry = slices.Concat(checkList, resourceRegistry)

var checkList = []CheckInfo{
	{Name: CheckStatus, Rule: "every response's status is one openapi.yaml declares for the operation", Evidence: rule("status")},
	{Name: CheckContentType, Rule: "every response with a body has the media type openapi.yaml declares (application/json)", Evidence: rule("content-type")},
	{Name: CheckSchema, Rule: "every response body validates against its schema in openapi.yaml (all errors reported)", Evidence: listOp + "/x-fc-evidence"},
	{Name: CheckRequestID, Rule: "every response, success or error, carries a non-empty X-Fc-Request-Id header", Evidence: "/components/headers/XFcRequestId/x-fc-evidence"},
	{Name: CheckNo5xx, Rule: "no request the suite sends is answered with a 5xx or left without an answer", Evidence: rule("no-5xx")},

	{Name: CheckAccepted, Rule: "a request that openapi.yaml allows is answered 2xx, not 4xx", Evidence: rule("accepted")},
	{Name: CheckLimit, Rule: "a page holds at most limit invocations (at most 50 when limit is absent)", Evidence: param("Limit", "schema/x-fc-evidence")},
	{Name: CheckPaging, Rule: "a walk through nextToken ends, returns each invocation once, and returns the full listing at every limit", Evidence: rule("paging")},
	{Name: CheckSort, Rule: "sortOrderByTime=asc/desc orders the whole walk, across pages, by startedTime", Evidence: rule("sort")},
	{Name: CheckFilterTime, Rule: "startedTimeBegin/startedTimeEnd return exactly the invocations of the full listing inside the window", Evidence: rule("filter-time")},
	{Name: CheckFilterPrefix, Rule: "invocationIdPrefix returns exactly the invocations of the full listing whose id starts with it", Evidence: rule("filter-prefix")},
	{Name: CheckFilterStatus, Rule: "status returns exactly the invocations of the full listing in that status", Evidence: rule("filter-status")},
	{Name: CheckIncludePayload, Rule: "includePayload=false returns no invocationPayload; includePayload=true returns it, for the same invocations", Evidence: rule("include-payload")},

	{Name: CheckSortTies, Rule: "invocations with equal startedTime are ordered by invocationId in the requested direction", Evidence: rule("sort-ties")},
	{Name: CheckDefaultOrder, Rule: "without sortOrderByTime the listing is ascending", Evidence: param("SortOrderByTime", "x-fc-evidence-default")},
	{Name: CheckTimeBounds, Rule: "both time bounds are inclusive, and an end before the beginning lists nothing", Evidence: rule("time-bounds")},
	{Name: CheckFilterQualifier, Rule: "service.qualifier lists exactly the invocations with that qualifier; the bare service lists every qualifier", Evidence: rule("filter-qualifier")},
	{Name: CheckPayloadDefault, Rule: "without includePayload no invocation carries invocationPayload", Evidence: param("IncludePayload", "x-fc-evidence-default")},
	{Name: CheckEmptyShape, Rule: "an empty result is {}: no invocations key and no nextToken", Evidence: rule("empty-shape")},

	{Name: CheckPayloadKey, Rule: "no invocation carries its payload under another key than invocationPayload (InvocationPayload, payload, ...)", Evidence: rule("payload-key")},
	{Name: CheckQualifiedListing, Rule: "service.qualifier lists only invocations with that qualifier", Evidence: rule("qualified-listing")},
	{Name: CheckFilterConsistency, Rule: "a filtered listing holds only invocations of the unfiltered one, and a filter the target ignores gives the whole listing, never another subset", Evidence: rule("filter-consistency")},
	{Name: CheckTokenReuse, Rule: "a nextToken reused with another filter, qualifier or function is refused (4xx) or answered with invocations of the new query only", Evidence: rule("token-reuse")},
	{Name: CheckStatusCase, Rule: "status in another letter case is refused (4xx) or answered with invocations of that status only, or ignored", Evidence: rule("filter-status")},
	{Name: CheckMinInvocations, Rule: "the function holds at least --min-invocations invocations (checked only when asked)", Evidence: rule("accepted")},

	{Name: CheckNegLimit, Rule: "limit 0, 101, -1, 1.5 and abc are rejected with 400 InvalidArgument", Evidence: param("Limit", "schema/x-fc-evidence")},
	{Name: CheckNegEnum, Rule: "a value outside the sortOrderByTime or status enum is rejected with 400 InvalidArgument", Evidence: param("SortOrderByTime", "x-fc-evidence")},
	{Name: CheckNegTime, Rule: "a non-numeric startedTimeBegin or startedTimeEnd is rejected with 400 InvalidArgument", Evidence: param("StartedTimeBegin", "x-fc-evidence")},
	{Name: CheckNegToken, Rule: "a forged or altered nextToken is rejected with 400 InvalidArgument", Evidence: rule("token-binding")},
	{Name: CheckNegNotFound, Rule: "an unknown service, function, alias or version is rejected with 404 and its FC error code", Evidence: "/components/responses/NotFound/x-fc-evidence"},

	{Name: CheckGenValid, Rule: "seeded random valid queries (ranges' bounds, every enum value, prefixes, windows, limits) return exactly their subset of the full listing", Evidence: rule("filter-consistency")},
	{Name: CheckGenInvalid, Rule: "seeded random values just outside the spec's ranges and enums are rejected with 400 InvalidArgument", Evidence: rule("accepted")},

	{Name: CheckSigUnsigned, Rule: "a request without Authorization is refused with 403 AccessDenied", Evidence: "/components/responses/Forbidden/x-fc-evidence-codes/AccessDenied"},
	{Name: CheckSigWrongSecret, Rule: "a request signed with the right key id and a wrong secret (the last character changed) is refused with 403 SignatureNotMatch", Evidence: "/components/responses/Forbidden/x-fc-evidence-codes/SignatureNotMatch"},
	{Name: CheckSigUnknownKey, Rule: "a request signed with an access key id the target cannot know is refused with 403 InvalidAccessKeyID", Evidence: "/components/responses/Forbidden/x-fc-evidence-codes/InvalidAccessKeyID"},
	{Name: CheckSigSkew, Rule: "a Date 16 minutes behind or ahead is refused with 403 RequestTimeTooSkewed; 14 minutes off is accepted", Evidence: "/components/responses/Forbidden/x-fc-evidence"},
	{Name: CheckSigMissingDate, Rule: "a signed request whose Date is then removed is refused with 400 MissingRequiredHeader", Evidence: "/components/responses/BadRequest/x-fc-evidence-codes/MissingRequiredHeader"},
	{Name: CheckSigTampered, Rule: "a request whose x-fc-* header changed after signing is refused with 403 SignatureNotMatch", Evidence: "/components/responses/Forbidden/x-fc-evidence-codes/SignatureNotMatch"},
	{Name: CheckSigAccepted, Rule: "a signed request is accepted with every SDK's Content-MD5 form (or none) and with or without Content-Type: application/json", Evidence: "/components/responses/Forbidden/x-fc-evidence"},
	{Name: CheckSigSTSToken, Rule: "a request signed with STS credentials but without X-Fc-Security-Token is refused with 403 AccessDenied", Evidence: "/components/responses/Forbidden/x-fc-evidence-codes/AccessDenied"},

	{Name: CheckLcInvoke, Rule: "an asynchronous invoke with a fresh stateful id is answered 202 with the id echoed in X-Fc-Stateful-Async-Invocation-Id, an empty body and no JSON Content-Type", Evidence: invokeOp + "/responses/202/x-fc-evidence"},
	{Name: CheckLcListed, Rule: "a new invocation is listed (unqualified, and qualified when the target names a qualifier) within the wait, with its service and function, its payload only with includePayload=true, and the invoke's requestId", Evidence: invokeOp + "/x-fc-rules/listed"},
	{Name: CheckLcGet, Rule: "GET of an invocation returns it at top level, with the same fields as its listed record", Evidence: getOp + "/x-fc-evidence"},
	{Name: CheckLcStop, Rule: "a stop of a live invocation is accepted, the next read shows Stopping or Stopped, and it ends Stopped", Evidence: stopOp + "/x-fc-rules/stops"},
	{Name: CheckLcEndTime, Rule: "endTime is 0 before a terminal status and set (not before startedTime) once terminal", Evidence: invocationSchema + "/properties/endTime/x-fc-evidence"},
	{Name: CheckLcDuplicate, Rule: "an invoke reusing a stateful id is refused with 409 StatefulAsyncInvocationAlreadyExists", Evidence: invokeOp + "/x-fc-rules/duplicate-id"},
	{Name: CheckLcNotFound, Rule: "GET and stop of an id never invoked are refused with 404 StatefulAsyncInvocationNotFound", Evidence: getOp + "/x-fc-evidence"},
	{Name: CheckLcStopFinished, Rule: "a stop of an invocation that has ended is refused with 400 InvalidArgument", Evidence: "/components/responses/StopBadRequest/x-fc-evidence"},
	{Name: CheckLcEvents, Rule: "events are ordered by eventId, timestamps never decrease, statuses follow the state machine, and a later read keeps the earlier events", Evidence: invocationSchema + "/properties/events/x-fc-evidence"},
	{Name: CheckLcTransitions, Rule: "successive reads of an invocation show statuses only along the state machine of wire facts section 5", Evidence: getOp + "/x-fc-rules/transitions"},
}

// Checks returns every check the suite runs, in report order.
func Checks() []CheckInfo { return append([]CheckInfo(nil), registry...) }

func lookupCheck(name string) (CheckInfo, bool) {
	for _, c := range registry {
		if c.Name == name {
			return c, true
		}
	}
	return CheckInfo{}, false
}
