package main

import (
	"bytes"
	"fmt"
	"net/http"
)

// rawResponse is an http.ResponseWriter that renders an HTTP/1.1 response as bytes, for
// answers written to a connection outside net/http (the connection cap's 503).
type rawResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *rawResponse) Header() http.Header {
	if r.header == nil {
		r.header = http.Header{}
	}
	return r.header
}

func (r *rawResponse) WriteHeader(status int) { r.status = status }

func (r *rawResponse) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

func (r *rawResponse) bytes() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", r.status, http.StatusText(r.status))
	_ = r.Header().Write(&b)
	b.WriteString("\r\n")
	b.Write(r.body.Bytes())
	return b.Bytes()
}
