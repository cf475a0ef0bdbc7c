package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// ghzReport is a report of ghz v0.93.0 (-O json), cut short: the options,
// histogram and details are shortened, as they do not matter here.
const ghzReport = `{"date":"2026-12-01T15:07:34Z","endReason":"normal","options":{"call":"helloworld.Greeter.SayHello","host":"127.0.0.1:50777","insecure":true,"concurrency":50,"total":2000,"connections":1,"data":{"name":"name"},"binary":false,"CPUs":2},
"count":2000,"total":205980005,"average":4730157,"fastest":395168,"slowest":24319627,"rps":9709.68031581512,
"errorDistribution":{},"statusCodeDistribution":{"OK":2000},
"latencyDistribution":[{"percentage":10,"latency":1916934},{"percentage":99,"latency":17534228}],
"histogram":[{"mark":0.000395168,"count":1,"frequency":0.0005}],
"details":[{"timestamp":"2026-12-01T15:07:34.081276265Z","latency":13826750,"error":"","status":"OK"}]}`

// ghzFailures is a report of a run where some calls failed.
const ghzFailures = `{"endReason":"normal","count":100,"total":50000000,"rps":2000,
"errorDistribution":{"rpc error: code = Unavailable desc = connection refused":30,"rpc error: code = Internal desc = boom":30,"rpc error: code = DeadlineExceeded desc = context deadline exceeded":5},
"statusCodeDistribution":{"OK":35,"Unavailable":30,"Internal":30,"DeadlineExceeded":5}}`

func TestParseGhz(t *testing.T) {
	res, err := parseGhz(strings.NewReader(ghzReport))
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 2000 || res.RPS != 9709.68031581512 || res.Total != 205980005*time.Nanosecond || res.EndReason != "normal" {
		t.Errorf("parseGhz = count %d, rps %v, total %v, end reason %q; want 2000, 9709.68031581512, 205.980005ms, normal", res.Count, res.RPS, res.Total, res.EndReason)
	}
	if got := res.failed(2000); got != 0 {
		t.Errorf("failed(2000) = %d, want 0", got)
	}
	if got := res.failed(2500); got != 500 {
		t.Errorf("failed(2500) = %d, want 500: calls never made count as failed", got)
	}
	if got := res.firstError(); got != "" {
		t.Errorf("firstError() = %q, want none", got)
	}

	res, err = parseGhz(strings.NewReader(ghzFailures))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.failed(100); got != 65 {
		t.Errorf("failed(100) = %d, want 65", got)
	}
	if got, want := res.firstError(), "30× rpc error: code = Internal desc = boom"; got != want {
		t.Errorf("firstError() = %q, want %q (the most frequent; ties to the first in order)", got, want)
	}
}

func TestParseGhzBad(t *testing.T) {
	for _, in := range []string{
		``,
		`not json`,
		`{"count":0,"total":0,"rps":0,"errorDistribution":{},"statusCodeDistribution":{}}`,
		`{"count":10,"total":1000,"rps":"fast"}`,
		`{"count":10,"total":1000}`,
	} {
		if res, err := parseGhz(strings.NewReader(in)); err == nil {
			t.Errorf("parseGhz(%q) = %+v, want an error", in, res)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{2.5}, 2.5},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 10}, 3.5},
		{[]float64{9000, 12000, 8000, 11000, 10000}, 10000},
	} {
		in := slices.Clone(tc.in)
		if got := median(in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("median modified its input: %v, was %v", in, tc.in)
		}
	}
}

func TestAccessLines(t *testing.T) {
	log := `time=2026-12-01T15:07:33.055Z level=INFO msg=serving service=helloworld.Greeter addr=127.0.0.1:50777
time=2026-12-01T15:07:33.070Z level=INFO msg=call method=/grpc.health.v1.Health/Check peer=127.0.0.1:57950 code=OK duration=20µs
time=2026-12-01T15:07:34.076Z level=INFO msg=call method=/helloworld.Greeter/SayHello peer=127.0.0.1:57966 code=OK duration=7.01µs
time=2026-12-01T15:07:34.077Z level=WARN msg=call method=/helloworld.Greeter/SayHello peer=127.0.0.1:57966 code=Canceled duration=1ms
time=2026-12-01T15:07:34.078Z level=INFO msg=call method=/helloworld.Greeter/SayHelloAgain peer=127.0.0.1:57966 code=OK duration=7µs
time=2026-12-01T15:07:34.079Z level=INFO msg=call method=/helloworld.Greeter/SayHello peer=127.0.0.1:57966 code=OK duration=6µs
time=2026-12-01T15:07:35.000Z level=INFO msg="shutting down" grace=10s
`
	total, ok, err := accessLines(strings.NewReader(log), "/helloworld.Greeter/SayHello")
	if err != nil || total != 3 || ok != 2 {
		t.Errorf("accessLines = %d, %d, %v; want 3 lines, 2 with code=OK", total, ok, err)
	}
}

func TestVerdict(t *testing.T) {
	bare := func(s summary) summary {
		s.names, s.goal = [2]string{"generated server", "bare server"}, goalRatio
		return s
	}
	for _, tc := range []struct {
		name  string
		s     summary
		ok    bool
		lines []string
	}{
		{
			name:  "pass",
			s:     bare(summary{measured: []float64{9000, 8600, 8800}, baseline: []float64{10000, 10000, 10200}}),
			ok:    true,
			lines: []string{"PASS: the generated server made 0.880 of the calls per second of the bare server (goal >= 0.85)"},
		},
		{
			name:  "exactly the goal",
			s:     bare(summary{measured: []float64{8500}, baseline: []float64{10000}}),
			ok:    true,
			lines: []string{"PASS: the generated server made 0.850 of the calls per second of the bare server (goal >= 0.85)"},
		},
		{
			name:  "judged as printed",
			s:     bare(summary{measured: []float64{8499.6}, baseline: []float64{10000}}),
			ok:    true,
			lines: []string{"PASS: the generated server made 0.850 of the calls per second of the bare server (goal >= 0.85)"},
		},
		{
			name:  "miss",
			s:     bare(summary{measured: []float64{8494}, baseline: []float64{10000}}),
			ok:    false,
			lines: []string{"MISS: the generated server made 0.849 of the calls per second of the bare server (goal >= 0.85)"},
		},
		{
			name: "failed calls fail a fast server",
			s:    bare(summary{measured: []float64{12000}, baseline: []float64{10000}, failed: [2]int{3, 1}}),
			ok:   false,
			lines: []string{
				"PASS: the generated server made 1.200 of the calls per second of the bare server (goal >= 0.85)",
				"FAIL: 4 calls failed (generated server 3, bare server 1)",
			},
		},
		{
			name: "access log",
			s:    bare(summary{measured: []float64{9000}, baseline: []float64{10000}, logProblems: []string{"round 2: 0 /helloworld.Greeter/SayHello lines (0 with code=OK) for 20000 calls (20000 OK)"}}),
			ok:   false,
			lines: []string{
				"PASS: the generated server made 0.900 of the calls per second of the bare server (goal >= 0.85)",
				"FAIL: access log: round 2: 0 /helloworld.Greeter/SayHello lines (0 with code=OK) for 20000 calls (20000 OK)",
			},
		},
		{
			name:  "no rounds",
			s:     bare(summary{}),
			ok:    false,
			lines: []string{"MISS: no ratio: a server has no measured round"},
		},
		{
			name:  "stubs pass",
			s:     summary{names: [2]string{"server with 500 stubs", "same server without stubs"}, goal: goalStubs, measured: []float64{7000}, baseline: []float64{10000}},
			ok:    true,
			lines: []string{"PASS: the server with 500 stubs made 0.700 of the calls per second of the same server without stubs (goal >= 0.70)"},
		},
		{
			name:  "stubs miss",
			s:     summary{names: [2]string{"server with 500 stubs", "same server without stubs"}, goal: goalStubs, measured: []float64{6990}, baseline: []float64{10000}},
			ok:    false,
			lines: []string{"MISS: the server with 500 stubs made 0.699 of the calls per second of the same server without stubs (goal >= 0.70)"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, lines := tc.s.verdict()
			if ok != tc.ok || !slices.Equal(lines, tc.lines) {
				t.Errorf("verdict() = %v, %q\nwant %v, %q", ok, lines, tc.ok, tc.lines)
			}
		})
	}
}

func TestFormatRPS(t *testing.T) {
	for in, want := range map[float64]string{
		0:            "0",
		999.4:        "999",
		999.5:        "1,000",
		12345.678:    "12,346",
		1234567:      "1,234,567",
		-12345:       "-12,345",
		100000:       "100,000",
		9709.6803158: "9,710",
	} {
		if got := formatRPS(in); got != want {
			t.Errorf("formatRPS(%v) = %q, want %q", in, got, want)
		}
	}
}
