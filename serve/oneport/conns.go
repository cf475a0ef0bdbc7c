package oneport

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"
)

// httpStarted is the matcher of the connections that go to the HTTP
// server: it matches once the first request has begun, an HTTP/1 request
// line, or the HTTP/2 preface and the frames up to the first HEADERS
// (cmux's gRPC matcher, tried first, answered the SETTINGS among them). A
// connection that breaks off or runs out of cmux's read timeout
// (-first-request-timeout) before then matches nothing, and cmux closes
// it.
func httpStarted(r io.Reader) bool {
	const maxLine = 8 << 10 // longer lines are the HTTP server's to refuse
	// The HTTP/2 preface, or as much of it as the first bytes match.
	seen := make([]byte, 0, len(http2Preface))
	for len(seen) < len(http2Preface) && string(seen) == http2Preface[:len(seen)] {
		n, err := r.Read(seen[len(seen):len(http2Preface)])
		seen = seen[:len(seen)+n]
		if err != nil {
			return false
		}
	}
	if string(seen) != http2Preface {
		// HTTP/1: its request line.
		if bytes.IndexByte(seen, '\n') >= 0 {
			return true
		}
		buf := make([]byte, 512)
		for read := len(seen); read < maxLine; {
			n, err := r.Read(buf)
			if bytes.IndexByte(buf[:n], '\n') >= 0 {
				return true
			}
			read += n
			if err != nil {
				return false
			}
		}
		return true
	}
	// HTTP/2: frames up to the first HEADERS.
	for {
		var h [9]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return false
		}
		const headers = 0x1
		if h[3] == headers {
			return true
		}
		length := int64(h[0])<<16 | int64(h[1])<<8 | int64(h[2])
		if _, err := io.CopyN(io.Discard, r, length); err != nil {
			return false
		}
	}
}

// handshakeListener is a TLS listener whose connections end their
// handshake within timeout, or are closed.
type handshakeListener struct {
	net.Listener
	config  *tls.Config
	timeout time.Duration
}

func (l handshakeListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &handshakeConn{Conn: tls.Server(conn, l.config), timeout: l.timeout}, nil
}

// handshakeConn does its TLS handshake on its first read or write, within
// its timeout (0: none).
type handshakeConn struct {
	*tls.Conn
	timeout time.Duration
	once    sync.Once
	err     error
}

func (c *handshakeConn) handshake() error {
	c.once.Do(func() {
		ctx := context.Background()
		if c.timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, c.timeout)
			defer cancel()
		}
		// Past the timeout, the handshake closes the connection.
		c.err = c.Conn.HandshakeContext(ctx)
	})
	return c.err
}

func (c *handshakeConn) Read(p []byte) (int, error) {
	if err := c.handshake(); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *handshakeConn) Write(p []byte) (int, error) {
	if err := c.handshake(); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// backoffListener retries Accept when it fails for want of resources (file
// descriptors, above all), waiting longer each time, from 5ms to 1s,
// rather than spinning as cmux would; it warns once per run of failures.
type backoffListener struct {
	net.Listener
	logger *slog.Logger
	// sleep is time.Sleep; tests replace it.
	sleep func(time.Duration)
}

func (l backoffListener) Accept() (net.Conn, error) {
	var delay time.Duration
	for {
		conn, err := l.Listener.Accept()
		if err == nil || !outOfResources(err) {
			if delay > 0 && err == nil {
				l.logger.Info("accepting connections again")
			}
			return conn, err
		}
		if delay == 0 {
			l.logger.Warn("accepting a connection failed; retrying with backoff", "error", err.Error())
		}
		delay = min(max(2*delay, 5*time.Millisecond), time.Second)
		l.sleep(delay)
	}
}

// outOfResources reports whether err is an accept's error that passes once
// resources are freed, or a connection aborted before it was accepted.
func outOfResources(err error) bool {
	for _, errno := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM, syscall.ECONNABORTED, syscall.EAGAIN, syscall.EINTR} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}
