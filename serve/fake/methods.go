package fake

import (
	"context"
	"time"

	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
)

// Call is the record of one call of a method.
type Call[Req proto.Message] struct {
	// Requests is the request of a unary or server-streaming call, or the
	// messages of a client's stream read so far.
	Requests []Req
	// Metadata is the call's request metadata (headers).
	Metadata metadata.MD
	// Time is when the call began.
	Time time.Time
}

// Request returns the call's first request (the nil Req if none came).
func (c Call[Req]) Request() Req {
	var zero Req
	if len(c.Requests) == 0 {
		return zero
	}
	return c.Requests[0]
}

// method is what the methods of every kind of call share: where they
// program their answers and find their calls.
type method[Req, Res proto.Message] struct {
	fake *Fake
	name string
}

func newMethod[Req, Res proto.Message](f *Fake, fullMethod string) method[Req, Res] {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests[fullMethod] = func() proto.Message {
		var req Req
		return req.ProtoReflect().Type().New().Interface()
	}
	return method[Req, Res]{fake: f, name: fullMethod}
}

// Calls returns the method's calls so far, in the order they began.
func (m method[Req, Res]) Calls() []Call[Req] {
	var out []Call[Req]
	for _, c := range m.fake.callsOf(m.name) {
		reqs := make([]Req, len(c.requests))
		for i, r := range c.requests {
			reqs[i] = r.(Req)
		}
		out = append(out, Call[Req]{Requests: reqs, Metadata: c.md, Time: c.time})
	}
	return out
}

// Count returns how many calls the method has had.
func (m method[Req, Res]) Count() int { return len(m.fake.callsOf(m.name)) }

// Reset forgets the method's answers and calls.
func (m method[Req, Res]) Reset() { m.fake.forget(m.name) }

// Fails makes the method fail with err: a status.Error, or a status
// with details (status.New(...).WithDetails(...)).Err().
func (m method[Req, Res]) Fails(err error, opts ...Option) {
	m.program(func(context.Context, []proto.Message) ([]proto.Message, error) { return nil, err }, opts)
}

func (m method[Req, Res]) program(respond func(context.Context, []proto.Message) ([]proto.Message, error), opts []Option) {
	a := &answer{respond: respond}
	for _, o := range opts {
		o(a)
	}
	m.fake.program(m.name, a)
}

// sends programs msgs, copied now so that the test may change its own.
func (m method[Req, Res]) sends(msgs []Res, opts []Option) {
	copies := make([]proto.Message, len(msgs))
	for i, r := range msgs {
		copies[i] = proto.Clone(r)
	}
	m.program(func(context.Context, []proto.Message) ([]proto.Message, error) { return copies, nil }, opts)
}

// responses turns a function's typed responses into messages.
func responses[Res proto.Message](resps []Res, err error) ([]proto.Message, error) {
	out := make([]proto.Message, len(resps))
	for i, r := range resps {
		out[i] = r
	}
	return out, err
}

// Unary is a unary method of a fake.
type Unary[Req, Res proto.Message] struct{ method[Req, Res] }

// NewUnary returns the unary method fullMethod of f.
func NewUnary[Req, Res proto.Message](f *Fake, fullMethod string) Unary[Req, Res] {
	return Unary[Req, Res]{newMethod[Req, Res](f, fullMethod)}
}

// Returns makes the method answer res.
func (m Unary[Req, Res]) Returns(res Res, opts ...Option) { m.sends([]Res{res}, opts) }

// Answers makes the method answer what fn returns for the request.
func (m Unary[Req, Res]) Answers(fn func(ctx context.Context, req Req) (Res, error), opts ...Option) {
	m.program(func(ctx context.Context, reqs []proto.Message) ([]proto.Message, error) {
		res, err := fn(ctx, reqs[0].(Req))
		return responses([]Res{res}, err)
	}, opts)
}

// ServerStream is a method of a fake whose server streams.
type ServerStream[Req, Res proto.Message] struct{ method[Req, Res] }

// NewServerStream returns the server-streaming method fullMethod of f.
func NewServerStream[Req, Res proto.Message](f *Fake, fullMethod string) ServerStream[Req, Res] {
	return ServerStream[Req, Res]{newMethod[Req, Res](f, fullMethod)}
}

// Sends makes the method send msgs, then end with OK (or Ending's status).
func (m ServerStream[Req, Res]) Sends(msgs []Res, opts ...Option) { m.sends(msgs, opts) }

// Answers makes the method send the messages that fn returns for the
// request, then end with its error (or Ending's status, or OK).
func (m ServerStream[Req, Res]) Answers(fn func(ctx context.Context, req Req) ([]Res, error), opts ...Option) {
	m.program(func(ctx context.Context, reqs []proto.Message) ([]proto.Message, error) {
		return responses(fn(ctx, reqs[0].(Req)))
	}, opts)
}

// ClientStream is a method of a fake whose client streams.
type ClientStream[Req, Res proto.Message] struct{ method[Req, Res] }

// NewClientStream returns the client-streaming method fullMethod of f.
func NewClientStream[Req, Res proto.Message](f *Fake, fullMethod string) ClientStream[Req, Res] {
	return ClientStream[Req, Res]{newMethod[Req, Res](f, fullMethod)}
}

// Returns makes the method answer res once the client's stream ends.
func (m ClientStream[Req, Res]) Returns(res Res, opts ...Option) { m.sends([]Res{res}, opts) }

// Answers makes the method answer what fn returns for the messages of the
// client's stream, once it ends.
func (m ClientStream[Req, Res]) Answers(fn func(ctx context.Context, reqs []Req) (Res, error), opts ...Option) {
	m.program(func(ctx context.Context, msgs []proto.Message) ([]proto.Message, error) {
		reqs := make([]Req, len(msgs))
		for i, r := range msgs {
			reqs[i] = r.(Req)
		}
		res, err := fn(ctx, reqs)
		return responses([]Res{res}, err)
	}, opts)
}

// BidiStream is a method of a fake whose client and server both stream.
// Each message of the client takes the next answer.
type BidiStream[Req, Res proto.Message] struct{ method[Req, Res] }

// NewBidiStream returns the bidirectional-streaming method fullMethod of f.
func NewBidiStream[Req, Res proto.Message](f *Fake, fullMethod string) BidiStream[Req, Res] {
	return BidiStream[Req, Res]{newMethod[Req, Res](f, fullMethod)}
}

// Sends makes the method send msgs in answer to a message of the client
// (each message, without Times).
func (m BidiStream[Req, Res]) Sends(msgs []Res, opts ...Option) { m.sends(msgs, opts) }

// Answers makes the method send the messages that fn returns for a
// message of the client; an error ends the stream.
func (m BidiStream[Req, Res]) Answers(fn func(ctx context.Context, req Req) ([]Res, error), opts ...Option) {
	m.program(func(ctx context.Context, reqs []proto.Message) ([]proto.Message, error) {
		return responses(fn(ctx, reqs[0].(Req)))
	}, opts)
}
