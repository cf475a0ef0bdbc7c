package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/internal/protoreq"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
)

// compileOne compiles source as x.proto and returns the plugin's view of it.
func compileOne(t *testing.T, source string) *protogen.Plugin {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.proto"), []byte(source), 0o644); err != nil {
		t.Fatal(err)
	}
	req, err := protoreq.Compile(context.Background(), []string{dir}, []string{"x.proto"}, "")
	if err != nil {
		t.Fatal(err)
	}
	gen, err := protogen.Options{}.New(req)
	if err != nil {
		t.Fatal(err)
	}
	return gen
}

// exampleBodies compiles one proto file and returns the body of the example
// constructor of each of its messages, by message name.
func exampleBodies(t *testing.T, source string) map[string]string {
	t.Helper()
	f := compileOne(t, source).FilesByPath["x.proto"]
	b := &exampleBuilder{}
	r := goRenderer{newImportSet(f.GoImportPath, nil)}
	bodies := map[string]string{}
	for _, m := range f.Messages {
		built, err := b.example(m, true)
		if err != nil {
			t.Fatal(err)
		}
		bodies[string(m.Desc.Name())] = r.expr(built.value, 1, false)
	}
	return bodies
}

// TestExampleRequiredFields checks the examples of messages with required
// fields: a required field is set even past the recursion limit, a field
// whose type can never be built (a cycle of required fields) stays unset,
// and a oneof passes over such a member to the next one.
func TestExampleRequiredFields(t *testing.T) {
	bodies := exampleBodies(t, `syntax = "proto2";
package x;
option go_package = "example.com/x";
message Never { required Never next = 1; }
message Reader {
  oneof error {
    X struct = 1;
  }
}
message X { required Reader keys = 1; }
message Choice {
  optional Never never = 1;
  oneof pick {
    Never first = 2;
    string second = 3;
  }
}
`)
	for _, c := range []struct {
		message      string
		want, unwant []string
	}{
		// Reader > X > Reader > X: the second X's required keys is still set.
		{"Reader", []string{
			"&Reader{\n\t\tError: &Reader_Struct{Struct: &X{Keys: &Reader{Error: &Reader_Struct{Struct: &X{Keys: &Reader{}}}}}},\n\t}",
		}, nil},
		{"Choice", []string{`&Choice{Pick: &Choice_Second{Second: "second"}}`}, []string{"Never", "First"}},
		{"Never", []string{"&Never{}"}, []string{"Next"}},
	} {
		body := bodies[c.message]
		for _, want := range c.want {
			if !strings.Contains(body, want) {
				t.Errorf("example of %s lacks %q:\n%s", c.message, want, body)
			}
		}
		for _, unwant := range c.unwant {
			if strings.Contains(body, unwant) {
				t.Errorf("example of %s mentions %s:\n%s", c.message, unwant, body)
			}
		}
	}
}

// requiredTree returns a proto2 file whose message L0 requires fan
// messages L1, each of which requires fan messages L2, and so on down to
// L<levels-1>, which requires a string: an example of L0 must set
// fan^(levels-1) strings.
func requiredTree(levels, fan int) string {
	var b strings.Builder
	b.WriteString("syntax = \"proto2\";\npackage fan;\noption go_package = \"example.com/fan\";\n")
	for i := range levels {
		fmt.Fprintf(&b, "message L%d {", i)
		if i == levels-1 {
			b.WriteString(" required string s = 1;")
		}
		for j := range fan {
			if i < levels-1 {
				fmt.Fprintf(&b, " required L%d f%d = %d;", i+1, j, j+1)
			}
		}
		b.WriteString(" }\n")
	}
	return b.String()
}

// TestExampleRequiredTree checks that an example sets every required field
// of a large tree of required messages, and that a tree too large to write
// out gets an error naming the message rather than megabytes of code.
func TestExampleRequiredTree(t *testing.T) {
	gen := compileOne(t, requiredTree(6, 4)) // 4^5 = 1024 strings
	f := gen.FilesByPath["x.proto"]
	b := &exampleBuilder{}
	built, err := b.example(f.Messages[0], true)
	if err != nil {
		t.Fatal(err)
	}
	body := goRenderer{newImportSet(f.GoImportPath, nil)}.expr(built.value, 1, false)
	if err := proto.CheckInitialized(built.value.dynamic()); err != nil {
		t.Errorf("the example of fan.L0 lacks a required field: %v", err)
	}
	if got, want := strings.Count(body, "S: proto.String(\"s\")"), 1024; got != want {
		t.Errorf("the example of fan.L0 sets %d strings, want %d", got, want)
	}

	gen = compileOne(t, requiredTree(7, 5)) // 5^6 = 15625 strings
	f = gen.FilesByPath["x.proto"]
	b = &exampleBuilder{}
	_, err = b.example(f.Messages[0], true)
	want := "message fan.L0: its required fields alone take more than 10000 fields to set in an example; gotutor writes examples out in full, and does not write one this large"
	if err == nil || err.Error() != want {
		t.Errorf("example of a tree of 15625 required strings: error %v, want %q", err, want)
	}
}
