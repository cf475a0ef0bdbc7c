package generator

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
)

// The packages that generated code refers to besides the user's own, each
// declared once. Templates name them by the keys of knownPackages.
const (
	bytesPackage      = protogen.GoImportPath("bytes")
	contextPackage    = protogen.GoImportPath("context")
	errorsPackage     = protogen.GoImportPath("errors")
	flagPackage       = protogen.GoImportPath("flag")
	fmtPackage        = protogen.GoImportPath("fmt")
	ioPackage         = protogen.GoImportPath("io")
	logSlogPackage    = protogen.GoImportPath("log/slog")
	mathPackage       = protogen.GoImportPath("math")
	netPackage        = protogen.GoImportPath("net")
	osPackage         = protogen.GoImportPath("os")
	osSignalPackage   = protogen.GoImportPath("os/signal")
	stringsPackage    = protogen.GoImportPath("strings")
	syncPackage       = protogen.GoImportPath("sync")
	syscallPackage    = protogen.GoImportPath("syscall")
	testingPackage    = protogen.GoImportPath("testing")
	timePackage       = protogen.GoImportPath("time")
	grpcPackage       = protogen.GoImportPath("google.golang.org/grpc")
	codesPackage      = protogen.GoImportPath("google.golang.org/grpc/codes")
	credsPackage      = protogen.GoImportPath("google.golang.org/grpc/credentials")
	insecurePackage   = protogen.GoImportPath("google.golang.org/grpc/credentials/insecure")
	healthPackage     = protogen.GoImportPath("google.golang.org/grpc/health")
	healthpbPackage   = protogen.GoImportPath("google.golang.org/grpc/health/grpc_health_v1")
	reflectionPackage = protogen.GoImportPath("google.golang.org/grpc/reflection")
	statusPackage     = protogen.GoImportPath("google.golang.org/grpc/status")
	bufconnPackage    = protogen.GoImportPath("google.golang.org/grpc/test/bufconn")
	protoPackage      = protogen.GoImportPath("google.golang.org/protobuf/proto")
	protojsonPackage  = protogen.GoImportPath("google.golang.org/protobuf/encoding/protojson")
	anypbPackage      = protogen.GoImportPath("google.golang.org/protobuf/types/known/anypb")
	structpbPackage   = protogen.GoImportPath("google.golang.org/protobuf/types/known/structpb")
	wrapperspbPackage = protogen.GoImportPath("google.golang.org/protobuf/types/known/wrapperspb")
	protovalidatePkg  = protogen.GoImportPath("buf.build/go/protovalidate")
	keepalivePackage  = protogen.GoImportPath("google.golang.org/grpc/keepalive")
	peerPackage       = protogen.GoImportPath("google.golang.org/grpc/peer")
	debugPackage      = protogen.GoImportPath("runtime/debug")
	embedPackage      = protogen.GoImportPath("embed")
	httpPackage       = protogen.GoImportPath("net/http")
	tlsPackage        = protogen.GoImportPath("crypto/tls")
	urlPackage        = protogen.GoImportPath("net/url")
	htmlPackage       = protogen.GoImportPath("html")
	slicesPackage     = protogen.GoImportPath("slices")
	mapsPackage       = protogen.GoImportPath("maps")
	cmuxPackage       = protogen.GoImportPath("github.com/soheilhy/cmux")
	vanguardPackage   = protogen.GoImportPath("connectrpc.com/vanguard")
	httputilPackage   = protogen.GoImportPath("net/http/httputil")
	connectPackage    = protogen.GoImportPath("connectrpc.com/connect")
	errdetailsPackage = protogen.GoImportPath("google.golang.org/genproto/googleapis/rpc/errdetails")
	registryPackage   = protogen.GoImportPath("google.golang.org/protobuf/reflect/protoregistry")
	metadataPackage   = protogen.GoImportPath("google.golang.org/grpc/metadata")
	reflectPackage    = protogen.GoImportPath("google.golang.org/protobuf/reflect/protoreflect")
	servePackage      = protogen.GoImportPath("github.com/gotutor/gotutor/serve")
	oneportPackage    = protogen.GoImportPath("github.com/gotutor/gotutor/serve/oneport")
	servetestPackage  = protogen.GoImportPath("github.com/gotutor/gotutor/serve/servetest")
	stubsPackage      = protogen.GoImportPath("github.com/gotutor/gotutor/serve/stubs")
	fakePackage       = protogen.GoImportPath("github.com/gotutor/gotutor/serve/fake")
	dialPackage       = protogen.GoImportPath("github.com/gotutor/gotutor/serve/dial")
	telemetryPackage  = protogen.GoImportPath("github.com/gotutor/gotutor/serve/telemetry")
	validationPackage = protogen.GoImportPath("github.com/gotutor/gotutor/serve/validation")
)

// knownPackages maps the short names that templates use ({{pkg "codes"}})
// to import paths.
var knownPackages = map[string]protogen.GoImportPath{
	"serve":       servePackage,
	"oneport":     oneportPackage,
	"servetest":   servetestPackage,
	"stubs":       stubsPackage,
	"fake":        fakePackage,
	"dial":        dialPackage,
	"telemetry":   telemetryPackage,
	"validation":  validationPackage,
	"bytes":       bytesPackage,
	"context":     contextPackage,
	"errors":      errorsPackage,
	"flag":        flagPackage,
	"fmt":         fmtPackage,
	"io":          ioPackage,
	"slog":        logSlogPackage,
	"math":        mathPackage,
	"net":         netPackage,
	"os":          osPackage,
	"signal":      osSignalPackage,
	"strings":     stringsPackage,
	"sync":        syncPackage,
	"syscall":     syscallPackage,
	"testing":     testingPackage,
	"time":        timePackage,
	"grpc":        grpcPackage,
	"codes":       codesPackage,
	"credentials": credsPackage,
	"insecure":    insecurePackage,
	"health":      healthPackage,
	"healthpb":    healthpbPackage,
	"reflection":  reflectionPackage,
	"status":      statusPackage,
	"bufconn":     bufconnPackage,
	"proto":       protoPackage,
	"protojson":   protojsonPackage,
	"keepalive":   keepalivePackage,
	"peer":        peerPackage,
	"debug":       debugPackage,
	"wrapperspb":  wrapperspbPackage,
	// Only for the option http=true.
	"http":     httpPackage,
	"tls":      tlsPackage,
	"url":      urlPackage,
	"html":     htmlPackage,
	"slices":   slicesPackage,
	"maps":     mapsPackage,
	"cmux":     cmuxPackage,
	"vanguard": vanguardPackage,
	"httputil": httputilPackage,
	"connect":  connectPackage,
	// Vanguard transcodes the services whose descriptors are registered;
	// the access log finds the client of its calls in their metadata.
	"metadata":      metadataPackage,
	"protoregistry": registryPackage,
	"protoreflect":  reflectPackage,
	// Only for protos with buf.validate rules: others do not depend on
	// protovalidate.
	"protovalidate": protovalidatePkg,
	"errdetails":    errdetailsPackage,
}

// packageNames are the declared names of packages whose name is not the last
// element of their import path.
var packageNames = map[protogen.GoImportPath]string{
	logSlogPackage:  "slog",
	osSignalPackage: "signal",
	healthpbPackage: "grpc_health_v1",
}

// reservedNames are identifiers that generated code declares locally or that
// Go predeclares; an imported package never takes one of them as its name, so
// that a proto package named `err` or `string` still compiles.
var reservedNames = func() map[string]bool {
	names := map[string]bool{}
	for _, n := range strings.Fields(`
		any append bool byte cap clear close complex complex128 complex64 copy delete error false float32 float64
		imag int int16 int32 int64 int8 iota len make max min new nil panic print println real recover rune string
		true uint uint16 uint32 uint64 uint8 uintptr comparable
		addr after b c call calls cancel certFile client conn creds ctx done entered err errs found handler i info
		keyFile lis limit m main method name names opts out req resp run runCalls s ss srv stop stopped stream
		release t timeout tlsCA tlsServerName want got n health_ healthSrv start elapsed code level
		server caFile early hold serverName useTLS d returned watch st healthServer e logUnary logStream
		logCall printJSON certFile keyFile msg ok detail v detailErr br unary invalid prefix
		args cfg extra fs graceful log logger p r served size took w once hold stopped buf
		cert conns grpcLis httpLis httpServer graceCtx handler transcoder page protocols allowed origin mux o h next names
		httpClient body inner h2c proxy services transcoded pages get f dec path md mem checkUnary checkStream
		fakeServer reqs unavailable u tracing`) {
		names[n] = true
	}
	return names
}()

// importSet assigns each imported package of one generated Go file a unique
// name and renders the import block. It plays the part of
// protogen.GeneratedFile's QualifiedGoIdent for files that gotutor writes
// already formatted.
type importSet struct {
	self     protogen.GoImportPath
	nameOf   func(protogen.GoImportPath) string // a package's declared name
	aliases  map[protogen.GoImportPath]string
	taken    map[string]bool
	blank    map[protogen.GoImportPath]bool
	declared map[protogen.GoImportPath]string
}

func newImportSet(self protogen.GoImportPath, nameOf func(protogen.GoImportPath) string) *importSet {
	return &importSet{
		self:     self,
		nameOf:   nameOf,
		aliases:  map[protogen.GoImportPath]string{},
		taken:    map[string]bool{},
		blank:    map[protogen.GoImportPath]bool{},
		declared: map[protogen.GoImportPath]string{},
	}
}

// ident returns how the file refers to id: bare in its own package, else
// qualified by the package's name in this file.
func (im *importSet) ident(id protogen.GoIdent) string {
	if id.GoImportPath == im.self {
		return id.GoName
	}
	return im.pkg(id.GoImportPath) + "." + id.GoName
}

// pkg imports p and returns the name the file uses for it.
func (im *importSet) pkg(p protogen.GoImportPath) string {
	if a, ok := im.aliases[p]; ok {
		return a
	}
	declared := im.declaredName(p)
	name := declared
	for i := 1; reservedNames[name] || im.taken[name]; i++ {
		name = declared + strconv.Itoa(i)
		if i == 1 && !strings.HasSuffix(declared, "pb") {
			name = declared + "pb"
		}
	}
	im.aliases[p] = name
	im.taken[name] = true
	return name
}

// blankImport imports p for its side effects only (registering types).
func (im *importSet) blankImport(p protogen.GoImportPath) {
	if _, ok := im.aliases[p]; !ok {
		im.blank[p] = true
	}
}

func (im *importSet) declaredName(p protogen.GoImportPath) string {
	if n, ok := im.declared[p]; ok {
		return n
	}
	n := ""
	if im.nameOf != nil {
		n = im.nameOf(p)
	}
	if n == "" {
		n = packageNames[p]
	}
	if n == "" {
		n = cleanPackageName(path.Base(string(p)))
	}
	im.declared[p] = n
	return n
}

// block renders the import declaration, formatted as gofmt would: standard
// library first, then the rest, each group sorted by path.
func (im *importSet) block() string {
	type spec struct{ path, name string }
	var std, other []spec
	add := func(p protogen.GoImportPath, name string) {
		s := spec{string(p), name}
		if first, _, _ := strings.Cut(s.path, "/"); strings.Contains(first, ".") {
			other = append(other, s)
		} else {
			std = append(std, s)
		}
	}
	for p, alias := range im.aliases {
		name := ""
		if alias != im.declaredName(p) {
			name = alias
		}
		add(p, name)
	}
	for p := range im.blank {
		if _, ok := im.aliases[p]; !ok {
			add(p, "_")
		}
	}
	if len(std)+len(other) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("import (\n")
	for i, group := range [][]spec{std, other} {
		sort.Slice(group, func(i, j int) bool { return group[i].path < group[j].path })
		if i == 1 && len(std) > 0 && len(other) > 0 {
			b.WriteString("\n")
		}
		for _, s := range group {
			b.WriteString("\t")
			if s.name != "" {
				b.WriteString(s.name + " ")
			}
			b.WriteString(strconv.Quote(s.path) + "\n")
		}
	}
	b.WriteString(")\n")
	return b.String()
}

// cleanPackageName turns a path element into a valid package name, as
// protogen does for go_package values without an explicit name.
func cleanPackageName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			return r
		}
		return '_'
	}, name)
	if name == "" || ('0' <= name[0] && name[0] <= '9') {
		name = "_" + name
	}
	return name
}
