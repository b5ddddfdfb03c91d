package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/spec"
)

// runCheck validates the spec (structure, then every example against its schema) and the
// fixtures (the bundled set unless --bundled=false, plus --fixtures DIR). Each problem is one
// line naming the file and the location: `openapi.yaml:123: <json pointer>: <reason>`,
// `fixtures/default/<file>:<line>: ...`.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("fcmock check", flag.ContinueOnError)
	specPath := fset.String("spec", "", "OpenAPI document to check (default: ./openapi.yaml if present, else the embedded one)")
	dir := fset.String("fixtures", "", "also check the data set in this directory")
	bundled := fset.Bool("bundled", true, "check the bundled fixtures")
	if err := parseFlags(fset, args, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	name, doc, root, problems, err := loadSpecForCheck(ctx, *specPath)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock check:", err)
		return exitUsage
	}
	sets, err := dataSets(*bundled, *dir)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock check: --fixtures:", err)
		return exitUsage
	}
	var summary []string
	if doc != nil {
		ps, n := checkSpec(ctx, name, doc, root)
		problems = append(problems, ps...)
		summary = append(summary, fmt.Sprintf("%s: %d examples", name, n))
	}
	for _, set := range sets {
		ps, n := checkFixtures(set.label, set.fsys)
		problems = append(problems, ps...)
		summary = append(summary, fmt.Sprintf("%s: %d invocations", set.label, n))
	}
	if len(problems) > 0 {
		fmt.Fprintln(stderr, strings.Join(problems, "\n"))
		fmt.Fprintf(stderr, "fcmock check: %d problems\n", len(problems))
		return exitFail
	}
	fmt.Fprintf(stdout, "fcmock check: ok (%s)\n", strings.Join(summary, "; "))
	return exitOK
}

// dataSet is a fixtures directory to check, with the name its problems are reported under.
type dataSet struct {
	label string
	fsys  fs.FS
}

func dataSets(bundled bool, dir string) ([]dataSet, error) {
	var sets []dataSet
	if bundled {
		sets = append(sets, dataSet{"fixtures/default", fixtures.Default()})
	}
	if dir != "" {
		if _, err := os.Stat(filepath.Join(dir, fixtures.ServicesFile)); err != nil {
			return nil, err
		}
		fsys, err := fixtures.Dir(dir) // what serve --fixtures reads: nothing outside dir
		if err != nil {
			return nil, err
		}
		sets = append(sets, dataSet{filepath.ToSlash(filepath.Clean(dir)), fsys})
	}
	return sets, nil
}

// loadSpecForCheck loads the document to check, and its YAML tree to locate problems by line.
// A file that does not parse is a problem of the file; a file that cannot be read is a usage
// error. Without a file, the embedded document is checked, located by JSON pointer only.
func loadSpecForCheck(ctx context.Context, path string) (string, *openapi3.T, *yaml.Node, []string, error) {
	if path == "" {
		if _, err := os.Stat("openapi.yaml"); err != nil {
			doc, err := fcapi.GetSpec()
			return "openapi.yaml (embedded)", doc, nil, nil, err
		}
		path = "openapi.yaml"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, nil, nil, err
	}
	loader := openapi3.NewLoader()
	loader.Context = ctx
	loader.IncludeOrigin = true
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return path, nil, nil, []string{fmt.Sprintf("%s: does not load: %v", path, err)}, nil
	}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return path, doc, nil, nil, nil
	}
	return path, doc, &root, nil, nil
}

// checkSpec validates the document's structure, then every example against its schema, then
// that every constraint carries its evidence level (evidence.go). It returns the problems and
// the number of examples checked.
func checkSpec(ctx context.Context, name string, doc *openapi3.T, root *yaml.Node) ([]string, int) {
	var problems []string
	if err := doc.Validate(ctx, openapi3.DisableExamplesValidation()); err != nil {
		problems = append(problems, fmt.Sprintf("%s: %v", name, err))
	}
	c := &exampleChecker{file: name, root: root, seen: map[*openapi3.Schema]bool{}}
	c.document(doc)
	problems = append(problems, c.problems...)
	problems = append(problems, checkEvidence(name, doc, root)...)
	if len(c.problems) == 0 { // kin-openapi's own pass, in case an example hides where the walk does not look
		if err := doc.Validate(ctx, openapi3.EnableExamplesValidation()); err != nil && len(problems) == 0 {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
		}
	}
	return problems, c.checked
}

// checkFixtures loads a data set as the mock does and lists its problems with file and line.
func checkFixtures(label string, fsys fs.FS) ([]string, int) {
	set, err := fixtures.Load(fsys)
	var fe *fixtures.Error
	switch {
	case errors.As(err, &fe):
		out := make([]string, len(fe.Problems))
		for i, p := range fe.Problems {
			out[i] = label + "/" + p.Error()
		}
		return out, 0
	case err != nil:
		return []string{label + ": " + err.Error()}, 0
	}
	return nil, len(set.Invocations)
}

// exampleChecker walks a document and validates each example against the schema it
// illustrates, reporting each schema error at its JSON pointer (and line, when known).
type exampleChecker struct {
	file     string
	root     *yaml.Node // the file's YAML tree; nil for the embedded document
	problems []string
	checked  int
	seen     map[*openapi3.Schema]bool
}

func (c *exampleChecker) document(doc *openapi3.T) {
	if comp := doc.Components; comp != nil {
		for _, name := range slices.Sorted(maps.Keys(comp.Schemas)) {
			c.schema("/components/schemas/"+spec.PointerToken(name), comp.Schemas[name], true)
		}
		for _, name := range slices.Sorted(maps.Keys(comp.Parameters)) {
			c.parameter("/components/parameters/"+spec.PointerToken(name), comp.Parameters[name], true)
		}
		for _, name := range slices.Sorted(maps.Keys(comp.Headers)) {
			if h := comp.Headers[name]; h != nil && h.Value != nil {
				c.param("/components/headers/"+spec.PointerToken(name), &h.Value.Parameter)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(comp.Responses)) {
			c.response("/components/responses/"+spec.PointerToken(name), comp.Responses[name], true)
		}
	}
	if doc.Paths == nil {
		return
	}
	for _, path := range slices.Sorted(maps.Keys(doc.Paths.Map())) {
		item, base := doc.Paths.Value(path), "/paths/"+spec.PointerToken(path)
		for i, p := range item.Parameters {
			c.parameter(fmt.Sprintf("%s/parameters/%d", base, i), p, false)
		}
		ops := item.Operations()
		for _, method := range slices.Sorted(maps.Keys(ops)) {
			op, opPtr := ops[method], base+"/"+strings.ToLower(method)
			for i, p := range op.Parameters {
				c.parameter(fmt.Sprintf("%s/parameters/%d", opPtr, i), p, false)
			}
			if op.Responses != nil {
				for _, code := range slices.Sorted(maps.Keys(op.Responses.Map())) {
					c.response(opPtr+"/responses/"+spec.PointerToken(code), op.Responses.Value(code), false)
				}
			}
		}
	}
}

// schema checks a schema's example and those of its subschemas. A $ref is checked where it is
// defined, not where it is used.
func (c *exampleChecker) schema(ptr string, ref *openapi3.SchemaRef, defined bool) {
	if ref == nil || ref.Value == nil || (ref.Ref != "" && !defined) || c.seen[ref.Value] {
		return
	}
	s := ref.Value
	c.seen[s] = true
	if s.Example != nil {
		c.value(ptr+"/example", line(s.Origin, "example"), s, s.Example)
	}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		c.schema(ptr+"/properties/"+spec.PointerToken(name), s.Properties[name], false)
	}
	c.schema(ptr+"/items", s.Items, false)
	for kw, list := range map[string]openapi3.SchemaRefs{"allOf": s.AllOf, "anyOf": s.AnyOf, "oneOf": s.OneOf} {
		for i, sub := range list {
			c.schema(fmt.Sprintf("%s/%s/%d", ptr, kw, i), sub, false)
		}
	}
}

func (c *exampleChecker) parameter(ptr string, ref *openapi3.ParameterRef, defined bool) {
	if ref != nil && ref.Value != nil && (ref.Ref == "" || defined) {
		c.param(ptr, ref.Value)
	}
}

func (c *exampleChecker) param(ptr string, p *openapi3.Parameter) {
	var schema *openapi3.Schema
	if p.Schema != nil {
		schema = p.Schema.Value
	}
	if p.Example != nil {
		c.value(ptr+"/example", line(p.Origin, "example"), schema, p.Example)
	}
	c.examples(ptr, schema, p.Examples)
	c.schema(ptr+"/schema", p.Schema, false)
	for _, mt := range slices.Sorted(maps.Keys(p.Content)) {
		c.media(ptr+"/content/"+spec.PointerToken(mt), p.Content[mt])
	}
}

func (c *exampleChecker) response(ptr string, ref *openapi3.ResponseRef, defined bool) {
	if ref == nil || ref.Value == nil || (ref.Ref != "" && !defined) {
		return
	}
	r := ref.Value
	for _, name := range slices.Sorted(maps.Keys(r.Headers)) {
		if h := r.Headers[name]; h != nil && h.Value != nil && h.Ref == "" {
			c.param(ptr+"/headers/"+spec.PointerToken(name), &h.Value.Parameter)
		}
	}
	for _, mt := range slices.Sorted(maps.Keys(r.Content)) {
		c.media(ptr+"/content/"+spec.PointerToken(mt), r.Content[mt])
	}
}

func (c *exampleChecker) media(ptr string, m *openapi3.MediaType) {
	if m == nil || m.Schema == nil || m.Schema.Value == nil {
		return
	}
	if m.Example != nil {
		c.value(ptr+"/example", line(m.Origin, "example"), m.Schema.Value, m.Example)
	}
	c.examples(ptr, m.Schema.Value, m.Examples)
	c.schema(ptr+"/schema", m.Schema, false)
}

func (c *exampleChecker) examples(ptr string, schema *openapi3.Schema, examples openapi3.Examples) {
	for _, name := range slices.Sorted(maps.Keys(examples)) {
		ex := examples[name]
		if ex == nil || ex.Value == nil || ex.Value.Value == nil {
			continue // an externalValue is not fetched
		}
		c.value(ptr+"/examples/"+spec.PointerToken(name)+"/value", line(ex.Value.Origin, "value"), schema, ex.Value.Value)
	}
}

// value validates one example, every error reported at its own line.
func (c *exampleChecker) value(ptr string, lineNo int, schema *openapi3.Schema, v any) {
	if schema == nil {
		return
	}
	c.checked++
	for _, issue := range spec.Issues(schema.VisitJSON(v, openapi3.MultiErrors())) {
		where, at := c.file, max(pointerLine(c.root, ptr+issue.Pointer()), lineNo)
		if at > 0 {
			where = fmt.Sprintf("%s:%d", c.file, at)
		}
		c.problems = append(c.problems, fmt.Sprintf("%s: %s%s: %s", where, ptr, issue.Pointer(), issue.Reason))
	}
}

// pointerLine returns the line of the deepest node of root that the JSON pointer reaches, or 0.
func pointerLine(root *yaml.Node, ptr string) int {
	if root == nil || len(root.Content) == 0 {
		return 0
	}
	n := root.Content[0]
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		next := child(n, tok)
		if next == nil {
			break
		}
		n = next
	}
	return n.Line
}

// child returns the value under key tok of a mapping, or item tok of a sequence. A mapping
// value is reported at its key's line, where an editor would look for it.
func child(n *yaml.Node, tok string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok {
				v := *n.Content[i+1]
				v.Line = n.Content[i].Line
				return &v
			}
		}
	case yaml.SequenceNode:
		var i int
		if _, err := fmt.Sscanf(tok, "%d", &i); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

// line returns the line of a field of an element, or of the element's key.
func line(o *openapi3.Origin, field string) int {
	if o == nil {
		return 0
	}
	if loc, ok := o.Fields.Lookup(field); ok && loc.Line > 0 {
		return loc.Line
	}
	if o.Key != nil {
		return o.Key.Line
	}
	return 0
}
