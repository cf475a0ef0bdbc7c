package simplecal_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/simplecal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/gotutor/gotutor/internal/testkit"
)

// TestCalBehindNginx runs the fifth document's set-up: two Cal servers on
// loopback ports behind nginx, configured by nginx.conf (with other ports),
// and a client that calls through nginx. It checks the answers, that both
// servers got calls, and nginx's access log lines of the document
// ("POST /Cal/Add HTTP/2.0" 200).
func TestCalBehindNginx(t *testing.T) {
	nginx := findNginx(t)

	// Two Cal servers, each counting the calls it answers.
	var calls [2]atomic.Int32
	var backends [2]string
	for i := range backends {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		count := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
			calls[i].Add(1)
			return handler(ctx, req)
		}
		srv := grpc.NewServer(grpc.UnaryInterceptor(count))
		simplecal.RegisterCalServer(srv, simplecal.NewCalService())
		go func() { _ = srv.Serve(lis) }()
		t.Cleanup(srv.Stop)
		backends[i] = lis.Addr().String()
	}

	front, prefix := startNginx(t, nginx, backends)

	conn, err := grpc.NewClient(front, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := simplecal.NewCalClient(conn)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	const rounds = 6
	for i := range int32(rounds) {
		n, m := 100+i, 300-i
		sum, err := client.Add(ctx, &simplecal.AddRequest{Number1: n, Number2: m})
		if err != nil {
			t.Fatalf("Add(%d, %d) through nginx: %v", n, m, err)
		}
		if sum.GetNumber() != 400 {
			t.Errorf("Add(%d, %d) through nginx = %d, want 400", n, m, sum.GetNumber())
		}
		product, err := client.Multiply(ctx, &simplecal.MultiplyRequest{Number1: n, Number2: m})
		if err != nil {
			t.Fatalf("Multiply(%d, %d) through nginx: %v", n, m, err)
		}
		if want := n * m; product.GetNumber() != want {
			t.Errorf("Multiply(%d, %d) through nginx = %d, want %d", n, m, product.GetNumber(), want)
		}
	}

	got0, got1 := calls[0].Load(), calls[1].Load()
	if got0+got1 != 2*rounds {
		t.Errorf("the servers answered %d + %d calls, want %d in all", got0, got1, 2*rounds)
	}
	if got0 == 0 || got1 == 0 {
		t.Errorf("the servers answered %d and %d calls: nginx did not balance over both", got0, got1)
	}

	// nginx writes the access log line when a call ends.
	var log []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		log, _ = os.ReadFile(filepath.Join(prefix, "access.log"))
		if bytes.Count(log, []byte("\n")) >= 2*rounds {
			break
		}
	}
	for _, want := range []string{`"POST /Cal/Add HTTP/2.0" 200`, `"POST /Cal/Multiply HTTP/2.0" 200`} {
		if got := strings.Count(string(log), want); got != rounds {
			t.Errorf("nginx's access log has %d lines with %s, want %d:\n%s", got, want, rounds, log)
		}
	}
}

// findNginx returns the path of nginx, or skips the test.
func findNginx(t *testing.T) string {
	if path, err := exec.LookPath("nginx"); err == nil {
		return path
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	testkit.Missing(t, "nginx is not installed (Debian: apt-get install nginx): cannot test Cal behind nginx")
	return ""
}

// startNginx runs nginx in the foreground with nginx.conf, its two upstream
// servers replaced by backends and its listening address by a free
// loopback port, in a temporary prefix. It returns the address nginx
// listens on and the prefix. nginx is stopped when the test ends.
func startNginx(t *testing.T, nginx string, backends [2]string) (front, prefix string) {
	t.Helper()
	conf, err := os.ReadFile("nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	// The port is free when asked for, and nginx binds it right after; if
	// another process took it in between, nginx fails and we try again.
	for attempt := 1; ; attempt++ {
		front = freePort(t)
		text := string(conf)
		for old, new := range map[string]string{
			"127.0.0.1:50051": backends[0],
			"127.0.0.1:50052": backends[1],
			"127.0.0.1:8080":  front,
		} {
			// Each address appears once in the configuration and once in
			// the comment that says how to run it.
			if n := strings.Count(text, old); n != 2 {
				t.Fatalf("nginx.conf has %s %d times, want 2: the test no longer matches it", old, n)
			}
			text = strings.ReplaceAll(text, old, new)
		}
		prefix = t.TempDir()
		path := filepath.Join(prefix, "nginx.conf")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		// When the test runs as root, nginx's worker runs as nobody: it
		// must be able to enter the prefix.
		if err := os.Chmod(prefix, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(nginx, "-p", prefix+"/", "-c", path, "-e", filepath.Join(prefix, "error.log"), "-g", "daemon off;")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var waitErr error
		exited := make(chan struct{})
		go func() {
			waitErr = cmd.Wait()
			close(exited)
		}()
		if err := waitListening(front, exited); err != nil {
			_ = cmd.Process.Kill()
			<-exited
			errorLog, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
			if attempt < 3 && bytes.Contains(errorLog, []byte("Address already in use")) {
				continue
			}
			t.Fatalf("nginx: %v (%v)\n%s%s", err, waitErr, out.Bytes(), errorLog)
		}
		t.Cleanup(func() {
			// SIGQUIT is nginx's graceful shutdown.
			_ = cmd.Process.Signal(syscall.SIGQUIT)
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
			}
		})
		return front, prefix
	}
}

// freePort returns a loopback address with a port that is free now.
func freePort(t *testing.T) string {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer lis.Close()
	return lis.Addr().String()
}

// waitListening waits until addr accepts connections, or nginx exits.
func waitListening(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-exited:
			return errors.New("exited before listening")
		default:
		}
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}
