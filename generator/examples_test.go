package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/internal/protoreq"
	"google.golang.org/protobuf/compiler/protogen"
)

// exampleBodies compiles one proto file and returns the body of the example
// constructor of each of its messages, by message name.
func exampleBodies(t *testing.T, source string) map[string]string {
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
	f := gen.FilesByPath["x.proto"]
	b := &exampleBuilder{im: newImportSet(f.GoImportPath, nil)}
	bodies := map[string]string{}
	for _, m := range f.Messages {
		body, _ := b.example(m)
		bodies[string(m.Desc.Name())] = body
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
			"m.Error.(*Reader_Struct).Struct.Keys.Error.(*Reader_Struct).Struct.Keys = &Reader{}\n",
		}, nil},
		{"Choice", []string{"m.Pick = &Choice_Second{Second: \"second\"}\n"}, []string{"Never", "First"}},
		{"Never", []string{"m := &Never{}\n"}, []string{"Next"}},
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
