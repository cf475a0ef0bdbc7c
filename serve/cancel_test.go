package serve_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/grpc/health/grpc_health_v1"
)

// webCall is a call of Wait or Watch over one of the protocols of the one
// port.
type webCall struct {
	protocol, path, contentType string
	body                        []byte
	header                      []string
}

// waitCalls are the calls of Wait and Watch over each protocol, naming
// themselves name; timeout, when set, is the call's deadline in
// milliseconds, in each protocol's header.
func waitCalls(name string, timeout int) []webCall {
	msg := []byte(`{"name":"` + name + `"}`)
	connect, grpcWeb, rest := []string{"Connect-Protocol-Version", "1"}, []string(nil), []string(nil)
	if timeout > 0 {
		connect = append(connect, "Connect-Timeout-Ms", fmt.Sprint(timeout))
		grpcWeb = []string{"Grpc-Timeout", fmt.Sprintf("%dm", timeout)}
		rest = []string{"X-Server-Timeout", fmt.Sprintf("%.3f", float64(timeout)/1000)}
	}
	return []webCall{
		{"Connect unary", "/gotutor.test.Web/Wait", "application/json", msg, connect},
		{"Connect stream", "/gotutor.test.Web/Watch", "application/connect+json", envelope(0, msg), connect},
		{"gRPC-Web unary", "/gotutor.test.Web/Wait", "application/grpc-web+json", envelope(0, msg), grpcWeb},
		{"gRPC-Web stream", "/gotutor.test.Web/Watch", "application/grpc-web+json", envelope(0, msg), grpcWeb},
		{"REST", "/v1/wait", "application/json", msg, rest},
	}
}

// request is c's request to base ("http://memory") in ctx.
func (c webCall) request(t *testing.T, ctx context.Context, base string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+c.path, strings.NewReader(string(c.body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", c.contentType)
	for i := 0; i+1 < len(c.header); i += 2 {
		req.Header.Set(c.header[i], c.header[i+1])
	}
	return req
}

// receive returns the next value of ch, or fails the test after a
// generous bound.
func receive[T any](t *testing.T, what string, ch <-chan T) (T, bool) {
	t.Helper()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(10 * time.Second):
		t.Errorf("%s: nothing after 10s", what)
		var zero T
		return zero, false
	}
}

// h2cClient is an HTTP/2 client without TLS.
func h2cClient(t *testing.T) *http.Client {
	var h2c http.Protocols
	h2c.SetUnencryptedHTTP2(true)
	client := &http.Client{Transport: &http.Transport{Protocols: &h2c}}
	t.Cleanup(client.CloseIdleConnections)
	return client
}

// TestClientGoesAway checks that a client that goes away cancels its call
// on every protocol, over HTTP/1.1 and HTTP/2.
func TestClientGoesAway(t *testing.T) {
	addr, w, _ := serveTCP(t)
	clients := map[string]*http.Client{"HTTP/1.1": {Transport: &http.Transport{}}, "HTTP/2": h2cClient(t)}
	for version, client := range clients {
		for _, c := range waitCalls("away", 0) {
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() {
				resp, err := client.Do(c.request(t, ctx, "http://"+addr))
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				done <- err
			}()
			if _, ok := receive(t, version+" "+c.protocol+": the call", w.started); !ok {
				cancel()
				continue
			}
			cancel()
			if err, ok := receive(t, version+" "+c.protocol+": the end of the call once its client went away", w.ended); ok && !errors.Is(err, context.Canceled) {
				t.Errorf("%s %s: the call ended with %v, want %v", version, c.protocol, err, context.Canceled)
			}
			<-done
		}
	}
}

// TestDeadlines checks that the deadline of each protocol (Connect's
// Connect-Timeout-Ms, gRPC-Web's grpc-timeout, REST's X-Server-Timeout)
// is the call's, and that its end answers deadline_exceeded, again and
// again, over HTTP/1.1 and HTTP/2.
func TestDeadlines(t *testing.T) {
	addr, w, _ := serveTCP(t)
	clients := map[string]*http.Client{"HTTP/1.1": {Transport: &http.Transport{}}, "HTTP/2": h2cClient(t)}
	for version, client := range clients {
		for _, c := range waitCalls("late", 50) {
			for i := range 4 {
				r := do(t, client, c.request(t, t.Context(), "http://"+addr))
				if got := r.rpcCode(); got != "deadline_exceeded" {
					t.Errorf("%s %s, call %d past its deadline: %d %s %.200q, want deadline_exceeded", version, c.protocol, i, r.code, got, r.body)
				}
				if c.contentType == "application/json" && r.code != http.StatusGatewayTimeout {
					t.Errorf("%s %s, call %d past its deadline: HTTP %d, want 504", version, c.protocol, i, r.code)
				}
				<-w.started
				// gRPC's server ends the call's context at its deadline,
				// as canceled or as past its deadline, whichever of its
				// two timers fires first.
				if err, ok := receive(t, version+" "+c.protocol+": the end of the call", w.ended); ok && err == nil {
					t.Errorf("%s %s: the call ended without an error", version, c.protocol)
				}
			}
		}
	}
}

// TestStopAnswersHTTPCalls checks that the calls still open over HTTP when
// the grace of a stop ends get a status, unavailable, rather than a
// connection cut.
func TestStopAnswersHTTPCalls(t *testing.T) {
	addr, w, s := serveTCP(t, "-grace=200ms")
	clients := map[string]*http.Client{"HTTP/1.1": {Transport: &http.Transport{}}, "HTTP/2": h2cClient(t)}
	type answer struct {
		call string
		r    reply
		err  error
	}
	answers := make(chan answer, 20)
	var wg sync.WaitGroup
	for version, client := range clients {
		for _, c := range waitCalls("stopped", 0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := answer{call: version + " " + c.protocol}
				resp, err := client.Do(c.request(t, t.Context(), "http://"+addr))
				if err != nil {
					a.err = err
				} else {
					body, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					a.r, a.err = reply{code: resp.StatusCode, header: resp.Header, body: body, trailer: resp.Trailer}, err
				}
				answers <- a
			}()
			if _, ok := receive(t, version+" "+c.protocol+": the call", w.started); !ok {
				return
			}
		}
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(answers)
	for a := range answers {
		if a.err != nil {
			t.Errorf("%s, open when the server stopped: %v, want a status", a.call, a.err)
			continue
		}
		if strings.HasPrefix(a.r.header.Get("Content-Type"), "application/grpc-web") {
			// The trailers in the body.
			a.r = parseGRPCWebTrailers(a.r)
		}
		if got := a.r.rpcCode(); got != "unavailable" {
			t.Errorf("%s, open when the server stopped: %d %s %.200q, want unavailable", a.call, a.r.code, got, a.r.body)
		}
	}
}

// TestHandlerOutlivesBodyTimeout checks that a call whose request body
// was read is not canceled when -read-body-timeout passes while it runs:
// it runs until its deadline.
func TestHandlerOutlivesBodyTimeout(t *testing.T) {
	addr, w, _ := serveTCP(t, "-read-body-timeout=50ms")
	client := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(client.CloseIdleConnections)
	for _, c := range waitCalls("slow", 300) {
		start := time.Now()
		r := do(t, client, c.request(t, t.Context(), "http://"+addr))
		if got := r.rpcCode(); got != "deadline_exceeded" {
			t.Errorf("%s: %d %s %q, want deadline_exceeded", c.protocol, r.code, got, r.body)
		}
		<-w.started
		<-w.ended
		if took := time.Since(start); took < 300*time.Millisecond {
			t.Errorf("%s: the call ended after %v, before its deadline of 300ms", c.protocol, took)
		}
	}
}

// TestBurst checks that many calls at once all succeed, over HTTP/1.1 and
// HTTP/2: each call's context ends with its client, and not before.
func TestBurst(t *testing.T) {
	addr, _, _ := serveTCP(t)
	clients := map[string]*http.Client{"HTTP/1.1": {Transport: &http.Transport{MaxIdleConnsPerHost: 50}}, "HTTP/2": h2cClient(t)}
	for version, client := range clients {
		for _, opts := range [][]connect.ClientOption{{connect.WithProtoJSON()}, {connect.WithGRPCWeb()}} {
			health := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](client, "http://"+addr+"/grpc.health.v1.Health/Check", opts...)
			var wg sync.WaitGroup
			errs := make(chan error, 400)
			sem := make(chan struct{}, 50)
			for range 400 {
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					if _, err := health.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{})); err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			n := 0
			for err := range errs {
				if n++; n <= 3 {
					t.Errorf("%s: a call of a burst failed: %v", version, err)
				}
			}
			if n > 0 {
				t.Errorf("%s: %d of 400 calls failed", version, n)
			}
		}
	}
}
