package console

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/fcmock/fcmock"
	"github.com/fcmock/fcmock/gen/fcapi"
)

// selfURL is the base URL the request reached the mock at, for the spec's servers: a client
// generated from the served spec then talks to this mock by default.
func selfURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// ServeYAML serves openapi.yaml as written, with the mock put first in servers (the vendor's
// endpoint stays, second).
func ServeYAML(w http.ResponseWriter, r *http.Request) {
	url, _ := json.Marshal(selfURL(r)) // a JSON string is a valid YAML scalar, however odd the Host
	entry := []byte("\n  - url: " + string(url) + "\n    description: this fcmock, which served the document")
	doc := fcmock.OpenAPIYAML()
	if i := bytes.Index(doc, []byte("\nservers:")); i >= 0 {
		at := i + len("\nservers:")
		doc = append(append(append([]byte{}, doc[:at]...), entry...), doc[at:]...)
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, _ = w.Write(doc)
}

// ServeJSON serves the same document as JSON (keys sorted, as gen/fcapi embeds it), for
// generators such as openapi-typescript.
func ServeJSON(w http.ResponseWriter, r *http.Request) {
	raw, err := fcapi.GetSpecJSON()
	var doc map[string]any
	if err == nil {
		err = json.Unmarshal(raw, &doc)
	}
	if err != nil {
		http.Error(w, "embedded spec unreadable: "+err.Error(), http.StatusInternalServerError)
		return
	}
	servers, _ := doc["servers"].([]any)
	doc["servers"] = append([]any{map[string]any{"url": selfURL(r), "description": "this fcmock, which served the document"}}, servers...)
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(doc)
}
