package generator

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/gofeaturespb"
	"google.golang.org/protobuf/types/pluginpb"
)

// Respond runs gotutor on one request, as the plugin does, and returns the
// response. The request's parameter (see parseParameter) sets options over
// opts: gotutor's own (out=, templates=, scaffold=, http=, see
// Options.Parameter), module=, and protogen's (paths=, M...,
// default_api_level=, apilevelM...). Errors that make the request unusable
// (bad options, a file without a Go import path, a file that the generated
// code's dependencies register already but that would get Go code of its
// own, see checkLinked, a template that does not parse) are returned; errors of generation go into the response's error
// field, as protoc expects. req is left as it was.
func Respond(req *pluginpb.CodeGeneratorRequest, opts Options) (*pluginpb.CodeGeneratorResponse, error) {
	return respond(req, opts, false)
}

// respond is Respond. owned says that the request belongs to this run
// alone, as in the plugin's process: then its descriptors are dropped as
// soon as protogen has read them, and the collector is tuned for the rest
// of the run, which a library call must not do to its caller.
func respond(req *pluginpb.CodeGeneratorRequest, opts Options, owned bool) (*pluginpb.CodeGeneratorResponse, error) {
	module, rest, err := parseParameter(req.GetParameter(), &opts)
	if err != nil {
		return nil, err
	}
	gen, err := protogen.Options{ParamFunc: unknownOption(opts.FlagSet())}.New(withParameter(req, rest))
	if err != nil {
		return nil, oneLine(err)
	}
	if err := checkLinked(gen); err != nil {
		return nil, err
	}
	phaseDone("protogen")
	// The plugin handles proto3 optional and editions up to 2024.
	gen.SupportedFeatures = uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL | pluginpb.CodeGeneratorResponse_FEATURE_SUPPORTS_EDITIONS)
	gen.SupportedEditionsMinimum = descriptorpb.Edition_EDITION_PROTO2
	gen.SupportedEditionsMaximum = descriptorpb.Edition_EDITION_2024
	g, err := newGenerator(opts, module)
	if err != nil {
		return nil, err
	}
	if owned {
		// protogen has built its own descriptors: the request's copies are
		// garbage from here on, which matters for a request of 70 MB.
		for _, r := range []*pluginpb.CodeGeneratorRequest{req, gen.Request} {
			r.ProtoFile, r.SourceFileDescriptors = nil, nil
		}
		for _, f := range gen.Files {
			f.Proto = nil
		}
		// Most of what protogen allocated is garbage now (the request's
		// copies of the descriptors, and protogen's own scratch).
		// Collecting it before generating lets generation reuse that memory
		// instead of asking the OS for more: fresh pages cost a page fault
		// each, and on googleapis that made generation take twice as long
		// and the peak 40% higher than with this collection (README,
		// Performance). Generation then allocates about 2.8 times the live
		// heap (0.92 GB against 0.32 GB on googleapis, now that the request
		// keeps only the source info of services), which GOGC 200 answers
		// with one collection midway. 400 puts it off to the end, but took
		// the peak from 1.05 to 1.31 GiB, and three runs of each showed no
		// saving of CPU time (user+sys): the fresh pages it takes cost
		// about what the collection saves.
		runtime.GC()
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	phaseDone("collect")
	files, err := g.generate(gen)
	phaseDone("generate")
	if err != nil {
		gen.Error(err)
		return gen.Response(), nil
	}
	if owned {
		// Only protoc and buf run the plugin in its own process; gotutor
		// new and gen write go.mod themselves.
		if hint := runtimeHint(opts.Out, files); hint != "" {
			g.opts.Warn(hint)
		}
	}
	resp := gen.Response()
	resp.File = append(resp.File, files...)
	return resp, nil
}

// withParameter returns a request with req's files and the parameter
// param, for protogen, which reads its options from the request.
func withParameter(req *pluginpb.CodeGeneratorRequest, param string) *pluginpb.CodeGeneratorRequest {
	return &pluginpb.CodeGeneratorRequest{
		FileToGenerate:        req.FileToGenerate,
		Parameter:             proto.String(param),
		ProtoFile:             req.ProtoFile,
		SourceFileDescriptors: req.SourceFileDescriptors,
		CompilerVersion:       req.CompilerVersion,
	}
}

// RunPlugin reads a CodeGeneratorRequest from r and writes the response to w,
// as protoc's plugin protocol wants; the request's parameter sets options
// over opts.
func RunPlugin(r io.Reader, w io.Writer, opts Options) error {
	in, err := readAll(r)
	if err != nil {
		return fmt.Errorf("reading the request from stdin: %v", err)
	}
	if len(in) == 0 {
		return errors.New("no CodeGeneratorRequest on stdin: protoc-gen-gotutor is run by protoc or buf (protoc --gotutor_out=. x.proto), not by hand")
	}
	// Most of a request is source code info that gotutor never reads.
	in = keepServiceSourceInfo(in)
	req := &pluginpb.CodeGeneratorRequest{}
	if err := (proto.UnmarshalOptions{Resolver: optionsLeftUnread}).Unmarshal(in, req); err != nil {
		// The error's own text is left out: protobuf randomizes it.
		return errors.New("stdin does not hold a CodeGeneratorRequest: protoc-gen-gotutor is run by protoc or buf, not by hand")
	}
	if len(req.GetFileToGenerate()) == 0 {
		return errors.New("the CodeGeneratorRequest names no file to generate")
	}
	in = nil
	phaseDone("unmarshal")
	resp, err := respond(req, opts, true)
	if err != nil {
		return err
	}
	err = writeResponse(w, resp)
	phaseDone("write")
	return err
}

// readAll is io.ReadAll, growing its buffer by doubling it: io.ReadAll
// grows it by a quarter at a time once it is large, which for the 73 MB
// of googleapis' request allocated (and copied) 320 MB, on fresh pages
// that the OS has to fault in.
func readAll(r io.Reader) ([]byte, error) {
	b := make([]byte, 0, 1<<20)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = slices.Grow(b, cap(b))
		}
	}
}

// optionsLeftUnread resolves only the Go features of editions while the
// request is read (protogen needs them parsed to know each message's API
// level), so that other custom options (google.api, buf.validate, ...) stay
// in their options' unknown fields, as they do in a plugin that does not
// link their Go packages. The default resolver would parse every one of
// them into Go messages up front, because gotutor links them; extensionOf
// and protovalidate read them for the descriptors gotutor looks at only.
// On googleapis, where most fields carry such options, reading the request
// took about 0.25 s and 80 to 150 MB more otherwise (README, Performance).
var optionsLeftUnread = func() *protoregistry.Types {
	types := new(protoregistry.Types)
	if err := types.RegisterExtension(gofeaturespb.E_Go); err != nil {
		panic(err)
	}
	return types
}()

// phaseDone marks the end of a phase of RunPlugin, for BenchmarkRunPlugin,
// which times them; a no-op otherwise.
var phaseDone = func(phase string) {}

// writeResponse writes resp in the wire format, byte for byte what
// proto.Marshal(resp) gives, without building it in one piece: the files
// are written one at a time through a buffer reused between them, so the
// output does not need a second copy of every file's content in memory.
// This works because the files (field 15) come last in proto.Marshal's
// field order and a repeated field may be written element by element.
func writeResponse(w io.Writer, resp *pluginpb.CodeGeneratorResponse) error {
	files := resp.File
	resp.File = nil
	buf, err := proto.Marshal(resp)
	resp.File = files
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(w, 256<<10)
	if _, err := out.Write(buf); err != nil {
		return err
	}
	const fileField = 15 // CodeGeneratorResponse.file
	var head []byte
	for _, f := range files {
		if buf, err = (proto.MarshalOptions{}).MarshalAppend(buf[:0], f); err != nil {
			return err
		}
		head = protowire.AppendTag(head[:0], fileField, protowire.BytesType)
		head = protowire.AppendVarint(head, uint64(len(buf)))
		if _, err := out.Write(head); err != nil {
			return err
		}
		if _, err := out.Write(buf); err != nil {
			return err
		}
	}
	return out.Flush()
}

// oneLine rewrites protogen's several-line error about a missing go_package
// as one line that says what to do.
func oneLine(err error) error {
	msg := err.Error()
	rest, ok := strings.CutPrefix(msg, "unable to determine Go import path for ")
	if !ok {
		return err
	}
	file, _, _ := strings.Cut(rest, "\n")
	name := strings.Trim(file, `"`)
	return fmt.Errorf("unable to determine Go import path for %s: add `option go_package = \"example.com/your/module/pkg\";` to it, or pass --gotutor_opt=M%s=example.com/your/module/pkg (and the same M to --go_out and --go-grpc_out)", file, name)
}
