package generator

import (
	"fmt"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/pluginpb"
)

// UninitializedExamples builds the view-model of every file of req that
// gets generated and returns a line for each example value that lacks a
// required field, so would not marshal: the fuzz test checks every random
// case with it, in-process, where running the generated tests would take
// seconds per case.
func UninitializedExamples(req *pluginpb.CodeGeneratorRequest) ([]string, error) {
	gen, err := protogen.Options{}.New(proto.Clone(req).(*pluginpb.CodeGeneratorRequest))
	if err != nil {
		return nil, err
	}
	pkgs := indexGoPackages(gen)
	var bad []string
	taken := map[protogen.GoImportPath]names{}
	for _, f := range gen.Files {
		if !f.Generate || len(f.Services) == 0 {
			continue
		}
		if taken[f.GoImportPath] == nil {
			taken[f.GoImportPath] = declaredNames(pkgs.files[f.GoImportPath], gen.FilesByPath)
		}
		model, err := buildFile(f, taken[f.GoImportPath], "test", pkgs.nameOf, indexAPI(gen), true)
		if err != nil {
			return nil, err
		}
		for _, ex := range model.Examples {
			if err := proto.CheckInitialized(ex.Value.dynamic()); err != nil {
				bad = append(bad, fmt.Sprintf("%s: %s: %v", f.Desc.Path(), ex.Func.GoName, err))
			}
		}
	}
	return bad, nil
}
