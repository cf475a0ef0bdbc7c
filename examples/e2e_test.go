package examples

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	// The test builds the mains in a subprocess, which go test's cache does
	// not see: importing the examples' packages makes a change to their
	// servicers or generated code a change to this test.
	_ "github.com/gotutor/gotutor/examples/echo"
	_ "github.com/gotutor/gotutor/examples/helloworld"
	_ "github.com/gotutor/gotutor/examples/routeguide"
	_ "github.com/gotutor/gotutor/examples/search"
	_ "github.com/gotutor/gotutor/examples/simplecal"
	_ "github.com/gotutor/gotutor/examples/testservice"
)

// TestMainsOverTCP builds every example's server and client mains, starts
// each server on a free loopback port, runs its client against it and
// checks what the client prints: what the example's document prints.
func TestMainsOverTCP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every main; skipped with -short")
	}
	bin := buildMains(t)
	for _, tc := range []struct {
		name   string
		server string
		client string
		args   []string
		want   func(port string) string
		// spaces are ignored in JSON, which protojson spaces at random
		ignoreSpaces bool
	}{
		{
			name: "helloworld", server: "greeter-server", client: "greeter-client",
			want: lines("Greeter client received: Hello, you!"),
		},
		{
			name: "helloworld/name", server: "greeter-server", client: "greeter-client",
			args: []string{"-name", "世界"},
			want: lines("Greeter client received: Hello, 世界!"),
		},
		{
			name: "helloworld/example calls", server: "greeter-server", client: "greeter-client",
			args: []string{"-method", "all"},
			want: lines(`SayHello: {"message":"Hello, name!"}`), ignoreSpaces: true,
		},
		{
			name: "search", server: "recipesearch-server", client: "recipesearch-client",
			want: lines(
				`Search: query "soup", page 1, 10 per page, int_list [1 2 5]`,
				"2 of 2 recipes match:",
				"  2 Cauliflower soup (CAULIFLOWER)",
				"  5 Cold cucumber soup (CUCUMBER)",
				"ListRecipes: CUCUMBER",
				"  4 Cucumber salad (CUCUMBER)",
				"  5 Cold cucumber soup (CUCUMBER)",
				"  6 Pickled cucumbers (CUCUMBER)",
			),
		},
		{
			name: "search/paged", server: "recipesearch-server", client: "recipesearch-client",
			args: []string{"-query", "", "-int_list", "", "-page_number", "2", "-result_per_page", "4", "-vege", "CAULIFLOWER"},
			want: lines(
				`Search: query "", page 2, 4 per page, int_list []`,
				"2 of 6 recipes match:",
				"  5 Cold cucumber soup (CUCUMBER)",
				"  6 Pickled cucumbers (CUCUMBER)",
				"ListRecipes: CAULIFLOWER",
				"  1 Roasted cauliflower (CAULIFLOWER)",
				"  2 Cauliflower soup (CAULIFLOWER)",
				"  3 Cauliflower cheese (CAULIFLOWER)",
			),
		},
		{
			name: "testservice", server: "testservice-server", client: "testservice-client",
			want: func(port string) string {
				return lines(
					"开启GO客户端，IP = 127.0.0.1, PORT = "+port,
					"GO客户端向服务端发起请求...",
					"GO客户端请求服务端成功...",
					"GO客户端调用服务端返回结果:",
					`result1: "f1"`,
					`result2: "fn1"`,
				)(port)
			},
		},
		{
			name: "testservice/java", server: "testservice-server", client: "testservice-client",
			args: []string{"-request1", "java-request1", "-request2", "java-request2"},
			want: func(port string) string {
				return lines(
					"开启GO客户端，IP = 127.0.0.1, PORT = "+port,
					"GO客户端向服务端发起请求...",
					"GO客户端请求服务端成功...",
					"GO客户端调用服务端返回结果:",
					`result1: "res1-java-client->py-server"`,
					`result2: "res1-java-client->py-server"`,
				)(port)
			},
		},
		{
			name: "echo", server: "echo-server", client: "echo-client",
			want: lines("Echo client received: You said: Hello World!"),
		},
		{
			name: "routeguide", server: "routeguide-server", client: "routeguide-client",
			want: lines(strings.Split(strings.TrimSpace(routeGuideClientOutput), "\n")...),
		},
		{
			name: "simplecal", server: "cal-server", client: "cal-client",
			want: lines("100 + 300 = 400", "100 * 300 = 30000"),
		},
		{
			name: "simplecal/numbers", server: "cal-server", client: "cal-client",
			args: []string{"-n", "-7", "-m", "6"},
			want: lines("-7 + 6 = -1", "-7 * 6 = -42"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, filepath.Join(bin, tc.server))
			args := append([]string{"-addr", srv.addr}, tc.args...)
			cmd := exec.Command(filepath.Join(bin, tc.client), args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s %s: %v\n%s", tc.client, strings.Join(args, " "), err, stderr.Bytes())
			}
			got := string(out)
			if tc.name == "routeguide" {
				// The elapsed time of the route is the only line that may vary.
				got = regexp.MustCompile(`(?m)^It took \d+ seconds$`).ReplaceAllString(got, "It took 0 seconds")
			}
			want := tc.want(srv.port)
			if tc.ignoreSpaces {
				got, want = strings.ReplaceAll(got, " ", ""), strings.ReplaceAll(want, " ", "")
			}
			if got != want {
				t.Errorf("%s printed:\n%s\nwant:\n%s", tc.client, got, want)
			}
			srv.stop(t)
			if !strings.Contains(srv.log(), " code=OK ") {
				t.Errorf("%s logged no successful call:\n%s", tc.server, srv.log())
			}
		})
	}
}

// routeGuideClientOutput is what routeguide-client prints against the
// embedded database, with its default -seed.
const routeGuideClientOutput = `
-------------- GetFeature --------------
Feature called Berkshire Valley Management Area Trail, Jefferson, NJ, USA at latitude: 409146138 longitude: -746188906
Found no feature at latitude: 0 longitude: 0
-------------- ListFeatures --------------
Looking for features between 40, -75 and 42, -73
Feature called Patriots Path, Mendham, NJ 07945, USA at latitude: 407838351 longitude: -746143763
Feature called 101 New Jersey 10, Whippany, NJ 07981, USA at latitude: 408122808 longitude: -743999179
Feature called U.S. 6, Shohola, PA 18458, USA at latitude: 413628156 longitude: -749015468
Feature called 5 Conners Road, Kingston, NY 12401, USA at latitude: 419999544 longitude: -740371136
Feature called Mid Hudson Psychiatric Center, New Hampton, NY 10958, USA at latitude: 414008389 longitude: -743951297
Feature called 287 Flugertown Road, Livingston Manor, NY 12758, USA at latitude: 419611318 longitude: -746524769
Feature called 4001 Tremley Point Road, Linden, NJ 07036, USA at latitude: 406109563 longitude: -742186778
Feature called 352 South Mountain Road, Wallkill, NY 12589, USA at latitude: 416802456 longitude: -742370183
Feature called Bailey Turn Road, Harriman, NY 10926, USA at latitude: 412950425 longitude: -741077389
Feature called 193-199 Wawayanda Road, Hewitt, NJ 07421, USA at latitude: 412144655 longitude: -743949739
Feature called Berkshire Valley Management Area Trail, Jefferson, NJ, USA at latitude: 409146138 longitude: -746188906
Feature called  at latitude: 407113723 longitude: -749746483
Feature called  at latitude: 402133926 longitude: -743613249
-------------- RecordRoute --------------
Visiting point latitude: 402133926 longitude: -743613249
Visiting point latitude: 408122808 longitude: -743999179
Visiting point latitude: 407113723 longitude: -749746483
Visiting point latitude: 407113723 longitude: -749746483
Visiting point latitude: 419999544 longitude: -740371136
Visiting point latitude: 402133926 longitude: -743613249
Visiting point latitude: 409146138 longitude: -746188906
Visiting point latitude: 408122808 longitude: -743999179
Visiting point latitude: 416802456 longitude: -742370183
Visiting point latitude: 419999544 longitude: -740371136
Finished trip with 10 points
Passed 10 features
Travelled 719407 meters
It took 0 seconds
-------------- RouteChat --------------
Sending First message at latitude: 0 longitude: 0
Sending Second message at latitude: 0 longitude: 1
Sending Third message at latitude: 1 longitude: 0
Sending Fourth message at latitude: 0 longitude: 0
Sending Fifth message at latitude: 1 longitude: 0
Received message First message at latitude: 0 longitude: 0
Received message Third message at latitude: 1 longitude: 0
`

// lines returns the expected output made of the given lines.
func lines(ls ...string) func(string) string {
	return func(string) string { return strings.Join(ls, "\n") + "\n" }
}

// buildMains builds the server and client mains of every example into a
// temporary directory, once for all the tests of the process, and returns
// it.
func buildMains(t *testing.T) string {
	t.Helper()
	mainsBuilt.Store(true)
	bin, err := mains()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

var (
	mainsBuilt atomic.Bool
	mains      = sync.OnceValues(func() (string, error) {
		bin, err := os.MkdirTemp("", "gotutor-examples-")
		if err != nil {
			return "", err
		}
		cmd := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./...")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build ./...: %v\n%s", err, out)
		}
		return bin, nil
	})
)

// TestMain removes the mains that buildMains built.
func TestMain(m *testing.M) {
	code := m.Run()
	if mainsBuilt.Load() {
		if bin, err := mains(); err == nil {
			os.RemoveAll(bin)
		}
	}
	os.Exit(code)
}

// server is a server main running on a loopback port.
type server struct {
	cmd        *exec.Cmd
	addr, port string
	exited     chan struct{} // closed when the process has exited
	err        error         // the process's exit, once exited is closed

	mu     sync.Mutex
	stderr bytes.Buffer
}

var servingAddr = regexp.MustCompile(` msg=serving .*addr=(\S+)| INFO serving .*addr=(\S+)`)

// startServer starts a server main on 127.0.0.1:0 and waits for the line of
// its log that tells the port it listens on. The server is killed when the
// test ends, if stop has not stopped it.
func startServer(t *testing.T, path string, args ...string) *server {
	t.Helper()
	s := &server{exited: make(chan struct{})}
	s.cmd = exec.Command(path, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	pipe, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	})
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			fmt.Fprintln(&s.stderr, line)
			s.mu.Unlock()
			if m := servingAddr.FindStringSubmatch(line); m != nil {
				addrc <- m[1] + m[2]
			}
		}
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	select {
	case s.addr = <-addrc:
	case <-s.exited:
		t.Fatalf("%s exited before serving: %v\n%s", path, s.err, s.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not say where it serves within 30s:\n%s", path, s.log())
	}
	s.port = s.addr[strings.LastIndex(s.addr, ":")+1:]
	return s
}

func (s *server) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// stop sends SIGTERM and checks that the server shuts down gracefully and
// exits with status 0.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
		if s.err != nil {
			t.Errorf("server after SIGTERM: %v\n%s", s.err, s.log())
		}
	case <-time.After(30 * time.Second):
		t.Errorf("server still running 30s after SIGTERM:\n%s", s.log())
	}
}
