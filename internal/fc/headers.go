package fc

// Header names of the FC 2016-08-15 wire protocol.
const (
	HeaderRequestID     = "X-Fc-Request-Id"
	HeaderAccountID     = "X-Fc-Account-Id"
	HeaderSecurityToken = "X-Fc-Security-Token"
	HeaderTraceID       = "X-Fc-Trace-Id"
)

// APIVersion is the path prefix of every API call.
const APIVersion = "2016-08-15"

// Header names of InvokeFunction and the stateful asynchronous invocations.
const (
	HeaderInvocationType           = "X-Fc-Invocation-Type"
	HeaderLogType                  = "X-Fc-Log-Type"
	HeaderStatefulInvocationID     = "X-Fc-Stateful-Async-Invocation-Id"
	HeaderErrorType                = "X-Fc-Error-Type"
	HeaderLogResult                = "X-Fc-Log-Result"
	HeaderStatefulInvocationEnable = "X-Fc-Stateful-Async-Invocation-Enable"
)
