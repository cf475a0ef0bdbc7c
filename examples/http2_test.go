package examples

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"connectrpc.com/connect"

	"github.com/gotutor/gotutor/examples/routeguide"
	"github.com/gotutor/gotutor/internal/testkit"
)

// TestRouteGuideOverHTTP2 calls routeguide-server's one port as the
// clients of the field do, over HTTP/2 without TLS (h2c, as in a cluster)
// and over TLS with ALPN h2 (as browsers do): connect-go's client over
// Connect (binary and JSON) and gRPC-Web, every kind of call, each round
// on a new connection, 40 rounds over h2c and 30 over TLS; then curl and
// buf curl (the schema read by reflection, a bidirectional stream).
// HTTP/2 on the one port once failed on a third of connections: each
// round must succeed, over HTTP/2.
func TestRouteGuideOverHTTP2(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the mains and buf; skipped with -short")
	}
	bin := buildMains(t)
	certFile, keyFile, pool := testkit.SelfSigned(t)
	for _, tc := range []struct {
		name   string
		rounds int
		args   []string
		scheme string
	}{
		{name: "h2c", rounds: 40, scheme: "http"},
		{name: "TLS", rounds: 30, scheme: "https", args: []string{"-tls-cert", certFile, "-tls-key", keyFile}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, filepath.Join(bin, "routeguide-server"), tc.args...)
			base := tc.scheme + "://localhost:" + srv.port
			var dials atomic.Int32
			for round := range tc.rounds {
				client := http2Client(t, pool, &dials)
				for _, protocol := range []struct {
					name string
					opts []connect.ClientOption
				}{
					{"Connect binary", nil},
					{"Connect JSON", []connect.ClientOption{connect.WithProtoJSON()}},
					{"gRPC-Web", []connect.ClientOption{connect.WithGRPCWeb()}},
				} {
					if err := routeGuideCalls(t.Context(), client, base, protocol.opts...); err != nil {
						t.Fatalf("round %d, %s: %v\nthe server logged:\n%s", round, protocol.name, err, srv.log())
					}
				}
				client.CloseIdleConnections()
			}
			if n := dials.Load(); n != int32(tc.rounds) {
				t.Errorf("%d connections for %d rounds, want one each", n, tc.rounds)
			}

			t.Run("curl", func(t *testing.T) {
				curlOverHTTP2(t, base, certFile, tc.rounds)
			})
			t.Run("buf curl", func(t *testing.T) {
				bufCurlOverHTTP2(t, base, certFile)
			})
			srv.stop(t)
			if log := srv.log(); strings.Contains(log, "level=WARN") || strings.Contains(log, "level=ERROR") {
				t.Errorf("the server logged a failure:\n%s", log)
			}
		})
	}
}

// http2Client returns an HTTP client that speaks only HTTP/2, with TLS
// (trusting pool) or without (prior knowledge), counting its connections
// in dials, and fails the test on any answer over another protocol.
func http2Client(t *testing.T, pool *x509.CertPool, dials *atomic.Int32) *http.Client {
	var protocols http.Protocols
	protocols.SetHTTP2(true)
	protocols.SetUnencryptedHTTP2(true)
	transport := &http.Transport{
		Protocols:       &protocols,
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
	return &http.Client{Transport: roundTripFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := transport.RoundTrip(req)
		if err == nil && resp.ProtoMajor != 2 {
			t.Errorf("%s %s answered over %s, want HTTP/2", req.Method, req.URL, resp.Proto)
		}
		return resp, err
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// routeGuideCalls makes the four calls of the RouteGuide at base with
// client, over the protocol that opts choose, and checks their answers
// against the tutorial's database.
func routeGuideCalls(ctx context.Context, client *http.Client, base string, opts ...connect.ClientOption) error {
	const service = "/routeguide.RouteGuide/"
	getFeature := connect.NewClient[routeguide.Point, routeguide.Feature](client, base+service+"GetFeature", opts...)
	feature, err := getFeature.CallUnary(ctx, connect.NewRequest(&routeguide.Point{Latitude: 409146138, Longitude: -746188906}))
	if err != nil {
		return fmt.Errorf("GetFeature: %w", err)
	}
	if got, want := feature.Msg.GetName(), "Berkshire Valley Management Area Trail, Jefferson, NJ, USA"; got != want {
		return fmt.Errorf("GetFeature: %q, want %q", got, want)
	}

	listFeatures := connect.NewClient[routeguide.Rectangle, routeguide.Feature](client, base+service+"ListFeatures", opts...)
	features, err := listFeatures.CallServerStream(ctx, connect.NewRequest(&routeguide.Rectangle{
		Lo: &routeguide.Point{Latitude: 400000000, Longitude: -750000000},
		Hi: &routeguide.Point{Latitude: 420000000, Longitude: -730000000},
	}))
	if err != nil {
		return fmt.Errorf("ListFeatures: %w", err)
	}
	n := 0
	for features.Receive() {
		n++
	}
	if err := errors.Join(features.Err(), features.Close()); err != nil || n != 13 {
		return fmt.Errorf("ListFeatures: %d features, %v; want 13", n, err)
	}

	recordRoute := connect.NewClient[routeguide.Point, routeguide.RouteSummary](client, base+service+"RecordRoute", opts...)
	route := recordRoute.CallClientStream(ctx)
	for _, p := range []*routeguide.Point{{Latitude: 409146138, Longitude: -746188906}, {Latitude: 0, Longitude: 0}} {
		if err := route.Send(p); err != nil {
			// Send wraps io.EOF when the call has ended: the answer
			// says why.
			summary, answer := route.CloseAndReceive()
			return fmt.Errorf("RecordRoute: send: %w; the answer: %v, %w", err, summary, answer)
		}
	}
	summary, err := route.CloseAndReceive()
	if err != nil {
		return fmt.Errorf("RecordRoute: %w", err)
	}
	if summary.Msg.GetPointCount() != 2 || summary.Msg.GetFeatureCount() != 1 {
		return fmt.Errorf("RecordRoute: %v, want 2 points and 1 feature", summary.Msg)
	}
	return routeChat(ctx, client, base+service+"RouteChat", opts...)
}

// routeChat checks that RouteChat streams both ways at once: the answer
// to the second note comes back while the request stream is still open.
func routeChat(ctx context.Context, client *http.Client, url string, opts ...connect.ClientOption) error {
	chat := connect.NewClient[routeguide.RouteNote, routeguide.RouteNote](client, url, opts...).CallBidiStream(ctx)
	here := &routeguide.Point{Latitude: 1, Longitude: 2}
	for _, msg := range []string{"first", "second"} {
		if err := chat.Send(&routeguide.RouteNote{Location: here, Message: msg}); err != nil {
			_, answer := chat.Receive()
			return fmt.Errorf("RouteChat: send %s: %w; the answer: %w", msg, err, answer)
		}
	}
	note, err := chat.Receive()
	if err != nil || note.GetMessage() != "first" {
		return fmt.Errorf("RouteChat: received %v, %v before closing, want the first note", note, err)
	}
	if err := chat.CloseRequest(); err != nil {
		return fmt.Errorf("RouteChat: close: %w", err)
	}
	if note, err := chat.Receive(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("RouteChat: received %v, %v after closing, want the end", note, err)
	}
	return chat.CloseResponse()
}

// curlOverHTTP2 makes a Connect JSON call with curl, over HTTP/2 only, on
// a new connection each time (a new curl).
func curlOverHTTP2(t *testing.T, base, certFile string, times int) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		testkit.Missing(t, fmt.Sprintf("curl is not installed (%v): apt-get install curl to run this test", err))
	}
	args := []string{"-sS", "--fail-with-body", "-w", "\n%{http_version}", "-H", "Content-Type: application/json", "-d", `{"latitude":409146138,"longitude":-746188906}`}
	if strings.HasPrefix(base, "https:") {
		args = append(args, "--http2", "--cacert", certFile)
	} else {
		args = append(args, "--http2-prior-knowledge")
	}
	args = append(args, base+"/routeguide.RouteGuide/GetFeature")
	for i := range times {
		out, err := exec.CommandContext(t.Context(), curl, args...).CombinedOutput()
		body, version, _ := strings.Cut(string(out), "\n")
		if err != nil || version != "2" || !strings.Contains(body, `"name":"Berkshire Valley Management Area Trail, Jefferson, NJ, USA"`) {
			t.Fatalf("curl %d of %d (%s): %v\n%s\nwant the feature over HTTP/2", i+1, times, strings.Join(args, " "), err, out)
		}
	}
}

// bufCurlOverHTTP2 calls RouteChat, which streams both ways, with buf curl
// over Connect and gRPC-Web: buf reads the schema by the server's
// reflection, itself a bidirectional stream, so both need HTTP/2.
func bufCurlOverHTTP2(t *testing.T, base, certFile string) {
	buf := testkit.BuildBuf(t)
	notes := `{"location":{"latitude":1},"message":"a"} {"location":{"latitude":1},"message":"b"} {"location":{"latitude":1},"message":"c"}`
	for _, protocol := range []string{"connect", "grpcweb"} {
		args := []string{"curl", "--protocol", protocol, "-d", notes}
		if strings.HasPrefix(base, "https:") {
			args = append(args, "--cacert", certFile)
		} else {
			args = append(args, "--http2-prior-knowledge")
		}
		args = append(args, base+"/routeguide.RouteGuide/RouteChat")
		out, err := exec.CommandContext(t.Context(), buf, args...).CombinedOutput()
		// Note a is answered to b, a and b to c.
		if got := strings.Join(strings.Fields(string(out)), ""); err != nil || got != strings.Repeat(`{"location":{"latitude":1},"message":"a"}`, 2)+`{"location":{"latitude":1},"message":"b"}` {
			t.Errorf("buf %s: %v\n%s\nwant notes a, a, b", strings.Join(args, " "), err, out)
		}
	}
}
