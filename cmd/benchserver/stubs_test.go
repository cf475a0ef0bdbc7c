package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/serve/stubs"
)

// TestWriteStubs checks that writeStubs writes as many stubs as asked,
// that each parses, and that exactly one answers ghz's request, the last
// one of the last file.
func TestWriteStubs(t *testing.T) {
	dir := t.TempDir()
	if err := writeStubs(dir, 500); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != stubFiles {
		t.Fatalf("%d files; want %d", len(entries), stubFiles)
	}
	var all []stubs.Stub
	kinds := map[string]int{}
	for _, e := range entries {
		name := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		list, err := stubs.Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, list...)
	}
	matched := -1
	for i, st := range all {
		if st.Service != "helloworld.Greeter" || st.Method != "SayHello" {
			t.Errorf("stub %d is of %s/%s; want helloworld.Greeter/SayHello", i, st.Service, st.Method)
		}
		switch {
		case st.Input.Headers != nil:
			kinds["headers"]++
		case st.Input.Matches != nil:
			kinds["matches"]++
		case st.Input.Contains != nil:
			kinds["contains"]++
		case st.Input.Equals != nil:
			kinds["equals"]++
		}
		if st.Input.Equals["name"] == "name" {
			if matched >= 0 {
				t.Errorf("stubs %d and %d both answer ghz's request", matched, i)
			}
			matched = i
			if got := st.Output.Data["message"]; got != matchedMessage {
				t.Errorf("the stub of ghz's request answers %v; want %q", got, matchedMessage)
			}
		}
	}
	if len(all) != 500 || matched != len(all)-1 {
		t.Errorf("%d stubs, ghz's at %d; want 500, ghz's last", len(all), matched)
	}
	if kinds["equals"] != 470 || kinds["headers"] != 10 || kinds["matches"] != 10 || kinds["contains"] != 10 {
		t.Errorf("stubs by kind: %v; want 470 equals (ghz's among them), 10 each of headers, matches and contains", kinds)
	}
	if err := writeStubs(t.TempDir(), 1); err == nil {
		t.Error("writeStubs(1): no error; want one, as ghz's stub needs others beside it")
	}
}

// TestStubsMain checks that the greeter main gets stubs.New in its Config
// and the import of package stubs, and still parses; and that a main
// that has stubs.New already is left alone.
func TestStubsMain(t *testing.T) {
	main := filepath.Join(t.TempDir(), "main.go")
	const src = `package main

import (
	"flag"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
)

func main() {
	cfg := serve.Config{OnePort: oneport.Split}
	cfg.BindFlags(flag.CommandLine)
}
`
	if err := os.WriteFile(main, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := stubsMain(main)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "serve.Config{OnePort: oneport.Split, Stubs: stubs.New}") || !strings.Contains(got, `"github.com/gotutor/gotutor/serve/stubs"`) {
		t.Errorf("stubsMain:\n%s\nlacks stubs.New or its import", got)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), main, got, 0); err != nil {
		t.Errorf("stubsMain's main.go does not parse: %v\n%s", err, got)
	}

	if err := os.WriteFile(main, []byte(got), 0o644); err != nil {
		t.Fatal(err)
	}
	if again, err := stubsMain(main); err != nil || again != "" {
		t.Errorf("stubsMain of a main with stubs.New: %q, %v; want nothing to change", again, err)
	}
	if err := os.WriteFile(main, []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := stubsMain(main); err == nil || !strings.Contains(err.Error(), "Stubs: stubs.New") {
		t.Errorf("stubsMain of a main it cannot change: %v; want an error that says what to do", err)
	}
}
