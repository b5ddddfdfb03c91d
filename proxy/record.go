package proxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing/fstest"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/fcmock/fcmock/drift"
	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/spec"
)

// recordMarker starts every file the recorder writes, so a later recording into the same
// directory knows which old invocation files are its own to replace.
const recordMarker = "# Recorded by fcmock proxy"

// Path templates whose 200 answers the recorder reads. Every operation under a function's
// path proves the function exists; the list and the get of invocations carry invocations.
var (
	functionPathRE = regexp.MustCompile(`/services/\{[^}]+\}/functions/\{[^}]+\}(/|$)`)
	listSuffix     = "/stateful-async-invocations"
	getSuffixRE    = regexp.MustCompile(`/stateful-async-invocations/\{[^}/]+\}$`)
)

// recorder gathers the services, functions and invocations the upstream's answers showed.
type recorder struct {
	redact bool

	mu          sync.Mutex
	seq         uint64
	services    map[string]*recordedService
	invocations map[string]recordedInvocation // service/function/id -> newest state
}

type recordedService struct {
	functions  map[string]bool
	qualifiers map[string]bool
}

type recordedInvocation struct {
	seq uint64
	inv map[string]any // the fields the spec declares, as the upstream sent them
}

func newRecorder(redact bool) *recorder {
	return &recorder{redact: redact, services: map[string]*recordedService{}, invocations: map[string]recordedInvocation{}}
}

// observe reads one answer (its decoded body) to a request for the operation at template,
// whose path parameters are params. It keeps only what it must: the heavy work (typing and
// the fixture rules) waits for write.
func (r *recorder) observe(template string, params map[string]string, status int, body any) {
	if status != 200 || !functionPathRE.MatchString(template) {
		return
	}
	var items []any
	switch {
	case strings.HasSuffix(template, listSuffix):
		if page, ok := body.(map[string]any); ok {
			items, _ = page["invocations"].([]any)
		}
	case getSuffixRE.MatchString(template):
		items = []any{body}
	}
	schema, _ := spec.Schema("StatefulAsyncInvocation")
	r.mu.Lock()
	defer r.mu.Unlock()
	svc, q := fc.SplitServiceSegment(params["serviceName"])
	r.function(svc, params["functionName"], q)
	for _, item := range items {
		inv, ok := knownOnly(item, schema).(map[string]any)
		if !ok {
			continue
		}
		service, _ := inv["serviceName"].(string)
		function, _ := inv["functionName"].(string)
		qualifier, _ := inv["qualifier"].(string)
		id, _ := inv["invocationId"].(string)
		if id == "" || !fc.ValidName(service) || !fc.ValidName(function) {
			// Names become file names: only legal FC names do. The fixtures would refuse
			// the entry anyway; the violation report has it.
			continue
		}
		if p, ok := inv["invocationPayload"].(string); ok && r.redact {
			inv["invocationPayload"] = fmt.Sprintf("<redacted: %d bytes>", len(p))
		}
		r.function(service, function, qualifier)
		r.seq++
		// Answers arrive in time order, so the one seen last holds the newest state.
		r.invocations[service+"/"+function+"/"+id] = recordedInvocation{seq: r.seq, inv: inv}
	}
}

// knownOnly returns a copy of v without the object keys schema s does not declare, at every
// depth, matched by exact name (Go's JSON decoder would take a renamed "instanceID" for
// "instanceId").
func knownOnly(v any, s *openapi3.Schema) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, child := range v {
			if ps := drift.Property(s, k); ps != nil {
				out[k] = knownOnly(child, ps)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, child := range v {
			out[i] = knownOnly(child, drift.Items(s))
		}
		return out
	}
	return v
}

func (r *recorder) function(svc, fn, q string) {
	if !fc.ValidName(svc) || !fc.ValidName(fn) {
		return // never a file name or an entry the fixtures would refuse
	}
	s := r.services[svc]
	if s == nil {
		s = &recordedService{functions: map[string]bool{}, qualifiers: map[string]bool{}}
		r.services[svc] = s
	}
	s.functions[fn] = true
	if q != "" && fc.ValidQualifier(q) {
		s.qualifiers[q] = true
	}
}

// Recording is what a recording wrote.
type Recording struct {
	Dir         string   `json:"dir"`
	Services    int      `json:"services"`
	Functions   int      `json:"functions"`
	Invocations int      `json:"invocations"`
	Skipped     []string `json:"skipped,omitempty"` // entries the fixtures would refuse, and why
}

// write renders the data set, drops what fixtures.Load refuses (the loader is the one home of
// the rules), and writes each file atomically into dir.
func (r *recorder) write(dir, header string) (Recording, error) {
	r.mu.Lock()
	files := r.render(header)
	r.mu.Unlock()
	rec := Recording{Dir: dir}
	var err error
	if files, rec.Skipped, err = dropRefused(files, header); err != nil {
		return rec, err
	}
	set, err := fixtures.Load(files)
	if err != nil {
		return rec, fmt.Errorf("record: the recording does not load: %w", err)
	}
	rec.Services, rec.Invocations = len(set.Services), len(set.Invocations)
	for _, s := range set.Services {
		rec.Functions += len(s.Functions)
	}
	return rec, writeFiles(dir, files)
}

// render builds services.yaml and one invocations/<service>.<function>.yaml per function.
func (r *recorder) render(header string) fstest.MapFS {
	files := fstest.MapFS{}
	byFile := map[string][]recordedInvocation{}
	for _, ri := range r.invocations {
		name := fixtures.InvocationsDir + "/" + ri.inv["serviceName"].(string) + "." + ri.inv["functionName"].(string) + ".yaml"
		byFile[name] = append(byFile[name], ri)
	}
	for name, ris := range byFile {
		sort.Slice(ris, func(i, j int) bool {
			a, b := ris[i].inv, ris[j].inv
			if ta, tb := fmt.Sprint(a["startedTime"]), fmt.Sprint(b["startedTime"]); ta != tb {
				return len(ta) < len(tb) || len(ta) == len(tb) && ta < tb
			}
			return fmt.Sprint(a["invocationId"]) < fmt.Sprint(b["invocationId"])
		})
		invs := make([]any, len(ris))
		for i, ri := range ris {
			invs[i] = ri.inv
		}
		files[name] = &fstest.MapFile{Data: yamlOf(header, map[string]any{"invocations": invs})}
	}
	files[fixtures.ServicesFile] = &fstest.MapFile{Data: yamlOf(header+
		"# Aliases point at the highest version seen (version 1 when none was): the traffic names\n"+
		"# aliases but never shows their targets.\n", map[string]any{"services": r.serviceList()})}
	return files
}

func (r *recorder) serviceList() []fixtures.Service {
	out := make([]fixtures.Service, 0, len(r.services))
	for _, name := range slices.Sorted(maps.Keys(r.services)) {
		rs := r.services[name]
		s := fixtures.Service{Name: name, Functions: slices.Sorted(maps.Keys(rs.functions))}
		var aliases []string
		for q := range rs.qualifiers {
			switch {
			case q == fc.LatestQualifier:
			case fc.IsVersionID(q):
				s.Versions = append(s.Versions, q)
			default:
				aliases = append(aliases, q)
			}
		}
		slices.SortFunc(s.Versions, func(a, b string) int {
			x, _ := strconv.ParseUint(a, 10, 64)
			y, _ := strconv.ParseUint(b, 10, 64)
			return cmpUint(x, y)
		})
		if len(aliases) > 0 {
			if len(s.Versions) == 0 {
				s.Versions = []string{"1"}
			}
			s.Aliases = map[string]string{}
			for _, a := range aliases {
				s.Aliases[a] = s.Versions[len(s.Versions)-1]
			}
		}
		out = append(out, s)
	}
	return out
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// yamlOf renders v (through its JSON form, so the generated types' JSON names are the keys)
// as block-style YAML after a comment header.
func yamlOf(header string, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // generated types and string maps always marshal
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		panic(err)
	}
	blockStyle(&node)
	var b bytes.Buffer
	b.WriteString(header)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		panic(err)
	}
	enc.Close()
	return b.Bytes()
}

// blockStyle clears the flow and quoting styles JSON parsing left, so the encoder writes block
// YAML and quotes a string only where it must.
func blockStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		blockStyle(c)
	}
}

var entryIndexRE = regexp.MustCompile(`^invocations\[(\d+)\]`)

// dropRefused loads files with fixtures.Load and drops each invocation it refuses, until the
// set loads. An entry that breaks the spec (a new status, a missing field) stays out of the
// fixtures; the violation report already holds it.
func dropRefused(files fstest.MapFS, header string) (fstest.MapFS, []string, error) {
	var skipped []string
	for {
		_, err := fixtures.Load(files)
		fe, ok := err.(*fixtures.Error)
		if !ok {
			return files, skipped, nil // nil, or an error Load will return again to the caller
		}
		dropped := map[string]map[int]bool{}
		for _, p := range fe.Problems {
			m := entryIndexRE.FindStringSubmatch(p.Entry)
			if m == nil || files[p.File] == nil {
				return files, skipped, fmt.Errorf("record: %w", fe)
			}
			i, _ := strconv.Atoi(m[1])
			if dropped[p.File] == nil {
				dropped[p.File] = map[int]bool{}
			}
			dropped[p.File][i] = true
			skipped = append(skipped, p.Error())
		}
		for file, idx := range dropped {
			if err := dropEntries(files, file, idx, header); err != nil {
				return files, skipped, err
			}
		}
	}
}

func dropEntries(files fstest.MapFS, file string, idx map[int]bool, header string) error {
	data := files[file].Data
	var doc struct {
		Invocations []any `yaml:"invocations"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("record: %s: %w", file, err)
	}
	var keep []any
	for i, inv := range doc.Invocations {
		if !idx[i] {
			keep = append(keep, inv)
		}
	}
	if len(keep) == 0 {
		delete(files, file)
		return nil
	}
	files[file] = &fstest.MapFile{Data: yamlOf(header, map[string]any{"invocations": keep})}
	return nil
}

// writeFiles writes each file into dir through a temporary file and a rename, so a reader
// never sees half a file, and removes the invocation files of an earlier recording that this
// one no longer has.
func writeFiles(dir string, files fstest.MapFS) error {
	invDir := filepath.Join(dir, fixtures.InvocationsDir)
	if err := os.MkdirAll(invDir, 0o755); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := writeAtomic(filepath.Join(dir, filepath.FromSlash(name)), files[name].Data); err != nil {
			return err
		}
	}
	entries, err := os.ReadDir(invDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := fixtures.InvocationsDir + "/" + e.Name()
		if _, ours := files[name]; ours || e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		path := filepath.Join(invDir, e.Name())
		if data, err := os.ReadFile(path); err == nil && bytes.HasPrefix(data, []byte(recordMarker)) {
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a successful rename there is nothing left to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
