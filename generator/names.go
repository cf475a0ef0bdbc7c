package generator

import (
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/types/gofeaturespb"
)

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
