package contract

import "testing"

// weaker picks the less firm of two pieces of evidence: doc, then sdk rated H, then other sdk,
// then observed, then choice; confidence ranks only within sdk, and a tie keeps the first.
func TestWeakerEvidence(t *testing.T) {
	ev := func(level, confidence string) Evidence { return Evidence{Level: level, Confidence: confidence} }
	for _, c := range []struct{ a, b, want Evidence }{
		{ev(LevelDoc, "H"), ev(LevelSDK, "H"), ev(LevelSDK, "H")},
		{ev(LevelSDK, "H"), ev(LevelDoc, "H"), ev(LevelSDK, "H")},
		{ev(LevelSDK, "H"), ev(LevelSDK, "M"), ev(LevelSDK, "M")},
		{ev(LevelSDK, "L"), ev(LevelSDK, "H"), ev(LevelSDK, "L")},
		{ev(LevelSDK, "M"), ev(LevelObserved, "H"), ev(LevelObserved, "H")},
		{ev(LevelObserved, "H"), ev(LevelChoice, "H"), ev(LevelChoice, "H")},
		{ev(LevelDoc, "H"), ev(LevelDoc, "M"), ev(LevelDoc, "H")}, // a tie: the first
		{ev(LevelObserved, "H"), ev(LevelObserved, "L"), ev(LevelObserved, "H")},
	} {
		if got := weaker(c.a, c.b); got != c.want {
			t.Errorf("weaker(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
