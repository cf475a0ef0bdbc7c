package generator

import (
	"cmp"
	"fmt"
	"path"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/types/descriptorpb"
)

// The view-model: what templates receive. It holds data (names, values,
// JSON, paths), each computed here, once; templates loop, branch and write
// the prose, the comments and the commands ({{q .Ident}} gives an
// identifier as the current file must spell it, importing its package;
// {{comment INDENT TEXT}} writes a Go comment).

// File is one .proto file that declares at least one service.
type File struct {
	// Proto is the file's path as protoc knows it ("helloworld/hello.proto").
	Proto string
	// Version is the plugin's version, for headers.
	Version string
	// GoPackageName is the name of the Go package of the file
	// ("helloworld"); GoImportPath its import path.
	GoPackageName string
	GoImportPath  protogen.GoImportPath
	// ImportPath is GoImportPath as plain text, for Markdown.
	ImportPath string
	// TestPackageName is the package of the generated tests ("helloworld_test").
	TestPackageName string
	// HelperPackageName is the name of the package of test helpers
	// ("helloworldtest"), imported from HelperImportPath.
	HelperPackageName string
	HelperImportPath  protogen.GoImportPath
	Services          []*Service
	// Examples are the example constructors that the file's generated code
	// declares, one per message used by a method.
	Examples []*Example
	// HTTP says that the server mains serve gRPC-Web, Connect and REST
	// beside gRPC, with a web page per service (the option http).
	HTTP bool
	// AskUnwritten is the function, declared in the file's package when a
	// service of the file has methods, that the default servicers' methods
	// call first: a server run with -upstream answers it with an error, and
	// passes the call of a method that the user's servicer does not define
	// to the upstream (serve.Unwritten, in the runtime).
	AskUnwritten protogen.GoIdent

	// prefix is the path of the generated files without their extension,
	// relative to Out ("helloworld/hello").
	prefix string
	// warnings are what the user should know of the user's files (methods
	// that a servicer does not define yet).
	warnings []string
}

// Service is one service of a File.
type Service struct {
	File *File
	// Name is the proto name ("Greeter"), FullName the qualified one
	// ("helloworld.Greeter"), GoName the name protoc-gen-go-grpc uses.
	Name, FullName, GoName string
	// Comment is the proto's leading comment, without its comment markers
	// ("" when there is none); Deprecated says that the proto deprecates
	// the service.
	Comment    string
	Deprecated bool
	Methods    []*Method

	// Identifiers declared by protoc-gen-go-grpc.
	ServerInterface, ClientInterface, NewClient, Register, Unimplemented protogen.GoIdent
	// Default is the generated servicer that answers with example values.
	Default protogen.GoIdent
	// Servicer is the user's servicer type and NewServicer its constructor,
	// both in the user-owned file ServicerFile.
	Servicer, NewServicer protogen.GoIdent
	// Start and NewTestClient are the test helpers in the helper package,
	// and Fake the type of the service's programmable fake there (package
	// fake of the runtime), which NewFake makes. FakeField is the name of
	// its field that holds the fake's runtime part: "Fake", unless a method
	// has that name.
	Start, NewTestClient, Fake, NewFake protogen.GoIdent
	FakeField                           string

	// ServerCommand and ClientCommand name the directories of the mains
	// ("greeter-server"), below the package's cmd/ directory.
	ServerCommand, ClientCommand string
	// ServicerFile, ServicerTestFile, GuideFile are file names in the
	// package directory.
	ServicerFile, ServicerTestFile, GuideFile string

	// LimitMethod is the first method whose example request is not empty:
	// the generated tests send it to a server whose receive limit is one
	// byte smaller. Nil when every request is empty.
	LimitMethod *Method
	// FirstMethod is the first method, nil for a service without any: the
	// graceful-stop test and the guide's examples use it.
	FirstMethod *Method
	// HasStreaming is true when some method streams.
	HasStreaming bool
	// ReachMethod is the first method whose example request gets through
	// the server main's checks to the servicer (it meets its buf.validate
	// rules, if any): the tests of the server's plumbing call it. Nil when
	// no method's does. The protocol tests call UnaryMethod and
	// ServerStreamMethod, the first such methods of their kind, and
	// RestMethod, the first such with an http rule.
	ReachMethod                                 *Method
	UnaryMethod, ServerStreamMethod, RestMethod *Method
	// Validates is true when the request of some method has buf.validate
	// rules: then Validate, in the file's package, returns the server
	// options that check every request against them (package validation of
	// the runtime).
	Validates bool
	Validate  protogen.GoIdent
	// PageFile is the web page of the service (when File.HTTP), in the
	// package directory, which Page, in the file's package, embeds.
	PageFile string
	Page     protogen.GoIdent
	// LegacyMain says that the server main's main.go, which is the user's,
	// calls serverConfig and its methods, as mains scaffolded before the
	// runtime (package serve) do: the generated server_legacy_gotutor.go
	// then declares them over the runtime. Read from the file, like
	// Unwritten.
	LegacyMain bool
	// Unwritten are the methods that the user's servicer does not define
	// (read from its file, when it exists): DefaultServer answers them.
	Unwritten []*Method
}

// Method is one method of a Service.
type Method struct {
	Service *Service
	// Name is the proto name, GoName the Go method name, FullMethod the
	// gRPC path ("/helloworld.Greeter/SayHello").
	Name, GoName, FullMethod string
	// Comment is the proto's leading comment, without its comment
	// markers; Deprecated says that the proto deprecates the method.
	Comment    string
	Deprecated bool
	// Anchor is the Markdown anchor of the method's section in the guide
	// and of its section of the web page.
	Anchor string
	// Kind is "unary", "server streaming", "client streaming" or
	// "bidirectional streaming"; exactly one of the booleans is true.
	Kind                                                   string
	Unary, ServerStreaming, ClientStreaming, BidiStreaming bool
	// FakeKind is the type of the method's field in the service's fake:
	// "Unary", "ServerStream", "ClientStream" or "BidiStream" (package
	// fake of the runtime).
	FakeKind string
	// Input and Output are the examples of the request and response.
	Input, Output *Example
	// Unwritten says that the user's servicer does not define the method
	// yet (see Service.Unwritten).
	Unwritten bool
	// Browser says that a browser can call the method: unary and server
	// streaming (a browser cannot stream requests).
	Browser bool
	// HTTPVerb and HTTPPath are the verb ("GET", "POST"...) and path
	// template ("/v1/{name=shelves/*}") of the method's google.api.http
	// rule, when File.HTTP is set and the example request can be sent
	// through the rule: the method is unary, its rule is not of a custom
	// verb, and the example sets every field that the path needs. Then
	// RestTarget is the path and query of that request, the path's
	// variables filled from the example ("/v1/shelves/my-shelf"), and
	// RestBody its JSON body, as the rule's body says ("" for none). All
	// four are "" otherwise.
	HTTPVerb, HTTPPath   string
	RestTarget, RestBody string
	// RESTLeftOut, when File.HTTP is set and the method has a google.api.http
	// rule that the server main's REST router cannot take, says why (a
	// clause: `its path has "**" before ...`); the main leaves out the
	// route and serves the method over its other protocols. HTTPVerb and
	// HTTPPath are then the rule's, and RestTarget and RestBody "".
	RESTLeftOut string
}

// modelOptions is what building the model of a file takes besides the
// file: the same for every file of a request.
type modelOptions struct {
	version  string                             // the plugin's, for headers
	http     bool                               // the option http
	module   string                             // the option module=, cut from file names
	nameOf   func(protogen.GoImportPath) string // the name a Go package declares
	api      *apiIndex                          // what the request's APIs declare
	readFile func(name string) ([]byte, error)  // a user-owned file, named relative to Out
}

// newFile builds the view-model of f. taken holds the package-level names
// already in use in f's Go package, and gets the ones added here. What the
// user's files say (Service.Unwritten, Service.LegacyMain) is read here
// too, so that rendering the model does not change it.
func newFile(f *protogen.File, taken names, o *modelOptions) (*File, error) {
	prefix, err := outputPrefix(f, o.module)
	if err != nil {
		return nil, err
	}
	pkgName := string(f.GoPackageName)
	helperName := helperPackageName(f, o.nameOf)
	file := &File{
		Proto:             f.Desc.Path(),
		Version:           o.version,
		GoPackageName:     pkgName,
		GoImportPath:      f.GoImportPath,
		ImportPath:        string(f.GoImportPath),
		TestPackageName:   pkgName + "_test",
		HelperPackageName: helperName,
		HelperImportPath:  protogen.GoImportPath(path.Join(string(f.GoImportPath), helperName)),
		HTTP:              o.http,
		prefix:            prefix,
	}
	examples := newExampleSet(f, taken, o.api)
	for _, s := range f.Services {
		svc := newService(file, s, taken, examples)
		if warning := svc.readUserFiles(path.Dir(prefix), o.readFile); warning != "" {
			file.warnings = append(file.warnings, warning)
		}
		file.Services = append(file.Services, svc)
		if len(svc.Methods) > 0 && file.AskUnwritten.GoName == "" {
			file.AskUnwritten = f.GoImportPath.Ident(taken.unique("askUnwritten"))
		}
	}
	file.Examples = examples.list
	return file, examples.err
}

// outputPrefix is the path of f's generated files without their extension,
// relative to Out: protogen's, with module cut from it.
func outputPrefix(f *protogen.File, module string) (string, error) {
	prefix := f.GeneratedFilenamePrefix
	if module == "" {
		return prefix, nil
	}
	trimmed, ok := strings.CutPrefix(prefix, module+"/")
	if !ok {
		return "", fmt.Errorf("the Go import path %q is not inside module=%s", f.GoImportPath, module)
	}
	return trimmed, nil
}

// helperPackageName is the name of the package of test helpers of f, which
// sits below f's package as <pkg>test; if a proto package already lives
// there, it steps aside.
func helperPackageName(f *protogen.File, nameOf func(protogen.GoImportPath) string) string {
	name := string(f.GoPackageName) + "test"
	for nameOf(protogen.GoImportPath(path.Join(string(f.GoImportPath), name))) != "" {
		name += "_"
	}
	return name
}

// newService builds the model of s, a service of file, with its methods.
func newService(file *File, s *protogen.Service, taken names, examples *exampleSet) *Service {
	svc := namedService(file, s, taken)
	opts, _ := s.Desc.Options().(*descriptorpb.ServiceOptions)
	svc.Deprecated = opts.GetDeprecated()
	svc.Comment = plainComment(s.Comments.Leading)
	methodNames := names{}
	for _, m := range s.Methods {
		svc.addMethod(newMethod(svc, m, examples))
		methodNames[m.GoName] = true
	}
	// The fake's fields are its methods' names, and FakeField.
	svc.FakeField = methodNames.unique("Fake")
	if file.HTTP {
		svc.Page = file.GoImportPath.Ident(taken.unique(s.GoName + "Page"))
	}
	if svc.Validates {
		svc.Validate = file.GoImportPath.Ident(taken.unique("Validate" + s.GoName + "Requests"))
	}
	return svc
}

// namedService returns the model of s with its names set: the identifiers
// that protoc-gen-go-grpc declares for it, those that gotutor declares
// (made unique in taken), and its files and commands.
func namedService(file *File, s *protogen.Service, taken names) *Service {
	ident := file.GoImportPath.Ident
	lower := strings.ToLower(s.GoName)
	// "server" inside a service's name would make its mains ambiguous
	// (cmd/gameserver-client is not a server): it is shortened.
	lower = strings.ReplaceAll(lower, "server", "srv")
	// File and command names must differ in the whole Go package (its
	// files share one directory): they live in taken under a prefix.
	for taken["file:"+lower] {
		lower += "_"
	}
	taken["file:"+lower] = true
	return &Service{
		File:             file,
		Name:             string(s.Desc.Name()),
		FullName:         string(s.Desc.FullName()),
		GoName:           s.GoName,
		ServerInterface:  ident(s.GoName + "Server"),
		ClientInterface:  ident(s.GoName + "Client"),
		NewClient:        ident("New" + s.GoName + "Client"),
		Register:         ident("Register" + s.GoName + "Server"),
		Unimplemented:    ident("Unimplemented" + s.GoName + "Server"),
		Default:          ident(taken.unique("Default" + s.GoName + "Server")),
		Servicer:         ident(taken.unique(s.GoName + "Service")),
		NewServicer:      ident(taken.unique("New" + s.GoName + "Service")),
		Start:            file.HelperImportPath.Ident("Start" + s.GoName),
		NewTestClient:    file.HelperImportPath.Ident("New" + s.GoName + "Client"),
		Fake:             file.HelperImportPath.Ident("Fake" + s.GoName),
		NewFake:          file.HelperImportPath.Ident("NewFake" + s.GoName),
		ServerCommand:    lower + "-server",
		ClientCommand:    lower + "-client",
		ServicerFile:     lower + "_service.go",
		ServicerTestFile: lower + "_service_test.go",
		GuideFile:        lower + "_gotutor.md",
		PageFile:         lower + "_gotutor.html",
	}
}

// addMethod appends m to the service's methods, and notes what the tests
// and the guide pick among them.
func (svc *Service) addMethod(m *Method) {
	svc.HasStreaming = svc.HasStreaming || !m.Unary
	svc.Validates = svc.Validates || m.Input.HasRules
	if m.Input.Valid {
		svc.ReachMethod = cmp.Or(svc.ReachMethod, m)
		if m.Unary {
			svc.UnaryMethod = cmp.Or(svc.UnaryMethod, m)
		}
		if m.ServerStreaming {
			svc.ServerStreamMethod = cmp.Or(svc.ServerStreamMethod, m)
		}
		if m.RestTarget != "" {
			svc.RestMethod = cmp.Or(svc.RestMethod, m)
		}
	}
	if svc.LimitMethod == nil && m.Input.Size > 0 {
		svc.LimitMethod = m
	}
	svc.Methods = append(svc.Methods, m)
	if svc.FirstMethod == nil {
		svc.FirstMethod = m
	}
}

// newMethod builds the model of m, a method of svc, with the examples of
// its request and response.
func newMethod(svc *Service, m *protogen.Method, examples *exampleSet) *Method {
	opts, _ := m.Desc.Options().(*descriptorpb.MethodOptions)
	method := &Method{
		Service:    svc,
		Name:       string(m.Desc.Name()),
		GoName:     m.GoName,
		FullMethod: "/" + svc.FullName + "/" + string(m.Desc.Name()),
		Deprecated: opts.GetDeprecated(),
		Comment:    plainComment(m.Comments.Leading),
		Input:      examples.of(m.Parent, m.Input, true),
		Output:     examples.of(m.Parent, m.Output, false),
	}
	method.setKind(m.Desc.IsStreamingClient(), m.Desc.IsStreamingServer())
	method.Anchor = strings.ToLower(method.Name)
	if svc.File.HTTP && fitHTTPPath(m, method.Input.Value, examples.builder.api) {
		method.Input.refresh()
	}
	method.Browser = method.Unary || method.ServerStreaming
	if svc.File.HTTP {
		if verb, path, rule := httpRule(m); rule != nil {
			method.RESTLeftOut = unroutable(m.Input.Desc, rule)
			if method.RESTLeftOut != "" {
				method.HTTPVerb, method.HTTPPath = verb, path
				return method
			}
		}
		method.HTTPVerb, method.HTTPPath, method.RestTarget, method.RestBody = restRequest(m, method.Input.dynamic)
	}
	return method
}

// readUserFiles reads what the service's user-owned files, below dir, say:
// which methods the servicer does not define yet, which the default
// servicer it embeds answers (Unwritten), and whether the server main
// predates the runtime (LegacyMain). read reads a file named relative to
// Out. It returns a warning that names the methods, or says that the
// servicer's file does not parse; "" when there is nothing to say. A
// servicer that is not there yet is scaffolded now, with every method.
func (svc *Service) readUserFiles(dir string, read func(name string) ([]byte, error)) string {
	main := path.Join(dir, "cmd", svc.ServerCommand, "main.go")
	if src, err := read(main); err == nil {
		svc.LegacyMain = usesServerConfig(main, src)
	}
	name := path.Join(dir, svc.ServicerFile)
	src, err := read(name)
	if err != nil {
		return ""
	}
	defined, err := definedMethods(name, src, svc.Servicer.GoName)
	if err != nil {
		return fmt.Sprintf("%s does not parse, so which methods %s defines is unknown: %v", name, svc.Servicer.GoName, err)
	}
	var names []string
	for _, m := range svc.Methods {
		m.Unwritten = !defined[m.GoName]
		if m.Unwritten {
			svc.Unwritten = append(svc.Unwritten, m)
			names = append(names, m.GoName)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("%s: %s does not define %s yet: %s answers with example values", name, svc.Servicer.GoName, strings.Join(names, ", "), svc.Default.GoName)
}

// setKind sets the method's Kind and the boolean that goes with it, from
// whether the client and the server stream.
func (m *Method) setKind(client, server bool) {
	switch {
	case client && server:
		m.Kind, m.FakeKind, m.BidiStreaming = "bidirectional streaming", "BidiStream", true
	case client:
		m.Kind, m.FakeKind, m.ClientStreaming = "client streaming", "ClientStream", true
	case server:
		m.Kind, m.FakeKind, m.ServerStreaming = "server streaming", "ServerStream", true
	default:
		m.Kind, m.FakeKind, m.Unary = "unary", "Unary", true
	}
}
