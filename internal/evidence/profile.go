package evidence

// Profile decides which evidence makes a broken rule fail (count); the rest are warnings.
type Profile string

const (
	// ProfileService fails only doc rules and sdk rules the fact sheet rates H: what any
	// service written to the vendor's doc must do. The default of the contract suite and of
	// the proxy.
	ProfileService Profile = "service"
	// ProfileMock fails every rule, fcmock's own choices and unannotated constraints included:
	// what fcmock promises.
	ProfileMock Profile = "mock"
)

// ParseProfile reads a --profile value: "service" or "mock"; "" is ProfileService.
func ParseProfile(s string) (Profile, bool) {
	switch Profile(s) {
	case "", ProfileService:
		return ProfileService, true
	case ProfileMock:
		return ProfileMock, true
	}
	return "", false
}

// Fails reports whether breaking a rule with evidence a fails a run in profile p. Any profile
// but ProfileMock is read as ProfileService.
func (p Profile) Fails(a Annotation) bool {
	if p == ProfileMock {
		return true
	}
	return a.Level == Doc || a.Level == SDK && a.Confidence == High
}
