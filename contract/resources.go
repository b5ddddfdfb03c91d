package contract

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// The resources family (Options.Mutating): it creates services, a function, a version and an
// alias of its own on the target, walks them through FC's resource API as the vendor's SDK
// tests do (create, get, update with If-Match, list with prefix and paging, publish, alias,
// delete) and deletes what it made. Every response also goes through conformance and no-5xx.
const (
	CheckResCreate  = "resources/create"
	CheckResGet     = "resources/get"
	CheckResETag    = "resources/etag"
	CheckResIfMatch = "resources/if-match"
	CheckResList    = "resources/list"
	CheckResPublish = "resources/publish"
	CheckResAlias   = "resources/alias"
	CheckResDelete  = "resources/delete"
)

var resourceRegistry = []CheckInfo{
	{Name: CheckResCreate, Rule: "CreateService and CreateFunction answer 200 with the resource as named and an Etag; a second CreateService of the name is refused with 409 ServiceAlreadyExists"},
	{Name: CheckResGet, Rule: "GetService and GetFunction answer the resource as created, with the Etag Create gave"},
	{Name: CheckResETag, Rule: "UpdateService with If-Match set to the current Etag applies the change, keeps serviceId and createdTime, and answers a new Etag, which GetService then answers too"},
	{Name: CheckResIfMatch, Rule: "UpdateService with an Etag the service had before its last change is refused with 412 PreconditionFailed", Open: true},
	{Name: CheckResList, Rule: "ListServices with a prefix and limit 1 walks exactly the services with that prefix, in name order, the last page without nextToken; a prefix matching nothing answers services []"},
	{Name: CheckResPublish, Rule: "PublishServiceVersion answers 200 with a numeric versionId that ListServiceVersions then lists; a second publish with nothing changed is refused with a 4xx"},
	{Name: CheckResAlias, Rule: "CreateAlias answers the alias as given, GetAlias answers it, and the service and its function are found through it (service.alias)"},
	{Name: CheckResDelete, Rule: "DeleteService of a service with functions is refused with a 4xx; deletes of the alias, version, function and services answer 204 with no body and no JSON Content-Type, and the service is then 404 ServiceNotFound"},
}

// resRun is one run of the resources family: the names it made, for the checks and cleanup.
type resRun struct {
	s       *Suite
	ctx     context.Context
	names   []string // services a, b, c, sorted
	version string
	cleanup []string          // DELETE paths, run in reverse at the end
	etags   map[string]string // what Create answered, by the resource's path
}

func (s *Suite) resources(ctx context.Context) error {
	if !s.opts.Mutating {
		s.skip("it creates, changes and deletes services of its own: run with --mutating (Options.Mutating)", checkNames(resourceRegistry)...)
		return nil
	}
	// Names unique to the run, so a target's other services never match the prefix.
	prefix := fmt.Sprintf("fcmockc_%d_%x_", uint32(s.opts.Seed), uint32(time.Now().UnixNano()))
	r := &resRun{s: s, ctx: ctx, names: []string{prefix + "a", prefix + "b", prefix + "c"}, etags: map[string]string{}}
	defer r.cleanUp()
	steps := []func() (bool, error){r.create, r.get, r.etag, r.list, r.publish, r.alias, r.delete}
	for i, step := range steps {
		ok, err := step()
		if err != nil {
			return err
		}
		if !ok {
			s.skip("an earlier step of the resources family failed", checkNames(resourceRegistry[i+1:])...)
			break
		}
	}
	return nil
}

func checkNames(infos []CheckInfo) []string {
	out := make([]string, len(infos))
	for i, c := range infos {
		out[i] = c.Name
	}
	return out
}

// call sends method path (after /2016-08-15) with body as JSON when not nil, and headers as
// name, value pairs.
func (r *resRun) call(method, path string, body any, headers ...string) (*exchange, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, strings.TrimRight(r.s.target.BaseURL, "/")+"/2016-08-15"+path, rd)
	if err != nil {
		return nil, fmt.Errorf("contract: build request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] != "" {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	return r.s.send(r.ctx, req)
}

// decoded unmarshals ex's body into v when ex is a 200; it reports whether it did.
func decoded(ex *exchange, v any) bool {
	return ex.err == nil && ex.status == http.StatusOK && json.Unmarshal(ex.body, v) == nil
}

// wantError fails tr unless ex is status with code ("" any code; status 0 any 4xx).
func wantError(tr *trial, ex *exchange, status int, code fc.Code, expected string) {
	e, _ := ex.fcError()
	switch {
	case ex.err != nil:
		tr.fail(ex, expected, ex.summary())
	case status == 0 && (ex.status < 400 || ex.status > 499):
		tr.fail(ex, expected, ex.summary())
	case status != 0 && ex.status != status, code != "" && e.ErrorCode != string(code):
		tr.fail(ex, expected, ex.summary())
	}
}

func (r *resRun) create() (bool, error) {
	tr := r.s.start(CheckResCreate)
	defer tr.end()
	for _, name := range r.names {
		ex, err := r.call(http.MethodPost, "/services", map[string]any{"serviceName": name, "description": "fcmock contract"})
		if err != nil {
			return false, err
		}
		var svc fcapi.Service
		if !decoded(ex, &svc) || svc.ServiceName != name || ex.header.Get("Etag") == "" {
			tr.fail(ex, "200 with the service named "+name+" and an Etag", ex.summary()+", Etag "+quoteOrNone(ex.header.Get("Etag")))
		}
		if ex.status == http.StatusOK {
			r.cleanup = append(r.cleanup, "/services/"+name)
			r.etags["/services/"+name] = ex.header.Get("Etag")
		}
	}
	if tr.failed {
		return false, nil
	}
	ex, err := r.call(http.MethodPost, "/services", map[string]any{"serviceName": r.names[0]})
	if err != nil {
		return false, err
	}
	wantError(tr, ex, http.StatusConflict, fc.CodeServiceAlreadyExists, "409 ServiceAlreadyExists for a name taken")
	ex, err = r.call(http.MethodPost, "/services/"+r.names[0]+"/functions", map[string]any{"functionName": "f", "runtime": "python3",
		"handler": "index.handler", "code": map[string]any{"zipFile": base64.StdEncoding.EncodeToString([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))}})
	if err != nil {
		return false, err
	}
	var fn fcapi.Function
	if !decoded(ex, &fn) || fn.FunctionName != "f" || ex.header.Get("Etag") == "" {
		tr.fail(ex, "200 with the function named f and an Etag", ex.summary()+", Etag "+quoteOrNone(ex.header.Get("Etag")))
	}
	if ex.status == http.StatusOK {
		r.cleanup = append(r.cleanup, "/services/"+r.names[0]+"/functions/f")
		r.etags["/services/"+r.names[0]+"/functions/f"] = ex.header.Get("Etag")
	}
	return !tr.failed, nil
}

func quoteOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return fmt.Sprintf("%q", s)
}

func (r *resRun) get() (bool, error) {
	tr := r.s.start(CheckResGet)
	defer tr.end()
	svcPath, fnPath := "/services/"+r.names[0], "/services/"+r.names[0]+"/functions/f"
	for _, p := range []string{svcPath, fnPath} {
		ex, err := r.call(http.MethodGet, p, nil)
		if err != nil {
			return false, err
		}
		var a map[string]any
		switch {
		case !decoded(ex, &a):
			tr.fail(ex, "200 with the resource created", ex.summary())
		case p == svcPath && (a["serviceName"] != r.names[0] || a["description"] != "fcmock contract"),
			p == fnPath && (a["functionName"] != "f" || a["runtime"] != "python3"):
			tr.fail(ex, "the resource as created", truncate(string(ex.body), 200))
		case ex.header.Get("Etag") != r.etags[p]:
			tr.fail(ex, "the Etag Create answered, "+quoteOrNone(r.etags[p]), quoteOrNone(ex.header.Get("Etag")))
		}
	}
	return !tr.failed, nil
}

func (r *resRun) etag() (bool, error) {
	tr := r.s.start(CheckResETag)
	path := "/services/" + r.names[0]
	before, err := r.call(http.MethodGet, path, nil)
	if err != nil {
		return false, err
	}
	var old, upd, after fcapi.Service
	decoded(before, &old)
	stale := before.header.Get("Etag")
	ex, err := r.call(http.MethodPut, path, map[string]any{"description": "changed"}, "If-Match", stale)
	if err != nil {
		return false, err
	}
	switch {
	case !decoded(ex, &upd) || upd.Description != "changed":
		tr.fail(ex, "200 with description changed", ex.summary())
	case upd.ServiceId != old.ServiceId || upd.CreatedTime != old.CreatedTime || upd.LastModifiedTime < old.LastModifiedTime:
		tr.fail(ex, "serviceId and createdTime kept, lastModifiedTime not earlier", truncate(string(ex.body), 200))
	case ex.header.Get("Etag") == "" || ex.header.Get("Etag") == stale:
		tr.fail(ex, "a new Etag after the change", quoteOrNone(ex.header.Get("Etag")))
	}
	again, err := r.call(http.MethodGet, path, nil)
	if err != nil {
		return false, err
	}
	if decoded(again, &after); again.header.Get("Etag") != ex.header.Get("Etag") {
		tr.fail(again, "the Etag the update answered, "+quoteOrNone(ex.header.Get("Etag")), quoteOrNone(again.header.Get("Etag")))
	}
	tr.end()

	im := r.s.start(CheckResIfMatch)
	defer im.end()
	if stale == "" {
		return !tr.failed, nil
	}
	ex, err = r.call(http.MethodPut, path, map[string]any{"description": "stale"}, "If-Match", stale)
	if err != nil {
		return false, err
	}
	wantError(im, ex, http.StatusPreconditionFailed, fc.CodePreconditionFailed, "412 PreconditionFailed for an Etag the service no longer has")
	return !tr.failed, nil
}

func (r *resRun) list() (bool, error) {
	tr := r.s.start(CheckResList)
	defer tr.end()
	prefix := strings.TrimSuffix(r.names[0], "a")
	var got []string
	token := ""
	var last *exchange
	for page := 0; page < 2*len(r.names)+2; page++ {
		q := "?limit=1&prefix=" + prefix
		if token != "" {
			q += "&nextToken=" + token
		}
		ex, err := r.call(http.MethodGet, "/services"+q, nil)
		if err != nil {
			return false, err
		}
		last = ex
		var out fcapi.ListServicesOutput
		if !decoded(ex, &out) {
			tr.fail(ex, "200 with a page of services", ex.summary())
			return false, nil
		}
		for _, svc := range out.Services {
			got = append(got, svc.ServiceName)
		}
		if out.NextToken == nil || *out.NextToken == "" {
			break
		}
		token = *out.NextToken
	}
	if !slices.Equal(got, r.names) {
		tr.fail(last, "a walk returning "+strings.Join(r.names, ", "), "it returned "+strings.Join(got, ", "))
	}
	ex, err := r.call(http.MethodGet, "/services?prefix="+prefix+"zz", nil)
	if err != nil {
		return false, err
	}
	var empty struct {
		Services *[]json.RawMessage `json:"services"`
	}
	if !decoded(ex, &empty) || empty.Services == nil || len(*empty.Services) != 0 {
		tr.fail(ex, `200 with "services": []`, ex.summary()+" "+truncate(string(ex.body), 120))
	}
	return !tr.failed, nil
}

func (r *resRun) publish() (bool, error) {
	tr := r.s.start(CheckResPublish)
	defer tr.end()
	base := "/services/" + r.names[0] + "/versions"
	ex, err := r.call(http.MethodPost, base, map[string]any{"description": "v1"})
	if err != nil {
		return false, err
	}
	var v fcapi.Version
	if !decoded(ex, &v) || !fc.IsVersionID(v.VersionId) {
		tr.fail(ex, "200 with a numeric versionId", ex.summary())
		return false, nil
	}
	r.version = v.VersionId
	r.cleanup = append(r.cleanup, base+"/"+v.VersionId)
	list, err := r.call(http.MethodGet, base, nil)
	if err != nil {
		return false, err
	}
	var out fcapi.ListVersionsOutput
	if !decoded(list, &out) || !slices.ContainsFunc(out.Versions, func(x fcapi.Version) bool { return x.VersionId == v.VersionId }) {
		tr.fail(list, "a list holding version "+v.VersionId, list.summary()+" "+truncate(string(list.body), 160))
	}
	again, err := r.call(http.MethodPost, base, map[string]any{})
	if err != nil {
		return false, err
	}
	if again.status == http.StatusOK {
		var v2 fcapi.Version
		if decoded(again, &v2) && v2.VersionId != "" {
			r.cleanup = append(r.cleanup, base+"/"+v2.VersionId)
		}
	}
	wantError(tr, again, 0, "", "a 4xx for a publish with nothing changed since the last")
	return !tr.failed, nil
}

func (r *resRun) alias() (bool, error) {
	tr := r.s.start(CheckResAlias)
	defer tr.end()
	svc := r.names[0]
	ex, err := r.call(http.MethodPost, "/services/"+svc+"/aliases", map[string]any{"aliasName": "live", "versionId": r.version})
	if err != nil {
		return false, err
	}
	var a fcapi.Alias
	if !decoded(ex, &a) || a.AliasName != "live" || a.VersionId != r.version {
		tr.fail(ex, "200 with alias live on version "+r.version, ex.summary())
		return false, nil
	}
	r.cleanup = append(r.cleanup, "/services/"+svc+"/aliases/live")
	for _, p := range []string{"/services/" + svc + "/aliases/live", "/services/" + svc + ".live", "/services/" + svc + ".live/functions/f"} {
		got, err := r.call(http.MethodGet, p, nil)
		if err != nil {
			return false, err
		}
		if got.status != http.StatusOK {
			tr.fail(got, "200", got.summary())
		}
	}
	return !tr.failed, nil
}

func (r *resRun) delete() (bool, error) {
	tr := r.s.start(CheckResDelete)
	defer tr.end()
	ex, err := r.call(http.MethodDelete, "/services/"+r.names[0], nil)
	if err != nil {
		return false, err
	}
	wantError(tr, ex, 0, "", "a 4xx: the service still has a function, a version and an alias")
	for len(r.cleanup) > 0 {
		p := r.cleanup[len(r.cleanup)-1]
		r.cleanup = r.cleanup[:len(r.cleanup)-1]
		ex, err := r.call(http.MethodDelete, p, nil)
		if err != nil {
			return false, err
		}
		ct := ex.header.Get("Content-Type")
		if ex.status != http.StatusNoContent || len(ex.body) != 0 || strings.Contains(ct, "json") {
			tr.fail(ex, "204, no body, no JSON Content-Type", ex.summary()+", Content-Type "+quoteOrNone(ct)+fmt.Sprintf(", %d bytes", len(ex.body)))
		}
	}
	gone, err := r.call(http.MethodGet, "/services/"+r.names[0], nil)
	if err != nil {
		return false, err
	}
	wantError(tr, gone, http.StatusNotFound, fc.CodeServiceNotFound, "404 ServiceNotFound after the delete")
	return !tr.failed, nil
}

// cleanUp deletes what an unfinished run left, newest first; its answers are not judged.
func (r *resRun) cleanUp() {
	for i := len(r.cleanup) - 1; i >= 0; i-- {
		if r.ctx.Err() != nil {
			return
		}
		_, _ = r.call(http.MethodDelete, r.cleanup[i], nil)
	}
}
