package fc_test

import (
	"strings"
	"testing"

	"github.com/fcmock/fcmock/internal/fc"
)

func TestIsVersionID(t *testing.T) {
	tests := []struct {
		given  string
		expect bool
	}{
		{"", false}, {"1", true}, {"0", true}, {"9", true}, {"12", true}, {"1234567890", true},
		{"v1", false}, {"1a", false}, {"a1", false}, {"1.2", false}, {"-1", false}, {"LATEST", false},
		{"/", false}, {":", false}, // the bytes just below '0' and just above '9'
		{"1/", false}, {"1:", false},
	}
	for _, tt := range tests {
		if got := fc.IsVersionID(tt.given); got != tt.expect {
			t.Errorf("IsVersionID(%q) = %v, want %v", tt.given, got, tt.expect)
		}
	}
}

func TestNamesAndQualifiers(t *testing.T) {
	tests := []struct {
		given               string
		expectName, expectQ bool
	}{
		{"demo-svc", true, true}, {"_x", true, true}, {"a", true, true},
		{"1fn", false, true}, {"LATEST", true, true},
		{"", false, false}, {"-a", false, false}, {"a.b", false, false}, {"a b", false, false},
		{strings.Repeat("a", 128), true, true}, {strings.Repeat("a", 129), false, false},
	}
	for _, tt := range tests {
		if got := fc.ValidName(tt.given); got != tt.expectName {
			t.Errorf("ValidName(%q) = %v, want %v", tt.given, got, tt.expectName)
		}
		if got := fc.ValidQualifier(tt.given); got != tt.expectQ {
			t.Errorf("ValidQualifier(%q) = %v, want %v", tt.given, got, tt.expectQ)
		}
	}
	for _, tt := range []struct{ seg, svc, q string }{
		{"svc", "svc", ""}, {"svc.prod", "svc", "prod"}, {"svc.1", "svc", "1"}, {"svc.a.b", "svc", "a.b"}, {"svc.", "svc", ""},
	} {
		if svc, q := fc.SplitServiceSegment(tt.seg); svc != tt.svc || q != tt.q {
			t.Errorf("SplitServiceSegment(%q) = %q, %q; want %q, %q", tt.seg, svc, q, tt.svc, tt.q)
		}
	}
}
