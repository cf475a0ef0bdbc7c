package serve_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
)

// allocated returns how many bytes the whole process allocated while f
// ran: a bound on how much its heap grew, which does not depend on when
// the garbage collector runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// serveTCP serves webService and the probe as a main with OnePort does,
// configured by args, on a loopback TCP listener, whose address it
// returns.
func serveTCP(t *testing.T, args ...string) (string, *web, *served) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w := newWeb()
	s := serveOn(t, serve.Config{OnePort: oneport.Split}, lis, nil, w.register, args)
	return lis.Addr().String(), w, s
}

// rawHTTP sends head (an HTTP/1.1 request's line and headers, without the
// blank line that ends them) and body over a new TCP connection to addr,
// closes the connection's writing side, and reads the response.
func rawHTTP(t *testing.T, addr, head string, body []byte) reply {
	t.Helper()
	var d net.Dialer
	conn, err := d.DialContext(t.Context(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	go func() {
		_, _ = io.WriteString(conn, strings.ReplaceAll(head, "\n", "\r\n")+"\r\n\r\n")
		_, _ = conn.Write(body)
		_ = conn.(*net.TCPConn).CloseWrite()
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s: %v", head, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s: reading the body: %v", head, err)
	}
	return reply{code: resp.StatusCode, header: resp.Header, body: data, trailer: resp.Trailer}
}

// TestMemoryBounded checks that a request that claims more than the
// limits of -max-recv-msg-size and -max-send-msg-size, in its
// Content-Length or in a length prefix, or that sends more, is refused
// with ResourceExhausted on every protocol, without the server allocating
// much more than the limit.
func TestMemoryBounded(t *testing.T) {
	const limit = 64 << 10
	addr, _, _ := serveTCP(t, fmt.Sprintf("-max-recv-msg-size=%d", limit), fmt.Sprintf("-max-send-msg-size=%d", limit))
	// What a call may allocate, the server's and the client's sides
	// together, race detector included.
	const bound = 64 * limit
	const claim = 256 << 20

	lyingPrefix := func(flags byte, msg string) []byte {
		b := envelope(flags, []byte(msg))
		binary.BigEndian.PutUint32(b[1:], claim)
		return b
	}
	for _, c := range []struct {
		name, head string
		body       []byte
	}{
		{"a lying Content-Length (Connect)", "POST /gotutor.test.Web/Echo HTTP/1.1\nHost: x\nContent-Type: application/json\nConnect-Protocol-Version: 1\nContent-Length: " + fmt.Sprint(claim), []byte(`{}`)},
		{"a lying Content-Length (REST)", "POST /v1/things HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: " + fmt.Sprint(claim), []byte(`{}`)},
		{"a lying Content-Length (gRPC-Web)", "POST /gotutor.test.Web/Echo HTTP/1.1\nHost: x\nContent-Type: application/grpc-web+json\nContent-Length: " + fmt.Sprint(claim), envelope(0, []byte(`{}`))},
		{"a lying length prefix (Connect)", "POST /gotutor.test.Web/Watch HTTP/1.1\nHost: x\nContent-Type: application/connect+json\nConnect-Protocol-Version: 1\nContent-Length: 7", lyingPrefix(0, `{}`)},
		{"a lying length prefix (gRPC-Web)", "POST /gotutor.test.Web/Echo HTTP/1.1\nHost: x\nContent-Type: application/grpc-web+json\nContent-Length: 7", lyingPrefix(0, `{}`)},
	} {
		var r reply
		n := allocated(func() { r = rawHTTP(t, addr, c.head, c.body) })
		t.Logf("%s: %d bytes allocated, answered %d %s", c.name, n, r.code, r.rpcCode())
		if got := r.rpcCode(); got != "resource_exhausted" {
			t.Errorf("%s: %d %s %q, want resource_exhausted", c.name, r.code, got, r.body)
		}
		if n > bound {
			t.Errorf("%s: %d bytes allocated, want at most %d", c.name, n, bound)
		}
	}

	client := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(client.CloseIdleConnections)
	// A message just within -max-recv-msg-size goes through on every
	// protocol (its JSON is larger than its binary form), and one just
	// over it gets ResourceExhausted from gRPC.
	for _, c := range []struct {
		size int
		want string
	}{{limit - 100, "ok"}, {limit, "resource_exhausted"}} {
		name := strings.Repeat("a", c.size)
		for _, p := range []struct {
			protocol, path, contentType string
			body                        []byte
			header                      []string
		}{
			{"Connect JSON", "/gotutor.test.Web/Echo", "application/json", []byte(`{"name":"` + name + `"}`), []string{"Connect-Protocol-Version", "1"}},
			{"Connect binary", "/gotutor.test.Web/Echo", "application/proto", marshal(t, newThing(name)), []string{"Connect-Protocol-Version", "1"}},
			{"gRPC-Web", "/gotutor.test.Web/Echo", "application/grpc-web+proto", envelope(0, marshal(t, newThing(name))), nil},
			{"REST", "/v1/things", "application/json", []byte(`{"name":"` + name + `"}`), nil},
		} {
			r := do(t, client, request(t, http.MethodPost, "http://"+addr+p.path, bytes.NewReader(p.body), append(p.header, "Content-Type", p.contentType)...))
			if got := r.rpcCode(); got != c.want {
				t.Errorf("%s, a name of %d bytes: %d %s %.200q, want %s", p.protocol, c.size, r.code, got, r.body, c.want)
			}
		}
	}

	// Bodies far over the limit, whole.
	big := strings.Repeat("a", 16<<20)
	jsonBody := []byte(`{"name":"` + big + `"}`)
	binaryBody := marshal(t, newThing(big))
	for _, c := range []struct {
		name, path, contentType string
		body                    []byte
		header                  []string
	}{
		{"Connect JSON", "/gotutor.test.Web/Echo", "application/json", jsonBody, []string{"Connect-Protocol-Version", "1"}},
		{"Connect binary", "/gotutor.test.Web/Echo", "application/proto", binaryBody, []string{"Connect-Protocol-Version", "1"}},
		{"Connect streaming JSON", "/gotutor.test.Web/Watch", "application/connect+json", envelope(0, jsonBody), []string{"Connect-Protocol-Version", "1"}},
		{"gRPC-Web", "/gotutor.test.Web/Echo", "application/grpc-web+proto", envelope(0, binaryBody), nil},
		{"gRPC-Web JSON", "/gotutor.test.Web/Echo", "application/grpc-web+json", envelope(0, jsonBody), nil},
		{"REST", "/v1/things", "application/json", jsonBody, nil},
	} {
		for _, chunked := range []bool{false, true} {
			var body io.Reader = bytes.NewReader(c.body)
			if chunked {
				body = io.MultiReader(body) // hides the length
			}
			req := request(t, http.MethodPost, "http://"+addr+c.path, body, append(c.header, "Content-Type", c.contentType)...)
			var r reply
			n := allocated(func() { r = do(t, client, req) })
			t.Logf("%s (chunked: %v), %d bytes: %d bytes allocated, answered %d %s", c.name, chunked, len(c.body), n, r.code, r.rpcCode())
			if got := r.rpcCode(); got != "resource_exhausted" {
				t.Errorf("%s (chunked: %v): %d %s %.200q, want resource_exhausted", c.name, chunked, r.code, got, r.body)
			}
			if n > bound {
				t.Errorf("%s (chunked: %v): %d bytes allocated, want at most %d", c.name, chunked, n, bound)
			}
		}
	}
}
