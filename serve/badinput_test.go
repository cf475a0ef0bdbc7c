package serve_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
)

// nested is a Thing nested depth deep in its child, as JSON, and binary.
func nested(depth int) (string, []byte) {
	// The binary form: each level's tag and length, innermost first.
	heads := make([][]byte, depth)
	size := 0
	for i := range heads {
		heads[i] = protowire.AppendVarint(protowire.AppendTag(nil, 4, protowire.BytesType), uint64(size))
		size += len(heads[i])
	}
	b := make([]byte, 0, size)
	for i := depth - 1; i >= 0; i-- {
		b = append(b, heads[i]...)
	}
	return strings.Repeat(`{"child":`, depth) + "{}" + strings.Repeat("}", depth), b
}

// waitLog waits until the log holds want, which the server writes once it
// has answered; it fails the test after a generous bound.
func waitLog(t *testing.T, log logger, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(log.String(), want); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Errorf("the log lacks %s:\n%s", want, log)
			return
		}
	}
}

// TestBadInput checks that a request whose message is bad (malformed JSON
// or binary, wrong types, bad base64, invalid UTF-8, nested past the
// limit, null, no message at all, a path's escape of invalid UTF-8) gets
// invalid_argument on every protocol (HTTP 400 for Connect's unary calls
// and REST), that each is in the access log in its format, and that
// nothing is logged past the logger.
func TestBadInput(t *testing.T) {
	var stdlog bytes.Buffer
	defer log.SetOutput(log.Writer())
	log.SetOutput(&stdlog)
	s, _ := startWeb(t, "-log-format=json")
	deepJSON, deepBinary := nested(10_001)
	jsonInputs := map[string]string{
		"malformed JSON":       `{"name":`,
		"a wrong type":         `{"count":"abc"}`,
		"bad base64":           `{"data":"!!!"}`,
		"invalid UTF-8":        "{\"name\":\"\xff\"}",
		"null":                 `null`,
		"an array":             `[]`,
		"JSON nested too deep": deepJSON,
	}
	binaryInputs := map[string][]byte{
		"malformed binary":        {0xff, 0xff, 0xff},
		"binary nested too deep":  deepBinary,
		"binary of invalid UTF-8": protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), "\xff"),
	}
	type input struct {
		protocol, what, path, contentType string
		body                              []byte
		header                            []string
	}
	connect := []string{"Connect-Protocol-Version", "1"}
	var inputs []input
	for what, msg := range jsonInputs {
		inputs = append(inputs,
			input{"Connect JSON", what, "/gotutor.test.Web/Echo", "application/json", []byte(msg), connect},
			input{"Connect streaming JSON", what, "/gotutor.test.Web/Watch", "application/connect+json", envelope(0, []byte(msg)), connect},
			input{"gRPC-Web JSON", what, "/gotutor.test.Web/Echo", "application/grpc-web+json", envelope(0, []byte(msg)), nil},
			input{"REST", what, "/v1/things", "application/json", []byte(msg), nil})
	}
	for what, msg := range binaryInputs {
		inputs = append(inputs,
			input{"Connect binary", what, "/gotutor.test.Web/Echo", "application/proto", msg, connect},
			input{"Connect streaming binary", what, "/gotutor.test.Web/Watch", "application/connect+proto", envelope(0, msg), connect},
			input{"gRPC-Web", what, "/gotutor.test.Web/Echo", "application/grpc-web+proto", envelope(0, msg), nil})
	}
	inputs = append(inputs,
		input{"Connect JSON", "an empty body", "/gotutor.test.Web/Echo", "application/json", nil, connect},
		input{"REST", "an empty body", "/v1/things", "application/json", nil, nil},
		input{"REST", "a path's escape of invalid UTF-8", "/v1/things/%ff", "", nil, nil})
	for _, in := range inputs {
		method := http.MethodPost
		if in.contentType == "" {
			method = http.MethodGet
		}
		req := request(t, method, "http://memory"+in.path, bytes.NewReader(in.body), append(in.header, "Content-Type", in.contentType)...)
		if in.contentType == "" {
			req.Header.Del("Content-Type")
		}
		r := do(t, s.HTTP, req)
		if got := r.rpcCode(); got != "invalid_argument" {
			t.Errorf("%s, %s: %d %s %.200q, want invalid_argument", in.protocol, in.what, r.code, got, r.body)
		}
		if !strings.HasPrefix(in.contentType, "application/connect+") && !strings.HasPrefix(in.contentType, "application/grpc-web") && r.code != http.StatusBadRequest {
			t.Errorf("%s, %s: HTTP %d, want 400", in.protocol, in.what, r.code)
		}
	}
	// A line per request; the interceptor's for those that reached the
	// method, the HTTP server's for the others.
	for deadline := time.Now().Add(10 * time.Second); strings.Count(s.Log.String(), `"msg":"call"`) < len(inputs) && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.Log.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Errorf("a log line not in JSON: %q", line)
			continue
		}
		if entry["msg"] == "call" {
			lines = append(lines, entry)
		}
	}
	if len(lines) != len(inputs) {
		t.Errorf("%d calls logged, want %d:\n%s", len(lines), len(inputs), s.Log)
	}
	for _, l := range lines {
		if l["code"] != "InvalidArgument" || l["level"] != "WARN" || l["peer"] != "pipe" || l["method"] == nil || l["duration"] == nil {
			t.Errorf("a call logged as %v, want a warning of InvalidArgument, with its method, peer and duration", l)
		}
	}
	if stdlog.Len() > 0 {
		t.Errorf("logged past the server's logger:\n%s", stdlog.String())
	}
}

// TestRefusedLogged checks that requests that never reach a method, such
// as those of an unknown method or path, are in the access log, in its
// format, with their HTTP method and status, and that the pages are not.
func TestRefusedLogged(t *testing.T) {
	s, _ := startWeb(t, "-log-level=debug")
	for _, c := range []struct {
		method, path, contentType, want string
	}{
		{http.MethodPost, "/gotutor.test.Web/Nope", "application/json", `level=WARN msg=call method=/gotutor.test.Web/Nope peer=pipe code=NotFound duration=`},
		{http.MethodPost, "/v1/nothing", "application/json", `level=WARN msg=call method=/v1/nothing peer=pipe code=NotFound duration=`},
		{http.MethodPut, "/v1/things", "application/json", `level=WARN msg=call method=/v1/things peer=pipe code=NotFound duration=`},
	} {
		r := do(t, s.HTTP, request(t, c.method, "http://memory"+c.path, strings.NewReader("{}"), "Connect-Protocol-Version", "1", "Content-Type", c.contentType))
		waitLog(t, s.Log, c.want)
		waitLog(t, s.Log, fmt.Sprintf("http=%s status=%d\n", c.method, r.code))
	}
	if code, _ := s.Fetch(t, http.MethodGet, "/", ""); code != http.StatusOK {
		t.Errorf("GET /: %d", code)
	}
	healthCheck(t, s.HTTP, "http://memory")
	wantLog(t, s.Log, `level=DEBUG msg=call method=/grpc.health.v1.Health/Check peer=pipe code=OK`)
	if strings.Contains(s.Log.String(), "method=/ ") {
		t.Errorf("the page was logged as a call:\n%s", s.Log)
	}
}
