package generator

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/prototext"

	"github.com/gotutor/gotutor/internal/protoreq"
)

// TestCELExamples counts the examples of testdata/celrules (a message a
// case, each reaching rules written in CEL) that validate, without and with
// the search for values that meet them, and fails under 110 of 120 with:
//
//	go test ./generator -run TestCELExamples -v
func TestCELExamples(t *testing.T) {
	total, before, after, invalid := celCounts(t, "testdata/celrules", "celrules.proto", "predefined.proto")
	t.Logf("CEL examples valid: %d/%d (%d/%d without the search)", after, total, before, total)
	t.Logf("still invalid: %s", strings.Join(invalid, "; "))
	if after*120 < total*110 {
		t.Errorf("%d of %d examples with CEL rules validate; want at least 110 of 120", after, total)
	}
	// protovalidate's own test protos, in its module, where the module
	// cache has them.
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "buf.build/go/protovalidate").Output()
	dir := filepath.Join(strings.TrimSpace(string(out)), "proto")
	if _, serr := os.Stat(dir); err != nil || serr != nil {
		t.Logf("protovalidate's protos not found (%v %v): not counted", err, serr)
		return
	}
	total, before, after, invalid = celCounts(t, dir, "tests/example/v1/validations.proto", "tests/example/v1/filter.proto", "tests/example/v1/predefined.proto")
	t.Logf("protovalidate's own test protos: CEL examples valid: %d/%d (%d/%d without the search)", after, total, before, total)
	t.Logf("still invalid: %s", strings.Join(invalid, "; "))
}

// celCounts compiles files below dir and counts the top-level messages of
// each whose examples reach rules written in CEL (total), and those of
// them that validate, without the search (before) and with it (after); it
// names those that do not, with the rules they break.
func celCounts(t *testing.T, dir string, files ...string) (total, before, after int, invalid []string) {
	var param []string
	for _, name := range files {
		param = append(param, "M"+name+"=example.com/"+strings.TrimSuffix(filepath.Base(name), ".proto"))
	}
	req, err := protoreq.Compile(context.Background(), []string{dir}, files, strings.Join(param, ","))
	if err != nil {
		t.Fatal(err)
	}
	gen, err := protogen.Options{}.New(req)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []*protogen.Message
	for _, name := range files {
		msgs = append(msgs, gen.FilesByPath[name].Messages...)
	}
	for _, m := range msgs {
		if !reachesCEL(m, map[*protogen.Message]bool{}) {
			continue
		}
		total++
		plain := &exampleBuilder{noSearch: true}
		built, err := plain.example(m, true)
		if err != nil {
			t.Fatal(err)
		}
		if built.valid {
			before++
		}
		searched, err := (&exampleBuilder{}).example(m, true)
		if err != nil {
			t.Fatal(err)
		}
		// The same on every run.
		again, err := (&exampleBuilder{}).example(m, true)
		if err != nil {
			t.Fatal(err)
		}
		r := goRenderer{newImportSet(m.GoIdent.GoImportPath, nil)}
		if a, b := r.expr(searched.value, 1, false), r.expr(again.value, 1, false); a != b {
			t.Errorf("%s: two runs give two examples:\n%s\n%s", m.Desc.Name(), a, b)
		}
		// The builder's word is protovalidate's.
		if ok := checkRules(protovalidate.GlobalValidator, searched.value.dynamic()) == nil; ok != searched.valid {
			t.Errorf("%s: valid is %v, protovalidate says %v", m.Desc.Name(), searched.valid, ok)
		}
		if searched.valid {
			after++
			continue
		}
		var rules []string
		for _, v := range searched.violations {
			rules = append(rules, v.Rule)
		}
		invalid = append(invalid, string(m.Desc.Name())+" ("+strings.Join(rules, ", ")+")")
	}
	return total, before, after, invalid
}

// reachesCEL reports whether the example of m may meet a rule written in
// CEL (or a predefined rule, which is written in CEL): on m, its fields, or
// the messages of its fields.
func reachesCEL(m *protogen.Message, seen map[*protogen.Message]bool) bool {
	if m == nil || seen[m] {
		return false
	}
	seen[m] = true
	if hasExtension(m.Desc.Options(), validate.E_Message) {
		if r, err := protovalidate.ResolveMessageRules(m.Desc); err == nil && (len(r.GetCel()) > 0 || len(r.GetCelExpression()) > 0) {
			return true
		}
	}
	for _, f := range m.Fields {
		if r := fieldRules(f); r != nil {
			text := prototext.Format(r)
			if strings.Contains(text, "cel") || strings.Contains(text, "[") {
				return true
			}
		}
		if reachesCEL(f.Message, seen) {
			return true
		}
	}
	return false
}
