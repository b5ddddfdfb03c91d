package mock_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/fixtures/synth"
)

// BenchmarkLoadWithOneBadEntry (issue 11, item 9): 100k invocations (about 89 MB) in 8 files,
// the last ending with an entry whose status is not of the enum. The load must fail naming it;
// what it costs is the fast path over the 7 good files and the reference loader over the bad
// one (before: the reference loader over the whole set). "valid" is the same set without the
// bad entry.
func BenchmarkLoadWithOneBadEntry(b *testing.B) {
	if testing.Short() {
		b.Skip("generates 89 MB of fixtures")
	}
	set := synth.Generate(synth.Options{Count: 100_000, Services: 1, Functions: 1, Seed: 1})
	var svcs bytes.Buffer
	if err := synth.WriteServices(&svcs, set.Services); err != nil {
		b.Fatal(err)
	}
	good := fstest.MapFS{fixtures.ServicesFile: {Data: svcs.Bytes()}}
	const files = 8
	per := len(set.Invocations) / files
	for i := range files {
		var buf bytes.Buffer
		if err := synth.WriteInvocations(&buf, set.Invocations[i*per:min((i+1)*per, len(set.Invocations))]); err != nil {
			b.Fatal(err)
		}
		good[fixtures.InvocationsDir+"/part-"+strconv.Itoa(i)+".yaml"] = &fstest.MapFile{Data: buf.Bytes()}
	}
	bad := fstest.MapFS{}
	for k, v := range good {
		bad[k] = v
	}
	last := fixtures.InvocationsDir + "/part-" + strconv.Itoa(files-1) + ".yaml"
	first := set.Invocations[0]
	bad[last] = &fstest.MapFile{Data: append(bytes.Clone(good[last].Data), []byte(
		"  - serviceName: "+first.ServiceName+"\n    functionName: "+first.FunctionName+"\n    qualifier: LATEST\n"+
			"    invocationId: bad-entry\n    requestId: r\n    status: Sleeping\n    startedTime: 1\n    endTime: 0\n    alreadyRetriedTimes: 0\n")...)}
	set = nil
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
	}{{"valid", good}, {"bad-last-entry", bad}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				_, err := fixtures.Load(tc.fsys)
				if tc.name == "valid" && err != nil {
					b.Fatal(err)
				}
				if tc.name != "valid" && (err == nil || !strings.Contains(err.Error(), last) || !strings.Contains(err.Error(), "status")) {
					b.Fatalf("want an error naming %s and status, got %v", last, err)
				}
			}
		})
	}
}
