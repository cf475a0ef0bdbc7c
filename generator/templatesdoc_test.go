package generator

import (
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/templates"
)

// TestTemplatesDocumented checks that templates/TEMPLATES.md documents
// every built-in template, template function, key of pkg and field of the
// view-model, so that a user who overrides a template finds all of them.
func TestTemplatesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../templates/TEMPLATES.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	names, err := fs.Glob(templates.FS, "*.tmpl")
	if err != nil || len(names) == 0 {
		t.Fatalf("no built-in templates: %v", err)
	}
	for _, name := range names {
		if row := "\n| `" + strings.TrimSuffix(name, ".tmpl") + "` |"; !strings.Contains(text, row) {
			t.Errorf("TEMPLATES.md has no row for the template %s", name)
		}
	}
	for name := range templateFuncs {
		if !strings.Contains(text, "\n| `"+name+" ") {
			t.Errorf("TEMPLATES.md has no row for the function %s", name)
		}
	}
	for key := range knownPackages {
		if !strings.Contains(text, "| `"+key+"` |") {
			t.Errorf("TEMPLATES.md does not list the key %q of pkg", key)
		}
	}
	for _, v := range []any{File{}, Service{}, Method{}, Example{}, UnsetField{}, Violation{}, Value{}, FieldValue{}, MapEntry{}} {
		typ := reflect.TypeOf(v)
		if !strings.Contains(text, "`"+typ.Name()+"`") && !strings.Contains(text, "### "+typ.Name()) {
			t.Errorf("TEMPLATES.md does not name the type %s", typ.Name())
		}
		for i := range typ.NumField() {
			if f := typ.Field(i); f.IsExported() && !strings.Contains(text, "`"+f.Name+"`") {
				t.Errorf("TEMPLATES.md does not document %s.%s", typ.Name(), f.Name)
			}
		}
	}
	for _, kind := range []string{"ScalarValue", "EnumValue", "MessageValue", "ListValue", "MapValue"} {
		if !strings.Contains(text, "`"+kind+"`") {
			t.Errorf("TEMPLATES.md does not name the value kind %s", kind)
		}
	}
}
