package routeguide_test

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/routeguide"
	"google.golang.org/grpc"

	"github.com/gotutor/gotutor/internal/testkit"
)

// officialClient is the package of the official grpc-go route guide
// client, at the version that testdata/officialclient/go.mod pins.
const officialClient = "google.golang.org/grpc/examples/route_guide/client"

// TestOfficialGoClient builds the official grpc-go route guide client from
// the Go module cache (downloading it through the module proxy if need be;
// none of its code is in this repository), runs it against our server on a
// loopback port, and checks what it logs. It is skipped, saying why, when
// the module cannot be downloaded; TestRouteGuideService_OfficialClient
// makes the same calls without it.
func TestOfficialGoClient(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads and builds the official client; skipped with -short")
	}
	client := buildOfficialClient(t)

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	routeguide.RegisterRouteGuideServer(srv, routeguide.NewRouteGuideService())
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	cmd := exec.Command(client, "-addr", lis.Addr().String())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the official client failed: %v\n%s", err, out.Bytes())
		}
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("the official client did not finish in 60s:\n%s", out.Bytes())
	}
	log := out.String()

	// Each call's lines, in the client's own format (its log lines start
	// with a timestamp; messages are printed in protobuf's text format,
	// whose spacing varies).
	var want []string
	want = append(want,
		`Getting feature for point \(409146138, -746188906\)\n.*name:\s*"Berkshire Valley Management Area Trail, Jefferson, NJ, USA"\s+location:\s*\{\s*latitude:\s*409146138\s+longitude:\s*-746188906\s*\}`,
		`Getting feature for point \(0, 0\)\n\S+ \S+ location:\s*\{\s*\}\n`,
		`Looking for features within`,
	)
	for _, f := range db {
		want = append(want, regexp.QuoteMeta(fmt.Sprintf("Feature: name: %q, point:(%d, %d)", f.GetName(), f.GetLocation().GetLatitude(), f.GetLocation().GetLongitude())))
	}
	want = append(want,
		`Traversing \d+ points\.`,
		`Route summary: point_count:\s*\d+`,
		`Got message First message at point\(0, 1\)`,
		`Got message Second message at point\(0, 2\)`,
		`Got message Third message at point\(0, 3\)`,
	)
	rest := log
	for _, w := range want {
		loc := regexp.MustCompile(w).FindStringIndex(rest)
		if loc == nil {
			t.Fatalf("the official client's log lacks (in order) %s:\n%s", w, log)
		}
		rest = rest[loc[1]:]
	}
	if got := strings.Count(log, "Feature: name:"); got != len(db) {
		t.Errorf("the official client listed %d features, want %d:\n%s", got, len(db), log)
	}
	if got := strings.Count(log, "Got message"); got != 3 {
		t.Errorf("the official client got %d notes back, want 3:\n%s", got, log)
	}
	// The route is random: its summary must count the points it sent.
	sent := regexp.MustCompile(`Traversing (\d+) points\.`).FindStringSubmatch(log)
	counted := regexp.MustCompile(`point_count:\s*(\d+)`).FindStringSubmatch(log)
	if sent[1] != counted[1] {
		t.Errorf("the client sent %s points, the summary counts %s:\n%s", sent[1], counted[1], log)
	}
	if n, _ := strconv.Atoi(sent[1]); n < 2 {
		t.Errorf("the client sent %d points, want at least 2", n)
	}
}

// buildOfficialClient builds the official client in a copy of
// testdata/officialclient and returns the binary, or skips the test when
// the module cannot be downloaded.
func buildOfficialClient(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join("testdata", "officialclient", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goCmd := func(args ...string) ([]byte, error) {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		// The module's own go.mod and go.sum, verified; not this one's.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOWORK=off")
		return cmd.CombinedOutput()
	}
	if out, err := goCmd("list", "-deps", officialClient); err != nil {
		testkit.Missing(t, fmt.Sprintf("cannot download the official route guide client (module proxy unreachable?): %v\n%s", err, out))
	}
	bin := filepath.Join(dir, "route_guide_client")
	if out, err := goCmd("build", "-o", bin, officialClient); err != nil {
		t.Fatalf("building the official route guide client: %v\n%s", err, out)
	}
	return bin
}
