package stubs_test

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"google.golang.org/grpc"
	testpb "google.golang.org/grpc/interop/grpc_testing"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/stubs"
)

// TestBadStubs checks the error of each kind of wrong stub file, which
// names the file and the place: the line and column of a syntax error,
// or the field's path.
func TestBadStubs(t *testing.T) {
	const unary = `"service": "grpc.testing.TestService", "method": "UnaryCall"`
	for _, c := range []struct {
		name, content, want string
	}{
		{"syntax.json", "{\n  \"service\": \"a\",\n  \"method\": b\n}", `:3:14: invalid character 'b' looking for beginning of value`},
		{"end.json", `{"service": "a"`, `:1:16: unexpected end of JSON`},
		{"syntax.yaml", "- service: a\n  method: [b\n", `:1: did not find expected ',' or ']'`},
		{"tab.yml", "service: a\n\tmethod: b\n", `:2: found a tab character that violates indentation`},
		{"scalar.json", `"UnaryCall"`, `: want a stub (an object) or a list of stubs, got "UnaryCall"`},
		{"field.json", `{` + unary + `, "ouput": {}}`, `: ouput: unknown field "ouput"`},
		{"noservice.json", `{"method": "UnaryCall"}`, `: service: missing`},
		{"service.json", `{"service": "Nope", "method": "UnaryCall"}`, `: service: unknown service "Nope" (the server serves grpc.testing.TestService)`},
		{"method.json", `{"service": "TestService", "method": "Nope"}`, `: method: grpc.testing.TestService has no method "Nope"`},
		{"input.json", `{` + unary + `, "input": {"equals": {"nmae": "x"}}}`, `: input.equals.nmae: grpc.testing.SimpleRequest has no field "nmae"`},
		{"nested.json", `{` + unary + `, "input": {"contains": {"payload": {"bdy": "x"}}}}`, `: input.contains.payload.bdy: grpc.testing.Payload has no field "bdy"`},
		{"enum.json", `{` + unary + `, "input": {"equals": {"response_type": "TEXT"}}}`, `: input.equals.response_type: grpc.testing.PayloadType has no value "TEXT"`},
		{"data.json", `{` + unary + `, "output": {"data": {"username": 5}}}`, `: output.data.username: want a string, got 5`},
		{"int.json", `{` + unary + `, "input": {"equals": {"responseSize": "many"}}}`, `: input.equals.responseSize: want an integer, got "many"`},
		{"stream.yaml", "service: grpc.testing.TestService\nmethod: StreamingOutputCall\noutput:\n  stream:\n    - payload: {body: b25l}\n    - payload: {body: true}\n", `: output.stream[1].payload.body: want a string (base64), got true`},
		{"unarystream.json", `{` + unary + `, "output": {"stream": [{}]}}`, `: output.stream: UnaryCall answers one response: give it as data`},
		{"inputs.json", `{` + unary + `, "inputs": [{}]}`, `: inputs: UnaryCall takes one request: match it with input`},
		{"regexp.json", `{` + unary + `, "input": {"matches": {"payload": {"body": "[a"}}}}`, ": input.matches.payload.body: the regular expression \"[a\" does not compile: error parsing regexp: missing closing ]: `[a`"},
		{"header.json", `{` + unary + `, "input": {"headers": {"matches": {"x-id": "(("}}}}`, ": input.headers.matches.x-id: the regular expression \"((\" does not compile: error parsing regexp: missing closing ): `((`"},
		{"code.yaml", "- service: TestService\n  method: UnaryCall\n- service: TestService\n  method: UnaryCall\n  output: {error: no, code: NOPE}\n", `: [1].output.code: want a gRPC code (0 to 16, or a name such as NOT_FOUND), got "NOPE"`},
		{"details.json", `{` + unary + `, "output": {"code": 5, "details": [{"reason": "x"}]}}`, `: output.details[0]: missing "@type" (such as "type.googleapis.com/google.rpc.ErrorInfo")`},
		{"delay.json", `{` + unary + `, "output": {"delay": "soon"}}`, `: output.delay: want a duration such as "100ms", got "soon"`},
		{"times.json", `{` + unary + `, "times": -1}`, `: times: want 0 (no bound) or more, got -1`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, c.name, c.content)
			server := grpc.NewServer()
			testpb.RegisterTestServiceServer(server, servicer{})
			stop, err := stubs.Open(dir, "", slog.New(slog.DiscardHandler)).Start(server)
			if err == nil {
				stop()
				t.Fatalf("no error; want %s%s", path, c.want)
			}
			if err.Error() != path+c.want {
				t.Errorf("got  %s\nwant %s%s", err, path, c.want)
			}
		})
	}
}

// TestBadStubsStopTheStart checks that a server whose stub file is wrong
// does not start: Serve returns the error, which names the file.
func TestBadStubsStopTheStart(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "a/bad.yaml", "service: grpc.testing.TestService\nmethod: UnaryCall\noutput:\n  data: {user_name: x}\n")
	cfg := serve.Config{Stubs: stubs.New}
	fs := flag.NewFlagSet("main", flag.ContinueOnError)
	cfg.BindFlags(fs)
	if err := fs.Parse([]string{"-stubs", dir}); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	server, err := cfg.NewServer(logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	testpb.RegisterTestServiceServer(server, servicer{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err = cfg.Serve(ctx, serve.NewMemListener(), server, logger, nil)
	want := path + `: output.data.user_name: grpc.testing.SimpleResponse has no field "user_name"`
	if err == nil || err.Error() != want {
		t.Errorf("Serve: %v; want %s", err, want)
	}

	cfg.StubsDir = filepath.Join(dir, "missing")
	if server, err = cfg.NewServer(logger, nil); err != nil {
		t.Fatal(err)
	}
	err = cfg.Serve(ctx, serve.NewMemListener(), server, logger, nil)
	if want := "-stubs " + cfg.StubsDir + ": not a directory"; err == nil || err.Error() != want {
		t.Errorf("Serve: %v; want %s", err, want)
	}
}
