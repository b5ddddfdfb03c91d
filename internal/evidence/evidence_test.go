package evidence

import (
	"encoding/json"
	"testing"
)

func TestFromExtensions(t *testing.T) {
	tests := []struct {
		name   string
		given  map[string]any
		expect Annotation
		ok     bool
	}{
		{"full", map[string]any{"x-fc-evidence": map[string]any{"level": "sdk", "source": "GO16", "confidence": "H"}},
			Annotation{Level: SDK, Source: "GO16", Confidence: "H"}, true},
		{"level only", map[string]any{"x-fc-evidence": map[string]any{"level": "choice"}}, Annotation{Level: Choice}, true},
		{"absent", map[string]any{"x-other": map[string]any{"level": "doc"}}, Annotation{}, false},
		{"nil map", nil, Annotation{}, false},
		{"unknown level", map[string]any{"x-fc-evidence": map[string]any{"level": "rumour"}}, Annotation{}, false},
		{"no level", map[string]any{"x-fc-evidence": map[string]any{"source": "SEED"}}, Annotation{}, false},
		{"not an object", map[string]any{"x-fc-evidence": "doc"}, Annotation{}, false},
		{"raw JSON", map[string]any{"x-fc-evidence": json.RawMessage(`{"level":"observed","confidence":"M"}`)},
			Annotation{Level: Observed, Confidence: "M"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FromExtensions(tt.given, "x-fc-evidence")
			if ok != tt.ok || ok && got != tt.expect {
				t.Errorf("FromExtensions = %+v, %v; want %+v, %v", got, ok, tt.expect, tt.ok)
			}
		})
	}
}

func TestFromExtensionsEntry(t *testing.T) {
	ext := map[string]any{"x-fc-evidence-enum": map[string]any{
		"Running": map[string]any{"level": "doc", "source": "SEED", "confidence": "H"},
		"Broken":  map[string]any{"level": "maybe"},
	}}
	tests := []struct {
		key, entry string
		expect     Annotation
		ok         bool
	}{
		{"x-fc-evidence-enum", "Running", Annotation{Level: Doc, Source: "SEED", Confidence: "H"}, true},
		{"x-fc-evidence-enum", "Stopped", Annotation{}, false},
		{"x-fc-evidence-enum", "Broken", Annotation{}, false},
		{"x-fc-evidence-codes", "Running", Annotation{}, false},
	}
	for _, tt := range tests {
		got, ok := FromExtensionsEntry(ext, tt.key, tt.entry)
		if ok != tt.ok || ok && got != tt.expect {
			t.Errorf("FromExtensionsEntry(%s, %s) = %+v, %v; want %+v, %v", tt.key, tt.entry, got, ok, tt.expect, tt.ok)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		given  Annotation
		expect string
	}{
		{Annotation{Level: SDK, Source: "GO16; JAVA16", Confidence: "M"}, "sdk/M (GO16; JAVA16)"},
		{Annotation{Level: Doc, Confidence: "H"}, "doc/H"},
		{Annotation{Level: Choice, Source: "OWN"}, "choice (OWN)"},
	}
	for _, tt := range tests {
		if got := tt.given.String(); got != tt.expect {
			t.Errorf("%+v.String() = %q, want %q", tt.given, got, tt.expect)
		}
	}
}
