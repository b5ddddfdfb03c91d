package mock_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

func init() {
	provokers[fc.CodeAliasAlreadyExists] = lifecycleCase(func(t *testing.T, tg *lcTarget) answer {
		return tg.sendJSON(t, http.MethodPost, svcPath+"/svc/aliases", `{"aliasName":"prod","versionId":"1"}`)
	})
}

func versionIDs(vs []fcapi.Version) string {
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.VersionId)
	}
	return strings.Join(ids, " ")
}

func TestVersions(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	created := tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"pub"}`)
	decode[fcapi.Service](t, created)
	// A service without functions or versions publishes; Go's body form, Etag checked.
	wantError(t, tg.sendJSON(t, http.MethodPost, svcPath+"/pub/versions", `{}`, "If-Match", "stale"), http.StatusPreconditionFailed, fc.CodePreconditionFailed)
	v1 := tg.sendJSON(t, http.MethodPost, svcPath+"/pub/versions", `{"Description":null}`, "If-Match", created.header.Get("Etag"))
	if v := decode[fcapi.Version](t, v1); v.VersionId != "1" || v.Description != "" || !isoTimeRE.MatchString(v.CreatedTime) || !etagRE.MatchString(v1.header.Get("Etag")) {
		t.Errorf("first version %+v etag %q", v, v1.header.Get("Etag"))
	}
	// Nothing changed: refused.
	wantError(t, tg.sendJSON(t, http.MethodPost, svcPath+"/pub/versions", ``), http.StatusBadRequest, fc.CodeInvalidArgument, "has not changed")
	decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPost, svcPath+"/pub/functions", fnBody("f", "nodejs10", "v2")))
	if v := decode[fcapi.Version](t, tg.sendJSON(t, http.MethodPost, svcPath+"/pub/versions", `{"description":"two"}`)); v.VersionId != "2" || v.Description != "two" {
		t.Errorf("second version %+v", v)
	}
	// Ids are never reused; after all are deleted a publish succeeds without a change.
	wantDeleted(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/pub/versions/2", ""))
	wantError(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/pub/versions/2", ""), http.StatusNotFound, fc.CodeVersionNotFound)
	wantDeleted(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/pub/versions/1", ""))
	if v := decode[fcapi.Version](t, tg.sendJSON(t, http.MethodPost, svcPath+"/pub/versions", `{}`)); v.VersionId != "3" {
		t.Errorf("after deletes: version %s, want 3", v.VersionId)
	}
	for i := 0; i < 4; i++ {
		tg.sendJSON(t, http.MethodPut, svcPath+"/pub", `{"description":"d`+itoa(i)+`"}`)
		decode[fcapi.Version](t, tg.sendJSON(t, http.MethodPost, svcPath+"/pub/versions", `{}`))
	}
	for _, c := range []struct{ query, want, next string }{
		{"", "7 6 5 4 3", ""},
		{"?limit=2", "7 6", "5"},
		{"?limit=2&nextToken=5", "5 4", "3"},
		{"?direction=FORWARD&limit=2", "3 4", "5"},
		{"?direction=FORWARD&startKey=6", "6 7", ""},
		{"?startKey=4", "4 3", ""},
	} {
		out := decode[fcapi.ListVersionsOutput](t, tg.sendJSON(t, http.MethodGet, svcPath+"/pub/versions"+c.query, ""))
		next := ""
		if out.NextToken != nil {
			next = *out.NextToken
		}
		wantDir := fcapi.ListVersionsOutputDirectionBACKWARD
		if strings.Contains(c.query, "FORWARD") {
			wantDir = fcapi.ListVersionsOutputDirectionFORWARD
		}
		if got := versionIDs(out.Versions); got != c.want || next != c.next || out.Direction != wantDir {
			t.Errorf("%s: %q next %q dir %s, want %q next %q dir %s", c.query, got, next, out.Direction, c.want, c.next, wantDir)
		}
	}
	wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+"/pub/versions?direction=UP", ""), http.StatusBadRequest, fc.CodeInvalidArgument, "direction")
	// Versions keep the service from being deleted.
	wantDeleted(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/pub/functions/f", ""))
	wantError(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/pub", ""), http.StatusConflict, fc.CodeServiceNotEmpty, "has active 'versions'")
	e := decode[fcapi.ListVersionsOutput](t, tg.sendJSON(t, http.MethodGet, svcPath+"/svc/versions?startKey=0", ""))
	if e.Versions == nil || len(e.Versions) != 0 {
		t.Errorf("startKey 0 backward: %+v, want []", e)
	}
}

func TestAliases(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	tg.sendJSON(t, http.MethodPut, svcPath+"/svc", `{"description":"v2"}`)
	decode[fcapi.Version](t, tg.sendJSON(t, http.MethodPost, svcPath+"/svc/versions", `{}`))
	created := tg.sendJSON(t, http.MethodPost, svcPath+"/svc/aliases", `{"aliasName":"test","versionId":"1"}`)
	al := decode[fcapi.Alias](t, created)
	if al.AliasName != "test" || al.VersionId != "1" || al.Description != "" || al.AdditionalVersionWeight != nil || !etagRE.MatchString(created.header.Get("Etag")) {
		t.Errorf("created %+v", al)
	}
	if strings.Contains(string(created.body), "additionalVersionWeight") {
		t.Errorf("body %s: additionalVersionWeight never set must be absent", created.body)
	}
	wantError(t, tg.sendJSON(t, http.MethodPost, svcPath+"/svc/aliases", `{"aliasName":"test","versionId":"1"}`), http.StatusConflict,
		fc.CodeAliasAlreadyExists, "alias test of service svc already exists")
	wantError(t, tg.sendJSON(t, http.MethodPost, svcPath+"/svc/aliases", `{"aliasName":"x","versionId":"9"}`), http.StatusNotFound, fc.CodeVersionNotFound)
	for _, body := range []string{`{"aliasName":"LATEST","versionId":"1"}`, `{"aliasName":"1a","versionId":"1"}`, `{"versionId":"1"}`, `{"aliasName":"y"}`} {
		wantError(t, tg.sendJSON(t, http.MethodPost, svcPath+"/svc/aliases", body), http.StatusBadRequest, fc.CodeInvalidArgument)
	}
	// Weights for its own version are accepted; update is partial, weights replaced whole.
	w := decode[fcapi.Alias](t, tg.sendJSON(t, http.MethodPut, svcPath+"/svc/aliases/test", `{"additionalVersionWeight":{"1":0.9}}`))
	if w.AdditionalVersionWeight == nil || (*w.AdditionalVersionWeight)["1"] != 0.9 {
		t.Errorf("weights %+v", w)
	}
	upd := tg.sendJSON(t, http.MethodPut, svcPath+"/svc/aliases/test", `{"versionId":"2","description":"","additionalVersionWeight":{"1":0.5}}`, "If-Match", created.header.Get("Etag"))
	wantError(t, upd, http.StatusPreconditionFailed, fc.CodePreconditionFailed)
	cur := tg.sendJSON(t, http.MethodGet, svcPath+"/svc/aliases/test", "")
	u := decode[fcapi.Alias](t, tg.sendJSON(t, http.MethodPut, svcPath+"/svc/aliases/test", `{"versionId":"2","additionalVersionWeight":{"1":0.5}}`, "If-Match", cur.header.Get("Etag")))
	if u.VersionId != "2" || len(*u.AdditionalVersionWeight) != 1 || (*u.AdditionalVersionWeight)["1"] != 0.5 {
		t.Errorf("updated %+v", u)
	}
	list := decode[fcapi.ListAliasesOutput](t, tg.sendJSON(t, http.MethodGet, svcPath+"/svc/aliases?limit=1", ""))
	if len(list.Aliases) != 1 || list.Aliases[0].AliasName != "prod" || list.NextToken == nil || *list.NextToken != "test" {
		t.Errorf("aliases page %+v", list)
	}
	wantDeleted(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/svc/aliases/test", ""))
	wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+"/svc/aliases/test", ""), http.StatusNotFound, fc.CodeAliasNotFound)
	if a := tg.sendJSON(t, http.MethodGet, svcPath+"/svc/aliases?prefix=zz", ""); !strings.Contains(string(a.body), `"aliases":[]`) {
		t.Errorf("empty aliases: %s", a.body)
	}
}

// A version is a snapshot: through it (or an alias to it) every qualified operation sees the
// service and its functions as they were at publish time.
func TestQualifiersResolveThroughVersions(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	decode[fcapi.Service](t, tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"snap","description":"service desc"}`))
	base := svcPath + "/snap/functions"
	decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPost, base, fnBody("old", "python3", "code-1")))
	decode[fcapi.Version](t, tg.sendJSON(t, http.MethodPost, svcPath+"/snap/versions", `{"description":"v1 desc"}`))
	decode[fcapi.Alias](t, tg.sendJSON(t, http.MethodPost, svcPath+"/snap/aliases", `{"aliasName":"live","versionId":"1"}`))
	// Change LATEST after publishing.
	decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPut, base+"/old", `{"timeout":9,"code":{"zipFile":"`+zip64("code-2")+`"}}`))
	decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPost, base, fnBody("new", "python3", "n")))

	for _, q := range []string{"1", "live"} {
		seg := svcPath + "/snap." + q
		if s := decode[fcapi.Service](t, tg.sendJSON(t, http.MethodGet, seg, "")); s.Description != "v1 desc" {
			t.Errorf("%s: service description %q, want the version's", q, s.Description)
		}
		fns := tg.sendJSON(t, http.MethodGet, seg+"/functions", "")
		if l := decode[fcapi.ListFunctionsOutput](t, fns); len(l.Functions) != 1 || l.Functions[0].Timeout != 60 {
			t.Errorf("%s: functions %+v, want old alone, as published", q, l.Functions)
		}
		wantError(t, tg.sendJSON(t, http.MethodGet, seg+"/functions/new", ""), http.StatusNotFound, fc.CodeFunctionNotFound)
		code := decode[fcapi.FunctionCode](t, tg.sendJSON(t, http.MethodGet, seg+"/functions/old/code", ""))
		if old := decode[fcapi.Function](t, tg.sendJSON(t, http.MethodGet, seg+"/functions/old", "")); code.Checksum != old.CodeChecksum || old.Timeout != 60 {
			t.Errorf("%s: code %s, function %+v", q, code.Checksum, old)
		}
		wantError(t, tg.send(t, http.MethodPost, seg+"/functions/new/invocations", "x"), http.StatusNotFound, fc.CodeFunctionNotFound)
		if a := tg.send(t, http.MethodPost, seg+"/functions/old/invocations", "x"); a.status != 200 {
			t.Errorf("%s: invoke %d", q, a.status)
		}
	}
	a1 := tg.sendJSON(t, http.MethodGet, svcPath+"/snap.1/functions", "")
	a2 := tg.sendJSON(t, http.MethodGet, svcPath+"/snap.live/functions", "")
	if string(a1.body) != string(a2.body) {
		t.Errorf("ListFunctions through the alias differs from its version:\n%s\n%s", a1.body, a2.body)
	}
	if l := decode[fcapi.ListFunctionsOutput](t, tg.sendJSON(t, http.MethodGet, svcPath+"/snap.LATEST/functions", "")); len(l.Functions) != 2 {
		t.Errorf("LATEST: %d functions, want 2", len(l.Functions))
	}
	// Deleting the version leaves the alias pointing nowhere: VersionNotFound.
	wantDeleted(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/snap/versions/1", ""))
	wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+"/snap.live/functions/old/stateful-async-invocations", ""), http.StatusNotFound, fc.CodeVersionNotFound)
}
