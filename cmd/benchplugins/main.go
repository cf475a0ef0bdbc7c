// Command benchplugins compares the whole-process cost of protoc plugins on
// recorded CodeGeneratorRequests.
//
// Usage, from the module root:
//
//	go run ./cmd/benchplugins [-runs 3] [-mintime 15s] [-dir ../shared/bench] [-req PATH.req.gz ...] [-plugins gotutor,go-grpc,empty]
//
// It builds three plugins into a temporary directory with go build:
//
//   - gotutor: ./protoc-gen-gotutor, this project's plugin;
//   - go-grpc: google.golang.org/grpc/cmd/protoc-gen-go-grpc at the version in go.mod;
//   - empty: ./cmd/benchplugins/internal/emptyplugin, a protogen plugin that
//     generates nothing, i.e. the cost of reading, resolving and answering a
//     request that every protogen plugin pays.
//
// Each request is unzipped once to a temporary file. The plugins then run in
// turn (empty, go-grpc, gotutor, empty, go-grpc, gotutor, ...) -runs times
// each (a short request more often: until each plugin has run -mintime in
// all), so that drift on the machine spreads over all of them. Each run reads
// the request on stdin and writes its response to a file; its wall time
// (start to exit) and peak resident memory (the child's Maxrss from wait4)
// are recorded, and the response is checked for an error and its files
// counted. A plugin that fails or reports an error stops the benchmark with a
// non-zero exit status.
//
// How to read the output: per request, the table gives the medians of wall
// time and peak RSS, the distinct files in the response and the size of the
// response on stdout and of the files' contents, in MB (10^6 bytes). Then
// come ratios of medians, each next to its goal and marked PASS or MISS
// (ratios are rounded to two decimals before being judged):
//
//   - gotutor/go-grpc wall and peak memory: gotutor against a plugin doing
//     comparable work;
//   - gotutor/empty wall: how much gotutor adds to the fixed protogen cost;
//   - per-file cost: (gotutor wall - empty wall) / the number of
//     files_to_generate that declare a service, between the fastest run of
//     each (other work on the machine only ever adds time). Compared across
//     requests (each one against the request with the most such files), it
//     shows whether gotutor's own work grows linearly with the input.
//
// It also prints, for gotutor, how many *_gotutor.go files (tests excluded)
// the response holds next to the number it should (from the files with
// services, their services and their Go packages), so that a plugin which
// is fast because it skips files shows up.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/internal/modroot"
	"github.com/gotutor/gotutor/internal/testkit"
)

// A plugin is one of the binaries under test.
type plugin struct {
	name string // as given to -plugins and shown in the tables
	pkg  string // what go build builds, from the module root
	bin  string // path of the built binary
}

// allPlugins is in running order.
var allPlugins = []plugin{
	{name: "empty", pkg: "./cmd/benchplugins/internal/emptyplugin"},
	{name: "go-grpc", pkg: "google.golang.org/grpc/cmd/protoc-gen-go-grpc"},
	{name: "gotutor", pkg: "./protoc-gen-gotutor"},
}

var (
	goalWallVsGoGRPC = goal{hi: 0.70}
	goalWallVsEmpty  = goal{hi: 1.30}
	goalMemVsGoGRPC  = goal{hi: 0.90}
	goalPerFileCost  = goal{lo: 0.80, hi: 1.20}
)

// A measurement is what one run of a plugin produced, or the medians of
// several runs.
type measurement struct {
	wall         time.Duration
	rssKiB       int64
	stdoutBytes  int64
	files        int   // distinct file names in the response
	contentBytes int64 // sum of the files' contents
	gotutorFiles int   // distinct *_gotutor.go files, tests excluded
}

// A request is one benchmark input and what the plugins did with it.
type request struct {
	path         string
	name         string // base name without .req.gz
	input        string // unzipped copy
	size         int64  // unzipped size
	serviceFiles int    // files_to_generate that declare a service
	services     int    // services they declare
	goPackages   int    // Go packages they belong to (by go_package)
	runs         int    // rounds run
	results      map[string]measurement
	walls        map[string][]time.Duration // by plugin, one per round
}

// perFileCost is gotutor's wall time beyond the empty plugin's, per file
// with services; zero when it cannot be computed. It is taken between the
// fastest run of each: other work on the machine only ever adds time to a
// run, so the fastest is the closest to a plugin's own cost. The cost is
// about a tenth of the wall time on the full request, where single runs
// differ by up to 16%: a difference of medians, or a median of differences
// within a round, moved by half from one benchmark to the next.
func (r *request) perFileCost() time.Duration {
	g, e := r.walls["gotutor"], r.walls["empty"]
	if len(g) == 0 || len(e) == 0 || r.serviceFiles == 0 {
		return 0
	}
	return (slices.Min(g) - slices.Min(e)) / time.Duration(r.serviceFiles)
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchplugins:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := modroot.Dir()
	if err != nil {
		return err
	}
	var reqPaths stringList
	runs := flag.Int("runs", 3, "runs of each plugin per request, at least")
	minTime := flag.Duration("mintime", 15*time.Second, "more runs of a short request, until each plugin has run this long in all (at most 51 runs)")
	dir := flag.String("dir", filepath.Join(root, "..", "shared", "bench"), "folder of the default requests")
	flag.Var(&reqPaths, "req", "gzipped CodeGeneratorRequest to feed the plugins (repeatable; default: googleapis-sample and googleapis-services in -dir)")
	only := flag.String("plugins", "gotutor,go-grpc,empty", "comma-separated plugins to run")
	flag.Parse()
	if *runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	if len(reqPaths) == 0 {
		reqPaths = stringList{
			filepath.Join(*dir, "googleapis-sample.req.gz"),
			filepath.Join(*dir, "googleapis-services.req.gz"),
		}
	}
	plugins, err := selectPlugins(*only)
	if err != nil {
		return err
	}

	tmp, err := os.MkdirTemp("", "benchplugins")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	fmt.Printf("machine: %d CPUs, %s/%s, %s, %s\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), cpuModel())

	for i := range plugins {
		p := &plugins[i]
		p.bin = filepath.Join(tmp, path.Base(p.pkg))
		fmt.Fprintf(os.Stderr, "building %s\n", p.pkg)
		if err := testkit.BuildPlugins(root, tmp, p.pkg); err != nil {
			return err
		}
	}

	var reqs []*request
	for i, path := range reqPaths {
		r := &request{path: path, name: strings.TrimSuffix(filepath.Base(path), ".req.gz")}
		r.input = filepath.Join(tmp, fmt.Sprintf("req%d.bin", i))
		if err := r.prepare(); err != nil {
			return err
		}
		if err := r.bench(plugins, *runs, *minTime, filepath.Join(tmp, "out.bin")); err != nil {
			return err
		}
		r.report(os.Stdout)
		reqs = append(reqs, r)
	}
	if len(reqs) > 1 {
		reportAcross(os.Stdout, reqs)
	}
	return nil
}

// selectPlugins returns the plugins named in list, in running order.
func selectPlugins(list string) ([]plugin, error) {
	names := strings.Split(list, ",")
	for _, n := range names {
		if !slices.ContainsFunc(allPlugins, func(p plugin) bool { return p.name == n }) {
			return nil, fmt.Errorf("unknown plugin %q in -plugins", n)
		}
	}
	var ps []plugin
	for _, p := range allPlugins {
		if slices.Contains(names, p.name) {
			ps = append(ps, p)
		}
	}
	return ps, nil
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// prepare unzips the request to r.input and counts the services it asks for.
func (r *request) prepare() error {
	in, err := os.Open(r.path)
	if err != nil {
		return err
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		return fmt.Errorf("%s: %w", r.path, err)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, zr); err != nil {
		return fmt.Errorf("%s: %w", r.path, err)
	}
	if err := os.WriteFile(r.input, buf.Bytes(), 0o600); err != nil {
		return err
	}
	r.size = int64(buf.Len())

	var req pluginpb.CodeGeneratorRequest
	if err := proto.Unmarshal(buf.Bytes(), &req); err != nil {
		return fmt.Errorf("%s: %w", r.path, err)
	}
	files := map[string]*descriptorpb.FileDescriptorProto{}
	for _, f := range req.GetProtoFile() {
		files[f.GetName()] = f
	}
	goPackages := map[string]bool{}
	for _, name := range req.GetFileToGenerate() {
		f := files[name]
		if n := len(f.GetService()); n > 0 {
			r.serviceFiles++
			r.services += n
			importPath, _, _ := strings.Cut(f.GetOptions().GetGoPackage(), ";")
			goPackages[importPath] = true
		}
	}
	r.goPackages = len(goPackages)
	return nil
}

// bench runs each plugin runs times, alternating, and keeps the medians.
//
// A short request gets more rounds, until each plugin has run for minTime
// in all (at most maxRuns rounds): gotutor's cost over the empty plugin on
// the sample is a few tens of milliseconds, well inside the drift of a
// shared machine, and its median needs more runs than three to hold still.
func (r *request) bench(plugins []plugin, runs int, minTime time.Duration, out string) error {
	const maxRuns = 51
	all := map[string][]measurement{}
	total := map[string]time.Duration{}
	enough := func(i int) bool {
		if i < runs {
			return false
		}
		for _, p := range plugins {
			if total[p.name] < minTime && i < maxRuns {
				return false
			}
		}
		return true
	}
	for i := 0; !enough(i); i++ {
		for _, p := range plugins {
			m, err := runOnce(p.bin, r.input, out)
			if err != nil {
				return fmt.Errorf("%s on %s: %w", p.name, r.name, err)
			}
			fmt.Fprintf(os.Stderr, "%s run %d %-8s %s %s\n", r.name, i+1, p.name, formatWall(m.wall), formatKiB(m.rssKiB))
			all[p.name] = append(all[p.name], m)
			total[p.name] += m.wall
		}
		r.runs = i + 1
	}
	r.results = map[string]measurement{}
	r.walls = map[string][]time.Duration{}
	for name, ms := range all {
		walls := make([]time.Duration, len(ms))
		rss := make([]int64, len(ms))
		for i, m := range ms {
			walls[i], rss[i] = m.wall, m.rssKiB
		}
		med := ms[0] // output is the same on every run
		med.wall, med.rssKiB = median(walls), median(rss)
		r.results[name] = med
		r.walls[name] = walls
	}
	return nil
}

// runOnce runs bin with stdin from the file input and stdout to the file
// out, then checks and measures the response.
func runOnce(bin, input, out string) (measurement, error) {
	var m measurement
	stdin, err := os.Open(input)
	if err != nil {
		return m, err
	}
	defer stdin.Close()
	stdout, err := os.Create(out)
	if err != nil {
		return m, err
	}
	defer stdout.Close()

	cmd := exec.Command(bin)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, os.Stderr
	start := time.Now()
	err = cmd.Run()
	m.wall = time.Since(start)
	if err != nil {
		return m, err
	}
	m.rssKiB = int64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
	if runtime.GOOS == "darwin" {
		m.rssKiB /= 1024 // bytes there
	}

	data, err := os.ReadFile(out)
	if err != nil {
		return m, err
	}
	m.stdoutBytes = int64(len(data))
	var resp pluginpb.CodeGeneratorResponse
	if err := proto.Unmarshal(data, &resp); err != nil {
		return m, fmt.Errorf("parsing response: %w", err)
	}
	if resp.Error != nil {
		return m, fmt.Errorf("response error: %s", resp.GetError())
	}
	names := map[string]bool{}
	for _, f := range resp.GetFile() {
		name := f.GetName()
		m.contentBytes += int64(len(f.GetContent()))
		if names[name] {
			continue
		}
		names[name] = true
		m.files++
		if strings.HasSuffix(name, "_gotutor.go") && !strings.HasSuffix(name, "_test.go") {
			m.gotutorFiles++
		}
	}
	return m, nil
}

func (r *request) report(w io.Writer) {
	fmt.Fprintf(w, "== %s: %.1f MB, %d files_to_generate declare %d services; median of %d runs\n",
		r.name, float64(r.size)/1e6, r.serviceFiles, r.services, r.runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "plugin\twall\tpeak RSS\tfiles\tstdout MB\tcontent MB")
	for _, p := range allPlugins {
		if m, ok := r.results[p.name]; ok {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", p.name, formatWall(m.wall), formatKiB(m.rssKiB),
				m.files, formatMB(m.stdoutBytes), formatMB(m.contentBytes))
		}
	}
	tw.Flush()

	g, ok := r.results["gotutor"]
	if !ok {
		fmt.Fprintln(w)
		return
	}
	// The full set: per file with services its _gotutor.go and its helper
	// package's, and per service its client's calls_gotutor.go and its
	// server's server_gotutor.go (the plumbing is the runtime's, package
	// serve, and generates nothing).
	want := 2*r.serviceFiles + 2*r.services
	verdict := "PASS"
	if g.gotutorFiles != want {
		verdict = "MISS"
	}
	fmt.Fprintf(w, "\ngotutor output: %d *_gotutor.go files for %d files with services (%d services in %d Go packages); the full set is %d (2 per file, 2 per service)  %s\n",
		g.gotutorFiles, r.serviceFiles, r.services, r.goPackages, want, verdict)
	if c := r.perFileCost(); c != 0 {
		fmt.Fprintf(w, "gotutor per-file cost: %.2f ms = (fastest wall - fastest empty wall) / %d files with services\n",
			float64(c)/float64(time.Millisecond), r.serviceFiles)
	}
	fmt.Fprintln(w)
	wall := func(name string) float64 { return r.results[name].wall.Seconds() }
	rss := func(name string) float64 { return float64(r.results[name].rssKiB) }
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ratio\tvalue\tgoal\t")
	fmt.Fprintln(tw, ratioRow("gotutor/go-grpc wall", wall("gotutor"), wall("go-grpc"), goalWallVsGoGRPC))
	fmt.Fprintln(tw, ratioRow("gotutor/empty wall", wall("gotutor"), wall("empty"), goalWallVsEmpty))
	fmt.Fprintln(tw, ratioRow("gotutor/go-grpc peak memory", rss("gotutor"), rss("go-grpc"), goalMemVsGoGRPC))
	tw.Flush()
	fmt.Fprintln(w)
}

// reportAcross compares gotutor's per-file cost on each request with the
// one on the request with the most files with services.
func reportAcross(w io.Writer, reqs []*request) {
	full := slices.MaxFunc(reqs, func(a, b *request) int { return a.serviceFiles - b.serviceFiles })
	fmt.Fprintf(w, "== gotutor per-file cost against %s\n", full.name)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ratio\tvalue\tgoal\t")
	for _, r := range reqs {
		if r != full {
			fmt.Fprintln(tw, ratioRow("per-file cost "+r.name+"/"+full.name, r.perFileCost().Seconds(), full.perFileCost().Seconds(), goalPerFileCost))
		}
	}
	tw.Flush()
}
