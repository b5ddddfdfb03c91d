package main

// Mutants listed as equivalent are not run. docs/testing.md lists each with the reason no test
// can see it; running it again costs every test that covers its line (a survivor runs them all:
// up to four minutes in contract) only to confirm that it lives. The shim works out the mutant's
// key, `path/file.go:line:column TYPE` as gremlins reports it, from the one token gremlins
// changed, and answers "passed" (LIVED) for a listed key without building anything; the
// select log says "listed as equivalent: not run".
//
// This can only lower the figure: a listed mutant counts as a survivor either way, and one that
// some test now kills (a stale entry) would have counted as killed. Anything the shim cannot
// name exactly (more than one token changed, a change that is not one of gremlins' default
// mutators) is run as before.

import (
	"bytes"
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// envListed names the document that lists the equivalent mutants (-equivalents).
const envListed = "FCMOCK_MUTATE_EQUIVALENTS"

// mutantKeys names the mutant in workRoot: the file (from m's root), line and column of the
// token gremlins changed, and the mutator that changes it that way. A '-' made '+' is two
// mutants of gremlins' with the same code (INVERT_NEGATIVES and ARITHMETIC_BASE), so two keys.
func (m *coverMap) mutantKeys(workRoot string) []string {
	var keys []string
	for file := range m.Lines {
		orig, err1 := os.ReadFile(filepath.Join(m.Root, file))
		work, err2 := os.ReadFile(filepath.Join(workRoot, file))
		if err1 != nil || err2 != nil || bytes.Equal(orig, work) {
			continue
		}
		changed := changedLines(orig, work)
		a, b := strings.Split(string(orig), "\n"), strings.Split(string(work), "\n")
		if keys != nil || len(changed) != 1 || len(a) != len(b) {
			return nil
		}
		l := changed[0]
		col, types := changedToken(a[l-1], b[l-1])
		if types == nil {
			return nil
		}
		for _, typ := range types {
			keys = append(keys, fmt.Sprintf("%s:%d:%d %s", file, l, col, typ))
		}
	}
	return keys
}

type lineToken struct {
	tok token.Token
	col int // 1-based byte column, as go/token reports it
}

func tokensOf(line string) []lineToken {
	fset := token.NewFileSet()
	src := []byte(line)
	var s scanner.Scanner
	s.Init(fset.AddFile("", fset.Base(), len(src)), src, nil, 0)
	var out []lineToken
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			return out
		}
		if tok == token.SEMICOLON && pos == token.Pos(fset.Base()+len(src)) {
			continue // the automatic one at the end of the line
		}
		out = append(out, lineToken{tok, fset.Position(pos).Column})
	}
}

// changedToken finds the one token that differs between a line and its mutant, and names
// gremlins' mutators that change it that way (from its default set; engine/mappings.go).
func changedToken(orig, mutant string) (col int, types []string) {
	a, b := tokensOf(orig), tokensOf(mutant)
	if len(a) != len(b) {
		return 0, nil
	}
	at := -1
	for i := range a {
		if a[i].tok != b[i].tok {
			if at >= 0 {
				return 0, nil
			}
			at = i
		}
	}
	if at < 0 {
		return 0, nil
	}
	from, to := a[at].tok, b[at].tok
	switch {
	case pairIn(from, to, token.LSS, token.LEQ, token.GTR, token.GEQ):
		types = []string{"CONDITIONALS_BOUNDARY"}
	case pairIn(from, to, token.EQL, token.NEQ, token.LSS, token.GEQ, token.GTR, token.LEQ):
		types = []string{"CONDITIONALS_NEGATION"}
	case pairIn(from, to, token.INC, token.DEC):
		types = []string{"INCREMENT_DECREMENT"}
	case from == token.SUB && to == token.ADD:
		types = []string{"INVERT_NEGATIVES", "ARITHMETIC_BASE"}
	case from == token.ADD && to == token.SUB || pairIn(from, to, token.MUL, token.QUO) || from == token.REM && to == token.MUL:
		types = []string{"ARITHMETIC_BASE"}
	default:
		return 0, nil
	}
	return a[at].col, types
}

// pairIn reports whether from and to are one of the pairs (each way round).
func pairIn(from, to token.Token, pairs ...token.Token) bool {
	for i := 0; i+1 < len(pairs); i += 2 {
		if from == pairs[i] && to == pairs[i+1] || from == pairs[i+1] && to == pairs[i] {
			return true
		}
	}
	return false
}

// listedEquivalent reports whether the document named by envListed lists every key (and
// there is one).
func listedEquivalent(keys []string) bool {
	path := os.Getenv(envListed)
	if path == "" || len(keys) == 0 {
		return false
	}
	doc, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	listed := equivalentKeys(string(doc))
	for _, k := range keys {
		if !listed[k] {
			return false
		}
	}
	return true
}

// equivalentHeading opens the section of docs/testing.md whose table lists equivalent mutants.
const equivalentHeading = "### Equivalent mutants"

// mutantKey is how a mutant is named: path/file.go:line:column TYPE.
var mutantKey = regexp.MustCompile(`^\S+\.go:\d+:\d+ [A-Z_]+$`)

// equivalentKeys reads the mutants listed as equivalent: the keys in the first cell of each
// table row under equivalentHeading, up to the next heading. A key named anywhere else (a
// figure's prose naming a gap, say) is not listed: such a mutant must run.
func equivalentKeys(doc string) map[string]bool {
	keys := map[string]bool{}
	in := false
	for line := range strings.Lines(doc) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") {
			in = line == equivalentHeading
			continue
		}
		cells := strings.Split(line, "|")
		if !in || len(cells) < 3 || cells[0] != "" {
			continue
		}
		for k := range strings.SplitSeq(cells[1], ",") {
			if k = strings.TrimSpace(k); mutantKey.MatchString(k) {
				keys[k] = true
			}
		}
	}
	return keys
}
