package stubs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/dial"
)

// upstream is the real server that gets the calls that no stub matches
// and whose method the servicer has not written (-upstream), and where
// they are recorded (-record).
type upstream struct {
	cfg    dial.Config
	conn   *grpc.ClientConn
	logger *slog.Logger
	rec    *recorder // nil without -record
	// methods are the types of the methods that can be passed on, by
	// full name ("/helloworld.Greeter/SayHello"): those of the services
	// served whose descriptors and types are registered.
	methods map[string]*method
}

// method is what passing a call on needs of its method.
type method struct {
	full               string // "/helloworld.Greeter/SayHello"
	service, name      string
	desc               *grpc.StreamDesc
	request, response  protoreflect.MessageType
	clientStream, bidi bool
}

// Upstream makes s pass each call that no stub matches and whose method
// the servicer has not written (see serve.Unwritten) on to the server at
// to.Addr, connected as to says (package dial: TLS, round_robin over its
// addresses), with the call's metadata; its answer, headers and trailers
// go back to the client. With recordDir, each call passed on is written
// there as a stub file, <service>_<method>_<n>.json, which -stubs replays.
// Call it before Start. It fails, naming the flags, when recordDir or a
// TLS flag of to is given without to.Addr, or the TLS files do not fit.
func (s *Stubs) Upstream(to dial.Config, recordDir string) error {
	if to.Addr == "" {
		if recordDir != "" {
			return fmt.Errorf("-record %s needs -upstream ADDR: it records the calls passed on to the upstream", recordDir)
		}
		if f := to.FlagGiven(); f != "" {
			return fmt.Errorf("%s needs -upstream ADDR: it says how to connect to the upstream", f)
		}
		return nil
	}
	if _, err := to.Credentials(); err != nil {
		return fmt.Errorf("-upstream %s: %w", to.Addr, err)
	}
	s.up = &upstream{cfg: to, logger: s.logger}
	if recordDir != "" {
		s.up.rec = &recorder{dir: recordDir, next: map[string]int{}}
	}
	return nil
}

// start connects to the upstream (lazily: a server that is down fails
// the calls, not the start) and learns the methods of server's services.
func (u *upstream) start(server *grpc.Server) error {
	if u.rec != nil {
		if err := os.MkdirAll(u.rec.dir, 0o755); err != nil {
			return fmt.Errorf("-record: %w", err)
		}
	}
	conn, err := u.cfg.Dial(u.cfg.Addr)
	if err != nil {
		return fmt.Errorf("-upstream %s: %w", u.cfg.Addr, err)
	}
	u.conn = conn
	u.methods = map[string]*method{}
	for name := range server.GetServiceInfo() {
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(name))
		sd, ok := d.(protoreflect.ServiceDescriptor)
		if err != nil || !ok {
			continue
		}
		for i := range sd.Methods().Len() {
			md := sd.Methods().Get(i)
			m := &method{
				full:         fmt.Sprintf("/%s/%s", name, md.Name()),
				service:      name,
				name:         string(md.Name()),
				desc:         &grpc.StreamDesc{StreamName: string(md.Name()), ServerStreams: md.IsStreamingServer(), ClientStreams: md.IsStreamingClient()},
				clientStream: md.IsStreamingClient() && !md.IsStreamingServer(),
				bidi:         md.IsStreamingClient() && md.IsStreamingServer(),
			}
			var errReq, errResp error
			m.request, errReq = messageType(md.Input())
			m.response, errResp = messageType(md.Output())
			if errReq == nil && errResp == nil && recorded(m.full) {
				u.methods[m.full] = m
			}
		}
	}
	u.logger.Info("stubs: calls of methods not written go to the upstream", "upstream", u.cfg.Addr, "record", u.rec.where())
	return nil
}

func (u *upstream) stop() {
	if u.conn != nil {
		_ = u.conn.Close()
	}
}

// errUnwritten is what a default servicer's method returns when it asks
// (serve.Unwritten) during a call that the upstream can answer. A client
// never sees it: the call is passed on instead.
var errUnwritten = status.Error(codes.Unimplemented, "stubs: the method is not written; the call goes to the upstream")

// asking is a call's transport stream that answers serve.Unwritten's
// question: the default servicer's method steps aside.
type asking struct{ grpc.ServerTransportStream }

func (asking) UnwrittenMethod() error { return errUnwritten }

var _ serve.Unwritten = asking{}

// asks returns ctx with a transport stream that answers a default
// servicer's question, false if ctx has none to wrap.
func asks(ctx context.Context) (context.Context, bool) {
	ts := grpc.ServerTransportStreamFromContext(ctx)
	if ts == nil {
		return ctx, false
	}
	return grpc.NewContextWithServerTransportStream(ctx, asking{ts}), true
}

// withContext is a stream whose Context is ctx.
type withContext struct {
	grpc.ServerStream
	ctx context.Context
}

func (w *withContext) Context() context.Context { return w.ctx }

// servicerUnary passes a unary call that no stub answers to the servicer,
// or to the upstream if the servicer's method is not written.
func (s *Stubs) servicerUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if s.up == nil {
		return handler(ctx, req)
	}
	m := s.up.methods[info.FullMethod]
	msg, isMsg := req.(proto.Message)
	actx, ok := asks(ctx)
	if m == nil || !isMsg || !ok {
		return handler(ctx, req)
	}
	resp, err := handler(actx, req)
	if !errors.Is(err, errUnwritten) {
		return resp, err
	}
	return s.up.unary(ctx, m, msg)
}

// servicerStream passes a streaming call that no stub answers to the
// servicer, with the messages already read to match stubs (all of the
// client's if eof), or to the upstream if the servicer's method is not
// written.
func (s *Stubs) servicerStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler, read []proto.Message, eof bool) error {
	var m *method
	actx, ok := asks(ss.Context())
	if s.up != nil && ok {
		m = s.up.methods[info.FullMethod]
	}
	if m != nil && !info.IsClientStream && len(read) == 0 {
		// The handler of a server's stream reads its request before the
		// method asks: read here, it is there for the upstream too.
		req := m.request.New().Interface()
		if err := ss.RecvMsg(req); err != nil {
			return err
		}
		read = []proto.Message{req}
	}
	in := ss
	if len(read) > 0 || eof {
		in = &replay{ServerStream: ss, msgs: read, eof: eof}
	}
	if m == nil {
		return handler(srv, in)
	}
	err := handler(srv, &withContext{ServerStream: in, ctx: actx})
	if !errors.Is(err, errUnwritten) {
		return err
	}
	return s.up.stream(ss, m, read, eof)
}

// hopHeaders are the request headers that are the connection's, not the
// call's: gRPC sets them anew on the upstream connection.
var hopHeaders = map[string]bool{
	"content-type": true, "user-agent": true, "te": true, "host": true,
	"connection": true, "keep-alive": true, "proxy-connection": true,
	"transfer-encoding": true, "upgrade": true,
	"grpc-timeout": true, "grpc-encoding": true, "grpc-accept-encoding": true,
	serve.ProxiedPeerHeader: true,
}

// callMetadata is md without its hop headers and pseudo-headers.
func callMetadata(md metadata.MD) metadata.MD {
	out := metadata.MD{}
	for k, v := range md {
		if !hopHeaders[k] && !strings.HasPrefix(k, ":") {
			out[k] = v
		}
	}
	return out
}

// outgoing is the context of the call to the upstream: the client's
// deadline and cancellation, and its metadata.
func outgoing(ctx context.Context) context.Context {
	md, _ := metadata.FromIncomingContext(ctx)
	return metadata.NewOutgoingContext(ctx, callMetadata(md))
}

// open starts the call of m on the upstream. An error is the upstream's
// being out of reach (or the client's deadline passing first), which
// names it.
func (u *upstream) open(ctx context.Context, m *method) (grpc.ClientStream, error) {
	cs, err := u.conn.NewStream(ctx, m.desc, m.full)
	if err != nil {
		st := status.Convert(err)
		return nil, status.Errorf(st.Code(), "upstream %s: %s", u.cfg.Addr, st.Message())
	}
	return cs, nil
}

// unary passes a unary call on and returns the upstream's answer, with
// its headers and trailers set on the call.
func (u *upstream) unary(ctx context.Context, m *method, req proto.Message) (any, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cs, err := u.open(outgoing(ctx), m)
	if err != nil {
		return nil, err
	}
	c := &call{method: m}
	c.request(req)
	resp := m.response.New().Interface()
	if err = cs.SendMsg(req); err == nil || err == io.EOF {
		// io.EOF: the upstream ended the call; RecvMsg says how.
		_ = cs.CloseSend()
		err = cs.RecvMsg(resp)
	}
	if header, herr := cs.Header(); herr == nil && len(callMetadata(header)) > 0 {
		c.header = callMetadata(header)
		_ = grpc.SetHeader(ctx, c.header)
	}
	if trailer := callMetadata(cs.Trailer()); len(trailer) > 0 {
		_ = grpc.SetTrailer(ctx, trailer)
	}
	if err != nil {
		u.record(ctx, c, err)
		return nil, err
	}
	c.response(resp)
	u.record(ctx, c, nil)
	return resp, nil
}

// stream passes a streaming call on: the messages already read from the
// client, then the rest of the client's (unless eof), go to the upstream
// as they come, and its answers, headers, trailers and status go back.
func (u *upstream) stream(ss grpc.ServerStream, m *method, read []proto.Message, eof bool) error {
	ctx, cancel := context.WithCancel(ss.Context())
	defer cancel()
	cs, err := u.open(outgoing(ctx), m)
	if err != nil {
		return err
	}
	c := &call{method: m}
	go func() {
		// The client's side. An error here ends the call by cancelling it
		// (unless the client ended its side): the upstream's side then
		// returns the status.
		if err := u.send(ss, cs, c, read, eof); err != nil {
			cancel()
		}
	}()

	if header, err := cs.Header(); err == nil && len(callMetadata(header)) > 0 {
		c.header = callMetadata(header)
		if err := ss.SendHeader(c.header); err != nil {
			return err
		}
	}
	for {
		resp := m.response.New().Interface()
		err = cs.RecvMsg(resp)
		if err != nil {
			break
		}
		c.response(resp)
		if err := ss.SendMsg(resp); err != nil {
			return err
		}
		if !m.desc.ServerStreams {
			// One answer: RecvMsg has read the status with it.
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	if trailer := callMetadata(cs.Trailer()); len(trailer) > 0 {
		ss.SetTrailer(trailer)
	}
	u.record(ss.Context(), c, err)
	return err
}

// send passes the client's messages on: read, then the stream's own
// unless eof, then the end of the client's side.
func (u *upstream) send(ss grpc.ServerStream, cs grpc.ClientStream, c *call, read []proto.Message, eof bool) error {
	for _, msg := range read {
		c.request(msg)
		if err := cs.SendMsg(msg); err != nil {
			return nil // the upstream ended the call; its side says how
		}
	}
	for !eof {
		msg := c.method.request.New().Interface()
		err := ss.RecvMsg(msg)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		c.request(msg)
		if err := cs.SendMsg(msg); err != nil {
			return nil
		}
	}
	return cs.CloseSend()
}

// record writes c as a stub file, with -record, unless the client went
// away before the upstream answered.
func (u *upstream) record(ctx context.Context, c *call, err error) {
	if u.rec == nil || ctx.Err() != nil {
		return
	}
	name, werr := u.rec.write(c, err)
	switch {
	case werr != nil:
		u.logger.Warn("stubs: the call passed on is not recorded", "method", c.method.full, "error", werr)
	case name != "":
		u.logger.Info("stubs: recorded", "method", c.method.full, "file", name)
	}
}

// call is what recording needs of one call passed on: its messages both
// ways, and for each answer, the request it followed.
type call struct {
	method *method
	header metadata.MD

	mu        sync.Mutex // the client's side adds requests as the answers come
	requests  []proto.Message
	responses []proto.Message
	after     []int // after[i]: the index of the last request passed on before responses[i]
}

func (c *call) request(m proto.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests = append(c.requests, m)
}

func (c *call) response(m proto.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.responses = append(c.responses, m)
	c.after = append(c.after, max(len(c.requests)-1, 0))
}
