package evidence

import "testing"

// The service profile fails only doc rules and sdk rules rated H; the mock profile fails all,
// a constraint without an annotation (level "unknown" in the proxy) included.
func TestProfileFails(t *testing.T) {
	tests := []struct {
		given         Annotation
		expectService bool
	}{
		{Annotation{Level: Doc, Confidence: "M"}, true},
		{Annotation{Level: Doc}, true},
		{Annotation{Level: SDK, Confidence: "H"}, true},
		{Annotation{Level: SDK, Confidence: "M"}, false},
		{Annotation{Level: SDK}, false},
		{Annotation{Level: Observed, Confidence: "H"}, false},
		{Annotation{Level: Choice, Confidence: "H"}, false},
		{Annotation{Level: "unknown"}, false},
	}
	for _, tt := range tests {
		if got := ProfileService.Fails(tt.given); got != tt.expectService {
			t.Errorf("service fails %+v = %v, want %v", tt.given, got, tt.expectService)
		}
		if !ProfileMock.Fails(tt.given) {
			t.Errorf("mock does not fail %+v", tt.given)
		}
	}
}

func TestParseProfile(t *testing.T) {
	tests := []struct {
		given  string
		expect Profile
		ok     bool
	}{
		{"", ProfileService, true},
		{"service", ProfileService, true},
		{"mock", ProfileMock, true},
		{"strict", "", false},
		{"Mock", "", false},
	}
	for _, tt := range tests {
		if got, ok := ParseProfile(tt.given); got != tt.expect || ok != tt.ok {
			t.Errorf("ParseProfile(%q) = %q, %v; want %q, %v", tt.given, got, ok, tt.expect, tt.ok)
		}
	}
}
