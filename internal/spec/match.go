package spec

import (
	"regexp"
	"regexp/syntax"
)

// kinCodepoints is how kin-openapi rewrites a pattern before compiling it: \uXXXX becomes \x{XXXX}.
var kinCodepoints = regexp.MustCompile(`\\u([0-9A-F]{4})`)

// compileMatcher returns a matcher for a pattern, as kin-openapi compiles it. An anchored
// sequence of ASCII classes in which only the last repeats a variable number of times (the
// shape of every name pattern in openapi.yaml) is matched byte by byte, several times faster
// than the regexp package; any other pattern with the regexp package.
func compileMatcher(pattern string) (match func(string) bool, isRegexp bool, err error) {
	goPattern := kinCodepoints.ReplaceAllString(pattern, `\x{$1}`)
	re, err := regexp.Compile(goPattern)
	if err != nil {
		return nil, false, err
	}
	if m := classSequence(goPattern); m != nil {
		return m, false, nil
	}
	return re.MatchString, true, nil
}

// classStep is one element of a class sequence: min to max (-1: any) bytes of a class.
type classStep struct {
	class    [128]bool
	min, max int
}

func classSequence(pattern string) func(string) bool {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil || re.Op != syntax.OpConcat || len(re.Sub) < 3 ||
		re.Sub[0].Op != syntax.OpBeginText || re.Sub[len(re.Sub)-1].Op != syntax.OpEndText {
		return nil
	}
	body := re.Sub[1 : len(re.Sub)-1]
	steps := make([]classStep, len(body))
	for i, sub := range body {
		st := &steps[i]
		st.min, st.max = 1, 1
		switch sub.Op {
		case syntax.OpRepeat:
			st.min, st.max, sub = sub.Min, sub.Max, sub.Sub[0]
		case syntax.OpStar:
			st.min, st.max, sub = 0, -1, sub.Sub[0]
		case syntax.OpPlus:
			st.min, st.max, sub = 1, -1, sub.Sub[0]
		case syntax.OpQuest:
			st.min, st.max, sub = 0, 1, sub.Sub[0]
		}
		// Only the last step may vary: matching greedily is then exact.
		if !asciiClass(sub, &st.class) || (i < len(body)-1 && st.min != st.max) {
			return nil
		}
	}
	return func(s string) bool { return matchSteps(steps, s) }
}

func asciiClass(re *syntax.Regexp, class *[128]bool) bool {
	switch {
	case re.Op == syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1] >= 128 {
				return false
			}
			for c := re.Rune[i]; c <= re.Rune[i+1]; c++ {
				class[c] = true
			}
		}
		return true
	case re.Op == syntax.OpLiteral && len(re.Rune) == 1 && re.Rune[0] < 128 && re.Flags&syntax.FoldCase == 0:
		class[re.Rune[0]] = true
		return true
	}
	return false
}

func matchSteps(steps []classStep, s string) bool {
	i := 0
	for _, st := range steps {
		n := 0
		for i < len(s) && (st.max < 0 || n < st.max) && s[i] < 128 && st.class[s[i]] {
			i++
			n++
		}
		if n < st.min {
			return false
		}
	}
	return i == len(s)
}
