// Package testkit holds the helpers shared by gotutor's tests: Diff, which
// shows how output differs from what was expected, BuildPlugins, which
// builds the protoc plugins (for the benchmark and the examples' generator
// too), and, for the end-to-end tests that build and run generated modules
// (protoc-gen-gotutor's and cmd/gotutor's), files, the go command, server
// mains on loopback ports, buf (BuildBuf), a self-signed certificate
// (SelfSigned) and a CA that issues servers' and clients' certificates
// (NewCA).
package testkit

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// WriteFile writes content to name, making its directory.
func WriteFile(t testing.TB, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}

// ReadFile returns the content of name.
func ReadFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// ReplaceIn replaces the first old in the file name by new, as a user's
// edit; the test fails if old is not there.
func ReplaceIn(t testing.TB, name, old, new string) {
	t.Helper()
	data := string(ReadFile(t, name))
	if !strings.Contains(data, old) {
		t.Fatalf("%s lacks %q", name, old)
	}
	WriteFile(t, name, strings.Replace(data, old, new, 1))
}

// Go runs the go command in dir, outside any workspace and free to update
// go.mod, and returns its combined output; it fails the test if go fails.
func Go(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// ModuleVersion returns the version of module path in this repository's
// build list, so that generated modules use the same grpc and protobuf.
func ModuleVersion(t testing.TB, path string) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", path).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v", path, err)
	}
	return strings.TrimSpace(string(out))
}

// StartServer starts the server main bin with -addr on a free loopback
// port and the flags args, and returns the address once it listens. The server is killed when
// the test ends, and its log shown if the test failed.
func StartServer(t testing.TB, bin string, args ...string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var logs bytes.Buffer
	server := exec.Command(bin, append([]string{"-addr", addr}, args...)...)
	server.Stdout, server.Stderr = &logs, &logs
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = server.Process.Kill()
		_ = server.Wait()
		if t.Failed() {
			t.Logf("%s logged:\n%s", filepath.Base(bin), logs.String())
		}
	})
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
	}
	t.Fatalf("%s does not listen on %s after 20s", bin, addr)
	return ""
}

// Missing stops a test that lacks something outside Go it needs (a program
// such as protoc, nginx or chromium, the module proxy, ../shared beside the
// checkout): in CI, which provides all of them (.ci/run), it fails;
// elsewhere it skips, saying what to install.
func Missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(what + "; CI must provide it (.ci/run, .ci/needs.txt)")
	}
	t.Skip(what)
}
