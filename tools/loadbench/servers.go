package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

const pinnedEnv = "LOADBENCH_PINNED"

// pinSelf re-runs this process under `taskset -c 0` (the servers get CPU 1) and reports whether
// it did; false when taskset is missing, the machine has one CPU, or this is the pinned copy.
func pinSelf() bool {
	if os.Getenv(pinnedEnv) != "" {
		return false
	}
	taskset, err := exec.LookPath("taskset")
	if err != nil || machineCPUs() < 2 || numCPU() < 2 {
		return false
	}
	self, err := os.Executable()
	if err != nil {
		return false
	}
	cmd := exec.Command(taskset, append([]string{"-c", "0", self}, os.Args[1:]...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), pinnedEnv+"=1")
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			os.Exit(ee.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
	return true
}

func numCPU() int {
	var set [16]uint64
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, uintptr(len(set)*8), uintptr(unsafe.Pointer(&set))); e != 0 {
		return 1
	}
	n := 0
	for _, w := range set {
		for ; w != 0; w &= w - 1 {
			n++
		}
	}
	return n
}

// prepare builds fcmock, generates the sets and finds the function they fill.
func prepare(ctx context.Context, cfg config, work string) (*env, error) {
	e := &env{repo: abs(cfg.repo), work: work, sets: map[dataSet]string{}, pinned: os.Getenv(pinnedEnv) != ""}
	e.bin = filepath.Join(work, "fcmock")
	if cfg.bin != "" {
		e.bin = abs(cfg.bin)
	} else {
		progress("building %s", e.bin)
		build := exec.CommandContext(ctx, "go", "build", "-o", e.bin, "./cmd/fcmock")
		build.Dir, build.Stdout, build.Stderr = e.repo, os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("go build ./cmd/fcmock: %w", err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	e.self = self
	for _, set := range cfg.sets() {
		if _, done := e.sets[set]; done {
			continue
		}
		dir := filepath.Join(work, set.dirName())
		if _, err := os.Stat(filepath.Join(dir, "services.yaml")); err == nil {
			e.sets[set] = dir // from an earlier run with the same -work
			continue
		}
		progress("generating %d invocations (%s) into %s", set.n, set.kind(), dir)
		// One service with one function: every page is cut from an index as long as the set.
		gen := exec.CommandContext(ctx, e.bin, "fixtures", "generate", "--count", strconv.Itoa(set.n), "--services", "1",
			"--functions", "1", "--empty-functions", "0", "--seed", "1", "--format", set.kind(), "--out", dir)
		gen.Stdout, gen.Stderr = os.Stderr, os.Stderr
		if err := gen.Run(); err != nil {
			return nil, fmt.Errorf("fcmock fixtures generate: %w", err)
		}
		e.sets[set] = dir
	}
	e.service, e.fn, err = firstFunction(filepath.Join(e.sets[cfg.throughputSet()], "services.yaml"))
	return e, err
}

// firstFunction reads the first service and its first function from a generated services.yaml
// (`  - name: x` then `    functions: [a, b]`).
func firstFunction(path string) (service, fn string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "- name: "); ok && service == "" {
			service = strings.Trim(v, `"`)
		}
		if v, ok := strings.CutPrefix(line, "functions: ["); ok && fn == "" {
			fn = strings.Trim(strings.Split(strings.TrimSuffix(v, "]"), ",")[0], ` "`)
		}
	}
	if service == "" || fn == "" {
		return "", "", fmt.Errorf("%s: no service with a function", path)
	}
	return service, fn, nil
}

// process is a server this tool started, on CPU 1 when pinned.
type process struct {
	name     string
	cmd      *exec.Cmd
	addr     string // host:port
	started  time.Time
	ready    time.Duration // from exec to the readiness line
	first200 time.Duration // from exec to the first page's 200 (startMock)
}

// startServer starts argv (pinned to CPU 1 when e.pinned) and waits for a stdout line holding
// "http://ADDR", which it returns as the address. stderr goes to logPath.
func startServer(ctx context.Context, e *env, name, logPath string, argv ...string) (*process, error) {
	return start(ctx, e, name, logPath, true, argv...)
}

// startQuiet starts argv like startServer, without waiting: stdout and stderr go to logPath.
func startQuiet(ctx context.Context, e *env, name, logPath string, argv ...string) (*process, error) {
	return start(ctx, e, name, logPath, false, argv...)
}

func start(ctx context.Context, e *env, name, logPath string, wait bool, argv ...string) (*process, error) {
	if e.pinned {
		argv = append([]string{"taskset", "-c", "1"}, argv...)
	} else if os.Getenv(pinnedEnv) != "" {
		argv = append([]string{"taskset", "-c", onlineCPUs()}, argv...) // undo this process's pinning
	}
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stderr = log
	if !wait {
		cmd.Stdout = log
		p := &process{name: name, cmd: cmd, started: time.Now()}
		return p, cmd.Start()
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &process{name: name, cmd: cmd, started: time.Now()}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if _, rest, ok := strings.Cut(lines.Text(), "http://"); ok {
			p.ready = time.Since(p.started)
			p.addr = strings.Fields(rest)[0]
			go io.Copy(io.Discard, stdout)
			return p, nil
		}
	}
	p.stop()
	return nil, fmt.Errorf("%s exited before serving (see %s)", name, logPath)
}

func (p *process) stop() {
	if p.cmd.Process != nil {
		p.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { p.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			p.cmd.Process.Kill()
			<-done
		}
	}
}

// cpuTime is the CPU time (user+system) the process has used so far.
func (p *process) cpuTime() time.Duration {
	return procCPU(p.cmd.Process.Pid)
}

func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

// status reads a /proc/PID/status field in kB (VmHWM, VmRSS).
func (p *process) status(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// startMock starts `fcmock serve` on a set with its defaults: validation on, text logs (to a
// file under work), and asks for the first page, recording when the first 200 came. With
// pinStart (and pinning on) it runs on CPU 1 from the start, as the bare server does, so the Go
// runtime sizes itself for one CPU (GOMAXPROCS 1) like the bare server; without, it starts on
// every CPU, so that loading a large set is not held to one core, and moves to CPU 1 once it
// serves.
func startMock(ctx context.Context, e *env, set dataSet, pinStart bool) (*process, error) {
	logPath := filepath.Join(filepath.Dir(e.sets[set]), "fcmock-"+set.dirName()+".log")
	argv := []string{e.bin, "serve", "--addr", "127.0.0.1:0", "--fixtures", e.sets[set]}
	pinned := e.pinned
	if !pinStart {
		e.pinned = false
	}
	p, err := startServer(ctx, e, "fcmock", logPath, argv...)
	e.pinned = pinned
	if err != nil {
		return nil, err
	}
	if err := p.firstPage(e); err != nil {
		p.stop()
		return nil, err
	}
	if pinStart || !pinned {
		return p, nil
	}
	// -a: every thread of the process, not only its first.
	if out, err := exec.Command("taskset", "-a", "-p", "-c", "1", strconv.Itoa(p.cmd.Process.Pid)).CombinedOutput(); err != nil {
		p.stop()
		return nil, fmt.Errorf("taskset -a -p -c 1: %v: %s", err, out)
	}
	return p, nil
}

// firstPage asks for the first page of the function until it gets a 200, and records the time
// from exec to that answer.
func (p *process) firstPage(e *env) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, _, _, err := get(p.addr, e.listPath("limit=20"), "")
		if err == nil && status == 200 {
			p.first200 = time.Since(p.started)
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("fcmock never answered the first page with 200 (last: %d %v)", status, err)
		}
		time.Sleep(time.Millisecond)
	}
}

// dataSet is a generated set: its size and whether it is a snapshot set (else YAML).
type dataSet struct {
	n        int
	snapshot bool
}

func (d dataSet) kind() string {
	if d.snapshot {
		return "snapshot"
	}
	return "yaml"
}

func (d dataSet) dirName() string { return fmt.Sprintf("set-%d-%s", d.n, d.kind()) }

func (d dataSet) String() string {
	if d.snapshot {
		return fmt.Sprintf("%d (snapshot)", d.n)
	}
	return fmt.Sprintf("%d (YAML)", d.n)
}

// onlineCPUs is the machine's CPU list ("0-1"), whatever this process's affinity.
func onlineCPUs() string {
	if b, err := os.ReadFile("/sys/devices/system/cpu/online"); err == nil {
		return strings.TrimSpace(string(b))
	}
	return "0-" + strconv.Itoa(runtime.NumCPU()-1)
}

// machineCPUs counts the CPUs in onlineCPUs.
func machineCPUs() int {
	n := 0
	for _, part := range strings.Split(onlineCPUs(), ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, _ := strconv.Atoi(lo)
		b := a
		if isRange {
			b, _ = strconv.Atoi(hi)
		}
		n += b - a + 1
	}
	return max(n, 1)
}
