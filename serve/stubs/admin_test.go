package stubs_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	testpb "google.golang.org/grpc/interop/grpc_testing"

	"github.com/gotutor/gotutor/serve/servetest"
	"github.com/gotutor/gotutor/serve/stubs"
)

// adminURL is the admin API's URL, from the server's log.
func adminURL(t *testing.T, s *servetest.Server) string {
	t.Helper()
	m := regexp.MustCompile(`msg="stubs: admin API" addr=(\S+)`).FindStringSubmatch(s.Log.String())
	if m == nil {
		t.Fatalf("the log names no admin API:\n%s", s.Log.String())
	}
	return "http://" + m[1]
}

// fetch sends a request to the admin API and returns the status code and
// body.
func fetch(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// TestAdminAPI checks gripmock's admin API: stubs added, listed, searched
// and deleted; a wrong stub refused with the reason, keeping the stubs
// before it; the history of calls and their verification; and the API
// stopped with the server.
func TestAdminAPI(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "file.json", equalsJSON)
	s := start(t, "-stubs", dir, "-admin-addr", "localhost:0")
	api := adminURL(t, s) + "/api"

	code, body := fetch(t, "GET", api+"/stubs", "")
	var list []stubs.Stub
	if err := json.Unmarshal([]byte(body), &list); code != 200 || err != nil || len(list) != 1 || list[0].Method != "UnaryCall" || !strings.HasSuffix(list[0].Source, "file.json") || list[0].ID == "" {
		t.Fatalf("GET /api/stubs: %d %s; want the file's stub", code, body)
	}

	code, body = fetch(t, "POST", api+"/stubs", `[{"service": "TestService", "method": "UnaryCall", "input": {"contains": {"payload": {"body": "eA=="}}}, "output": {"data": {"username": "from the API"}}, "times": 2}]`)
	var ids []string
	if err := json.Unmarshal([]byte(body), &ids); code != 200 || err != nil || len(ids) != 1 {
		t.Fatalf("POST /api/stubs: %d %s; want its ID", code, body)
	}
	if got := username(t, s, "x"); got != "from the API" {
		t.Errorf("after POST /api/stubs: %q; want the stub's answer", got)
	}

	code, body = fetch(t, "POST", api+"/stubs", `{"service": "TestService", "method": "UnaryCall", "output": {"data": {"nmae": "x"}}}`)
	if want := `{"error":"request: output.data.nmae: grpc.testing.SimpleResponse has no field \"nmae\""}`; code != 400 || body != want {
		t.Errorf("POST /api/stubs of a wrong stub: %d %s; want 400 %s", code, body, want)
	}
	code, body = fetch(t, "POST", api+"/stubs", `{"service": "Nope", "method": "UnaryCall"}`)
	if !strings.HasPrefix(body, `{"error":"request: service: unknown service \"Nope\" (the server serves `) || code != 400 {
		t.Errorf("POST /api/stubs of an unknown service: %d %s; want 400 naming it", code, body)
	}
	code, body = fetch(t, "GET", api+"/stubs/"+ids[0], "")
	if code != 200 || !strings.Contains(body, `"username":"from the API"`) {
		t.Errorf("GET /api/stubs/{id}: %d %s; want the stub added", code, body)
	}

	code, body = fetch(t, "POST", api+"/stubs/search", `{"service": "grpc.testing.TestService", "method": "UnaryCall", "data": {"payload": {"body": "eA=="}}}`)
	if code != 200 || !strings.Contains(body, `"username":"from the API"`) || !strings.Contains(body, `"id":"`+ids[0]+`"`) {
		t.Errorf("POST /api/stubs/search: %d %s; want the stub added", code, body)
	}
	code, body = fetch(t, "POST", api+"/stubs/search", `{"service": "TestService", "method": "UnaryCall", "data": {"responseSize": 1}}`)
	if want := `{"error":"no stub of /grpc.testing.TestService/UnaryCall matches"}`; code != 404 || body != want {
		t.Errorf("POST /api/stubs/search, no match: %d %s; want 404 %s", code, body, want)
	}

	// The stub answers twice (times: 2), then the servicer does.
	if got := username(t, s, "x"); got != "from the API" {
		t.Errorf("second call: %q; want the stub's answer", got)
	}
	if got := username(t, s, "x"); got != "servicer" {
		t.Errorf("third call: %q; want the servicer's, the stub's times used up", got)
	}

	code, body = fetch(t, "GET", api+"/history", "")
	var calls []stubs.Call
	if err := json.Unmarshal([]byte(body), &calls); code != 200 || err != nil || len(calls) != 3 {
		t.Fatalf("GET /api/history: %d %s; want 3 calls", code, body)
	}
	if c := calls[0]; c.Service != "grpc.testing.TestService" || c.Method != "UnaryCall" || c.StubID != ids[0] || c.Request.(map[string]any)["payload"].(map[string]any)["body"] != "eA==" {
		t.Errorf("GET /api/history: first call %+v; want UnaryCall with its request, answered by %s", c, ids[0])
	}
	if c := calls[2]; c.StubID != "" || c.Response.(map[string]any)["username"] != "servicer" {
		t.Errorf("GET /api/history: last call %+v; want the servicer's answer", c)
	}
	// A call of the history, as a stub, answers the same call the same.
	recorded, err := json.Marshal(calls[2].Stub())
	if err != nil {
		t.Fatal(err)
	}
	recorded = []byte(strings.Replace(string(recorded), `"servicer"`, `"recorded"`, 1))
	if code, body = fetch(t, "POST", api+"/stubs", string(recorded)); code != 200 {
		t.Fatalf("POST /api/stubs of %s: %d %s", recorded, code, body)
	}
	if got := username(t, s, "x"); got != "recorded" {
		t.Errorf("the recorded call: %q; want the recorded stub's answer", got)
	}

	code, body = fetch(t, "POST", api+"/verify", `{"service": "TestService", "method": "UnaryCall", "expectedCount": 4}`)
	if code != 200 || !strings.Contains(body, `"message":"ok"`) {
		t.Errorf("POST /api/verify: %d %s; want 200", code, body)
	}
	code, body = fetch(t, "POST", api+"/verify", `{"service": "TestService", "method": "UnaryCall", "expectedCount": 1}`)
	if want := `{"actual":4,"expected":1,"message":"/grpc.testing.TestService/UnaryCall was called 4 times, not 1"}`; code != 400 || body != want {
		t.Errorf("POST /api/verify, wrong count: %d %s; want 400 %s", code, body, want)
	}

	// A stream of a method without stubs counts too.
	stream, err := testpb.NewTestServiceClient(s.Conn).StreamingOutputCall(t.Context(), &testpb.StreamingOutputCallRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = stream.Recv()
	}
	code, body = fetch(t, "POST", api+"/verify", `{"service": "TestService", "method": "StreamingOutputCall", "expectedCount": 1}`)
	if code != 200 {
		t.Errorf("POST /api/verify of a stream: %d %s; want 200", code, body)
	}

	code, body = fetch(t, "DELETE", api+"/stubs/"+ids[0], "")
	if code != 204 {
		t.Errorf("DELETE /api/stubs/{id}: %d %s; want 204", code, body)
	}
	code, _ = fetch(t, "DELETE", api+"/stubs/"+ids[0], "")
	if code != 404 {
		t.Errorf("DELETE /api/stubs/{id} again: %d; want 404", code)
	}
	code, body = fetch(t, "DELETE", api+"/stubs", "")
	if code != 204 {
		t.Errorf("DELETE /api/stubs: %d %s; want 204", code, body)
	}
	if _, body = fetch(t, "GET", api+"/stubs", ""); !strings.Contains(body, "file.json") {
		t.Errorf("GET /api/stubs after DELETE: %s; want the file's stub still", body)
	}

	// The admin API stops with the server.
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 2 * time.Second}
	if resp, err := client.Get(api + "/stubs"); err == nil {
		resp.Body.Close()
		t.Errorf("GET /api/stubs after the server stopped: %s; want no answer", resp.Status)
	}
}
