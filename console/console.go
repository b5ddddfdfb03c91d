// Package console is fcmock's web console and its served contract, mounted by the mock's admin
// API (so the same access rules apply, and its errors are FC's JSON):
//
//   - console.go: the embedded assets under ui/ (plain HTML, CSS and JS: no build
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
)

//go:embed assets
var assets embed.FS

// ui is the tree served under ui/.
var ui = func() fs.FS {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded tree always has assets/
	}
	return sub
}()

// csp keeps the console to its own origin: every script, style and image is embedded, and
// every request goes to the mock that served the page.
const csp = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// ServeAsset serves the asset name ("" for the page itself) and reports true, or writes
// nothing and reports false when there is no such asset, for the caller to answer its own 404.
func ServeAsset(w http.ResponseWriter, r *http.Request, name string) bool {
	if name == "" {
		name = "index.html"
	}
	if !fs.ValidPath(name) {
		return false
	}
	if st, err := fs.Stat(ui, name); err != nil || st.IsDir() {
		return false
	}
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	http.ServeFileFS(w, r, ui, name)
	return true
}

// ServeReference serves the API reference; prefix is where the admin API is mounted
// ("/_fcmock"), for the page's links.
func ServeReference(w http.ResponseWriter, r *http.Request, prefix string) {
	w.Header().Set("Content-Security-Policy", csp)
	serveReference(w, r, prefix)
}
