package contract_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// goldenRun is a deterministic run in the service profile with a violation and warnings: the
// mock, taken for a real service, reads limit=0 as 1 (a violation of a doc rule), lists
// descending by default and leaves endTime out while an invocation runs (choices the doc
// leaves open, so they only warn; the second, on many responses, makes one grouped finding).
func goldenRun(t *testing.T) (*contract.Report, string) {
	t.Helper()
	limit0 := faults[indexOf(contract.CheckNegLimit)].wrap
	desc := faults[indexOf(contract.CheckDefaultOrder)].wrap
	noEndTime := after(func(r *http.Request, a *answer) {
		for _, inv := range a.items() {
			if m := inv.(map[string]any); m["endTime"] == json.Number("0") {
				delete(m, "endTime")
			}
		}
	})
	tg := newMock(t, dataSet(), func(h http.Handler) http.Handler { return limit0(desc(noEndTime(h))) })
	tg.IsMock = false
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: 8})
	if err != nil {
		t.Fatal(err)
	}
	rep.Duration = 0
	return rep, tg.BaseURL
}

var requestIDs = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// normalise replaces what changes from run to run: the port and the request ids.
func normalise(s, baseURL string) string {
	s = strings.ReplaceAll(s, baseURL, "http://fcmock.test")
	return requestIDs.ReplaceAllString(s, "<request-id>")
}

func TestReportGolden(t *testing.T) {
	rep, baseURL := goldenRun(t)
	for _, tt := range []struct {
		file  string
		write func(*contract.Report, *bytes.Buffer) error
	}{
		{"report.txt", func(r *contract.Report, b *bytes.Buffer) error { return r.WriteText(b) }},
		{"report.xml", func(r *contract.Report, b *bytes.Buffer) error { return r.WriteJUnit(b) }},
		{"report.json", func(r *contract.Report, b *bytes.Buffer) error { return r.WriteJSON(b) }},
	} {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(rep, &b); err != nil {
				t.Fatal(err)
			}
			got := normalise(b.String(), baseURL)
			path := filepath.Join("testdata", "golden", tt.file)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./contract -run TestReportGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the golden file (-want +got):\n%s", tt.file, lineDiff(string(want), got))
			}
		})
	}
}

// lineDiff shows the lines that differ, "(-want +got)".
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}
