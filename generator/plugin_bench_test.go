package generator

import (
	"bytes"
	"compress/gzip"
	"flag"
	"io"
	"os"
	"runtime"
	"testing"
	"time"
)

var benchRequest = flag.String("bench.req", "../../shared/bench/googleapis-sample.req.gz", "BenchmarkRunPlugin: the gzipped CodeGeneratorRequest to run the plugin on")

// BenchmarkRunPlugin runs the plugin in-process on a recorded request and
// reports the time of each phase of RunPlugin per run, in ms:
//
//	go test ./generator -run '^$' -bench RunPlugin -benchtime 3x -bench.req ../../shared/bench/googleapis-services.req.gz
//
// Each run starts on a collected heap, as a fresh process would; unlike a
// fresh process, its heap has already grown, so the phases that allocate
// the most (unmarshal, protogen) come out faster than in cmd/benchplugins.
func BenchmarkRunPlugin(b *testing.B) {
	f, err := os.Open(*benchRequest)
	if err != nil {
		b.Skipf("no request to run on (-bench.req): %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	phases := []string{"unmarshal", "protogen", "collect", "generate", "write"}
	total := map[string]time.Duration{}
	var last time.Time
	phaseDone = func(phase string) {
		now := time.Now()
		total[phase] += now.Sub(last)
		last = now
	}
	defer func() { phaseDone = func(string) {} }()
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
		last = time.Now()
		opts := DefaultOptions()
		opts.Scaffold = true
		if err := RunPlugin(bytes.NewReader(raw), io.Discard, opts); err != nil {
			b.Fatal(err)
		}
	}
	for _, p := range phases {
		b.ReportMetric(float64(total[p])/float64(time.Millisecond)/float64(b.N), p+"-ms/op")
	}
}
