package serve

import (
	"context"
	"net"
	"sync"
)

// MemListener is a listener in memory, on which tests serve a server main's
// plumbing. Its connections are net.Pipe, whose deadlines can be set and
// cleared at once: the HTTP server does so between requests, and bufconn's
// can then fail the next read with a timeout that fired late.
type MemListener struct {
	conns  chan net.Conn
	closed chan struct{}
	close  sync.Once
}

// NewMemListener returns a listener that Dial reaches.
func NewMemListener() *MemListener {
	return &MemListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

// Dial connects to the listener. It fits grpc.WithContextDialer, and
// http.Transport's DialContext once the network is dropped.
func (l *MemListener) Dial(ctx context.Context, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Accept waits for the next Dial.
func (l *MemListener) Accept() (net.Conn, error) {
	select {
	case conn := <-l.conns:
		return conn, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

// Close stops Accept and Dial; connections already made stay open.
func (l *MemListener) Close() error {
	l.close.Do(func() { close(l.closed) })
	return nil
}

// Addr is the listener's address, "memory".
func (l *MemListener) Addr() net.Addr { return memAddr{} }

type memAddr struct{}

func (memAddr) Network() string { return "memory" }
func (memAddr) String() string  { return "memory" }
