package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// stubFiles is how many files writeStubs spreads its stubs over.
const stubFiles = 5

// matchedMessage is the answer of the one stub that ghz's request
// ({"name":"name"}) matches: the server with stubs must give it.
const matchedMessage = "Hello, name, from a stub"

// writeStubs writes n stubs of helloworld.Greeter.SayHello (n >= 2) to
// stubFiles JSON files in dir, as a mock server's stubs might be: most
// answer one name each (input.equals), a few more also need a header, some
// take names by a regular expression (input.matches) or a part
// (input.contains), and the last one, in the last file, answers ghz's
// request: a server that tried every stub in turn would try all of them
// before it.
func writeStubs(dir string, n int) error {
	if n < 2 {
		return fmt.Errorf("-stubs %d: want at least 2", n)
	}
	stub := func(input map[string]any, message string) map[string]any {
		return map[string]any{
			"service": "helloworld.Greeter",
			"method":  "SayHello",
			"input":   input,
			"output":  map[string]any{"data": map[string]any{"message": message}},
		}
	}
	var all []map[string]any
	others := min(n/25, 10) // of each kind but equals
	for i := range others {
		all = append(all, stub(map[string]any{
			"equals":  map[string]any{"name": fmt.Sprintf("tenant-%d", i)},
			"headers": map[string]any{"equals": map[string]any{"x-tenant": fmt.Sprintf("t%d", i)}},
		}, fmt.Sprintf("Hello, tenant %d", i)))
		all = append(all, stub(map[string]any{"matches": map[string]any{"name": fmt.Sprintf("^vip-%d-", i)}}, "Hello, VIP"))
		all = append(all, stub(map[string]any{"contains": map[string]any{"name": fmt.Sprintf("guest-%d", i)}}, "Hello, guest"))
	}
	for i := 0; len(all) < n-1; i++ {
		name := fmt.Sprintf("user-%04d", i)
		all = append(all, stub(map[string]any{"equals": map[string]any{"name": name}}, "Hello, "+name))
	}
	all = append(all, stub(map[string]any{"equals": map[string]any{"name": "name"}}, matchedMessage))

	per := (len(all) + stubFiles - 1) / stubFiles
	for f := 0; f*per < len(all); f++ {
		data, err := json.MarshalIndent(all[f*per:min((f+1)*per, len(all))], "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("greeter-%d.json", f+1)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// stubsMain returns the greeter server main's main.go with Stubs:
// stubs.New in its Config, as the mains that protoc-gen-gotutor scaffolds
// today have it (the example's was scaffolded before), or "" if it has it
// already.
func stubsMain(mainGo string) (string, error) {
	data, err := os.ReadFile(mainGo)
	if err != nil {
		return "", err
	}
	src := string(data)
	if strings.Contains(src, "stubs.New") {
		return "", nil
	}
	const (
		config   = "serve.Config{OnePort: oneport.Split}"
		oneport  = "\t\"github.com/gotutor/gotutor/serve/oneport\"\n"
		withStub = "serve.Config{OnePort: oneport.Split, Stubs: stubs.New}"
	)
	if strings.Count(src, config) != 1 || strings.Count(src, oneport) != 1 {
		return "", fmt.Errorf("%s has neither stubs.New nor the one %s that benchserver would give it: set Stubs: stubs.New in its serve.Config", mainGo, config)
	}
	src = strings.Replace(src, config, withStub, 1)
	src = strings.Replace(src, oneport, oneport+"\t\"github.com/gotutor/gotutor/serve/stubs\"\n", 1)
	return src, nil
}
