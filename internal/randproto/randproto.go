// Package randproto builds random but valid sets of .proto files, as
// FileDescriptorProtos, for the fuzz test of the plugin. A set is a
// deterministic function of a seed and a byte string (the fuzzer's input):
// the bytes steer the first decisions, a generator seeded from both takes
// over when they run out.
//
// The sets reach for what breaks code generators: every field kind (all
// scalars, bytes, enums, messages, proto2 groups, editions delimited
// fields), nesting, self and mutual recursion, maps with every key kind,
// oneofs, enums with aliases and negative numbers, proto2 (required fields,
// defaults of every kind including inf and nan and escaped strings), proto3
// (optional fields), editions 2023 (field presence, closed enums, delimited
// encoding), the API levels of protobuf-go (Open, Hybrid, Opaque: the
// feature (pb.go).api_level on editions files and messages, the plugin
// parameters default_api_level= and apilevelM<file>=), extensions, public
// imports, protovalidate's rules (buf.validate's standard rules on
// strings, numbers, bytes, enums, lists, maps, required fields and oneofs,
// message-level oneofs, durations and timestamps, the clock; a few written
// in CEL; see planRules), services with every kind of method whose types
// are local, nested, imported from another Go package or well-known,
// comments of every shape, and names drawn from Go keywords, predeclared
// identifiers, the locals and imports of generated code and the names that
// protoc-gen-go, protoc-gen-go-grpc and gotutor declare.
//
// Every set passes protodesc.NewFiles and the checks of protoc that protodesc
// leaves out (JSON name conflicts, names shared by fields and nested types).
// Unless the set is one of the few built to clash on purpose (Set.GoClash),
// its Go identifiers as protoc-gen-go and protoc-gen-go-grpc name them do not
// collide either, so their output compiles.
package randproto

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path"
	"sort"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/gofeaturespb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/internal/protoreq"

	// The well-known files that sets import.
	_ "google.golang.org/protobuf/types/known/anypb"
	_ "google.golang.org/protobuf/types/known/apipb"
	_ "google.golang.org/protobuf/types/known/durationpb"
	_ "google.golang.org/protobuf/types/known/emptypb"
	_ "google.golang.org/protobuf/types/known/fieldmaskpb"
	_ "google.golang.org/protobuf/types/known/sourcecontextpb"
	_ "google.golang.org/protobuf/types/known/structpb"
	_ "google.golang.org/protobuf/types/known/timestamppb"
	_ "google.golang.org/protobuf/types/known/typepb"
	_ "google.golang.org/protobuf/types/known/wrapperspb"
	_ "google.golang.org/protobuf/types/pluginpb"

	// buf.validate's options, which sets use.
	_ "buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
)

// Set is a random set of .proto files and how to run plugins on it.
type Set struct {
	// Files are the generated files, each after the files it imports. The
	// well-known files they import (google/protobuf/*.proto) are not among
	// them: they come from protoregistry.GlobalFiles.
	Files []*descriptorpb.FileDescriptorProto
	// Parameter is the plugin parameter for every plugin: a list,
	// separated by commas, of none or one of "paths=source_relative" and
	// "module=...", then "default_api_level=..." and "apilevelM<file>=..."
	// if the set has them.
	Parameter string
	// Module is the value of module= in Parameter, if any.
	Module string
	// Runs lists, per run of the plugin under test, the files it is asked
	// to generate: usually one run with every file, sometimes one run per
	// Go package (as buf's strategy: directory and build systems do),
	// sometimes the packages of a subset. The standard Go generators are run
	// once on every file.
	Runs [][]string
	// GoClash is set when the set gives two declarations the same Go
	// identifier on purpose (a message Foo_Bar beside a nested Foo.Bar, a
	// message named like a gRPC client): protoc-gen-go's or
	// protoc-gen-go-grpc's own output may then not compile.
	GoClash bool
	// Features lists what the set exercises, for statistics.
	Features map[string]bool
	// APILevels is the API level that protogen gives each message of the
	// set (by full name, without map entries), given Parameter.
	APILevels map[string]gofeaturespb.GoFeatures_APILevel

	// witnesses are values that meet the buf.validate rules of each field
	// that has some, by the field's full name: the rules can be met.
	witnesses map[string]*witness
}

// debugRetries reports the sets that fail validation, on stderr.
var debugRetries = os.Getenv("RANDPROTO_DEBUG") != ""

// New returns the set for seed and data. data may be empty.
func New(seed uint64, data []byte) (*Set, error) {
	h := fnv.New64a()
	h.Write(data)
	sum := h.Sum64()
	var lastErr error
	for attempt := uint64(0); attempt < 16; attempt++ {
		src := &source{r: rand.New(rand.NewPCG(seed, sum+attempt*0x9e3779b97f4a7c15))}
		if attempt == 0 {
			src.data = data
		}
		g := newGen(src)
		g.api = &source{r: rand.New(rand.NewPCG(seed^0x6170696c6576656c, sum+attempt*0x9e3779b97f4a7c15))}
		g.rules = &source{r: rand.New(rand.NewPCG(seed^0x72756c6573, sum+attempt*0x9e3779b97f4a7c15))}
		set, err := g.build()
		if err == nil {
			return set, nil
		}
		lastErr = err
		if debugRetries {
			fmt.Fprintf(os.Stderr, "randproto: seed %d attempt %d: %v\n", seed, attempt, err)
		}
	}
	return nil, fmt.Errorf("randproto: no valid set for seed %d after 16 attempts: %v", seed, lastErr)
}

// Names returns the paths of the set's files.
func (s *Set) Names() []string {
	var names []string
	for _, f := range s.Files {
		names = append(names, f.GetName())
	}
	return names
}

// Descriptors links the set's files (with the well-known files they
// import) and returns them in order.
func (s *Set) Descriptors() ([]protoreflect.FileDescriptor, error) {
	fds := &descriptorpb.FileDescriptorSet{}
	seen := map[string]bool{}
	var addWKT func(fd protoreflect.FileDescriptor)
	addWKT = func(fd protoreflect.FileDescriptor) {
		if seen[fd.Path()] {
			return
		}
		seen[fd.Path()] = true
		for i := 0; i < fd.Imports().Len(); i++ {
			addWKT(fd.Imports().Get(i).FileDescriptor)
		}
		fds.File = append(fds.File, protodesc.ToFileDescriptorProto(fd))
	}
	mine := map[string]bool{}
	for _, f := range s.Files {
		mine[f.GetName()] = true
	}
	for _, f := range s.Files {
		for _, dep := range f.GetDependency() {
			if mine[dep] {
				continue
			}
			fd, err := protoregistry.GlobalFiles.FindFileByPath(dep)
			if err != nil {
				return nil, fmt.Errorf("%s imports %s: %v", f.GetName(), dep, err)
			}
			addWKT(fd)
		}
	}
	fds.File = append(fds.File, s.Files...)
	reg, err := protodesc.NewFiles(fds)
	if err != nil {
		return nil, err
	}
	var out []protoreflect.FileDescriptor
	for _, f := range s.Files {
		fd, err := reg.FindFileByPath(f.GetName())
		if err != nil {
			return nil, err
		}
		out = append(out, fd)
	}
	return out, nil
}

// Request returns the CodeGeneratorRequest that protoc would send a plugin
// asked to generate the named files (all files when generate is nil).
func (s *Set) Request(generate []string) (*pluginpb.CodeGeneratorRequest, error) {
	descs, err := s.Descriptors()
	if err != nil {
		return nil, err
	}
	if generate == nil {
		generate = s.Names()
	}
	return protoreq.Request(descs, generate, s.Parameter), nil
}

// source draws decisions from data, then from r.
type source struct {
	data []byte
	r    *rand.Rand
}

func (s *source) intn(n int) int {
	if n <= 1 {
		return 0
	}
	if len(s.data) > 0 {
		k := 1
		if n > 256 {
			k = 2
		}
		if n > 65536 {
			k = 4
		}
		var v uint64
		for i := 0; i < k; i++ {
			v <<= 8
			if len(s.data) > 0 {
				v |= uint64(s.data[0])
				s.data = s.data[1:]
			}
		}
		return int(v % uint64(n))
	}
	return s.r.IntN(n)
}

// percent is true p times in a hundred.
func (s *source) percent(p int) bool { return s.intn(100) < p }

// between returns a number in [lo, hi].
func (s *source) between(lo, hi int) int { return lo + s.intn(hi-lo+1) }

// weighted returns i with probability weights[i]/sum(weights).
func (s *source) weighted(weights ...int) int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	n := s.intn(sum)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func pick[T any](s *source, xs []T) T { return xs[s.intn(len(xs))] }

// Syntaxes.
const (
	proto2 = iota
	proto3
	editions
)

type gen struct {
	r        *source
	pkgs     []*goPkg
	files    []*file
	scope    map[string]string // proto full name -> kind
	extNums  map[string]map[int32]bool
	clash    bool
	counter  int
	features map[string]bool
	wkt      map[string]*wktFile
	filled   map[*msgInfo]bool // messages whose fields are done

	// api draws the decisions about API levels, apart from r so that
	// they leave the rest of a set as it was.
	api        *source
	apiDefault apiLevel            // default_api_level=, or apiUnset
	apiByFile  map[string]apiLevel // apilevelM<file>=
	apiLevels  map[string]apiLevel // message full name -> level

	// rules draws buf.validate rules, apart from r and api (see
	// planRules); witnesses are values that meet the rules of each field,
	// by the field's full name.
	rules     *source
	witnesses map[string]*witness
}

type goPkg struct {
	path, name string // import path, package name as protogen derives it
	option     string // the go_package option
	goNames    map[string]bool
	services   []string // Go names of the package's services
	messages   []string // Go names of the package's messages
}

type file struct {
	fd       *descriptorpb.FileDescriptorProto
	syntax   int
	pkg      *goPkg
	protoPkg string
	deps     []*file
	public   []*file
	wkts     []*wktFile
	msgs     []*msgInfo
	enums    []*enumInfo
	services []string // planned service names
	locs     []*descriptorpb.SourceCodeInfo_Location
	goDecls  []string // exported Go declarations of protoc-gen-go's output
	// editions file defaults
	implicit, closedEnums, expanded, delimited bool

	level          apiLevel // the file's API level, as its messages inherit it
	usesGoFeatures bool     // the file sets (pb.go) features
}

type msgInfo struct {
	full     string // without leading dot
	goName   string
	dp       *descriptorpb.DescriptorProto // nil for well-known messages
	file     *file
	path     []int32
	depth    int
	extRange [][2]int32 // [start, end)
	mapEntry bool
	level    apiLevel
}

type enumInfo struct {
	full    string
	closed  bool
	first   int32
	values  []string
	numbers []int32
}

type wktFile struct {
	path  string
	msgs  []*msgInfo
	enums []*enumInfo
}

func newGen(r *source) *gen {
	return &gen{
		r:        r,
		scope:    map[string]string{},
		extNums:  map[string]map[int32]bool{},
		features: map[string]bool{},
		wkt:      map[string]*wktFile{},
		filled:   map[*msgInfo]bool{},

		apiByFile: map[string]apiLevel{},
		apiLevels: map[string]apiLevel{},
	}
}

func (g *gen) feature(name string) { g.features[name] = true }

// claim reserves a proto full name.
func (g *gen) claim(full, kind string) bool {
	if old, ok := g.scope[full]; ok {
		return old == "package" && kind == "package"
	}
	g.scope[full] = kind
	return true
}

// claimGo reserves Go identifiers in p; outside clash sets, it fails when
// one is taken.
func (g *gen) claimGo(p *goPkg, names ...string) bool {
	free := true
	for _, n := range names {
		if p.goNames[n] {
			free = false
		}
	}
	if !free && !(g.clash && g.r.percent(50)) {
		return false
	}
	for _, n := range names {
		p.goNames[n] = true
	}
	return true
}

// declGo is claimGo for an exported declaration of protoc-gen-go's output
// for f, which a public import forwards.
func (g *gen) declGo(f *file, names ...string) bool {
	if !g.claimGo(f.pkg, names...) {
		return false
	}
	f.goDecls = append(f.goDecls, names...)
	return true
}

func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// goNameOf is protoc-gen-go's Go name for a declaration of f.
func goNameOf(f *file, full string) string {
	return goCamelCase(strings.TrimPrefix(full, f.protoPkg+"."))
}

func (g *gen) build() (*Set, error) {
	g.clash = g.r.percent(4)
	// Packages of files linked into every gotutor server (health,
	// reflection, Prometheus's metrics, OpenTelemetry's traces) and the
	// well-known ones: a message named grpc (or io) at the top would clash
	// with them in the Go registry at run time.
	for _, p := range []string{"grpc.health.v1", "grpc.reflection.v1", "grpc.reflection.v1alpha",
		"google.protobuf.compiler", "google.rpc", "io.prometheus.client", "opentelemetry.proto.trace.v1"} {
		g.claimPackage(p)
	}
	g.planAPIDefault()
	g.planPackages()
	g.planFiles()
	for _, f := range g.files {
		g.genFile(f)
	}
	g.breakRequiredCycles()
	g.planRules()
	set := &Set{GoClash: g.clash, Features: g.features, APILevels: g.apiLevels, witnesses: g.witnesses}
	for _, f := range g.files {
		set.Files = append(set.Files, f.fd)
	}
	g.planRuns(set)
	if _, err := set.Descriptors(); err != nil {
		return nil, err
	}
	return set, nil
}

func (g *gen) planPackages() {
	n := 1 + g.r.weighted(45, 40, 15)
	paths := map[string]bool{}
	for len(g.pkgs) < n {
		var p goPkg
		elem := pick(g.r, pkgElems)
		switch g.r.intn(3) {
		case 0:
			p.path = "example.com/" + elem
		case 1:
			p.path = "example.com/" + pick(g.r, protoPkgElems) + "/" + elem
		default:
			p.path = "example.com/org/proj/gen/" + elem
		}
		if paths[p.path] {
			continue
		}
		name := path.Base(p.path)
		p.option = p.path
		if g.r.percent(45) {
			// An explicit name is used as is: it must be a Go identifier.
			if n := pick(g.r, append(append([]string{}, importNames...), pkgElems...)); goSanitized(n) == n {
				name = n
				p.option = p.path + ";" + name
			}
		}
		p.name = goSanitized(name)
		if p.name == "main" {
			continue
		}
		if len(g.pkgs) < n-1 && (stdLocals[p.name] || stdLocals[goSanitized(path.Base(p.path))]) && !g.clash {
			// (protogen names an import after the last element of its path.)
			// Only the last package is never imported by another.
			continue
		}
		if len(g.pkgs) > 0 && g.r.percent(15) {
			// Two Go packages with the same name.
			other := g.pkgs[g.r.intn(len(g.pkgs))]
			p.name = other.name
			p.option = p.path + ";" + other.name
			g.feature("same package name")
		}
		if len(g.pkgs) > 0 && g.r.percent(3) {
			// A package where another package's test helpers go.
			other := g.pkgs[g.r.intn(len(g.pkgs))]
			p.path = other.path + "/" + other.name + "test"
			p.name = other.name + "test"
			p.option = p.path + ";" + p.name
			if paths[p.path] {
				continue
			}
			g.feature("package at helper path")
		}
		paths[p.path] = true
		p.goNames = map[string]bool{}
		g.pkgs = append(g.pkgs, &p)
	}
}

// stdLocals are locals of protoc-gen-go's and protoc-gen-go-grpc's output:
// a Go package of that name, imported by another, breaks their code
// (protoc-gen-go writes `x.Enum(0)` in a method whose receiver is x).
var stdLocals = map[string]bool{
	"ctx": true, "in": true, "out": true, "opts": true, "err": true, "cc": true, "c": true, "srv": true,
	"stream": true, "x": true, "m": true, "dec": true, "interceptor": true, "info": true, "handler": true,
	"req": true, "desc": true, "s": true, "mi": true, "ms": true, "b": true, "v": true, "e": true, "fd": true,
}

func (g *gen) planFiles() {
	n := 1 + g.r.weighted(35, 35, 20, 10)
	dirMode := g.r.weighted(50, 30, 20) // 0: dir = import path; 1: proto/...; 2: mixed
	bases := map[string]bool{}          // "<go path>/<base>" and proto paths
	for i := 0; i < n; i++ {
		f := &file{pkg: g.pkgs[g.r.intn(len(g.pkgs))]}
		f.syntax = g.r.weighted(35, 48, 17)
		if i == 0 || g.r.percent(70) {
			var elems []string
			for k := g.r.weighted(15, 45, 30, 10); k > 0; k-- {
				elems = append(elems, pick(g.r, protoPkgElems))
			}
			f.protoPkg = strings.Join(elems, ".")
		} else {
			f.protoPkg = g.files[g.r.intn(len(g.files))].protoPkg
		}
		if !g.claimPackage(f.protoPkg) {
			f.protoPkg = fmt.Sprintf("pkg%d", g.next())
			g.claimPackage(f.protoPkg)
		}
		dir := f.pkg.path
		if dirMode == 1 || (dirMode == 2 && g.r.percent(50)) {
			dir = pick(g.r, []string{"proto/" + pick(g.r, protoPkgElems), "", "api/v1", "x"})
		}
		for {
			base := pick(g.r, fileBases)
			if g.r.percent(20) {
				base += fmt.Sprint(g.next())
			}
			name := path.Join(dir, base+".proto")
			if bases[name] || bases[f.pkg.path+"/"+base] {
				continue
			}
			bases[name], bases[f.pkg.path+"/"+base] = true, true
			f.fd = &descriptorpb.FileDescriptorProto{Name: proto.String(name)}
			break
		}
		g.files = append(g.files, f)
	}
	// Files of earlier Go packages first, so that imports between Go
	// packages never form a cycle.
	index := map[*goPkg]int{}
	for i, p := range g.pkgs {
		index[p] = i
	}
	sort.SliceStable(g.files, func(i, j int) bool { return index[g.files[i].pkg] < index[g.files[j].pkg] })
	if dirMode == 0 {
		g.feature("dirs are import paths")
	}
	// Services, planned before any message so that messages can be named
	// after what the services generate.
	anyService := false
	for _, f := range g.files {
		for k := g.r.weighted(25, 50, 18, 7); k > 0; k-- {
			g.planService(f)
		}
		anyService = anyService || len(f.services) > 0
	}
	if !anyService && g.r.percent(90) {
		g.planService(g.files[len(g.files)-1])
	}
}

func (g *gen) claimPackage(pkg string) bool {
	if pkg == "" {
		return true
	}
	elems := strings.Split(pkg, ".")
	for i := range elems {
		if k, ok := g.scope[strings.Join(elems[:i+1], ".")]; ok && k != "package" {
			return false
		}
	}
	for i := range elems {
		g.claim(strings.Join(elems[:i+1], "."), "package")
	}
	return true
}

func (g *gen) next() int {
	g.counter++
	return g.counter
}

func (g *gen) planService(f *file) {
	p := f.pkg
	for attempt := 0; attempt < 20; attempt++ {
		var name string
		switch g.r.weighted(60, 25, 15) {
		case 0:
			name = pick(g.r, serviceNames)
		case 1:
			name = pick(g.r, plainNames)
		default:
			if len(p.services) == 0 {
				continue
			}
			other := pick(g.r, p.services)
			name = pick(g.r, []string{"Default" + other, other + "Service", "New" + other, other + "Server",
				other + "Client", strings.ToUpper(other), strings.ToLower(other), other + "_", "Example" + other})
			g.feature("service named after another")
		}
		if !validIdent(name) {
			continue
		}
		full := join(f.protoPkg, name)
		if _, ok := g.scope[full]; ok {
			continue
		}
		gn := goCamelCase(name)
		goNames := []string{gn + "Server", gn + "Client", gn + "_ServiceDesc", "New" + gn + "Client",
			"Register" + gn + "Server", "Unimplemented" + gn + "Server", "Unsafe" + gn + "Server"}
		if !g.claimGo(p, goNames...) {
			continue
		}
		g.claim(full, "service")
		f.services = append(f.services, name)
		p.services = append(p.services, gn)
		return
	}
}

func (g *gen) planRuns(set *Set) {
	allUnder := true
	for _, p := range g.pkgs {
		if !strings.HasPrefix(p.path, "example.com/") {
			allUnder = false
		}
	}
	dirsArePaths := true
	for _, f := range g.files {
		if path.Dir(f.fd.GetName()) != f.pkg.path {
			dirsArePaths = false
		}
	}
	var params []string
	switch {
	case allUnder && g.r.percent(15):
		set.Module = "example.com"
		params = append(params, "module=example.com")
		g.feature("module=")
	case dirsArePaths && g.r.percent(25):
		params = append(params, "paths=source_relative")
		g.feature("paths=source_relative")
	}
	set.Parameter = strings.Join(append(params, g.apiParams()...), ",")
	// Runs never split a Go package: the plugin can only keep its names
	// apart from the declarations of files it is shown.
	names := set.Names()
	var byPkg [][]string
	index := map[*goPkg]int{}
	for _, f := range g.files {
		i, ok := index[f.pkg]
		if !ok {
			i = len(byPkg)
			index[f.pkg] = i
			byPkg = append(byPkg, nil)
		}
		byPkg[i] = append(byPkg[i], f.fd.GetName())
	}
	split := g.r.weighted(70, 15, 15)
	if g.features["package at helper path"] {
		// The plugin can only see that one package sits where another's
		// helpers go when both are in the run.
		split = 0
	}
	switch split {
	case 0:
		set.Runs = [][]string{names}
	case 1:
		set.Runs = byPkg
		g.feature("one run per Go package")
	default:
		var sub []string
		for _, files := range byPkg {
			if g.r.percent(50) {
				sub = append(sub, files...)
			}
		}
		if len(sub) == 0 {
			sub = byPkg[len(byPkg)-1]
		}
		set.Runs = [][]string{sub}
		g.feature("subset of Go packages")
	}
}

// breakRequiredCycles makes optional most of the required message fields
// that close a cycle of required fields (message A { required A a = 1; }):
// protoc takes such a message, but it has no finite value. Some cycles are
// kept, so that the plugin meets types it must leave unset, but never one
// that a method's request or response depends on: no example of those
// could ever be marshaled.
func (g *gen) breakRequiredCycles() {
	byName := map[string]*descriptorpb.DescriptorProto{}
	var walk func(prefix string, ms []*descriptorpb.DescriptorProto)
	walk = func(prefix string, ms []*descriptorpb.DescriptorProto) {
		for _, m := range ms {
			full := join(prefix, m.GetName())
			byName["."+full] = m
			walk(full, m.NestedType)
		}
	}
	var methodTypes []string
	for _, f := range g.files {
		walk(f.protoPkg, f.fd.MessageType)
		for _, s := range f.fd.Service {
			for _, m := range s.Method {
				methodTypes = append(methodTypes, m.GetInputType(), m.GetOutputType())
			}
		}
	}
	isRequired := func(fd *descriptorpb.FieldDescriptorProto) bool {
		return fd.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REQUIRED ||
			fd.GetOptions().GetFeatures().GetFieldPresence() == descriptorpb.FeatureSet_LEGACY_REQUIRED
	}
	// methodTypeUnbuildable reports whether a method's type reaches a
	// cycle of required fields as the fields stand now.
	methodTypeUnbuildable := func() bool {
		const visiting, ok, bad = 1, 2, 3
		memo := map[string]int{}
		var buildable func(name string) bool
		buildable = func(name string) bool {
			switch memo[name] {
			case visiting, bad:
				return false
			case ok:
				return true
			}
			memo[name] = visiting
			res := true
			for _, fd := range byName[name].GetField() {
				if isRequired(fd) && byName[fd.GetTypeName()] != nil && !buildable(fd.GetTypeName()) {
					res = false
					break
				}
			}
			memo[name] = bad
			if res {
				memo[name] = ok
			}
			return res
		}
		for _, t := range methodTypes {
			if !buildable(t) {
				return true
			}
		}
		return false
	}
	state := map[string]int{}
	var visit func(name string)
	visit = func(name string) {
		state[name] = 1
		m := byName[name]
		for _, fd := range m.Field {
			if !isRequired(fd) || byName[fd.GetTypeName()] == nil {
				continue
			}
			switch state[fd.GetTypeName()] {
			case 0:
				visit(fd.GetTypeName())
			case 1:
				// The field closes a cycle: kept, now and then, while
				// every method's types can still be built.
				if g.r.percent(40) && !methodTypeUnbuildable() {
					g.feature("unbuildable message")
					continue
				}
				if fd.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REQUIRED {
					fd.Label = descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum()
				} else {
					fd.Options.Features.FieldPresence = nil
				}
			}
		}
		state[name] = 2
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if state[n] == 0 {
			visit(n)
		}
	}
}
