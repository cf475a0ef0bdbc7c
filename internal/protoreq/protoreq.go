// Package protoreq compiles .proto files in-process (with
// github.com/bufbuild/protocompile, so no protoc is needed) into the
// CodeGeneratorRequest that protoc would send a plugin. Tests, the fuzz test
// and cmd/gotutor use it to run plugins without protoc.
package protoreq

import (
	"context"
	"errors"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/linker"
	"github.com/bufbuild/protocompile/protoutil"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"
)

// Compile parses and links files, named relative to one of importPaths
// (the well-known imports google/protobuf/*.proto are built in), and
// returns the request for generating them with the given plugin parameter.
// Comments are kept, as protoc keeps them. Errors name file:line:column.
func Compile(ctx context.Context, importPaths, files []string, parameter string) (*pluginpb.CodeGeneratorRequest, error) {
	if len(files) == 0 {
		return nil, errors.New("no .proto files to compile")
	}
	c := protocompile.Compiler{
		Resolver:       protocompile.WithStandardImports(&protocompile.SourceResolver{ImportPaths: importPaths}),
		SourceInfoMode: protocompile.SourceInfoStandard,
	}
	linked, err := c.Compile(ctx, files...)
	if err != nil {
		return nil, err
	}
	descs := make([]protoreflect.FileDescriptor, len(linked))
	for i, f := range linked {
		descs[i] = f
	}
	return Request(descs, files, parameter), nil
}

// Request returns the request for generating the named files, listing them
// and everything they import, each file after its imports.
func Request(descs []protoreflect.FileDescriptor, generate []string, parameter string) *pluginpb.CodeGeneratorRequest {
	req := &pluginpb.CodeGeneratorRequest{FileToGenerate: generate}
	if parameter != "" {
		req.Parameter = proto.String(parameter)
	}
	seen := map[string]bool{}
	var add func(protoreflect.FileDescriptor)
	add = func(f protoreflect.FileDescriptor) {
		if seen[f.Path()] {
			return
		}
		seen[f.Path()] = true
		imports := f.Imports()
		for i := 0; i < imports.Len(); i++ {
			add(imports.Get(i).FileDescriptor)
		}
		req.ProtoFile = append(req.ProtoFile, fileProto(f))
	}
	for _, f := range descs {
		add(f)
	}
	return req
}

// fileProto returns f's descriptor with source info where f was compiled
// here, or as its generated Go code embeds it (well-known types).
func fileProto(f protoreflect.FileDescriptor) *descriptorpb.FileDescriptorProto {
	var fd *descriptorpb.FileDescriptorProto
	if lf, ok := f.(linker.File); ok {
		fd = protoutil.ProtoFromFileDescriptor(lf)
	} else {
		fd = protoutil.ProtoFromFileDescriptor(f)
	}
	if fd.GetSyntax() == "editions" {
		moveEditionComments(fd)
	}
	return fd
}

// moveEditionComments files the comments of an `edition = ...` statement
// under the syntax field's path, where protoc and buf put them (and where
// protoc-gen-go looks for a file's leading comment); protocompile v0.14.1
// files them under the edition field's.
func moveEditionComments(fd *descriptorpb.FileDescriptorProto) {
	const syntaxField, editionField = 12, 14
	for _, loc := range fd.GetSourceCodeInfo().GetLocation() {
		if len(loc.Path) == 1 && loc.Path[0] == editionField {
			loc.Path[0] = syntaxField
		}
	}
}
