// Command benchserver measures the unary throughput of a generated server
// main against a bare grpc-go server with ghz, and prints their ratio; with
// -stubs N, that of the generated server main answering from N stubs
// against the same main without stubs; with -tracing, that of the
// generated server main tracing every call against the same main
// untraced.
//
// Usage, from the module root:
//
//	go run ./cmd/benchserver [-stubs N | -tracing] [-rounds 5] [-n 20000] [-c 50] [-ghz PATH] [-keep] [-cpuprofile DIR [-profile-seconds 5]]
//
// It builds two servers of helloworld.Greeter from this checkout, both
// serving the same servicer (helloworld.NewGreeterService):
//
//   - generated: ./examples/helloworld/cmd/greeter-server, the server main
//     that protoc-gen-gotutor writes, run with its default flags: the access
//     log at info (a line per call), panic recovery, keepalive and limits,
//     health and reflection;
//   - bare: ./cmd/benchserver/internal/bareserver, the servicer on
//     grpc.NewServer() and nothing else.
//
// It runs ghz (github.com/bojand/ghz v0.93.0), the one on PATH or in
// $(go env GOPATH)/bin, or given with -ghz; without one it installs it into a
// temporary GOBIN with go install (about half a minute; run
// "go install github.com/bojand/ghz/cmd/ghz@v0.93.0" once to keep it).
//
// Each run starts one server on a free loopback port with its output (the
// generated server's log) written to a file, waits until it answers (health
// SERVING for the generated server, which has a health service; a SayHello
// for the bare one, which has none), runs
//
//	ghz --insecure --proto examples/helloworld/helloworld.proto --call helloworld.Greeter.SayHello -d '{"name":"name"}' -n 20000 -c 50 -O json ADDR
//
// reads the calls per second, the calls made and the failed calls from ghz's
// JSON report, and stops the server with SIGTERM. ghz gets the proto file
// for both servers, since the bare one has no reflection. A warm-up round
// (not counted) comes first, then -rounds rounds; the two servers take turns
// to go first from one round to the next, so that drift on the machine
// spreads over both. After every run of a generated server, its log must
// hold one access line of SayHello per call that ghz made: a server that
// skipped its log would not be compared honestly.
//
// How to read the output: a table of each round's calls per second of both
// servers and their ratio, then the medians over the measured rounds. Beside
// them, each server process's CPU time (user and system, from its exit
// status) per call made: the cost of a call on the server's side, which
// moves much less with other work on the machine than calls per second do.
// The verdict compares the ratio of the medians, rounded to three decimals (the
// figure printed), with the goal: at least 0.85 (PASS or MISS; 0.70 with -stubs). Any failed
// call, in any round, and any access log that does not match its calls is a
// FAIL. The exit status is 1 unless the verdict is PASS alone. ghz runs on the
// same machine as the servers and takes a large share of its CPU: the
// numbers are those of a loaded machine, and the load average before and
// after is printed beside them, since other work on the machine moves them.
//
// With -stubs N (the measurement: -stubs 500), the two servers are
// both the generated server main, built with Stubs: stubs.New in its
// serve.Config (through go build -overlay when its main.go, scaffolded
// before mains had it, lacks it; the file itself is not changed):
//
//   - "N stubs": run with -stubs DIR, where DIR holds N stubs of SayHello
//     in 5 JSON files (writeStubs): most answer one name each
//     (input.equals), 10 also need a header, 10 take names by a regular
//     expression (input.matches) and 10 by a part (input.contains), and
//     the last of the last file answers ghz's request, {"name":"name"}, so
//     that every call is matched, after all the others were loaded. It is
//     ready once a SayHello of "name" gets that stub's answer (one more
//     access line, which the count allows for);
//   - "no stubs": the same binary without -stubs, which installs nothing.
//
// ghz makes -n 10000 calls per run unless -n is given, and the goal is a
// ratio of at least 0.70. Both servers have the access log, checked after
// each run.
//
// With -tracing, the two servers are both the generated server main, run
// with no OTEL_* variable (benchserver removes those of its own
// environment from every server's):
//
//   - "traced": with OTEL_EXPORTER_OTLP_ENDPOINT naming an OTLP receiver
//     that benchserver serves on loopback (internal/otlptest, which counts
//     the spans in their wire form without decoding them),
//     OTEL_EXPORTER_OTLP_PROTOCOL=grpc and OTEL_TRACES_SAMPLER=always_on:
//     a span of every call, exported in batches;
//   - "untraced": without them, so with no stats handler at all.
//
// The goal is a ratio of at least 0.85. After each run of the traced
// server, every access line must carry a trace_id and a span_id, and the
// receiver must have got spans; the spans received over all the runs are
// printed against the calls traced (the batches' queue drops spans when
// it is full, which the SDK allows).
//
// With -cpuprofile DIR, after the measured rounds, each server is built again
// with one more file in its package main (go build -overlay; the servers'
// own files are not changed) that serves net/http/pprof on a loopback port,
// loaded by ghz for -profile-seconds plus two seconds, and profiled for
// -profile-seconds: DIR/generated.pprof and DIR/bare.pprof (with -stubs,
// DIR/N-stubs.pprof and DIR/no-stubs.pprof), for go tool pprof. These runs
// are not counted in the table.
package main

import (
	"context"
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health/grpc_health_v1"

	"github.com/gotutor/gotutor/examples/helloworld"
	"github.com/gotutor/gotutor/internal/modroot"
	"github.com/gotutor/gotutor/internal/otlptest"
)

const (
	ghzModule  = "github.com/bojand/ghz"
	ghzVersion = "v0.93.0"
	method     = "/helloworld.Greeter/SayHello"
)

// A server is one of the two servers under test.
type server struct {
	name      string   // as shown in the table
	long      string   // as the verdict names it
	pkg       string   // what go build builds, from the module root
	args      []string // its flags besides -addr
	bin       string   // the built binary
	accessLog bool     // whether it logs a line per call, to be counted
	// ready returns nil once the server on addr answers; its last call
	// that succeeds makes readyCalls calls of SayHello, which the access
	// log has beside ghz's.
	ready      func(ctx context.Context, conn *grpc.ClientConn) error
	readyCalls int
	// env is added to the server's environment (serverEnv); traced says
	// it traces every call, which its log and the receiver are checked for.
	env    []string
	traced bool
}

// generatedPkg is the generated server main.
const generatedPkg = "./examples/helloworld/cmd/greeter-server"

// healthy is ready for a server with a health service: SERVING.
func healthy(ctx context.Context, conn *grpc.ClientConn) error {
	resp, err := grpc_health_v1.NewHealthClient(conn).Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: "helloworld.Greeter"})
	if err != nil {
		return err
	}
	if s := resp.GetStatus(); s != grpc_health_v1.HealthCheckResponse_SERVING {
		return fmt.Errorf("health: %v", s)
	}
	return nil
}

// againstBare is the pair of the default run: the generated server main
// against the bare server.
func againstBare() [2]*server {
	return [2]*server{
		{name: "generated", long: "generated server", pkg: generatedPkg, accessLog: true, ready: healthy},
		{
			name: "bare",
			long: "bare server",
			pkg:  "./cmd/benchserver/internal/bareserver",
			ready: func(ctx context.Context, conn *grpc.ClientConn) error {
				_, err := helloworld.NewGreeterClient(conn).SayHello(ctx, &helloworld.HelloRequest{Name: "ready"})
				return err
			},
		},
	}
}

// withStubs is the pair of -stubs N: the generated server main with the N
// stubs of dir, one of which answers ghz's every call, against the same
// main without stubs. The first is ready once its stub answers.
func withStubs(n int, dir string) [2]*server {
	return [2]*server{
		{
			name:       fmt.Sprintf("%d stubs", n),
			long:       fmt.Sprintf("server with %d stubs", n),
			pkg:        generatedPkg,
			args:       []string{"-stubs", dir},
			accessLog:  true,
			readyCalls: 1,
			ready: func(ctx context.Context, conn *grpc.ClientConn) error {
				if err := healthy(ctx, conn); err != nil {
					return err
				}
				resp, err := helloworld.NewGreeterClient(conn).SayHello(ctx, &helloworld.HelloRequest{Name: "name"})
				if err != nil {
					return err
				}
				if resp.GetMessage() != matchedMessage {
					return fmt.Errorf("SayHello name: %q, not the stub's %q", resp.GetMessage(), matchedMessage)
				}
				return nil
			},
		},
		{name: "no stubs", long: "same server without stubs", pkg: generatedPkg, accessLog: true, ready: healthy},
	}
}

// A bench holds the settings of one benchmark and its results.
type bench struct {
	root, tmp, ghz string
	calls, conc    int
	servers        [2]*server
	goal           float64
	// overlay replaces files of the servers' packages when they are
	// built (go build -overlay's Replace): the path of each, by the path
	// it replaces.
	overlay map[string]string
	// runs[i][k] is the run of servers[k] in round i (round 0 is the
	// warm-up).
	runs   [][2]runResult
	failed [2]int
	notes  []string // the first error message of runs with failed calls
	logs   []string // access log problems
	logged int      // runs of servers whose access log was counted
	// receiver gets the traced server's spans (-tracing): spans of the
	// tracedCalls calls that it traced.
	receiver           *otlptest.Receiver
	spans, tracedCalls int
}

func main() {
	ok, err := run()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchserver:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

func run() (bool, error) {
	rounds := flag.Int("rounds", 5, "measured rounds, after one warm-up round; each runs both servers once")
	calls := flag.Int("n", 20000, "unary calls per run (ghz -n)")
	conc := flag.Int("c", 50, "concurrent calls (ghz -c)")
	ghzPath := flag.String("ghz", "", "the ghz binary (default: ghz on PATH or in $(go env GOPATH)/bin, else installed into a temporary GOBIN)")
	cpuprofile := flag.String("cpuprofile", "", "after the rounds, write a CPU profile of each server under ghz load to `DIR`/generated.pprof and DIR/bare.pprof (runs not counted)")
	profileSeconds := flag.Int("profile-seconds", 5, "how long each -cpuprofile profile runs")
	keep := flag.Bool("keep", false, "keep the temporary directory with the servers' logs and ghz's reports, and print its path")
	stubs := flag.Int("stubs", 0, "instead of the bare server, compare the generated server answering every call from `N` stubs (with ghz's -n 10000 unless -n is given) with the same server without stubs")
	tracing := flag.Bool("tracing", false, "instead of the bare server, compare the generated server tracing every call (always_on) to an OTLP receiver on loopback with the same server untraced")
	flag.Parse()
	if *tracing && *stubs != 0 {
		return false, errors.New("-tracing and -stubs: one at a time")
	}
	if *rounds < 1 || *calls < 1 || *conc < 1 {
		return false, errors.New("-rounds, -n and -c must be at least 1")
	}
	root, err := modroot.Dir()
	if err != nil {
		return false, err
	}
	tmp, err := os.MkdirTemp("", "benchserver")
	if err != nil {
		return false, err
	}
	if *keep {
		defer fmt.Fprintf(os.Stderr, "kept %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	b := &bench{root: root, tmp: tmp, calls: *calls, conc: *conc, servers: againstBare(), goal: goalRatio, overlay: map[string]string{}}
	if *stubs != 0 {
		if err := b.setUpStubs(*stubs); err != nil {
			return false, err
		}
		nSet := false
		flag.Visit(func(f *flag.Flag) { nSet = nSet || f.Name == "n" })
		if !nSet {
			b.calls = stubsCalls
		}
	}
	if *tracing {
		stop, err := b.setUpTracing()
		if err != nil {
			return false, err
		}
		defer stop()
	}

	for _, s := range b.servers {
		s.bin = filepath.Join(tmp, strings.ReplaceAll(s.name, " ", "-")+"-server")
		fmt.Fprintf(os.Stderr, "building %s\n", s.pkg)
		if err := b.build(s.bin, s.pkg, b.overlay); err != nil {
			return false, err
		}
	}
	if b.ghz, err = findGhz(*ghzPath, tmp); err != nil {
		return false, err
	}
	ghzVer := "unknown version"
	if info, err := buildinfo.ReadFile(b.ghz); err == nil {
		ghzVer = info.Main.Path + " " + info.Main.Version
		if info.Main.Path != ghzModule || info.Main.Version != ghzVersion {
			fmt.Fprintf(os.Stderr, "warning: %s is %s, not %s %s\n", b.ghz, ghzVer, ghzModule, ghzVersion)
		}
	}

	fmt.Printf("machine: %d CPUs, %s/%s, %s; ghz: %s (%s)\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), b.ghz, ghzVer)
	fmt.Printf("load average before: %s\n", loadAverage())
	fmt.Printf("each run: %d unary calls of %s at concurrency %d\n\n", b.calls, method, b.conc)

	for round := 0; round <= *rounds; round++ {
		order := []int{0, 1}
		if round%2 == 1 {
			order = []int{1, 0}
		}
		var r [2]runResult
		for _, k := range order {
			var err error
			if r[k], err = b.runOnce(b.servers[k], k, round); err != nil {
				return false, fmt.Errorf("round %d, %s server: %w", round, b.servers[k].name, err)
			}
		}
		b.runs = append(b.runs, r)
		label := fmt.Sprintf("round %d/%d", round, *rounds)
		if round == 0 {
			label = "warm-up"
		}
		fmt.Fprintf(os.Stderr, "%s: %s %s calls/s, %s %s calls/s\n", label, b.servers[0].name, formatRPS(r[0].rps), b.servers[1].name, formatRPS(r[1].rps))
	}
	loadAfter := loadAverage()

	s := summary{names: [2]string{b.servers[0].long, b.servers[1].long}, goal: b.goal, failed: b.failed, logProblems: b.logs}
	// The medians are of the measured rounds, the warm-up left out.
	var cpu, rss [2][]float64
	for _, r := range b.runs[1:] {
		s.measured = append(s.measured, r[0].rps)
		s.baseline = append(s.baseline, r[1].rps)
		for k := range r {
			cpu[k], rss[k] = append(cpu[k], r[k].cpuPerCall), append(rss[k], r[k].maxRSS)
		}
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	n0, n1 := b.servers[0].name, b.servers[1].name
	fmt.Fprintf(tw, "round\t%s calls/s\t%s calls/s\tratio\t\t%s CPU/call\t%s CPU/call\tratio\t\t%s max RSS\t%s max RSS\t\n", n0, n1, n0, n1, n0, n1)
	for i, r := range b.runs {
		label := strconv.Itoa(i)
		if i == 0 {
			label = "warm-up"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.3f\t\t%.1f µs\t%.1f µs\t%.2f\t\t%.1f MiB\t%.1f MiB\t\n", label, formatRPS(r[0].rps), formatRPS(r[1].rps), r[0].rps/r[1].rps,
			r[0].cpuPerCall, r[1].cpuPerCall, r[0].cpuPerCall/r[1].cpuPerCall, r[0].maxRSS, r[1].maxRSS)
	}
	mg, mb := median(cpu[0]), median(cpu[1])
	fmt.Fprintf(tw, "median of %d\t%s\t%s\t%.3f\t\t%.1f µs\t%.1f µs\t%.2f\t\t%.1f MiB\t%.1f MiB\t\n", len(s.baseline), formatRPS(median(s.measured)), formatRPS(median(s.baseline)), s.ratio(), mg, mb, mg/mb, median(rss[0]), median(rss[1]))
	fmt.Fprintf(tw, "failed calls\t%d\t%d\t\t\t\t\t\t\t\t\t\n", b.failed[0], b.failed[1])
	tw.Flush()
	fmt.Println()
	for _, n := range b.notes {
		fmt.Println(n)
	}
	fmt.Printf("access log: %d of %d runs of servers with an access log had one SayHello line per call\n", b.logged-len(b.logs), b.logged)
	if b.receiver != nil {
		fmt.Printf("spans: %d received for %d calls of SayHello traced (and the health checks that waited for the server)\n", b.spans, b.tracedCalls)
	}
	fmt.Printf("load average after: %s\n\n", loadAfter)
	ok, lines := s.verdict()
	for _, l := range lines {
		fmt.Println(l)
	}
	if *cpuprofile != "" {
		fmt.Println()
		if err := b.profile(*cpuprofile, *profileSeconds); err != nil {
			return false, err
		}
	}
	return ok, nil
}

// A runResult is what one run of a server measured.
type runResult struct {
	// rps is the calls per second; cpuPerCall the server process's CPU
	// time (user and system, start-up and readiness checks included) per
	// call made, in microseconds; maxRSS its largest resident set, in MiB.
	rps, cpuPerCall, maxRSS float64
}

// runOnce starts s, waits until it answers, runs ghz against it, stops it,
// and returns what the run measured. k is the server's index in servers.
func (b *bench) runOnce(s *server, k, round int) (runResult, error) {
	addr, err := freeAddr()
	if err != nil {
		return runResult{}, err
	}
	base := filepath.Join(b.tmp, fmt.Sprintf("%s-round%d", strings.ReplaceAll(s.name, " ", "-"), round))
	logPath := base + ".log"
	logFile, err := os.Create(logPath)
	if err != nil {
		return runResult{}, err
	}
	defer logFile.Close()
	srv := exec.Command(s.bin, append([]string{"-addr", addr}, s.args...)...)
	srv.Stdout, srv.Stderr = logFile, logFile
	srv.Env = serverEnv(s.env)
	spansBefore := 0
	if s.traced {
		spansBefore = b.receiver.Count()
	}
	if err := srv.Start(); err != nil {
		return runResult{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		srv.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			return err
		case <-time.After(20 * time.Second):
			srv.Process.Kill()
			<-exited
			return errors.New("did not stop within 20s of SIGTERM")
		}
	}
	defer stop()

	if err := waitReady(s, addr, exited); err != nil {
		return runResult{}, fmt.Errorf("%w (log: %s)", err, tail(logPath))
	}

	jsonPath := base + ".json"
	out, err := os.Create(jsonPath)
	if err != nil {
		return runResult{}, err
	}
	defer out.Close()
	var stderr strings.Builder
	ghz := exec.Command(b.ghz, "--insecure",
		"--proto", filepath.Join(b.root, "examples", "helloworld", "helloworld.proto"),
		"--call", "helloworld.Greeter.SayHello",
		"-d", `{"name":"name"}`,
		"-n", strconv.Itoa(b.calls), "-c", strconv.Itoa(b.conc),
		"-O", "json", addr)
	ghz.Stdout, ghz.Stderr = out, &stderr
	if err := ghz.Run(); err != nil {
		return runResult{}, fmt.Errorf("ghz: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	if _, err := out.Seek(0, 0); err != nil {
		return runResult{}, err
	}
	res, err := parseGhz(out)
	if err != nil {
		return runResult{}, err
	}
	if err := stop(); err != nil {
		return runResult{}, fmt.Errorf("stopping the server: %w (log: %s)", err, tail(logPath))
	}

	if n := res.failed(b.calls); n > 0 {
		b.failed[k] += n
		b.notes = append(b.notes, fmt.Sprintf("round %d, %s server: %d of %d calls failed (ghz made %d, end reason %q): %s", round, s.name, n, b.calls, res.Count, res.EndReason, res.firstError()))
	}
	if s.accessLog {
		f, err := os.Open(logPath)
		if err != nil {
			return runResult{}, err
		}
		total, ok, err := accessLines(f, method)
		f.Close()
		if err != nil {
			return runResult{}, err
		}
		b.logged++
		total, ok = total-s.readyCalls, ok-s.readyCalls
		if total != res.Count || ok != res.Codes["OK"] {
			b.logs = append(b.logs, fmt.Sprintf("round %d, %s: %d %s lines (%d with code=OK) for %d calls (%d OK)", round, s.name, total, method, ok, res.Count, res.Codes["OK"]))
		}
	}
	if s.traced {
		// The server sent its last spans as it stopped.
		spans := b.receiver.Count() - spansBefore
		b.spans, b.tracedCalls = b.spans+spans, b.tracedCalls+res.Count+s.readyCalls
		f, err := os.Open(logPath)
		if err != nil {
			return runResult{}, err
		}
		traced, err := tracedLines(f, method)
		f.Close()
		if err != nil {
			return runResult{}, err
		}
		if traced != res.Count+s.readyCalls || spans == 0 {
			b.logs = append(b.logs, fmt.Sprintf("round %d, %s: %d %s lines with trace_id and span_id for %d calls, %d spans received", round, s.name, traced, method, res.Count, spans))
		}
	}
	cpu := srv.ProcessState.UserTime() + srv.ProcessState.SystemTime()
	run := runResult{rps: res.RPS, cpuPerCall: float64(cpu.Microseconds()) / float64(res.Count)}
	if usage, ok := srv.ProcessState.SysUsage().(*syscall.Rusage); ok {
		run.maxRSS = float64(usage.Maxrss) / 1024 // Linux gives KiB
	}
	return run, nil
}

// waitReady polls s on addr until it answers, for at most 10 seconds, and
// fails early when the server exits.
func waitReady(s *server, addr string, exited <-chan error) error {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = s.ready(ctx, conn)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready within 10s: %w", err)
		}
		select {
		case werr := <-exited:
			return fmt.Errorf("exited before it was ready: %v", werr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr() (string, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := lis.Addr().String()
	return addr, lis.Close()
}

// findGhz returns the ghz binary to use: path when given, else ghz on PATH or
// in $(go env GOPATH)/bin, else one installed into a GOBIN under tmp.
func findGhz(path, tmp string) (string, error) {
	if path != "" {
		return path, nil
	}
	if p, err := exec.LookPath("ghz"); err == nil {
		return p, nil
	}
	if gopath, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(gopath))) {
			p := filepath.Join(dir, "bin", "ghz")
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
		}
	}
	gobin := filepath.Join(tmp, "bin")
	pkg := ghzModule + "/cmd/ghz@" + ghzVersion
	fmt.Fprintf(os.Stderr, "ghz is not on PATH: installing %s into %s (run \"go install %s\" to keep it)\n", pkg, gobin, pkg)
	if err := goCmd(tmp, []string{"GOBIN=" + gobin}, "install", pkg).Run(); err != nil {
		return "", fmt.Errorf("installing ghz: %w; install it with \"go install %s\" or pass -ghz", err, pkg)
	}
	return filepath.Join(gobin, "ghz"), nil
}

// stubsCalls is ghz's -n with -stubs, unless -n is given.
const stubsCalls = 10000

// goalStubs is the least share of the calls per second of the server
// without stubs that the server with them must make.
const goalStubs = 0.70

// setUpStubs makes b compare the generated server with n stubs against it
// without: it writes the stubs, and the main's main.go with stubs.New
// for the builds if it lacks it.
func (b *bench) setUpStubs(n int) error {
	dir := filepath.Join(b.tmp, "stubs")
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	if err := writeStubs(dir, n); err != nil {
		return err
	}
	mainGo := filepath.Join(b.root, generatedPkg, "main.go")
	src, err := stubsMain(mainGo)
	if err != nil {
		return err
	}
	if src != "" {
		replacement := filepath.Join(b.tmp, "main_with_stubs.go")
		if err := os.WriteFile(replacement, []byte(src), 0o644); err != nil {
			return err
		}
		b.overlay[mainGo] = replacement
	}
	b.servers, b.goal = withStubs(n, dir), goalStubs
	return nil
}

// build builds pkg into bin, with the files of overlay (go build
// -overlay's Replace) if any.
func (b *bench) build(bin, pkg string, overlay map[string]string) error {
	args := []string{"build", "-o", bin}
	if len(overlay) > 0 {
		data, err := json.Marshal(map[string]any{"Replace": overlay})
		if err != nil {
			return err
		}
		f, err := os.CreateTemp(b.tmp, "overlay-*.json")
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		args = append(args, "-overlay", f.Name())
	}
	if err := goCmd(b.root, nil, append(args, pkg)...).Run(); err != nil {
		return fmt.Errorf("building %s: %w", pkg, err)
	}
	return nil
}

// goCmd is the go command with args, run in dir with env added to the
// environment, its output going to stderr.
func goCmd(dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// loadAverage is the first three fields of /proc/loadavg (1, 5 and 15
// minutes), or "unknown".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// tail returns the last lines of the file at path, for error messages.
func tail(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, " | ")
}
