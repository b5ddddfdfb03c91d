package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// stats aggregates the rounds of one server.
type stats struct {
	name   string
	rounds []result
}

func (s *stats) add(r result) { s.rounds = append(s.rounds, r) }

// total merges the rounds: rate over the summed windows, percentiles over every sample.
func (s *stats) total() result {
	var t result
	for _, r := range s.rounds {
		t.requests += r.requests
		t.errors += r.errors
		t.elapsed += r.elapsed
		t.serverCPU += r.serverCPU
		t.clientCPU += r.clientCPU
		t.latencies = append(t.latencies, r.latencies...)
	}
	sortDurations(t.latencies)
	return t
}

// throughput alternates rounds against fcmock and the bare server.
func throughput(ctx context.Context, cfg config, e *env) ([2]*stats, error) {
	mock, err := startMock(ctx, e, cfg.throughputSet(), true)
	if err != nil {
		return [2]*stats{}, err
	}
	defer mock.stop()
	path := e.listPath("limit=" + strconv.Itoa(cfg.limit))
	status, headers, body, err := get(mock.addr, path, "")
	if err != nil || status != 200 {
		return [2]*stats{}, fmt.Errorf("GET %s from fcmock: %d %v", path, status, err)
	}
	bodyFile := filepath.Join(e.work, "page.json")
	if err := os.WriteFile(bodyFile, body, 0o644); err != nil {
		return [2]*stats{}, err
	}
	delete(headers, "Date")
	delete(headers, "Content-Length")
	delete(headers, "Connection") // get asked for close; the rounds keep connections alive
	hj, _ := json.Marshal(headers)
	bare, err := startServer(ctx, e, "bare", filepath.Join(e.work, "bare.log"),
		e.self, "bare", "-addr", "127.0.0.1:0", "-body", bodyFile, "-headers", string(hj))
	if err != nil {
		return [2]*stats{}, err
	}
	defer bare.stop()
	check := func(status int, b []byte) error {
		if status != 200 || len(b) != len(body) {
			return fmt.Errorf("status %d, %d bytes (want 200, %d)", status, len(b), len(body))
		}
		return nil
	}
	out := [2]*stats{{name: "fcmock serve"}, {name: "bare net/http"}}
	for round := range cfg.rounds {
		for i, p := range []*process{mock, bare} {
			l := load{addr: p.addr, path: path, conns: cfg.concurrency, warmup: cfg.warmup, measure: cfg.duration, check: check}
			r, err := l.run(ctx, p.cmd.Process.Pid)
			if err != nil {
				return out, fmt.Errorf("%s round %d: %w", p.name, round+1, err)
			}
			progress("round %d %-13s %8.0f req/s  p50 %v  p99 %v  server CPU %3.0f%%  generator CPU %3.0f%%  errors %d",
				round+1, p.name, r.rate(), r.percentile(0.5), r.percentile(0.99),
				100*r.serverCPU.Seconds()/r.elapsed.Seconds(), 100*r.clientCPU.Seconds()/r.elapsed.Seconds(), r.errors)
			out[i].add(r)
		}
	}
	return out, nil
}

// flatRow is one query on each of config.flatSets.
type flatRow struct {
	name    string
	results []result
}

// startupRow is the start-up of one set.
type startupRow struct {
	set          dataSet
	ready        time.Duration // exec to the "serving" line
	first200     time.Duration // exec to the first page's 200
	cpu          time.Duration
	hwm, rss     int64 // kB, right after start-up
	rssAfterLoad int64 // kB, after the flatness queries (0 when none ran)
}

// flatness starts fcmock on each start-up set, recording its start-up, and on the flatness sets
// times single requests (one connection) for three query shapes.
func flatness(ctx context.Context, cfg config, e *env) ([]flatRow, []startupRow, error) {
	var rows []flatRow
	var starts []startupRow
	flat := cfg.flatSets()
	for _, set := range cfg.startupSets() {
		p, err := startMock(ctx, e, set, false)
		if err != nil {
			return nil, nil, err
		}
		st := startupRow{set: set, ready: p.ready, first200: p.first200, cpu: p.cpuTime(), hwm: p.status("VmHWM"), rss: p.status("VmRSS")}
		progress("%v: serving after %v, first 200 after %v, peak RSS %d MiB", set, p.ready.Round(time.Millisecond), p.first200.Round(time.Millisecond), st.hwm>>10)
		col := slices.Index(flat, set)
		if col < 0 {
			starts = append(starts, st)
			p.stop()
			continue
		}
		queries, err := flatQueries(e, p.addr, cfg.limit)
		if err != nil {
			p.stop()
			return nil, nil, err
		}
		if rows == nil {
			rows = make([]flatRow, len(queries))
			for j := range rows {
				rows[j].results = make([]result, len(flat))
			}
		}
		for j, q := range queries {
			l := load{addr: p.addr, path: q[1], conns: 1, warmup: cfg.flatFor / 3, measure: cfg.flatFor,
				check: func(status int, _ []byte) error {
					if status != 200 {
						return fmt.Errorf("status %d", status)
					}
					return nil
				}}
			r, err := l.run(ctx, p.cmd.Process.Pid)
			if err != nil {
				p.stop()
				return nil, nil, fmt.Errorf("%s at %v: %w", q[0], set, err)
			}
			rows[j].name = q[0]
			rows[j].results[col] = r
			progress("%-12s %-20v p50 %v p99 %v", q[0], set, r.percentile(0.5), r.percentile(0.99))
		}
		st.hwm, st.rssAfterLoad = p.status("VmHWM"), p.status("VmRSS")
		starts = append(starts, st)
		p.stop()
	}
	return rows, starts, nil
}

// flatQueries builds the three query shapes against the set served at addr, walking it with
// limit=100 as a client would: the first page, twenty consecutive startedTimes from the middle,
// and the page after a token 90% of the way in.
func flatQueries(e *env, addr string, limit int) ([][2]string, error) {
	type page struct {
		Invocations []struct {
			StartedTime int64 `json:"startedTime"`
		} `json:"invocations"`
		NextToken string `json:"nextToken"`
	}
	var times []int64
	var tokens []string // tokens[i]: the token after 100*(i+1) invocations
	tok := ""
	for {
		q := "limit=100"
		if tok != "" {
			q += "&nextToken=" + url.QueryEscape(tok)
		}
		status, _, body, err := get(addr, e.listPath(q), "")
		if err != nil || status != 200 {
			return nil, fmt.Errorf("walking the set: %d %v", status, err)
		}
		var p page
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, err
		}
		for _, inv := range p.Invocations {
			times = append(times, inv.StartedTime)
		}
		if p.NextToken == "" {
			break
		}
		tok = p.NextToken
		tokens = append(tokens, tok)
	}
	n := len(times)
	if n < 2*limit || len(tokens) == 0 {
		return nil, fmt.Errorf("the set has %d invocations: too few", n)
	}
	deep := tokens[min(len(tokens)-1, max(0, n*9/10/100-1))]
	lim := "limit=" + strconv.Itoa(limit)
	return [][2]string{
		{"first page", e.listPath(lim)},
		{"time range", e.listPath(fmt.Sprintf("%s&startedTimeBegin=%d&startedTimeEnd=%d", lim, times[n/2], times[n/2+limit-1]))},
		{"deep token", e.listPath(lim + "&nextToken=" + url.QueryEscape(deep))},
	}, nil
}

// prismVersion is the major version the bench installs.
const prismPackage = "@stoplight/prism-cli@5"

// runPrism drives Stoplight Prism mocking openapi.yaml like the other servers (one round). It
// installs Prism with npm into the user cache the first time; when npm or the registry is not
// available it returns a note instead.
func runPrism(ctx context.Context, cfg config, e *env) (*stats, string) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return nil, "skipped: npm is not installed (install Node.js to compare with Prism)"
	}
	ver, err := exec.CommandContext(ctx, npm, "view", prismPackage, "version").Output()
	if err != nil {
		return nil, "skipped: `npm view " + prismPackage + " version` failed (no registry access?)"
	}
	version := strings.TrimSpace(strings.Split(strings.TrimSpace(string(ver)), "\n")[0])
	version = strings.Trim(strings.TrimSpace(version[strings.LastIndexByte(version, ' ')+1:]), "'")
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "fcmock-loadbench", "prism-"+version)
	bin := filepath.Join(dir, "node_modules", ".bin", "prism")
	if _, err := os.Stat(bin); err != nil {
		progress("installing @stoplight/prism-cli@%s into %s", version, dir)
		install := exec.CommandContext(ctx, npm, "install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error",
			"@stoplight/prism-cli@"+version)
		install.Stdout, install.Stderr = os.Stderr, os.Stderr
		if err := install.Run(); err != nil {
			return nil, "skipped: npm install @stoplight/prism-cli failed: " + err.Error()
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, "skipped: " + err.Error()
	}
	p, err := startQuiet(ctx, e, "prism", filepath.Join(e.work, "prism.log"),
		bin, "mock", "-h", "127.0.0.1", "-p", strconv.Itoa(port), filepath.Join(e.repo, "openapi.yaml"))
	if err != nil {
		return nil, "skipped: prism did not start: " + err.Error()
	}
	defer p.stop()
	p.addr = "127.0.0.1:" + strconv.Itoa(port)
	path := e.listPath("limit=" + strconv.Itoa(cfg.limit))
	const auth = "Authorization: FC AKIDEXAMPLE:c2lnbmF0dXJl\r\n" // the spec's security scheme asks for one
	deadline := time.Now().Add(60 * time.Second)
	for {
		status, _, _, err := get(p.addr, path, auth)
		if err == nil && status == 200 {
			break
		}
		if time.Now().After(deadline) {
			return nil, fmt.Sprintf("skipped: prism never answered 200 (last: %d %v)", status, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	progress("prism %s: one round of %v, %d connections", version, cfg.duration, cfg.concurrency)
	l := load{addr: p.addr, path: path, header: auth, conns: cfg.concurrency, warmup: cfg.warmup, measure: cfg.duration,
		check: func(status int, _ []byte) error {
			if status != 200 {
				return fmt.Errorf("status %d", status)
			}
			return nil
		}}
	r, err := l.run(ctx, p.cmd.Process.Pid)
	if err != nil {
		return nil, "failed: " + err.Error()
	}
	s := &stats{name: "Prism " + version}
	s.add(r)
	return s, "Stoplight Prism " + version + " (`prism mock openapi.yaml`, static examples), Node " + nodeVersion(ctx)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func nodeVersion(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "node", "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}
