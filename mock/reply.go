package mock

import (
	"encoding/json"
	"net/http"
)

// jsonReply is a JSON success answer of the lifecycle operations: the body as encoding/json
// writes it, with a Content-Length. X-Fc-Request-Id is already on the response (assignRequestID).
type jsonReply struct {
	status int
	body   any
}

func (r jsonReply) write(w http.ResponseWriter) error {
	b, err := json.Marshal(r.body)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Content-Length"] = contentLength(len(b))
	w.WriteHeader(r.status)
	_, err = w.Write(b)
	return err
}

func (r jsonReply) VisitPutFunctionAsyncInvokeConfigResponse(w http.ResponseWriter) error {
	return r.write(w)
}

func (r jsonReply) VisitGetFunctionAsyncInvokeConfigResponse(w http.ResponseWriter) error {
	return r.write(w)
}

func (r jsonReply) VisitGetStatefulAsyncInvocationResponse(w http.ResponseWriter) error {
	return r.write(w)
}

func (r jsonReply) VisitStopStatefulAsyncInvocationResponse(w http.ResponseWriter) error {
	return r.write(w)
}

// rawReply is a synchronous invoke's answer: the function's bytes, or its error as JSON.
type rawReply struct {
	body        []byte
	contentType string
	header      map[string]string
}

func (r rawReply) VisitInvokeFunctionResponse(w http.ResponseWriter) error {
	h := w.Header()
	for k, v := range r.header {
		h.Set(k, v)
	}
	h.Set("Content-Type", r.contentType)
	h["Content-Length"] = contentLength(len(r.body))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(r.body)
	return err
}

// acceptedReply is an asynchronous invoke's 202: no body and no Content-Type (the Node SDK
// JSON-parses the body of a JSON content type, and "" does not parse).
type acceptedReply struct {
	id string // X-Fc-Stateful-Async-Invocation-Id; "" when nothing was recorded
}

func (r acceptedReply) VisitInvokeFunctionResponse(w http.ResponseWriter) error {
	h := w.Header()
	if r.id != "" {
		h.Set("X-Fc-Stateful-Async-Invocation-Id", r.id)
	}
	h["Content-Length"] = contentLength(0)
	w.WriteHeader(http.StatusAccepted)
	return nil
}
