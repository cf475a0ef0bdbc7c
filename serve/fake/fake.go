package fake

import (
	"context"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/gotutor/gotutor/serve"
)

// Fake holds the answers that a test programmed and the calls that a
// server had. Its ServerOptions put it in front of the server's servicer.
type Fake struct {
	mu       sync.Mutex
	answers  map[string][]*answer // by full method, the next first
	requests map[string]func() proto.Message
	calls    []*call
}

// answer is one programmed answer, untyped.
type answer struct {
	times           int // the calls it still answers; 0: every call
	delay, interval time.Duration
	ending          error
	// respond gives the messages to send and the error to end with, for
	// the call's requests (a unary call's request; a client's stream's
	// messages; one message of a bidirectional stream).
	respond func(ctx context.Context, reqs []proto.Message) ([]proto.Message, error)
}

// call is the record of one call.
type call struct {
	method   string
	requests []proto.Message
	md       metadata.MD
	time     time.Time
}

// New returns an empty Fake, reset when t ends.
func New(t testing.TB) *Fake {
	f := &Fake{answers: map[string][]*answer{}, requests: map[string]func() proto.Message{}}
	t.Cleanup(f.Reset)
	return f
}

// Reset forgets every answer programmed and every call recorded.
func (f *Fake) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.answers)
	f.calls = nil
}

// Count returns how many calls the server has had, of every method.
func (f *Fake) Count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// ServerOptions returns the interceptors that answer the programmed
// methods and record every call. Add them after the server's other
// interceptors, so that those (such as the check of requests against
// their rules) see the calls that the fake answers.
func (f *Fake) ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.ChainUnaryInterceptor(f.unary), grpc.ChainStreamInterceptor(f.stream)}
}

// program adds a to the answers of method, replacing the last one if it
// answers every call.
func (f *Fake) program(method string, a *answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l := f.answers[method]
	if n := len(l); n > 0 && l[n-1].times == 0 {
		l = l[:n-1]
	}
	f.answers[method] = append(l, a)
}

// claim returns the answer for the next call of method, or nil if there
// is none left.
func (f *Fake) claim(method string) *answer {
	f.mu.Lock()
	defer f.mu.Unlock()
	l := f.answers[method]
	if len(l) == 0 {
		return nil
	}
	a := l[0]
	if a.times > 0 {
		a.times--
		if a.times == 0 {
			f.answers[method] = l[1:]
		}
	}
	return a
}

// begin records the start of a call of method.
func (f *Fake) begin(ctx context.Context, method string) *call {
	md, _ := metadata.FromIncomingContext(ctx)
	c := &call{method: method, md: md.Copy(), time: time.Now()}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
	return c
}

// received records a request of c, a copy, so that the servicer may
// change its own.
func (f *Fake) received(c *call, m any) {
	msg, ok := m.(proto.Message)
	if !ok {
		return
	}
	msg = proto.Clone(msg)
	f.mu.Lock()
	defer f.mu.Unlock()
	c.requests = append(c.requests, msg)
}

// callsOf returns the calls of method, their requests copied out.
func (f *Fake) callsOf(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.method == method {
			cc := *c
			cc.requests = append([]proto.Message(nil), c.requests...)
			out = append(out, cc)
		}
	}
	return out
}

// forget removes the answers and calls of method.
func (f *Fake) forget(method string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.answers, method)
	kept := f.calls[:0]
	for _, c := range f.calls {
		if c.method != method {
			kept = append(kept, c)
		}
	}
	clear(f.calls[len(kept):])
	f.calls = kept
}

func (f *Fake) unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	c := f.begin(ctx, info.FullMethod)
	f.received(c, req)
	a := f.claim(info.FullMethod)
	msg, ok := req.(proto.Message)
	if a == nil || !ok {
		return handler(ctx, req)
	}
	if err := serve.Wait(ctx, a.delay); err != nil {
		return nil, err
	}
	resps, err := a.respond(ctx, []proto.Message{msg})
	if err != nil {
		return nil, err
	}
	return one(resps, info.FullMethod)
}

// one returns the single response of a unary call or a client's stream.
func one(resps []proto.Message, method string) (proto.Message, error) {
	if len(resps) != 1 || resps[0] == nil || !resps[0].ProtoReflect().IsValid() {
		return nil, status.Errorf(codes.Internal, "fake: %s was programmed with %d responses, want 1", method, len(resps))
	}
	return resps[0], nil
}

func (f *Fake) stream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	c := f.begin(ss.Context(), info.FullMethod)
	rs := &recordingStream{ServerStream: ss, fake: f, call: c}
	f.mu.Lock()
	newRequest := f.requests[info.FullMethod]
	f.mu.Unlock()
	// The answer is claimed before the first message is read, so that a
	// call left to the servicer has all of its messages.
	a := f.claim(info.FullMethod)
	if a == nil || newRequest == nil {
		return handler(srv, rs)
	}
	ctx := ss.Context()
	switch {
	case !info.IsClientStream:
		req := newRequest()
		if err := rs.RecvMsg(req); err != nil {
			return err
		}
		return a.send(ctx, rs, []proto.Message{req})
	case !info.IsServerStream:
		var reqs []proto.Message
		for {
			req := newRequest()
			err := rs.RecvMsg(req)
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			reqs = append(reqs, req)
		}
		if err := serve.Wait(ctx, a.delay); err != nil {
			return err
		}
		resps, err := a.respond(ctx, reqs)
		if err != nil {
			return err
		}
		resp, err := one(resps, info.FullMethod)
		if err != nil {
			return err
		}
		return rs.SendMsg(resp)
	}
	// Each message of a bidirectional stream takes the next answer: the
	// first's is claimed above, the others' once they arrive.
	for n := 1; ; n++ {
		req := newRequest()
		err := rs.RecvMsg(req)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if n > 1 {
			if a = f.claim(info.FullMethod); a == nil {
				return status.Errorf(codes.FailedPrecondition, "fake: %s has no answer left for message %d of the stream", info.FullMethod, n)
			}
		}
		if err := a.send(ctx, rs, []proto.Message{req}); err != nil {
			return err
		}
	}
}

// send sends a's messages for reqs on a stream, after its delay and with
// its interval between them, and returns the error that ends it (nil for
// a bidirectional stream to go on).
func (a *answer) send(ctx context.Context, ss grpc.ServerStream, reqs []proto.Message) error {
	if err := serve.Wait(ctx, a.delay); err != nil {
		return err
	}
	msgs, err := a.respond(ctx, reqs)
	for i, m := range msgs {
		if i > 0 {
			if err := serve.Wait(ctx, a.interval); err != nil {
				return err
			}
		}
		if err := ss.SendMsg(m); err != nil {
			return err
		}
	}
	if err != nil {
		return err
	}
	return a.ending
}

// recordingStream records the messages read from a stream.
type recordingStream struct {
	grpc.ServerStream
	fake *Fake
	call *call
}

func (s *recordingStream) RecvMsg(m any) error {
	err := s.ServerStream.RecvMsg(m)
	if err == nil {
		s.fake.received(s.call, m)
	}
	return err
}

// Option changes an answer.
type Option func(*answer)

// Delay makes the answer wait d before its response or first message
// (or until the call's deadline, which then ends it).
func Delay(d time.Duration) Option { return func(a *answer) { a.delay = d } }

// Interval makes the answer wait d between the messages it sends on a
// stream.
func Interval(d time.Duration) Option { return func(a *answer) { a.interval = d } }

// Times makes the answer answer the next n calls (each message of a
// bidirectional stream) only, and the answer given after it the ones
// after. Without it, an answer answers every call.
func Times(n int) Option {
	if n <= 0 {
		panic(fmt.Sprintf("fake.Times(%d): want at least 1", n))
	}
	return func(a *answer) { a.times = n }
}

// Ending makes a stream end with err (a status.Error) after the
// answer's messages, instead of OK.
func Ending(err error) Option { return func(a *answer) { a.ending = err } }
