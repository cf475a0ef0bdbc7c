package generator

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"
)

// Respond runs the plugin on one request and returns the response. Errors
// that make the request unusable (bad options, a file without a Go import
// path) are returned; errors of generation go into the response's error
// field, as protoc expects.
func Respond(req *pluginpb.CodeGeneratorRequest, opts *Options, paramFunc func(name, value string) error) (*pluginpb.CodeGeneratorResponse, error) {
	gen, err := protogen.Options{ParamFunc: paramFunc}.New(req)
	if err != nil {
		return nil, oneLine(err)
	}
	// protogen has built its own descriptors: the request's copies are
	// garbage from here on, which matters for a request of 70 MB.
	req.ProtoFile, req.SourceFileDescriptors = nil, nil
	for _, f := range gen.Files {
		f.Proto = nil
	}
	// The plugin handles proto3 optional and editions up to 2023.
	gen.SupportedFeatures = uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL | pluginpb.CodeGeneratorResponse_FEATURE_SUPPORTS_EDITIONS)
	gen.SupportedEditionsMinimum = descriptorpb.Edition_EDITION_PROTO2
	gen.SupportedEditionsMaximum = descriptorpb.Edition_EDITION_2023
	g, err := New(*opts)
	if err != nil {
		return nil, err
	}
	// Generation allocates mostly garbage on top of protogen's live
	// descriptors. On a large request the heap is already big enough that
	// no collection runs meanwhile; on a small one collections would, and
	// cost more per file than the work itself. Fewer of them keep the cost
	// per file the same at every size (README, Performance).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	for _, param := range strings.Split(req.GetParameter(), ",") {
		if v, ok := strings.CutPrefix(param, "module="); ok {
			g.Module = v
		}
	}
	files, err := g.Generate(gen)
	if err != nil {
		gen.Error(err)
		return gen.Response(), nil
	}
	resp := gen.Response()
	resp.File = append(resp.File, files...)
	return resp, nil
}

// RunPlugin reads a CodeGeneratorRequest from r and writes the response to w,
// as protoc's plugin protocol wants.
func RunPlugin(r io.Reader, w io.Writer, opts *Options, paramFunc func(name, value string) error) error {
	in, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("reading the request from stdin: %v", err)
	}
	if len(in) == 0 {
		return errors.New("no CodeGeneratorRequest on stdin: protoc-gen-gotutor is run by protoc or buf (protoc --gotutor_out=. x.proto), not by hand")
	}
	req := &pluginpb.CodeGeneratorRequest{}
	if err := proto.Unmarshal(in, req); err != nil {
		// The error's own text is left out: protobuf randomizes it.
		return errors.New("stdin does not hold a CodeGeneratorRequest: protoc-gen-gotutor is run by protoc or buf, not by hand")
	}
	if len(req.GetFileToGenerate()) == 0 {
		return errors.New("the CodeGeneratorRequest names no file to generate")
	}
	resp, err := Respond(req, opts, paramFunc)
	if err != nil {
		return err
	}
	out, err := proto.Marshal(resp)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
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
