// Package console is fcmock's web console and its served contract, mounted by the mock's admin
// API (so the same access rules apply):
//
//   - console.go: Handler, the embedded assets under ui/ (plain HTML, CSS and JS: no build
//     step, nothing fetched from the network, which the Content-Security-Policy enforces).
//   - spec.go: openapi.yaml and openapi.json, with servers naming the mock itself.
//   - reference.go: the API reference, an HTML page rendered from the spec at request time.
//
// The page is a real client of the mock: the table is the public List API, the rest the admin
// API (services, scenarios, requests, clock).
package console

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed assets
var assets embed.FS

// Paths are the paths, relative to the admin prefix, that Handler serves; "ui/*" is the tree
// of assets.
var Paths = []string{"ui/*", "openapi.yaml", "openapi.json", "reference"}

// csp keeps the console to its own origin: every script, style and image is embedded, and
// every request goes to the mock that served the page.
const csp = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// Handler serves Paths under prefix (e.g. "/_fcmock/").
func Handler(prefix string) http.Handler {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded tree always has assets/
	}
	files := http.StripPrefix(prefix+"ui/", http.FileServerFS(sub))
	mux := http.NewServeMux()
	mux.Handle("GET "+prefix+"ui/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	}))
	mux.HandleFunc("GET "+prefix+"openapi.yaml", serveYAML)
	mux.HandleFunc("GET "+prefix+"openapi.json", serveJSON)
	mux.HandleFunc("GET "+prefix+"reference", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		serveReference(w, r, strings.TrimSuffix(prefix, "/"))
	})
	return mux
}
