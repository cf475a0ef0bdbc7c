// Package protoreq compiles .proto files in-process into the
// CodeGeneratorRequest that protoc would send a plugin, so that no protoc is
// needed. It is the one way gotutor compiles protos: `gotutor new` and
// `gotutor gen`, the tests and the fuzz test all come through Build.
//
// The compiler is the one buf uses (github.com/bufbuild/protocompile's
// experimental packages), which reads proto2, proto3 and editions 2023 and
// 2024, and holds edition 2024 files to its rules (STYLE2024 names, import
// option, export and local) as buf does.
//
// Besides the well-known google/protobuf/*.proto, the imports of
// google/api, google/type, google/rpc and buf/validate are built in, and so
// is every other file that the generated code's own dependencies register
// (package linked: grpc-go's grpc/health/v1/health.proto and
// grpc/reflection/..., the CEL types of protovalidate): the compiler reads
// only source text, so each is printed as .proto source from the descriptor
// that its Go package (genproto's, protovalidate's, grpc-go's), linked into
// this package, registered.
package protoreq

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/bufbuild/protocompile/experimental/fdp"
	"github.com/bufbuild/protocompile/experimental/incremental"
	"github.com/bufbuild/protocompile/experimental/incremental/queries"
	"github.com/bufbuild/protocompile/experimental/ir"
	"github.com/bufbuild/protocompile/experimental/report"
	"github.com/bufbuild/protocompile/experimental/source"
	"github.com/bufbuild/protocompile/experimental/source/length"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"
)

// Input is what Build compiles.
type Input struct {
	// ImportPaths are the folders that imports (and Files) are relative
	// to, searched in order: the first that has a file wins, as with
	// protoc's -I. The well-known imports google/protobuf/*.proto are
	// built in, and so are the files of BuiltinDirs (google/api,
	// google/type, google/rpc, buf/validate) and the other files that
	// IsBuiltin names: each is used where no import path has it.
	ImportPaths []string
	// Files are the files to generate, by import name ("greet/greet.proto").
	Files []string
	// Overlay holds files that are read from it instead of the file
	// system, by path on disk: an import path joined with an import name
	// (filepath.Join(ImportPaths[i], name)).
	Overlay map[string][]byte
	// Parameter is the request's plugin parameter, if any.
	Parameter string
}

// Output is what Build made of an Input.
type Output struct {
	// Request lists Files to generate and, as protoc does, every file
	// they import, each after its imports, with source code info
	// (comments) for each.
	Request *pluginpb.CodeGeneratorRequest
	// Local holds the content of each file of Request that was read from
	// an import path or the overlay, by import name: the built-in imports
	// (the well-known ones and those of BuiltinDirs) are not in it.
	Local map[string][]byte
}

// Build compiles in.Files and everything they import, and returns the
// request for generating in.Files.
//
// An error in a .proto file reads "PATH:LINE:COL: message", PATH being where
// the file is on disk (its import path joined with its name) so that an
// editor can open it, and COL counting bytes from 1. When the compiler finds
// several errors, each is on its own line, as the compiler orders them: by
// file, syntax errors before the others, then by place.
func Build(ctx context.Context, in Input) (*Output, error) {
	if len(in.Files) == 0 {
		return nil, errors.New("no .proto files to compile")
	}
	if len(in.ImportPaths) == 0 {
		return nil, errors.New("no import paths to find the .proto files in")
	}
	op := &opener{importPaths: in.ImportPaths, overlay: in.Overlay, read: map[string][]byte{}, notFound: map[string]bool{}}
	var opts fdp.Options
	opts.Apply(fdp.IncludeSourceCodeInfo(true))
	exec := incremental.New(
		incremental.WithParallelism(int64(runtime.GOMAXPROCS(0))),
		incremental.WithReportOptions(report.Options{SuppressWarnings: true}),
	)
	results, rep, err := incremental.Run(ctx, exec, queries.FDS{
		Opener:    op,
		Session:   new(ir.Session),
		Workspace: source.NewWorkspace(in.Files...),
		Options:   opts,
	})
	if err != nil {
		return nil, err
	}
	if err := op.diagnostics(rep); err != nil {
		return nil, err
	}
	if len(results) != 1 {
		return nil, fmt.Errorf("protocompile answered %d results for one query", len(results))
	}
	if results[0].Fatal != nil {
		return nil, results[0].Fatal
	}
	fds := results[0].Value
	for i, f := range fds.GetFile() {
		if fds.File[i], err = normalize(f); err != nil {
			return nil, fmt.Errorf("%s: %v", f.GetName(), err)
		}
	}
	out := &Output{
		Request: request(fds.GetFile(), in.Files, in.Files, in.Parameter),
		Local:   map[string][]byte{},
	}
	for _, f := range out.Request.GetProtoFile() {
		if data, ok := op.read[f.GetName()]; ok {
			out.Local[f.GetName()] = data
		}
	}
	return out, nil
}

// Compile is Build for files on disk: it returns the request only.
func Compile(ctx context.Context, importPaths, files []string, parameter string) (*pluginpb.CodeGeneratorRequest, error) {
	out, err := Build(ctx, Input{ImportPaths: importPaths, Files: files, Parameter: parameter})
	if err != nil {
		return nil, err
	}
	return out.Request, nil
}

// normalize returns f as a plugin decodes it from protoc's request: the
// compiler leaves option values as unknown fields of the options messages,
// which decoding turns into the fields they are (go_package, deprecated,
// features, and the extensions linked into this program). It also drops
// what protoc does not send: buf's own extension of the source code info
// (unused imports).
func normalize(f *descriptorpb.FileDescriptorProto) (*descriptorpb.FileDescriptorProto, error) {
	b, err := proto.MarshalOptions{AllowPartial: true}.Marshal(f)
	if err != nil {
		return nil, err
	}
	out := &descriptorpb.FileDescriptorProto{}
	if err := (proto.UnmarshalOptions{AllowPartial: true}).Unmarshal(b, out); err != nil {
		return nil, err
	}
	if sci := out.GetSourceCodeInfo().ProtoReflect(); sci.IsValid() {
		sci.Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
			if fd.IsExtension() {
				sci.Clear(fd)
			}
			return true
		})
		sci.SetUnknown(nil)
	}
	return out, nil
}

// Request returns the request for generating the named files, listing the
// files of descs and everything they import, each file after its imports.
// randproto uses it for descriptors it builds itself.
func Request(descs []protoreflect.FileDescriptor, generate []string, parameter string) *pluginpb.CodeGeneratorRequest {
	var files []*descriptorpb.FileDescriptorProto
	var roots []string
	seen := map[string]bool{}
	var add func(protoreflect.FileDescriptor)
	add = func(f protoreflect.FileDescriptor) {
		if seen[f.Path()] {
			return
		}
		seen[f.Path()] = true
		files = append(files, protodesc.ToFileDescriptorProto(f))
		imports := f.Imports()
		for i := 0; i < imports.Len(); i++ {
			add(imports.Get(i).FileDescriptor)
		}
	}
	for _, f := range descs {
		roots = append(roots, f.Path())
		add(f)
	}
	return request(files, roots, generate, parameter)
}

// request returns the request for generating the files named generate. It
// lists the files of files named roots, in that order, each after the files
// it imports (its imports, then its option imports, each after its own), as
// protoc lists them; files are looked up by name in files.
func request(files []*descriptorpb.FileDescriptorProto, roots, generate []string, parameter string) *pluginpb.CodeGeneratorRequest {
	req := &pluginpb.CodeGeneratorRequest{FileToGenerate: generate}
	if parameter != "" {
		req.Parameter = proto.String(parameter)
	}
	byName := map[string]*descriptorpb.FileDescriptorProto{}
	for _, f := range files {
		byName[f.GetName()] = f
	}
	seen := map[string]bool{}
	var add func(string)
	add = func(name string) {
		f, ok := byName[name]
		if !ok || seen[name] {
			return
		}
		seen[name] = true
		for _, dep := range f.GetDependency() {
			add(dep)
		}
		for _, dep := range f.GetOptionDependency() {
			add(dep)
		}
		req.ProtoFile = append(req.ProtoFile, f)
	}
	for _, name := range roots {
		add(name)
	}
	return req
}

// opener finds files by import name in the import paths (or the overlay),
// then among the built-in well-known imports, then among the built-in
// imports of BuiltinDirs, printed from their Go packages' descriptors. It names the files it reads
// by their path on disk, which the compiler's diagnostics then carry.
// The compiler compares openers: it must be used by pointer.
type opener struct {
	importPaths []string
	overlay     map[string][]byte

	mu       sync.Mutex
	read     map[string][]byte // content by import name
	notFound map[string]bool   // import names found nowhere
}

func (o *opener) Open(name string) (*source.File, error) {
	for _, ip := range o.importPaths {
		p := filepath.Join(ip, filepath.FromSlash(name))
		data, ok := o.overlay[p]
		if !ok {
			var err error
			data, err = os.ReadFile(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, err
			}
		}
		o.mu.Lock()
		o.read[name] = data
		o.mu.Unlock()
		return source.NewFile(p, string(data)), nil
	}
	if f, err := source.WKTs().Open(name); err == nil {
		return f, nil
	}
	if text, ok, err := builtinSource(name); ok {
		if err != nil {
			return nil, err
		}
		return source.NewFile("<built-in>/"+name, text), nil
	}
	o.mu.Lock()
	o.notFound[name] = true
	o.mu.Unlock()
	return nil, &notFoundError{name: name, importPaths: o.importPaths}
}

// notFoundError is a file found in no import path and not built in.
type notFoundError struct {
	name        string
	importPaths []string
}

func (e *notFoundError) Error() string {
	return fmt.Sprintf("not found in %s", strings.Join(e.importPaths, ", "))
}

func (e *notFoundError) Is(target error) bool { return target == fs.ErrNotExist }

// diagnostics returns the errors of rep (warnings are left out), one a
// line, in the compiler's order (by file, then by stage: syntax before
// types, then by place), and the compiler's internal errors last. Each
// line reads "PATH:LINE:COL: message", then the edits that the compiler
// suggests and its help, if any, after semicolons: "unexpected `}` after
// definition; consider inserting a `;`".
func (o *opener) diagnostics(rep *report.Report) error {
	if rep == nil {
		return nil
	}
	var lines, internal []string
	suggested := suggestions(rep)
	for i := range rep.Diagnostics {
		d := &rep.Diagnostics[i]
		if d.Level() > report.Error {
			continue // a warning or a remark
		}
		if d.Level() == report.ICE {
			internal = append(internal, internalError(d))
			continue
		}
		msg := strings.Join(slices.Concat([]string{d.Message()}, suggested[i], d.Help()), "; ")
		span := d.Primary()
		switch {
		case !span.IsZero():
			if name, at, ok := o.missingImport(span); ok {
				msg = fmt.Sprintf("import %q not found in %s (add the folder it is relative to with -I)", name, strings.Join(o.importPaths, ", "))
				span.Start = at
			}
			loc := span.Location(span.Start, length.Bytes)
			lines = append(lines, fmt.Sprintf("%s:%d:%d: %s", span.Path(), loc.Line, loc.Column, msg))
		case d.File() != "":
			lines = append(lines, d.File()+": "+msg)
		default:
			lines = append(lines, msg)
		}
	}
	if len(lines) > 0 && len(internal) > 0 {
		internal[0] = "then " + internal[0]
	}
	lines = append(lines, internal...)
	if len(lines) == 0 {
		return nil
	}
	return errors.New(strings.Join(lines, "\n"))
}

// internalError is the line of d, an internal error of the compiler (a
// panic it caught, which it calls "unexpected panic; this is a bug"),
// which comes after the errors of the protos: it is the compiler's to
// fix, and usually follows from one of those, such as a
// google/protobuf/descriptor.proto of an import path that lacks what the
// compiler needs. Its notes say what failed; its stack is left out.
func internalError(d *report.Diagnostic) string {
	msg := "the compiler (github.com/bufbuild/protocompile) failed on an internal error, not one of the protos"
	if notes := d.Notes(); len(notes) > 0 {
		msg += ": " + strings.Join(notes, "; ")
	}
	if d.File() != "" {
		return d.File() + ": " + msg
	}
	return msg
}

// suggestions returns, for each diagnostic of rep, what the edits it
// suggests are for ("consider inserting a `;`"). The Go API of report does
// not tell them: they are read from its serialized form (the message
// buf.compiler.v1alpha1.Report), and left out if that ever changes shape.
func suggestions(rep *report.Report) [][]string {
	out := make([][]string, len(rep.Diagnostics))
	field := func(m protoreflect.Message, name protoreflect.Name) protoreflect.FieldDescriptor {
		return m.Descriptor().Fields().ByName(name)
	}
	r := rep.ToProto().ProtoReflect()
	diags := field(r, "diagnostics")
	if diags == nil || !diags.IsList() || diags.Message() == nil {
		return out
	}
	list := r.Get(diags).List()
	if list.Len() != len(out) {
		return out
	}
	for i := range list.Len() {
		d := list.Get(i).Message()
		anns := field(d, "annotations")
		if anns == nil || !anns.IsList() || anns.Message() == nil {
			return out
		}
		annList := d.Get(anns).List()
		for j := range annList.Len() {
			a := annList.Get(j).Message()
			msg, edits := field(a, "message"), field(a, "edits")
			if msg == nil || msg.Kind() != protoreflect.StringKind || edits == nil || !edits.IsList() {
				return out
			}
			if text := a.Get(msg).String(); text != "" && a.Get(edits).List().Len() > 0 {
				out[i] = append(out[i], text)
			}
		}
	}
	return out
}

// missingImport tells whether span is an import declaration of a file that
// the opener found nowhere, and returns the file's name and the offset in
// span's file of the quoted name.
func (o *opener) missingImport(span source.Span) (name string, at int, ok bool) {
	text := span.Text()
	if !strings.HasPrefix(text, "import") {
		return "", 0, false
	}
	i := strings.IndexAny(text, `"'`)
	if i < 0 {
		return "", 0, false
	}
	j := strings.IndexByte(text[i+1:], text[i])
	if j < 0 {
		return "", 0, false
	}
	name = text[i+1 : i+1+j]
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.notFound[ir.CanonicalizeFilePath(name)] {
		return "", 0, false
	}
	return name, span.Start + i, true
}
