package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/fixtures/synth"
)

// BenchmarkResetStorm (issue 11, item 1) runs the real binary on a set of about 64 MiB of YAML
// and sends 50 POST /_fcmock/reset back to back, each after the last one's reply. It reports the
// peak RSS (VmHWM) after start-up, one load, and after the resets; the resets must keep it
// within twice one load (before the fix the collector stayed off and RSS grew until the process
// was killed). A memory bound, not a timing: it fails when the ratio exceeds 2.
func BenchmarkResetStorm(b *testing.B) {
	if testing.Short() {
		b.Skip("generates 64 MiB of fixtures and loads them 51 times")
	}
	dir := b.TempDir()
	if err := synth.Write(synth.Generate(synth.Options{Count: 76_000, Services: 3, Functions: 2, Seed: 1}), dir, "generated.yaml"); err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, "invocations", "generated.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		p := startBinary(b, "--fixtures", dir)
		oneLoad := vmHWM(b, p.cmd.Process.Pid)
		for i := range 50 {
			res, err := http.Post("http://"+p.addr+"/_fcmock/reset", "", nil)
			if err != nil {
				b.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("reset %d: %s", i, res.Status)
			}
		}
		peak := vmHWM(b, p.cmd.Process.Pid)
		b.ReportMetric(float64(info.Size())/(1<<20), "set-MiB")
		b.ReportMetric(oneLoad/(1<<20), "one-load-peak-MiB")
		b.ReportMetric(peak/(1<<20), "50-resets-peak-MiB")
		b.ReportMetric(peak/oneLoad, "peak-ratio")
		if peak > 2*oneLoad {
			b.Errorf("peak RSS %.0f MiB after 50 resets, more than twice one load's %.0f MiB", peak/(1<<20), oneLoad/(1<<20))
		}
	}
}

// vmHWM reads a process's peak resident set size, in bytes, from /proc.
func vmHWM(b *testing.B, pid int) float64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Skip("no /proc:", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb * 1024
		}
	}
	b.Fatal("no VmHWM")
	return 0
}
