package oneport

import (
	"errors"
	"log/slog"
	"net"
	"os"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
)

// TestHTTPStarted checks which starts of a connection go to the HTTP
// server: a whole HTTP/1 request line, or the HTTP/2 preface up to a
// HEADERS frame; a start broken off is no match.
func TestHTTPStarted(t *testing.T) {
	const settings, headers = "\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x64", "\x00\x00\x01\x01\x05\x00\x00\x00\x01\x82"
	for _, c := range []struct {
		start string
		want  bool
	}{
		{"", false},
		{"GET / HT", false},
		{"GET / HTTP/1.1\r\n", true},
		{"GET /" + strings.Repeat("a", 100) + " HTTP/1.1\n", true},
		{"POST /" + strings.Repeat("a", 100), false},
		{"GET /" + strings.Repeat("a", 10<<10), true}, // too long a line: the HTTP server refuses it
		{"PRI * HTTP/2.0\r\n", false},
		{http2Preface, false},
		{http2Preface + settings, false},
		{http2Preface + settings + headers[:5], false},
		{http2Preface + settings + headers, true},
		{http2Preface + headers, true},
		{"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", true}, // not HTTP/2: a line of HTTP/1
	} {
		// One byte a read, as a slow client sends.
		if got := httpStarted(iotest.OneByteReader(strings.NewReader(c.start))); got != c.want {
			t.Errorf("httpStarted(%.40q): %v, want %v", c.start, got, c.want)
		}
		if got := httpStarted(strings.NewReader(c.start)); got != c.want {
			t.Errorf("httpStarted(%.40q), read at once: %v, want %v", c.start, got, c.want)
		}
	}
}

// failingListener fails each Accept with the next of errs, then succeeds.
type failingListener struct {
	net.Listener
	errs []error
}

func (l *failingListener) Accept() (net.Conn, error) {
	if len(l.errs) > 0 {
		err := l.errs[0]
		l.errs = l.errs[1:]
		return nil, err
	}
	client, server := net.Pipe()
	client.Close()
	return server, nil
}

// TestBackoff checks that Accept waits longer after each failure for want
// of resources, from 5ms to 1s, anew after a success, and passes other
// errors on at once.
func TestBackoff(t *testing.T) {
	emfile := &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept", syscall.EMFILE)}
	var errs []error
	for range 10 {
		errs = append(errs, emfile)
	}
	inner := &failingListener{errs: errs}
	var slept []time.Duration
	lis := backoffListener{Listener: inner, logger: slog.New(slog.DiscardHandler), sleep: func(d time.Duration) { slept = append(slept, d) }}
	if _, err := lis.Accept(); err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	if want := []time.Duration{5 * ms, 10 * ms, 20 * ms, 40 * ms, 80 * ms, 160 * ms, 320 * ms, 640 * ms, time.Second, time.Second}; !reflect.DeepEqual(slept, want) {
		t.Errorf("slept %v, want %v", slept, want)
	}
	slept = nil
	inner.errs = []error{&net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept", syscall.ENFILE)}}
	if _, err := lis.Accept(); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{5 * ms}; !reflect.DeepEqual(slept, want) {
		t.Errorf("after a success, slept %v, want %v", slept, want)
	}
	slept = nil
	inner.errs = []error{net.ErrClosed}
	if _, err := lis.Accept(); !errors.Is(err, net.ErrClosed) || len(slept) > 0 {
		t.Errorf("Accept of a closed listener: %v after sleeping %v, want %v at once", err, slept, net.ErrClosed)
	}
}
