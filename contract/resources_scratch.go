package contract

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// A scratch world is what a mutating family makes on the target for itself (services, a
// function, its async invoke config, versions, aliases), built through FC's resource API with
// the generated client. It remembers each resource with the request that deletes it, so that
// cleanUp can delete them all, newest first, however the family ended: with findings, with an
// error, or with the run's context cancelled.
type scratch struct {
	s    *Suite
	made []resource
}

// resource is one thing a scratch world made: its name for a person, and its delete.
type resource struct {
	what string // "service fcmock-contract-x", "function fcmock-contract-x/f", ...
	del  func() (*http.Request, error)
}

// cleanupTimeout bounds a cleanup, which runs on a context of its own: the run's may have ended.
const cleanupTimeout = time.Minute

// handlerPy is the code of a scratch function: on FC itself its invocations run a few seconds
// (long enough for a stop to find one live) and succeed; the mock stores it and runs nothing.
const handlerPy = "import time\n\n\ndef handler(event, context):\n    time.sleep(3)\n    return event\n"

// handlerZip is handlerPy as index.py in a zip, base64-encoded as CreateFunction takes it.
var handlerZip = sync.OnceValue(func() string {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	// Writing to memory cannot fail: the errors are nil.
	f, _ := z.Create("index.py")
	_, _ = f.Write([]byte(handlerPy))
	_ = z.Close()
	return base64.StdEncoding.EncodeToString(b.Bytes())
})

// scratchName is a service name no earlier run used and a person recognises as the suite's:
// fcmock-contract-<seed>-<clock>, legal by FC's name rules (a letter first; letters, digits and
// '-'; at most 128 characters).
func (s *Suite) scratchName() string {
	return fmt.Sprintf("fcmock-contract-%s-%s", strconv.FormatUint(uint64(s.opts.Seed), 36),
		strconv.FormatInt(time.Now().UnixNano(), 36))
}

// track remembers a resource made, with the request that deletes it.
func (w *scratch) track(what string, del func() (*http.Request, error)) {
	w.made = append(w.made, resource{what, del})
}

// trackPath remembers a resource whose delete is DELETE path (after the API version).
func (w *scratch) trackPath(what, path string) {
	base := strings.TrimRight(w.s.target.BaseURL, "/") + "/2016-08-15"
	w.track(what, func() (*http.Request, error) { return http.NewRequest(http.MethodDelete, base+path, nil) })
}

// pop removes the newest resource and returns it; ok is false when none is left.
func (w *scratch) pop() (r resource, ok bool) {
	if len(w.made) == 0 {
		return resource{}, false
	}
	r = w.made[len(w.made)-1]
	w.made = w.made[:len(w.made)-1]
	return r, true
}

// sendJSON sends req, built by the generated client, with body as its JSON, shown in the curl
// line.
func (w *scratch) sendJSON(ctx context.Context, build func(body *bytes.Reader) (*http.Request, error), v any) (*exchange, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	req, err := build(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("contract: build request: %w", err)
	}
	ex, err := w.s.send(ctx, req)
	if err == nil {
		ex.curl += " --data-binary " + shellQuote(w.s.redact.apply(string(body)))
	}
	return ex, err
}

// createService creates service name; on a 200 it is tracked for deletion.
func (w *scratch) createService(ctx context.Context, name, description string) (*exchange, error) {
	base := w.s.target.BaseURL
	ex, err := w.sendJSON(ctx, func(b *bytes.Reader) (*http.Request, error) {
		return fcapi.NewCreateServiceRequestWithBody(base, "application/json", b)
	}, fcapi.ServiceInput{ServiceName: &name, Description: &description})
	if err == nil && ex.status == http.StatusOK {
		w.track("service "+name, func() (*http.Request, error) { return fcapi.NewDeleteServiceRequest(base, name, nil) })
	}
	return ex, err
}

// createFunction creates function name in service (python3, index.handler of handlerPy); on a
// 200 it is tracked for deletion.
func (w *scratch) createFunction(ctx context.Context, service, name string) (*exchange, error) {
	base := w.s.target.BaseURL
	in := fcapi.FunctionInput{FunctionName: &name, Runtime: ptr("python3"), Handler: ptr("index.handler"),
		Code: &fcapi.FunctionCodeInput{ZipFile: ptr(handlerZip())}}
	ex, err := w.sendJSON(ctx, func(b *bytes.Reader) (*http.Request, error) {
		return fcapi.NewCreateFunctionRequestWithBody(base, service, nil, "application/json", b)
	}, in)
	if err == nil && ex.status == http.StatusOK {
		w.track("function "+service+"/"+name, func() (*http.Request, error) {
			return fcapi.NewDeleteFunctionRequest(base, service, name, nil)
		})
	}
	return ex, err
}

// statefulConfig puts the function's async invoke config with statefulInvocation on, so that
// invokes with a stateful id are recorded; on a 200 it is tracked for deletion.
func (w *scratch) statefulConfig(ctx context.Context, service, function string) (*exchange, error) {
	base := w.s.target.BaseURL
	on := true
	ex, err := w.sendJSON(ctx, func(b *bytes.Reader) (*http.Request, error) {
		return fcapi.NewPutFunctionAsyncInvokeConfigRequestWithBody(base, service, function, "application/json", b)
	}, fcapi.AsyncConfigInput{StatefulInvocation: &on})
	if err == nil && ex.status == http.StatusOK {
		w.track("the async invoke config of "+service+"/"+function, func() (*http.Request, error) {
			return fcapi.NewDeleteFunctionAsyncInvokeConfigRequest(base, service, function)
		})
	}
	return ex, err
}

// cleanUp deletes every resource still tracked, newest first, on a context of its own with a
// timeout, so that it runs even when ctx has ended. It judges nothing (each answer still goes
// through conformance and no-5xx); what it could not delete (neither 2xx nor 404) is reported
// in the notes, by name, as a warning for a person to delete by hand.
func (w *scratch) cleanUp(ctx context.Context, family string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	var left []string
	for {
		r, ok := w.pop()
		if !ok {
			break
		}
		if why := w.delete(ctx, r); why != "" {
			left = append(left, r.what+" ("+why+")")
		}
	}
	if len(left) > 0 {
		w.s.note("warning: %s: the suite could not delete what it made on the target; delete it by hand: %s",
			family, strings.Join(left, "; "))
	}
}

// delete sends r's delete and returns why it did not take, or "".
func (w *scratch) delete(ctx context.Context, r resource) string {
	req, err := r.del()
	if err != nil {
		return err.Error()
	}
	ex, err := w.s.send(ctx, req)
	switch {
	case err != nil:
		return errorText(err)
	case ex.err != nil:
		return "no answer: " + errorText(ex.err)
	case ex.status/100 == 2 || ex.status == http.StatusNotFound:
		return ""
	}
	return "the delete was answered " + ex.summary()
}
