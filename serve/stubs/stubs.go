package stubs

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/gotutor/gotutor/serve"
)

// PollInterval is how often a server looks for stub files added, changed
// or removed under its -stubs directory: it compares their names, sizes
// and times, and reads them again when those change.
var PollInterval = time.Second

// Stubs are the stubs of one server: those of its -stubs directory and
// those added through its admin API. It is a serve.Stubber.
type Stubs struct {
	dir, adminAddr string
	logger         *slog.Logger
	history        *history  // nil without the admin API
	up             *upstream // nil without -upstream

	current atomic.Pointer[set]

	mu      sync.Mutex // held while changing the stubs below and current
	catalog *catalog
	files   []*stub // the last good set of the directory's
	api     []*stub
	seen    string // the directory's files when last read
}

// set is the stubs in force, by method.
type set struct {
	byMethod map[string]*methodStubs // by "/helloworld.Greeter/SayHello"
	all      []*stub
}

// New is a serve.StubsFunc: set serve.Config.Stubs to it. The stubs it
// returns are those of c.StubsDir, with the admin API on c.AdminAddr, and
// the calls that they do not answer and the servicer has not written go
// to c.Upstream, recorded in c.RecordDir (see Stubs.Upstream).
func New(c *serve.Config, logger *slog.Logger) (serve.Stubber, error) {
	s := Open(c.StubsDir, c.AdminAddr, logger)
	if err := s.Upstream(c.Upstream, c.RecordDir); err != nil {
		return nil, err
	}
	return s, nil
}

// Open returns the stubs of dir (none if empty), with the admin API on
// adminAddr (none if empty), to be started by Start.
func Open(dir, adminAddr string, logger *slog.Logger) *Stubs {
	s := &Stubs{dir: dir, adminAddr: adminAddr, logger: logger, catalog: &catalog{}}
	if adminAddr != "" {
		s.history = &history{counts: map[string]int{}}
	}
	s.current.Store(&set{byMethod: map[string]*methodStubs{}})
	return s
}

// ServerOptions returns the interceptors that answer calls with stubs,
// unary and stream: a call that no stub matches goes on to the servicer,
// or to the upstream (see Upstream).
func (s *Stubs) ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.ChainUnaryInterceptor(s.unary), grpc.ChainStreamInterceptor(s.stream)}
}

// Start reads the stub files, checked against the services of server, and
// starts looking for changes and serving the admin API: a file that does
// not parse or does not fit its method fails the start. stop stops it
// all.
func (s *Stubs) Start(server *grpc.Server) (stop func(), err error) {
	s.mu.Lock()
	for name := range server.GetServiceInfo() {
		s.catalog.names = append(s.catalog.names, name)
	}
	slices.Sort(s.catalog.names)
	s.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	stop = func() {
		cancel()
		wg.Wait()
		if s.up != nil {
			s.up.stop()
		}
	}
	if s.up != nil {
		if err := s.up.start(server); err != nil {
			stop()
			return nil, err
		}
	}
	if s.dir != "" {
		if info, err := os.Stat(s.dir); err != nil || !info.IsDir() {
			cancel()
			return nil, fmt.Errorf("-stubs %s: not a directory", s.dir)
		}
		if _, err := s.reload(); err != nil {
			cancel()
			return nil, err
		}
		s.logger.Info("stubs: read", "dir", s.dir, "stubs", s.count())
		wg.Go(func() { s.poll(ctx) })
	}
	if s.adminAddr != "" {
		lis, err := net.Listen("tcp", serve.Loopback(s.adminAddr))
		if err != nil {
			stop()
			return nil, fmt.Errorf("-admin-addr: %v", err)
		}
		admin := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
		wg.Go(func() { _ = admin.Serve(lis) })
		wg.Go(func() {
			<-ctx.Done()
			_ = admin.Close()
		})
		s.logger.Info("stubs: admin API", "addr", lis.Addr().String())
	}
	return stop, nil
}

// poll reads the directory again when its files change, until ctx is
// done. A broken change keeps the last good set, and the log says why.
func (s *Stubs) poll(ctx context.Context) {
	t := time.NewTicker(PollInterval)
	defer t.Stop()
	logged := "" // the last error logged, not logged again
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		changed, err := s.reload()
		switch {
		case err != nil && err.Error() != logged:
			logged = err.Error()
			s.logger.Warn("stubs: a stub file is wrong; the stubs before it stay", "error", logged)
		case err == nil && changed:
			logged = ""
			s.logger.Info("stubs: read again", "dir", s.dir, "stubs", s.count())
		}
	}
}

// reload reads the directory's files if they changed since last read,
// and puts them in force if they are all good.
func (s *Stubs) reload() (changed bool, err error) {
	names, seen, err := s.list()
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if seen == s.seen {
		return false, nil
	}
	s.seen = seen
	var files []*stub
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return true, err
		}
		stubs, err := Parse(name, data)
		if err != nil {
			return true, err
		}
		for i, st := range stubs {
			path := ""
			if len(stubs) > 1 {
				path = fmt.Sprintf("[%d]", i)
			}
			c, err := compile(s.catalog, st, path)
			if err != nil {
				return true, fmt.Errorf("%s: %v", name, err)
			}
			c.Source = name
			if c.ID == "" {
				c.ID = fileID(name, i)
			}
			files = append(files, c)
		}
	}
	s.files = files
	s.publish()
	return true, nil
}

// count is how many stubs the directory's files hold.
func (s *Stubs) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files)
}

// list returns the stub files under the directory, and a summary of
// their names, sizes and times that changes when they do.
func (s *Stubs) list() (names []string, seen string, err error) {
	var b strings.Builder
	err = filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !isStubFile(path) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		names = append(names, path)
		fmt.Fprintf(&b, "%s\x00%d\x00%d\n", path, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	return names, b.String(), err
}

func isStubFile(name string) bool {
	switch filepath.Ext(name) {
	case ".json", ".yaml", ".yml":
		return true
	}
	return false
}

// fileID is the ID of the stub at index in a file that gives it none: the
// same each time the file is read.
func fileID(name string, index int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d", name, index))
	return formatUUID(sum[:16])
}

// newID is a random ID, as a UUID.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return formatUUID(b)
}

func formatUUID(b []byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// publish puts the stubs in force: those of the API first, then the
// files', each method's ordered by priority and indexed. s.mu is held.
func (s *Stubs) publish() {
	all := slices.Concat(s.api, s.files)
	lists := map[string][]*stub{}
	for _, st := range all {
		lists[st.fullMethod] = append(lists[st.fullMethod], st)
	}
	byMethod := make(map[string]*methodStubs, len(lists))
	for method, l := range lists {
		slices.SortStableFunc(l, func(a, b *stub) int { return cmp.Compare(b.Priority, a.Priority) })
		byMethod[method] = newMethodStubs(l)
	}
	s.current.Store(&set{byMethod: byMethod, all: all})
}

// Add checks stubs against the server's services and puts them in force,
// as the admin API's POST /api/stubs does; source names them in errors
// ("request"). A stub with the ID of one added before replaces it. It
// returns their IDs; on an error, nothing changes.
func (s *Stubs) Add(source string, stubs []Stub) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var added []*stub
	for i, st := range stubs {
		path := ""
		if len(stubs) > 1 {
			path = fmt.Sprintf("[%d]", i)
		}
		c, err := compile(s.catalog, st, path)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", source, err)
		}
		if c.ID == "" {
			c.ID = newID()
		}
		c.Source = "api"
		added = append(added, c)
	}
	var ids []string
	for _, c := range added {
		ids = append(ids, c.ID)
		s.api = slices.DeleteFunc(s.api, func(o *stub) bool { return o.ID == c.ID })
	}
	s.api = append(added, s.api...)
	s.publish()
	return ids, nil
}

// Delete removes the stubs added through the API with the given IDs, or
// all of them if none is given; it returns how many it removed. Stubs of
// files stay as long as their files do.
func (s *Stubs) Delete(ids ...string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.api)
	if len(ids) == 0 {
		s.api = nil
	} else {
		s.api = slices.DeleteFunc(s.api, func(o *stub) bool { return slices.Contains(ids, o.ID) })
	}
	s.publish()
	return n - len(s.api)
}

// List returns the stubs in force, with their IDs and sources.
func (s *Stubs) List() []Stub {
	var out []Stub
	for _, st := range s.current.Load().all {
		out = append(out, st.Stub)
	}
	return out
}

// find returns the stub of ms (nil: none) that answers message n of a
// call, claiming it when claim is set; nil if none matches.
func (s *Stubs) find(ms *methodStubs, n int, req proto.Message, md metadata.MD, claim bool) *stub {
	if ms == nil {
		return nil
	}
	t := tree(req)
	for st := range ms.candidates(t) {
		if st.exhausted() || !st.matchAt(n, t, md) {
			continue
		}
		if !claim || st.claim() {
			return st
		}
	}
	return nil
}

// unary answers a unary call with the stub that matches it, or passes it
// on to the servicer.
func (s *Stubs) unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	candidates := s.current.Load().byMethod[info.FullMethod]
	if candidates == nil && (s.history == nil || !recorded(info.FullMethod)) {
		return s.servicerUnary(ctx, req, info, handler)
	}
	msg, ok := req.(proto.Message)
	if !ok {
		return s.servicerUnary(ctx, req, info, handler)
	}
	md, _ := metadata.FromIncomingContext(ctx)
	st := s.find(candidates, 0, msg, md, true)
	var resp any
	var err error
	if st == nil {
		resp, err = s.servicerUnary(ctx, req, info, handler)
	} else {
		resp, err = st.answer(ctx)
	}
	s.history.add(info.FullMethod, st, []proto.Message{msg}, resp, err)
	return resp, err
}

// recorded says whether the history keeps the calls of fullMethod: those
// of the services, not of health checks and reflection, which Serve adds.
func recorded(fullMethod string) bool {
	return !strings.HasPrefix(fullMethod, "/grpc.health.") && !strings.HasPrefix(fullMethod, "/grpc.reflection.")
}

// answer waits the stub's delay, sets its headers, and returns its
// response or error.
func (st *stub) answer(ctx context.Context) (proto.Message, error) {
	if err := serve.Wait(ctx, st.delay); err != nil {
		return nil, err
	}
	if len(st.Output.Headers) > 0 {
		if err := grpc.SetHeader(ctx, metadata.New(st.Output.Headers)); err != nil {
			return nil, err
		}
	}
	if st.status != nil {
		return nil, st.status.Err()
	}
	return proto.Clone(st.response), nil
}

// send sends the stub's answer on a stream: its headers (unless the
// stream's are sent), its messages (its data, or each of its stream), and
// returns its error.
func (st *stub) send(ss grpc.ServerStream, headersSent bool) error {
	if err := serve.Wait(ss.Context(), st.delay); err != nil {
		return err
	}
	if len(st.Output.Headers) > 0 && !headersSent {
		if err := ss.SetHeader(metadata.New(st.Output.Headers)); err != nil {
			return err
		}
	}
	msgs := st.stream
	if st.response != nil && st.Output.Stream == nil {
		msgs = []proto.Message{st.response}
	}
	for _, m := range msgs {
		if err := ss.SendMsg(proto.Clone(m)); err != nil {
			return err
		}
	}
	if st.status != nil {
		return st.status.Err()
	}
	return nil
}

// stream answers a streaming call with the stub that matches it, or
// passes it on to the servicer, with the messages read to find out.
func (s *Stubs) stream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	candidates := s.current.Load().byMethod[info.FullMethod]
	if candidates == nil {
		if s.history == nil || !recorded(info.FullMethod) {
			return s.servicerStream(srv, ss, info, handler, nil, false)
		}
		// Counted, without its messages, which the servicer reads.
		err := s.servicerStream(srv, ss, info, handler, nil, false)
		s.history.add(info.FullMethod, nil, nil, nil, err)
		return err
	}
	md, _ := metadata.FromIncomingContext(ss.Context())
	request := candidates.all[0].request
	recv := func() (proto.Message, error) {
		m := request.New().Interface()
		return m, ss.RecvMsg(m)
	}
	switch {
	case !info.IsClientStream:
		req, err := recv()
		if err != nil {
			return err
		}
		st := s.find(candidates, 0, req, md, true)
		if st == nil {
			s.history.add(info.FullMethod, nil, []proto.Message{req}, nil, nil)
			return s.servicerStream(srv, ss, info, handler, []proto.Message{req}, false)
		}
		err = st.send(ss, false)
		s.history.add(info.FullMethod, st, []proto.Message{req}, nil, err)
		return err
	case !info.IsServerStream:
		var reqs []proto.Message
		for {
			req, err := recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			reqs = append(reqs, req)
		}
		st := s.findAll(candidates.all, reqs, md)
		if st == nil {
			s.history.add(info.FullMethod, nil, reqs, nil, nil)
			return s.servicerStream(srv, ss, info, handler, reqs, true)
		}
		err := st.send(ss, false)
		s.history.add(info.FullMethod, st, reqs, nil, err)
		return err
	}
	// Both streams: each message gets the answer of the stub that matches
	// it; the first decides whether the servicer answers instead.
	var reqs []proto.Message
	defer func() { s.history.add(info.FullMethod, nil, reqs, nil, nil) }()
	for n := 0; ; n++ {
		req, err := recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		reqs = append(reqs, req)
		st := s.find(candidates, n, req, md, true)
		if st == nil && n == 0 {
			return s.servicerStream(srv, ss, info, handler, []proto.Message{req}, false)
		}
		if st == nil {
			return status.Errorf(codes.NotFound, "no stub matches message %d of %s", n+1, info.FullMethod)
		}
		if err := st.send(ss, n > 0); err != nil {
			return err
		}
	}
}

// findAll returns the stub that matches every message of a client's
// stream, claimed; nil if none does.
func (s *Stubs) findAll(candidates []*stub, reqs []proto.Message, md metadata.MD) *stub {
	trees := make([]any, len(reqs))
	for i, r := range reqs {
		trees[i] = tree(r)
	}
	for _, st := range candidates {
		if st.exhausted() || (len(st.inputs) > 0 && len(st.inputs) != len(reqs)) {
			continue
		}
		all := true
		for i, t := range trees {
			if !st.matchAt(i, t, md) {
				all = false
				break
			}
		}
		if all && st.claim() {
			return st
		}
	}
	return nil
}

// replay is a stream whose first messages, read to match them against
// stubs, the servicer reads again; then the stream's own, or the end if
// eof.
type replay struct {
	grpc.ServerStream
	msgs []proto.Message
	eof  bool
}

func (r *replay) RecvMsg(m any) error {
	if len(r.msgs) == 0 {
		if r.eof {
			return io.EOF
		}
		return r.ServerStream.RecvMsg(m)
	}
	dst, ok := m.(proto.Message)
	if !ok {
		return errors.New("stubs: not a protobuf message")
	}
	proto.Reset(dst)
	proto.Merge(dst, r.msgs[0])
	r.msgs = r.msgs[1:]
	return nil
}
