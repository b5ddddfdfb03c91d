package fc

import (
	"regexp"
	"strings"
)

// LatestQualifier is the qualifier every service has: its newest code.
const LatestQualifier = "LATEST"

// nameRE is the rule for service, function and invocation names: a letter or '_' first, then
// letters, digits, '_' or '-', at most 128 characters.
var nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,127}$`)

// qualifierRE admits version ids (digits), alias names and LATEST.
var qualifierRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]{0,127}$`)

// ValidName reports whether s is a legal service, function or invocation name.
func ValidName(s string) bool { return nameRE.MatchString(s) }

// ValidQualifier reports whether s is a legal qualifier.
func ValidQualifier(s string) bool { return qualifierRE.MatchString(s) }

// SplitServiceSegment splits the service path segment "name" or "name.qualifier" at its first
// dot. A service name cannot hold a dot, so the split is unambiguous; qualifier is "" when the
// segment has none.
func SplitServiceSegment(seg string) (service, qualifier string) {
	service, qualifier, _ = strings.Cut(seg, ".")
	return service, qualifier
}

// IsVersionID reports whether qualifier names a version (digits only) rather than an alias.
func IsVersionID(qualifier string) bool {
	if qualifier == "" {
		return false
	}
	for i := 0; i < len(qualifier); i++ {
		if qualifier[i] < '0' || qualifier[i] > '9' {
			return false
		}
	}
	return true
}
