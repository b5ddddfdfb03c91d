package contract

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress reports a run as it goes: on a terminal one line rewritten in place at most ten
// times a second; on anything else (a CI log) one line per phase, so logs stay readable.
type progress struct {
	w     io.Writer
	live  bool
	phase string
	last  time.Time
	n, v  int
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.live = true
		}
	}
	return p
}

// start begins a phase of the run.
func (p *progress) start(phase string, requests, violations int) {
	if p.w == nil {
		return
	}
	p.phase, p.n, p.v = phase, requests, violations
	if p.live {
		p.draw()
		return
	}
	fmt.Fprintf(p.w, "contract: %s (%s, %s so far)\n", phase, plural(requests, "request"), plural(violations, "violation"))
}

// tick records a request; on a terminal it redraws the line.
func (p *progress) tick(requests, violations int) {
	p.n, p.v = requests, violations
	if p.w == nil || !p.live || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.draw()
}

func (p *progress) draw() {
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\x1b[Kcontract: %-10s %s, %s", p.phase, plural(p.n, "request"), plural(p.v, "violation"))
}

// done ends the progress output.
func (p *progress) done(requests, violations int) {
	if p.w == nil {
		return
	}
	p.n, p.v = requests, violations
	if p.live {
		p.draw()
		fmt.Fprintln(p.w)
		return
	}
	fmt.Fprintf(p.w, "contract: done (%s, %s)\n", plural(requests, "request"), plural(violations, "violation"))
}

// stopped ends the progress output of a run that reached no verdict.
func (p *progress) stopped(requests int) {
	if p.w == nil {
		return
	}
	if p.live {
		fmt.Fprintln(p.w)
	}
	fmt.Fprintf(p.w, "contract: stopped after %s, without a verdict\n", plural(requests, "request"))
}
