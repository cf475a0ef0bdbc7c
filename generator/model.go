package generator

import (
	"cmp"
	"path"
	"slices"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/gofeaturespb"
)

// The view-model: what templates receive. Every name is computed here, once;
// templates only loop, branch and qualify identifiers ({{q .Ident}} gives the
// identifier as the current file must spell it, importing its package).

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

	im *importSet // the imports of the file holding the example constructors
}

// Service is one service of a File.
type Service struct {
	File *File
	// Name is the proto name ("Greeter"), FullName the qualified one
	// ("helloworld.Greeter"), GoName the name protoc-gen-go-grpc uses.
	Name, FullName, GoName string
	// Doc is the proto's leading comment as a Go doc comment (with a
	// Deprecated: paragraph when the service is deprecated); Comment is the
	// same text without comment markers, for Markdown. DefaultDoc and
	// ServicerDoc are the doc comments of the default servicer and of the
	// user's servicer.
	Doc, Comment, DefaultDoc, ServicerDoc string
	Deprecated                            bool
	Methods                               []*Method

	// Identifiers declared by protoc-gen-go-grpc.
	ServerInterface, ClientInterface, NewClient, Register, Unimplemented protogen.GoIdent
	// Default is the generated servicer that answers with example values.
	Default protogen.GoIdent
	// Servicer is the user's servicer type and NewServicer its constructor,
	// both in the user-owned file ServicerFile.
	Servicer, NewServicer protogen.GoIdent
	// Start and NewTestClient are the test helpers in the helper package.
	Start, NewTestClient protogen.GoIdent

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
	// was scaffolded before the plumbing moved into the runtime (package
	// serve): it calls serverConfig and its methods, which the generated
	// server_legacy_gotutor.go then declares over the runtime. Read from
	// the file, like Unwritten.
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
	// Doc is the doc comment of the user's method (the proto's comment),
	// DefaultDoc that of the default servicer's; Comment is the proto's
	// comment as plain text.
	Doc, DefaultDoc, Comment string
	Deprecated               bool
	// Anchor is the Markdown anchor of the method's section in the guide;
	// Grpcurl the command that calls it with the example request.
	Anchor, Grpcurl string
	// Kind is "unary", "server streaming", "client streaming" or
	// "bidirectional streaming"; exactly one of the booleans is true.
	Kind                                                   string
	Unary, ServerStreaming, ClientStreaming, BidiStreaming bool
	// Input and Output are the examples of the request and response.
	Input, Output *Example
	// Unwritten says that the user's servicer does not define the method
	// yet (see Service.Unwritten).
	Unwritten bool
	// Browser says that a browser can call the method: unary and server
	// streaming (a browser cannot stream requests).
	Browser bool
	// Curl calls the method with the example request over the Connect
	// protocol (JSON), for unary methods; RestCurl through its
	// google.api.http rule, when it has one (and the rule's verb and path
	// are in HTTPVerb and HTTPPath). Both run as written against the server
	// main.
	Curl, RestCurl     string
	HTTPVerb, HTTPPath string
	// RestTarget and RestBody are the path and JSON body (if any) of
	// RestCurl's request.
	RestTarget, RestBody string
}

// Example is an example value of one message and the function that builds it.
type Example struct {
	// Message is the message's Go type; Func the constructor returning a
	// pointer to it, declared in the file's package.
	Message protogen.GoIdent
	Func    protogen.GoIdent
	// ProtoName is the message's full proto name.
	ProtoName string
	// Value is the example itself, as data; templates write it as Go with
	// {{goValue .Value INDENT}}.
	Value *Value
	// Doc is the constructor's doc comment: what it returns, and what a
	// reader should know (fields left unset and why, rules it does not
	// meet).
	Doc string
	// HasRules says that buf.validate rules apply to the example, and
	// Valid that it meets all of them, as protovalidate checks them (the
	// rules written in CEL included).
	HasRules, Valid bool
	// JSON is the example in protojson form (one line), for grpcurl -d,
	// and Size its size in the wire format. Both are set only for examples
	// of requests.
	JSON string
	Size int

	// Broken is the example of a request changed so that it breaks one of
	// its rules, that of the field at the path BrokenField; nil when the
	// example has no rule that can be broken on purpose.
	Broken      *Value
	BrokenField string

	dynamic proto.Message // Value as a message
	notes   []string
}

// refresh computes again what derives from the example's Value, after it
// changed: its message, JSON and size.
func (ex *Example) refresh() {
	ex.dynamic = ex.Value.dynamic()
	json, err := protojson.MarshalOptions{}.Marshal(ex.dynamic)
	if err != nil {
		json = []byte("{}")
	}
	ex.JSON = compactJSON(json)
	ex.Size = proto.Size(ex.dynamic)
}

// names hands out package-level identifiers that clash with nothing
// protoc-gen-go, protoc-gen-go-grpc or gotutor declare in a Go package.
type names map[string]bool

func (n names) unique(name string) string {
	for n[name] {
		name += "_"
	}
	n[name] = true
	return name
}

// declaredNames lists what protoc-gen-go and protoc-gen-go-grpc declare at
// package level for the given files (all of one Go package). byPath finds
// the files they import: protoc-gen-go forwards every exported name of a
// public import from another Go package (type X = q.X), so those names are
// taken too.
func declaredNames(files []*protogen.File, byPath map[string]*protogen.File) names {
	n := names{}
	for _, f := range files {
		n.addDeclared(f)
		n.addPublicForwards(f, byPath, map[string]bool{})
	}
	return n
}

// addPublicForwards adds the names protoc-gen-go forwards into f's package
// from f's public imports, and from their public imports in turn, since a
// forward is itself an exported declaration that gets forwarded again.
func (n names) addPublicForwards(f *protogen.File, byPath map[string]*protogen.File, seen map[string]bool) {
	imports := f.Desc.Imports()
	for i := 0; i < imports.Len(); i++ {
		imp := imports.Get(i)
		dep := byPath[imp.Path()]
		if !imp.IsPublic || dep == nil || dep.GoImportPath == f.GoImportPath || seen[imp.Path()] {
			continue
		}
		seen[imp.Path()] = true
		n.addDeclared(dep)
		n.addPublicForwards(dep, byPath, seen)
	}
}

// addDeclared adds the package-level names protoc-gen-go and
// protoc-gen-go-grpc declare for f itself.
func (n names) addDeclared(f *protogen.File) {
	var addMessages func([]*protogen.Message)
	addEnums := func(enums []*protogen.Enum) {
		for _, e := range enums {
			n[e.GoIdent.GoName] = true
			n[e.GoIdent.GoName+"_name"] = true
			n[e.GoIdent.GoName+"_value"] = true
			for _, v := range e.Values {
				n[v.GoIdent.GoName] = true
			}
		}
	}
	addMessages = func(msgs []*protogen.Message) {
		for _, m := range msgs {
			n[m.GoIdent.GoName] = true
			for _, f := range m.Fields {
				if f.Oneof != nil && !f.Oneof.Desc.IsSynthetic() {
					n[f.GoIdent.GoName] = true
				}
			}
			// Open messages of a Hybrid file are Opaque in its protoopaque
			// half, so they get these names too.
			if m.APILevel != gofeaturespb.GoFeatures_API_OPEN || f.APILevel == gofeaturespb.GoFeatures_API_HYBRID {
				// The Opaque and Hybrid APIs add a builder, and constants
				// for the cases of each oneof.
				n[m.GoIdent.GoName+"_builder"] = true
				for _, o := range m.Oneofs {
					if !o.Desc.IsSynthetic() {
						n[m.GoIdent.GoName+"_"+o.GoName+"_not_set_case"] = true
						for _, f := range o.Fields {
							n[m.GoIdent.GoName+"_"+f.GoName+"_case"] = true
						}
					}
				}
			}
			for _, x := range m.Extensions {
				n["E_"+x.GoIdent.GoName] = true
			}
			addEnums(m.Enums)
			addMessages(m.Messages)
		}
	}
	n["File_"+strings.NewReplacer("/", "_", ".", "_", "-", "_").Replace(f.Desc.Path())] = true
	addEnums(f.Enums)
	addMessages(f.Messages)
	for _, x := range f.Extensions {
		n["E_"+x.GoIdent.GoName] = true
	}
	for _, s := range f.Services {
		for _, suffix := range []string{"Server", "Client", "_ServiceDesc"} {
			n[s.GoName+suffix] = true
		}
		for _, prefix := range []string{"New", "Register", "Unimplemented", "Unsafe"} {
			n[prefix+s.GoName+"Client"] = true
			n[prefix+s.GoName+"Server"] = true
		}
		for _, m := range s.Methods {
			base := s.GoName + "_" + m.GoName
			for _, suffix := range []string{"_FullMethodName", "Client", "Server"} {
				n[base+suffix] = true
			}
		}
	}
}

// buildFile computes the view-model of f. taken holds the package-level
// names already in use in f's Go package, and gets the ones added here.
func buildFile(f *protogen.File, taken names, version string, nameOf func(protogen.GoImportPath) string, api *apiIndex, http bool) (*File, error) {
	pkgName := string(f.GoPackageName)
	// The helpers' package sits below the proto's package, as
	// <pkg>test; if a proto package already lives there, it steps aside.
	helperName := pkgName + "test"
	for nameOf(protogen.GoImportPath(path.Join(string(f.GoImportPath), helperName))) != "" {
		helperName += "_"
	}
	file := &File{
		Proto:             f.Desc.Path(),
		Version:           version,
		GoPackageName:     pkgName,
		GoImportPath:      f.GoImportPath,
		ImportPath:        string(f.GoImportPath),
		TestPackageName:   pkgName + "_test",
		HelperPackageName: helperName,
		HelperImportPath:  protogen.GoImportPath(path.Join(string(f.GoImportPath), helperName)),
		im:                newImportSet(f.GoImportPath, nameOf),
		HTTP:              http,
	}
	b := &exampleBuilder{api: api}
	examples := map[string]*Example{} // by constructor key and role
	var exampleErr error              // the first example that cannot be written
	// exampleOf returns the example of m for a request or a response, built
	// once per file. The two differ where the API says that the server
	// sets a field (OUTPUT_ONLY) or only reads it (INPUT_ONLY); otherwise
	// they share one constructor. Only a request's example needs its JSON
	// and size (the guide's grpcurl commands, the receive-limit test).
	exampleOf := func(s *protogen.Service, m *protogen.Message, request bool) *Example {
		local := m.GoIdent.GoImportPath == f.GoImportPath && m.Location.SourceFile == f.Desc.Path()
		key := string(m.Desc.FullName())
		name := "Example" + m.GoIdent.GoName
		if !local {
			key = s.GoName + "/" + key
			name = "Example" + s.GoName + m.GoIdent.GoName
		}
		role, other := "/response", "/request"
		if request {
			role, other = other, role
		}
		ex, ok := examples[key+role]
		if !ok {
			built, err := b.example(m, request)
			if err != nil {
				// buildFile fails with the first such error; an empty value
				// lets the rest of the model be built meanwhile.
				exampleErr = cmp.Or(exampleErr, err)
				built = &builtExample{value: &Value{Kind: MessageValue, Message: m}, valid: true}
			}
			// The message form is needed to compare with the other role's
			// example, and for a request's JSON; most responses need
			// neither.
			var dm proto.Message
			twin := examples[key+other]
			if twin != nil || request {
				dm = built.value.dynamic()
			}
			if twin != nil && twin.dynamic == nil {
				twin.dynamic = twin.Value.dynamic()
			}
			if twin != nil && proto.Equal(twin.dynamic, dm) && slices.Equal(twin.notes, built.notes) {
				ex = twin
			} else {
				if twin != nil {
					// ExampleTopicForRequest, beside ExampleTopic.
					name += "For" + strings.ToUpper(role[1:2]) + role[2:]
				}
				ex = &Example{
					Message:   m.GoIdent,
					Func:      f.GoImportPath.Ident(taken.unique(name)),
					ProtoName: string(m.Desc.FullName()),
					Value:     built.value,
					HasRules:  built.hasRules,
					Valid:     built.valid,
					dynamic:   dm,
					notes:     built.notes,
				}
				paragraphs := append([]string{ex.Func.GoName + " returns an example " + ex.ProtoName + " with its fields set to fixed values, the same on every call."}, built.notes...)
				for i, p := range paragraphs {
					paragraphs[i] = wrap(p, 76)
				}
				ex.Doc = docComment(false, paragraphs...)
				file.Examples = append(file.Examples, ex)
			}
			examples[key+role] = ex
		}
		if request && ex.HasRules && ex.Broken == nil {
			ex.Broken, ex.BrokenField = breakRule(ex.Value)
		}
		if request && ex.JSON == "" {
			ex.refresh()
		}
		return ex
	}
	for _, s := range f.Services {
		opts, _ := s.Desc.Options().(*descriptorpb.ServiceOptions)
		ident := f.GoImportPath.Ident
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
		svc := &Service{
			File:             file,
			Name:             string(s.Desc.Name()),
			FullName:         string(s.Desc.FullName()),
			GoName:           s.GoName,
			Deprecated:       opts.GetDeprecated(),
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
			ServerCommand:    lower + "-server",
			ClientCommand:    lower + "-client",
			ServicerFile:     lower + "_service.go",
			ServicerTestFile: lower + "_service_test.go",
			GuideFile:        lower + "_gotutor.md",
			PageFile:         lower + "_gotutor.html",
		}
		svc.Comment = plainComment(s.Comments.Leading)
		svc.Doc = docComment(svc.Deprecated, svc.Comment)
		svc.DefaultDoc = docComment(svc.Deprecated,
			svc.Default.GoName+" answers every method of "+svc.FullName+" with example values. Your servicer, "+
				svc.Servicer.GoName+", embeds it, so that a method added to the proto is served as soon as the code is regenerated.",
			svc.Comment)
		svc.ServicerDoc = docComment(svc.Deprecated,
			svc.Servicer.GoName+" implements "+svc.FullName+".",
			svc.Comment,
			"This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in "+
				svc.NewServicer.GoName+". It embeds "+svc.Default.GoName+", so that methods the proto gains later answer with example values until you write them here.")
		for _, m := range s.Methods {
			mopts, _ := m.Desc.Options().(*descriptorpb.MethodOptions)
			method := &Method{
				Service:    svc,
				Name:       string(m.Desc.Name()),
				GoName:     m.GoName,
				FullMethod: "/" + string(s.Desc.FullName()) + "/" + string(m.Desc.Name()),
				Deprecated: mopts.GetDeprecated(),
				Comment:    plainComment(m.Comments.Leading),
				Input:      exampleOf(s, m.Input, true),
				Output:     exampleOf(s, m.Output, false),
			}
			method.Doc = docComment(method.Deprecated, method.Comment)
			if method.Doc == "" {
				method.Doc = docComment(false, method.GoName+" handles "+method.FullMethod+".")
			}
			client, server := m.Desc.IsStreamingClient(), m.Desc.IsStreamingServer()
			switch {
			case client && server:
				method.Kind, method.BidiStreaming = "bidirectional streaming", true
			case client:
				method.Kind, method.ClientStreaming = "client streaming", true
			case server:
				method.Kind, method.ServerStreaming = "server streaming", true
			default:
				method.Kind, method.Unary = "unary", true
			}
			method.DefaultDoc = docComment(method.Deprecated,
				method.GoName+" answers "+method.FullMethod+", a "+method.Kind+" call, with example values.", method.Comment)
			method.Anchor = strings.ToLower(method.Name)
			if file.HTTP && fitHTTPPath(m, method.Input) {
				method.Input.refresh()
			}
			method.Grpcurl = grpcurl(method)
			method.Browser = method.Unary || method.ServerStreaming
			if file.HTTP {
				if method.Unary {
					method.Curl = "curl -sS -H 'Content-Type: application/json' -H 'Connect-Protocol-Version: 1' -d " + shellQuote(method.Input.JSON) + " http://localhost:50051" + method.FullMethod
				}
				method.HTTPVerb, method.HTTPPath, method.RestCurl, method.RestTarget, method.RestBody = restCurl(m, method.Input)
			}
			svc.HasStreaming = svc.HasStreaming || !method.Unary
			svc.Validates = svc.Validates || method.Input.HasRules
			if method.Input.Valid {
				svc.ReachMethod = cmp.Or(svc.ReachMethod, method)
				if method.Unary {
					svc.UnaryMethod = cmp.Or(svc.UnaryMethod, method)
				}
				if method.ServerStreaming {
					svc.ServerStreamMethod = cmp.Or(svc.ServerStreamMethod, method)
				}
				if method.RestTarget != "" {
					svc.RestMethod = cmp.Or(svc.RestMethod, method)
				}
			}
			if svc.LimitMethod == nil && method.Input.Size > 0 {
				svc.LimitMethod = method
			}
			svc.Methods = append(svc.Methods, method)
			if svc.FirstMethod == nil {
				svc.FirstMethod = method
			}
		}
		if file.HTTP {
			svc.Page = ident(taken.unique(s.GoName + "Page"))
		}
		if svc.Validates {
			svc.Validate = ident(taken.unique("Validate" + s.GoName + "Requests"))
		}
		file.Services = append(file.Services, svc)
	}
	return file, exampleErr
}

// compactJSON removes the spaces protojson inserts at random, so that the
// guide is byte-identical across runs.
func compactJSON(b []byte) string {
	var out strings.Builder
	inString, escaped := false, false
	for _, c := range string(b) {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ' ' || c == '\n' || c == '\t'):
			continue
		}
		out.WriteRune(c)
	}
	return out.String()
}

// grpcurl returns the command that calls m on a local server with its
// example request (twice, for streams from the client).
func grpcurl(m *Method) string {
	data := m.Input.JSON
	if m.ClientStreaming || m.BidiStreaming {
		data += " " + data
	}
	return "grpcurl -plaintext -d " + shellQuote(data) + " localhost:50051 " + m.Service.FullName + "/" + m.Name
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
