package generator

import (
	"cmp"
	"fmt"
	"os"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/pluginpb"
)

// models builds the view-model of every file of req that gets generated
// and has services, as the plugin does, with no user-owned file, and calls
// fn with each and the index of the request's APIs.
func models(req *pluginpb.CodeGeneratorRequest, fn func(f *protogen.File, model *File, api *apiIndex)) error {
	gen, err := protogen.Options{}.New(proto.Clone(req).(*pluginpb.CodeGeneratorRequest))
	if err != nil {
		return err
	}
	pkgs := indexGoPackages(gen)
	mo := &modelOptions{version: "test", http: true, nameOf: pkgs.nameOf, api: indexAPI(gen),
		readFile: func(string) ([]byte, error) { return nil, os.ErrNotExist }}
	taken := map[protogen.GoImportPath]names{}
	for _, f := range gen.Files {
		if !f.Generate || len(f.Services) == 0 {
			continue
		}
		if taken[f.GoImportPath] == nil {
			taken[f.GoImportPath] = declaredNames(pkgs.files[f.GoImportPath], gen.FilesByPath)
		}
		model, err := newFile(f, taken[f.GoImportPath], mo)
		if err != nil {
			return fmt.Errorf("%s: %v", f.Desc.Path(), err)
		}
		fn(f, model, mo.api)
	}
	return nil
}

// UninitializedExamples builds the view-model of every file of req that
// gets generated and returns a line for each example value that lacks a
// required field, so would not marshal: the fuzz test checks every random
// case with it, in-process, where running the generated tests would take
// seconds per case.
func UninitializedExamples(req *pluginpb.CodeGeneratorRequest) ([]string, error) {
	var bad []string
	err := models(req, func(f *protogen.File, model *File, _ *apiIndex) {
		for _, ex := range model.Examples {
			if err := proto.CheckInitialized(ex.Value.dynamic()); err != nil {
				bad = append(bad, fmt.Sprintf("%s: %s: %v", f.Desc.Path(), ex.Func.GoName, err))
			}
		}
	})
	return bad, err
}

// BuiltExample is an example value that gotutor writes for a file, as the
// fuzz test checks it.
type BuiltExample struct {
	// File is the .proto file, Func the example's constructor.
	File, Func string
	// Message is the value, as a dynamic message of the file's
	// descriptors.
	Message proto.Message
	// HasRules says that buf.validate rules apply to the example, Valid
	// that gotutor found it meets them (so its generated test validates
	// it); Notes are the paragraphs of the constructor's doc comment
	// (the template example_doc) after the first: what the example leaves
	// out, which rules it does not meet.
	HasRules, Valid bool
	Notes           []string
}

// BuiltExamples builds the view-model of every file of req that gets generated
// and returns each of its examples.
func BuiltExamples(req *pluginpb.CodeGeneratorRequest) ([]BuiltExample, error) {
	tmpl, err := parseTemplates("")
	if err != nil {
		return nil, err
	}
	var out []BuiltExample
	var docErr error
	err = models(req, func(f *protogen.File, model *File, _ *apiIndex) {
		for _, ex := range model.Examples {
			var doc strings.Builder
			if err := tmpl.ExecuteTemplate(&doc, "example_doc", ex); err != nil {
				docErr = cmp.Or(docErr, err)
			}
			out = append(out, BuiltExample{File: f.Desc.Path(), Func: ex.Func.GoName, Message: ex.Value.dynamic(),
				HasRules: ex.HasRules, Valid: ex.Valid, Notes: strings.Split(strings.TrimSpace(doc.String()), "\n\n")[1:]})
		}
	})
	return out, cmp.Or(err, docErr)
}
