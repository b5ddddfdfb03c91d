package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// report is the Markdown loadbench prints.
type report struct {
	cfg        config
	machine    machine
	throughput [2]*stats // fcmock, bare
	prism      *stats
	prismNote  string
	flat       []flatRow
	startup    []startupRow
}

func (r *report) write(w io.Writer) {
	m := r.machine
	fmt.Fprintf(w, "Machine: %s CPUs (%s), Linux %s, %s. Pinning: %s.\n\n", m.cpus, m.model, m.kernel, m.goVersion, m.pinning)
	r.writeThroughput(w)
	if len(r.flat) > 0 {
		r.writeFlat(w)
		r.writeStartup(w)
	}
}

func (r *report) writeThroughput(w io.Writer) {
	c := r.cfg
	fmt.Fprintf(w, "### Throughput: `limit=%d` first page of a %d-invocation snapshot set\n\n", c.limit, c.count)
	fmt.Fprintf(w, "%d connections (keep-alive, one request in flight each), %d alternating rounds of %v per server after %v of warm-up.\n\n",
		c.concurrency, c.rounds, c.duration, c.warmup)
	fmt.Fprintln(w, "| server | req/s | p50 | p99 | server CPU | generator CPU | errors |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	rows := []*stats{r.throughput[0], r.throughput[1]}
	if r.prism != nil {
		rows = append(rows, r.prism)
	}
	for _, s := range rows {
		t := s.total()
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %.0f%% | %.0f%% | %d |\n", s.name, t.rate(), ms(t.percentile(0.5)), ms(t.percentile(0.99)),
			100*t.serverCPU.Seconds()/t.elapsed.Seconds(), 100*t.clientCPU.Seconds()/t.elapsed.Seconds(), t.errors)
	}
	mock, bare := r.throughput[0].total(), r.throughput[1].total()
	fmt.Fprintf(w, "\nRounds (req/s), in the order run:")
	for i := range r.throughput[0].rounds {
		fmt.Fprintf(w, " fcmock %.0f, bare %.0f;", r.throughput[0].rounds[i].rate(), r.throughput[1].rounds[i].rate())
	}
	ratio := mock.rate() / bare.rate()
	var pairs []float64
	for i := range r.throughput[0].rounds {
		pairs = append(pairs, r.throughput[0].rounds[i].rate()/r.throughput[1].rounds[i].rate())
	}
	slices.Sort(pairs)
	perCPU := (float64(mock.requests) / mock.serverCPU.Seconds()) / (float64(bare.requests) / bare.serverCPU.Seconds())
	fmt.Fprintf(w, "\n\n**fcmock / bare: %.2fx the req/s** over all rounds (target >= 0.7x, issue 12: %s); median of the %d round pairs %.2fx; "+
		"requests per server CPU-second %.2fx; p50 %.2fx, p99 %.2fx the bare server's.\n\n",
		ratio, verdict(ratio >= 0.7), len(pairs), pairs[len(pairs)/2], perCPU, mock.percentile(0.5).Seconds()/bare.percentile(0.5).Seconds(),
		mock.percentile(0.99).Seconds()/bare.percentile(0.99).Seconds())
	if r.prismNote != "" {
		fmt.Fprintf(w, "Prism: %s.\n\n", r.prismNote)
	}
}

func (r *report) writeFlat(w io.Writer) {
	sets := r.cfg.flatSets()
	fmt.Fprintf(w, "### Page latency against set size and kind\n\n")
	fmt.Fprintf(w, "One connection, one request at a time, for %v per query (latency as the client sees it on loopback).\n\n", r.cfg.flatFor)
	fmt.Fprint(w, "| query |")
	for _, s := range sets {
		fmt.Fprintf(w, " p50 %v | p99 %v |", s, s)
	}
	fmt.Fprintln(w, " p99 largest / smallest | p99 snapshot / YAML |")
	fmt.Fprint(w, "| --- |", strings.Repeat(" ---: | ---: |", len(sets)), " ---: | ---: |\n")
	for _, f := range r.flat {
		fmt.Fprintf(w, "| %s |", f.name)
		for _, res := range f.results {
			fmt.Fprintf(w, " %s | %s |", ms(res.percentile(0.5)), ms(res.percentile(0.99)))
		}
		p99 := func(i int) float64 { return f.results[i].percentile(0.99).Seconds() }
		ratio := p99(len(sets)-1) / p99(0)
		fmt.Fprintf(w, " **%.2fx** (%s) | %.2fx |\n", ratio, verdict(ratio <= 1.5), p99(2)/p99(1))
	}
	fmt.Fprintln(w)
}

func (r *report) writeStartup(w io.Writer) {
	fmt.Fprintln(w, "### Start-up and memory of `fcmock serve --fixtures DIR`")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| set | exec to serving | exec to first 200 | CPU used | peak RSS (VmHWM) | RSS after the latency runs |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range r.startup {
		after := "-"
		if s.rssAfterLoad > 0 {
			after = fmt.Sprintf("%d MiB", s.rssAfterLoad>>10)
		}
		fmt.Fprintf(w, "| %v | %s | %s | %s | %d MiB | %s |\n", s.set, s.ready.Round(time.Millisecond), s.first200.Round(time.Millisecond),
			s.cpu.Round(10*time.Millisecond), s.hwm>>10, after)
	}
	last := r.startup[len(r.startup)-1]
	fmt.Fprintf(w, "\nTargets: %v: first 200 within 1 s of exec: %s; peak RSS <= 400 MiB: %s.", last.set,
		verdict(last.first200 <= time.Second), verdict(last.hwm <= 400<<10))
	for _, s := range r.startup {
		if s.set == (dataSet{10_000, false}) {
			fmt.Fprintf(w, " %v: first 200 within 1 s: %s.", s.set, verdict(s.first200 <= time.Second))
		}
	}
	fmt.Fprint(w, "\n\n")
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", d.Seconds()*1000) }

func sortDurations(d []time.Duration) { slices.Sort(d) }
