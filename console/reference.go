package console

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fcmock/fcmock/internal/spec"
)

// The reference is rendered here, from the embedded spec at request time, rather than by a
// renderer from npm (Redoc, Swagger UI, ...): those are large bundles that would have to be
// vendored, pinned and licence-tracked in the repository, and updated; this page is a few
// dozen lines that cannot drift from the spec the mock validates against, and it fetches
// nothing.

type refOperation struct {
	Method, Path, ID, Summary, Description string
	Params                                 []refField
	Body                                   string
	Responses                              []refResponse
}

type refField struct {
	Name, In, Type, Rules, Description, Evidence string
	TypeRef                                      string // the schema Type names, if any, for a link
	Required                                     bool
}

type refResponse struct{ Status, Description, Schema, Evidence string }

type refSchema struct {
	Name, Description string
	Fields            []refField
}

type refPage struct {
	Title, Version, Description, Prefix, Self string
	Operations                                []refOperation
	Schemas                                   []refSchema
}

var refTemplate = template.Must(template.Must(template.New("reference").Parse(
	`{{define "type"}}{{if .TypeRef}}<a href="#schema-{{.TypeRef}}">{{.Type}}</a>{{else}}{{.Type}}{{end}}{{end}}`)).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}: API reference</title><link rel="stylesheet" href="{{.Prefix}}/ui/style.css"><script src="{{.Prefix}}/ui/theme.js"></script></head>
<body class="reference"><a class="skip" href="#main">Skip to content</a>
<header class="top"><h1>{{.Title}} <small>{{.Version}}</small></h1>
<nav aria-label="Console"><a href="{{.Prefix}}/ui/">Console</a> <a href="{{.Prefix}}/openapi.yaml">openapi.yaml</a> <a href="{{.Prefix}}/openapi.json">openapi.json</a>
<button type="button" class="theme-toggle" aria-label="Toggle light or dark theme">Theme</button></nav></header>
<main id="main">
<p>Rendered from the spec this mock validates against. Server: <code>{{.Self}}</code>. Types for a frontend:
<code>npx openapi-typescript {{.Self}}{{.Prefix}}/openapi.json -o fc.d.ts</code></p>
<details><summary>About this API</summary><div class="prose">{{.Description}}</div></details>
<nav aria-label="Operations"><ul>{{range .Operations}}<li><a href="#{{.ID}}"><span class="method">{{.Method}}</span> {{.ID}}</a></li>{{end}}</ul></nav>
{{range .Operations}}<section class="op" id="{{.ID}}"><h2><span class="method">{{.Method}}</span> <code>{{.Path}}</code></h2>
<p><strong>{{.ID}}</strong>{{if .Summary}}: {{.Summary}}{{end}}</p>{{if .Description}}<details><summary>Description</summary><div class="prose">{{.Description}}</div></details>{{end}}
{{if .Params}}<h3>Parameters</h3><div class="scroll"><table><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type and rules</th><th scope="col">Evidence</th><th scope="col">Description</th></tr></thead><tbody>
{{range .Params}}<tr><td><code>{{.Name}}</code>{{if .Required}} <em>required</em>{{end}}</td><td>{{.In}}</td><td>{{template "type" .}}{{if .Rules}}<br><small>{{.Rules}}</small>{{end}}</td><td><small>{{.Evidence}}</small></td><td class="prose">{{.Description}}</td></tr>
{{end}}</tbody></table></div>{{end}}
{{if .Body}}<h3>Request body</h3><p>{{.Body}}</p>{{end}}
<h3>Responses</h3><div class="scroll"><table><thead><tr><th scope="col">Status</th><th scope="col">Body</th><th scope="col">Evidence</th><th scope="col">Description</th></tr></thead><tbody>
{{range .Responses}}<tr><td>{{.Status}}</td><td>{{.Schema}}</td><td><small>{{.Evidence}}</small></td><td class="prose">{{.Description}}</td></tr>
{{end}}</tbody></table></div></section>
{{end}}
<h2>Schemas</h2>
{{range .Schemas}}<section class="schema" id="schema-{{.Name}}"><h3>{{.Name}}</h3>{{if .Description}}<div class="prose">{{.Description}}</div>{{end}}
{{if .Fields}}<div class="scroll"><table><thead><tr><th scope="col">Field</th><th scope="col">Type and rules</th><th scope="col">Evidence</th><th scope="col">Description</th></tr></thead><tbody>
{{range .Fields}}<tr><td><code>{{.Name}}</code>{{if .Required}} <em>required</em>{{end}}</td><td>{{template "type" .}}{{if .Rules}}<br><small>{{.Rules}}</small>{{end}}</td><td><small>{{.Evidence}}</small></td><td class="prose">{{.Description}}</td></tr>
{{end}}</tbody></table></div>{{end}}</section>
{{end}}</main></body></html>
`))

func serveReference(w http.ResponseWriter, r *http.Request, prefix string) {
	doc, err := spec.Load()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	page := refPage{Title: doc.Info.Title, Version: doc.Info.Version, Description: doc.Info.Description,
		Prefix: prefix, Self: selfURL(r)}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			page.Operations = append(page.Operations, refOp(method, path, item, op))
		}
	}
	slices.SortFunc(page.Operations, func(a, b refOperation) int { return cmp.Compare(a.Path+a.Method, b.Path+b.Method) })
	for _, name := range slices.Sorted(mapsKeys(doc.Components.Schemas)) {
		s := doc.Components.Schemas[name].Value
		page.Schemas = append(page.Schemas, refSchema{Name: name, Description: s.Description, Fields: refProps(s)})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = refTemplate.Execute(w, page)
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func refOp(method, path string, item *openapi3.PathItem, op *openapi3.Operation) refOperation {
	o := refOperation{Method: method, Path: path, ID: op.OperationID, Summary: op.Summary, Description: op.Description}
	for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
		if p.Value == nil {
			continue
		}
		f := refField{Name: p.Value.Name, In: p.Value.In, Required: p.Value.Required,
			Description: p.Value.Description, Evidence: evidence(p.Value.Extensions)}
		if p.Value.Schema != nil {
			f.Type, f.TypeRef, f.Rules = typeOf(p.Value.Schema), refName(p.Value.Schema), rules(p.Value.Schema.Value)
		}
		o.Params = append(o.Params, f)
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		for ct, mt := range op.RequestBody.Value.Content {
			o.Body += ct + " " + typeOf(mt.Schema) + " "
		}
	}
	if op.Responses != nil {
		for status, res := range op.Responses.Map() {
			if res.Value == nil {
				continue
			}
			rr := refResponse{Status: status, Evidence: evidence(res.Value.Extensions)}
			if res.Value.Description != nil {
				rr.Description = *res.Value.Description
			}
			for ct, mt := range res.Value.Content {
				rr.Schema += ct + " " + typeOf(mt.Schema) + " "
			}
			o.Responses = append(o.Responses, rr)
		}
		slices.SortFunc(o.Responses, func(a, b refResponse) int { return cmp.Compare(a.Status, b.Status) })
	}
	return o
}

func refProps(s *openapi3.Schema) []refField {
	var out []refField
	for _, name := range slices.Sorted(mapsKeys(s.Properties)) {
		p := s.Properties[name]
		f := refField{Name: name, Required: slices.Contains(s.Required, name), Type: typeOf(p), TypeRef: refName(p)}
		if p.Value != nil {
			f.Rules, f.Description, f.Evidence = rules(p.Value), p.Value.Description, evidence(p.Value.Extensions)
		}
		out = append(out, f)
	}
	return out
}

// typeOf names a schema: its component name when it is a reference, else its type.
func typeOf(ref *openapi3.SchemaRef) string {
	if ref == nil {
		return ""
	}
	if name := refName(ref); name != "" {
		return name
	}
	s := ref.Value
	if s == nil || s.Type == nil {
		return "any"
	}
	t := strings.Join(s.Type.Slice(), "|")
	if s.Items != nil {
		t += " of " + typeOf(s.Items)
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	return t
}

// refName is the component a schema reference names, or "".
func refName(ref *openapi3.SchemaRef) string {
	if ref == nil || ref.Ref == "" {
		return ""
	}
	return ref.Ref[strings.LastIndex(ref.Ref, "/")+1:]
}

// rules lists a schema's constraints in one line.
func rules(s *openapi3.Schema) string {
	if s == nil {
		return ""
	}
	var r []string
	if len(s.Enum) > 0 {
		r = append(r, fmt.Sprintf("one of %v", s.Enum))
	}
	if s.Min != nil {
		r = append(r, fmt.Sprintf("min %v", *s.Min))
	}
	if s.Max != nil {
		r = append(r, fmt.Sprintf("max %v", *s.Max))
	}
	if s.MinLength > 0 {
		r = append(r, fmt.Sprintf("minLength %d", s.MinLength))
	}
	if s.MaxLength != nil {
		r = append(r, fmt.Sprintf("maxLength %d", *s.MaxLength))
	}
	if s.Pattern != "" {
		r = append(r, "pattern "+s.Pattern)
	}
	if s.Default != nil {
		r = append(r, fmt.Sprintf("default %v", s.Default))
	}
	return strings.Join(r, "; ")
}

// evidence renders the x-fc-evidence annotation (level, source, confidence).
func evidence(ext map[string]any) string {
	e, ok := ext["x-fc-evidence"].(map[string]any)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%v (%v, %v)", e["level"], e["source"], e["confidence"])
}
