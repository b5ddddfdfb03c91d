package contract

import (
	"bytes"
	"context"
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
	{Name: CheckResCreate, Rule: "CreateService and CreateFunction answer 200 with the resource as named and an Etag; a second CreateService of the name is refused with 409 ServiceAlreadyExists", Evidence: "/components/responses/ServiceOK/x-fc-evidence"},
	{Name: CheckResGet, Rule: "GetService and GetFunction answer the resource as created, with the Etag Create gave", Evidence: "/components/responses/ServiceOK/x-fc-evidence"},
	{Name: CheckResETag, Rule: "UpdateService with If-Match set to the current Etag applies the change, keeps serviceId and createdTime, and answers a new Etag, which GetService then answers too", Evidence: servicePath("put")},
	{Name: CheckResIfMatch, Rule: "UpdateService with an Etag the service had before its last change is refused with 412 PreconditionFailed", Evidence: "/components/parameters/IfMatch/x-fc-evidence"},
	{Name: CheckResList, Rule: "ListServices with a prefix and limit 1 walks exactly the services with that prefix, in name order, the last page without nextToken; a prefix matching nothing answers services []", Evidence: opPointer("/2016-08-15/services", "get") + "/x-fc-evidence"},
	{Name: CheckResPublish, Rule: "PublishServiceVersion answers 200 with a numeric versionId that ListServiceVersions then lists; a second publish with nothing changed is refused with a 4xx", Evidence: versionsPath("post")},
	{Name: CheckResAlias, Rule: "CreateAlias answers the alias as given, GetAlias answers it, and the service and its function are found through it (service.alias)", Evidence: "/components/responses/AliasOK/x-fc-evidence"},
	{Name: CheckResDelete, Rule: "DeleteService of a service with functions is refused with a 4xx; deletes of the alias, version, function and services answer 204 with no body and no JSON Content-Type, and the service is then 404 ServiceNotFound", Evidence: "/components/responses/Deleted/x-fc-evidence"},
}

// resRun is one run of the resources family: the names it made, for the checks, the scratch
// world that deletes them, and the evidence of findings beyond their check's rule.
type resRun struct {
	s       *Suite
	ctx     context.Context
	w       *scratch
	names   []string // services a, b, c, sorted
	version string
	etags   map[string]string // what Create answered, by the resource's path
	ev      resEvidence
}

// servicePath, versionsPath are pointers of resource operations in openapi.yaml.
func servicePath(method string) string {
	return opPointer("/2016-08-15/services/{serviceName}", method) + "/x-fc-evidence"
}

func versionsPath(method string) string {
	return opPointer("/2016-08-15/services/{serviceName}/versions", method) + "/x-fc-evidence"
}

// resEvidence is the evidence of the resources family's findings that rest on more than their
// check's rule, each graded by what it breaks.
type resEvidence struct {
	createService, createFunction, functionOK, etag Evidence // CreateService refuses a taken name; 200 of CreateFunction; the Etag header
	conflict, precondition                          Evidence // 409 for a taken name; 412 for a stale If-Match
	listed, listVersions                            Evidence // ListServices' 200 ([] when empty); ListServiceVersions
	getAlias, getService, getFunction               Evidence // lookups through an alias
	deleteService, serviceNotFound                  Evidence // a service with functions is not deleted; 404 after
}

func loadResEvidence() (resEvidence, error) {
	var e resEvidence
	for _, f := range []struct {
		dst *Evidence
		ptr string
	}{
		{&e.createService, opPointer("/2016-08-15/services", "post") + "/x-fc-evidence"},
		{&e.createFunction, opPointer("/2016-08-15/services/{serviceName}/functions", "post") + "/x-fc-evidence"},
		{&e.functionOK, "/components/responses/FunctionOK/x-fc-evidence"},
		{&e.etag, "/components/headers/Etag/x-fc-evidence"},
		{&e.conflict, "/components/responses/ResourceConflict/x-fc-evidence"},
		{&e.precondition, "/components/responses/PreconditionFailed/x-fc-evidence"},
		{&e.listed, opPointer("/2016-08-15/services", "get") + "/responses/200/x-fc-evidence"},
		{&e.listVersions, versionsPath("get")},
		{&e.getAlias, opPointer("/2016-08-15/services/{serviceName}/aliases/{aliasName}", "get") + "/x-fc-evidence"},
		{&e.getService, servicePath("get")},
		{&e.getFunction, opPointer("/2016-08-15/services/{serviceName}/functions/{functionName}", "get") + "/x-fc-evidence"},
		{&e.deleteService, servicePath("delete")},
		{&e.serviceNotFound, "/components/responses/NotFound/x-fc-evidence-codes/ServiceNotFound"},
	} {
		ev, err := EvidenceAt(f.ptr)
		if err != nil {
			return e, err
		}
		*f.dst = ev
	}
	return e, nil
}

func (s *Suite) resources(ctx context.Context) error {
	if !s.opts.Mutating {
		s.skip("it creates, changes and deletes services of its own: run with --mutating (Options.Mutating)", checkNames(resourceRegistry)...)
		return nil
	}
	ev, err := loadResEvidence()
	if err != nil {
		return err
	}
	// Names unique to the run, so a target's other services never match the prefix.
	prefix := fmt.Sprintf("fcmockc_%d_%x_", uint32(s.opts.Seed), uint32(time.Now().UnixNano()))
	r := &resRun{s: s, ctx: ctx, w: &scratch{s: s}, names: []string{prefix + "a", prefix + "b", prefix + "c"}, etags: map[string]string{}, ev: ev}
	defer r.w.cleanUp(ctx, "resources")
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

// refusal judges an answer that must refuse a request with status and code ("" any code;
// status 0 any 4xx). Two rules are at stake, each graded by its own evidence, as for
// negative/*: that the request is refused at all (refuse: a 2xx, a 5xx or no answer breaks it),
// and that the refusal is FC's (answer: another 4xx or another code breaks it).
func refusal(tr *trial, ex *exchange, status int, code fc.Code, expected string, refuse, answer Evidence) {
	e, _ := ex.fcError()
	want := expected
	if status != 0 {
		want = fmt.Sprintf("%s: %d %s", expected, status, code)
	}
	switch {
	case ex.err != nil, ex.status < 400 || ex.status > 499:
		tr.failAt(refuse, ex, want, ex.summary())
	case status != 0 && ex.status != status, code != "" && e.ErrorCode != string(code):
		tr.failAt(answer, ex, want, ex.summary())
	}
}

func (r *resRun) create() (bool, error) {
	tr := r.s.start(CheckResCreate)
	defer tr.end()
	for _, name := range r.names {
		ex, err := r.w.createService(r.ctx, name, "fcmock contract")
		if err != nil {
			return false, err
		}
		var svc fcapi.Service
		switch {
		case !decoded(ex, &svc) || svc.ServiceName != name:
			tr.fail(ex, "200 with the service named "+name, ex.summary())
		case ex.header.Get("Etag") == "":
			tr.failAt(r.ev.etag, ex, "an Etag on the service created", "Etag none")
		}
		r.etags["/services/"+name] = ex.header.Get("Etag")
	}
	if tr.failed {
		return false, nil
	}
	ex, err := r.call(http.MethodPost, "/services", map[string]any{"serviceName": r.names[0]})
	if err != nil {
		return false, err
	}
	refusal(tr, ex, http.StatusConflict, fc.CodeServiceAlreadyExists, "a CreateService of a name taken", r.ev.createService, r.ev.conflict)
	ex, err = r.w.createFunction(r.ctx, r.names[0], "f")
	if err != nil {
		return false, err
	}
	var fn fcapi.Function
	switch {
	case !decoded(ex, &fn) || fn.FunctionName != "f":
		tr.failAt(r.ev.functionOK, ex, "200 with the function named f", ex.summary())
	case ex.header.Get("Etag") == "":
		tr.failAt(r.ev.etag, ex, "an Etag on the function created", "Etag none")
	}
	r.etags["/services/"+r.names[0]+"/functions/f"] = ex.header.Get("Etag")
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
		ev := tr.ev
		if p == fnPath {
			ev = r.ev.functionOK
		}
		var a map[string]any
		switch {
		case !decoded(ex, &a):
			tr.failAt(ev, ex, "200 with the resource created", ex.summary())
		case p == svcPath && (a["serviceName"] != r.names[0] || a["description"] != "fcmock contract"),
			p == fnPath && (a["functionName"] != "f" || a["runtime"] != "python3"):
			tr.failAt(ev, ex, "the resource as created", truncate(string(ex.body), 200))
		case ex.header.Get("Etag") != r.etags[p]:
			tr.failAt(r.ev.etag, ex, "the Etag Create answered, "+quoteOrNone(r.etags[p]), quoteOrNone(ex.header.Get("Etag")))
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
		tr.failAt(r.ev.etag, ex, "a new Etag after the change", quoteOrNone(ex.header.Get("Etag")))
	}
	again, err := r.call(http.MethodGet, path, nil)
	if err != nil {
		return false, err
	}
	if decoded(again, &after); again.header.Get("Etag") != ex.header.Get("Etag") {
		tr.failAt(r.ev.etag, again, "the Etag the update answered, "+quoteOrNone(ex.header.Get("Etag")), quoteOrNone(again.header.Get("Etag")))
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
	refusal(im, ex, http.StatusPreconditionFailed, fc.CodePreconditionFailed, "an UpdateService with an Etag the service no longer has", im.ev, r.ev.precondition)
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
		tr.failAt(r.ev.listed, ex, `200 with "services": []`, ex.summary()+" "+truncate(string(ex.body), 120))
	}
	return !tr.failed, nil
}

func (r *resRun) publish() (bool, error) {
	tr := r.s.start(CheckResPublish)
	defer tr.end()
	svc := r.names[0]
	base := "/services/" + svc + "/versions"
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
	r.w.trackPath("version "+v.VersionId+" of service "+svc, base+"/"+v.VersionId)
	list, err := r.call(http.MethodGet, base, nil)
	if err != nil {
		return false, err
	}
	var out fcapi.ListVersionsOutput
	if !decoded(list, &out) || !slices.ContainsFunc(out.Versions, func(x fcapi.Version) bool { return x.VersionId == v.VersionId }) {
		tr.failAt(r.ev.listVersions, list, "a list holding version "+v.VersionId, list.summary()+" "+truncate(string(list.body), 160))
	}
	again, err := r.call(http.MethodPost, base, map[string]any{})
	if err != nil {
		return false, err
	}
	if again.status == http.StatusOK {
		var v2 fcapi.Version
		if decoded(again, &v2) && v2.VersionId != "" {
			r.w.trackPath("version "+v2.VersionId+" of service "+svc, base+"/"+v2.VersionId)
		}
	}
	refusal(tr, again, 0, "", "a 4xx for a publish with nothing changed since the last", tr.ev, tr.ev)
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
	r.w.trackPath("alias live of service "+svc, "/services/"+svc+"/aliases/live")
	for _, l := range []struct {
		path string
		ev   Evidence
	}{
		{"/services/" + svc + "/aliases/live", r.ev.getAlias},
		{"/services/" + svc + ".live", r.ev.getService},
		{"/services/" + svc + ".live/functions/f", r.ev.getFunction},
	} {
		got, err := r.call(http.MethodGet, l.path, nil)
		if err != nil {
			return false, err
		}
		if got.status != http.StatusOK {
			tr.failAt(l.ev, got, "200", got.summary())
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
	refusal(tr, ex, 0, "", "a 4xx: the service still has a function, a version and an alias", r.ev.deleteService, r.ev.deleteService)
	var kept []resource // not deleted: the cleanup tries again
	defer func() { slices.Reverse(kept); r.w.made = append(r.w.made, kept...) }()
	for {
		res, ok := r.w.pop()
		if !ok {
			break
		}
		req, err := res.del()
		if err != nil {
			return false, fmt.Errorf("contract: build request: %w", err)
		}
		ex, err := r.s.send(r.ctx, req)
		if err != nil {
			kept = append(kept, res)
			return false, err
		}
		ct := ex.header.Get("Content-Type")
		if ex.status != http.StatusNoContent || len(ex.body) != 0 || strings.Contains(ct, "json") {
			tr.fail(ex, "204, no body, no JSON Content-Type", ex.summary()+", Content-Type "+quoteOrNone(ct)+fmt.Sprintf(", %d bytes", len(ex.body)))
		}
		if ex.status/100 != 2 && ex.status != http.StatusNotFound {
			kept = append(kept, res)
		}
	}
	gone, err := r.call(http.MethodGet, "/services/"+r.names[0], nil)
	if err != nil {
		return false, err
	}
	refusal(tr, gone, http.StatusNotFound, fc.CodeServiceNotFound, "a GetService after the delete", r.ev.serviceNotFound, r.ev.serviceNotFound)
	return !tr.failed, nil
}
