package main

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// pprofOverlay is the file that -cpuprofile adds to each server's package
// main with go build -overlay: net/http/pprof on the address in
// BENCHSERVER_PPROF. The servers' own code is not changed.
const pprofOverlay = `package main

import (
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	if addr := os.Getenv("BENCHSERVER_PPROF"); addr != "" {
		go http.ListenAndServe(addr, nil)
	}
}
`

// profile takes a CPU profile of each server under ghz load, after the
// measured rounds, and writes it to dir/NAME.pprof (the server's name in
// the table, with dashes for spaces). Each server is built
// again with pprofOverlay and loaded by ghz for seconds+2 seconds (-z); the
// profile covers seconds of them, from half a second in. These runs are not
// counted in the table.
func (b *bench) profile(dir string, seconds int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	src := filepath.Join(b.tmp, "pprof_overlay.go")
	if err := os.WriteFile(src, []byte(pprofOverlay), 0o644); err != nil {
		return err
	}
	replace := maps.Clone(b.overlay)
	for _, s := range b.servers {
		replace[filepath.Join(b.root, s.pkg, "zz_benchserver_pprof.go")] = src
	}
	for _, s := range b.servers {
		file := strings.ReplaceAll(s.name, " ", "-")
		bin := filepath.Join(b.tmp, file+"-server-pprof")
		fmt.Fprintf(os.Stderr, "building %s with net/http/pprof\n", s.pkg)
		if err := b.build(bin, s.pkg, replace); err != nil {
			return fmt.Errorf("with pprof: %w", err)
		}
		out := filepath.Join(dir, file+".pprof")
		rps, err := b.profileOnce(s, bin, out, seconds)
		if err != nil {
			return fmt.Errorf("profiling the %s server: %w", s.name, err)
		}
		fmt.Printf("CPU profile of the %s server for %ds at %s calls/s (about %s calls): %s\n", s.name, seconds, formatRPS(rps), formatRPS(rps*float64(seconds)), out)
	}
	fmt.Printf("read them with: go tool pprof -top %s\n", filepath.Join(dir, strings.ReplaceAll(b.servers[0].name, " ", "-")+".pprof"))
	return nil
}

// profileOnce profiles s built as bin and returns the calls per second of
// the ghz run that loaded it.
func (b *bench) profileOnce(s *server, bin, out string, seconds int) (rps float64, err error) {
	addr, err := freeAddr()
	if err != nil {
		return 0, err
	}
	pprofAddr, err := freeAddr()
	if err != nil {
		return 0, err
	}
	file := strings.ReplaceAll(s.name, " ", "-")
	logPath := filepath.Join(b.tmp, file+"-pprof.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return 0, err
	}
	defer logFile.Close()
	srv := exec.Command(bin, append([]string{"-addr", addr}, s.args...)...)
	srv.Stdout, srv.Stderr = logFile, logFile
	srv.Env = serverEnv(append(slices.Clone(s.env), "BENCHSERVER_PPROF="+pprofAddr))
	if err := srv.Start(); err != nil {
		return 0, err
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	defer func() {
		srv.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			srv.Process.Kill()
			<-exited
		}
	}()
	if err := waitReady(s, addr, exited); err != nil {
		return 0, fmt.Errorf("%w (log: %s)", err, tail(logPath))
	}

	jsonPath := filepath.Join(b.tmp, file+"-pprof.json")
	ghz := exec.Command(b.ghz, "--insecure",
		"--proto", filepath.Join(b.root, "examples", "helloworld", "helloworld.proto"),
		"--call", "helloworld.Greeter.SayHello",
		"-d", `{"name":"name"}`,
		"-z", strconv.Itoa(seconds+2)+"s", "-c", strconv.Itoa(b.conc),
		"-O", "json", "-o", jsonPath, addr)
	ghz.Stderr = os.Stderr
	if err := ghz.Start(); err != nil {
		return 0, err
	}
	ghzDone := make(chan error, 1)
	go func() { ghzDone <- ghz.Wait() }()
	time.Sleep(500 * time.Millisecond)

	resp, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", pprofAddr, seconds))
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("pprof: %s", resp.Status)
	}
	if err == nil {
		var f *os.File
		if f, err = os.Create(out); err == nil {
			_, err = io.Copy(f, resp.Body)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
	}
	if resp != nil {
		resp.Body.Close()
	}
	if gerr := <-ghzDone; err == nil && gerr != nil {
		err = fmt.Errorf("ghz: %w", gerr)
	}
	if err != nil {
		return 0, err
	}
	f, err := os.Open(jsonPath)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	res, err := parseGhz(f)
	return res.RPS, err
}
