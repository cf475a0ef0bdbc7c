package oneport

import (
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"connectrpc.com/vanguard"
	"google.golang.org/grpc"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/gotutor/gotutor/serve"
)

// httpHandler serves gRPC-Web, Connect and REST through Vanguard, and the
// services' web pages at /, allowing the -cors-origins.
func httpHandler(c *serve.Config, server *grpc.Server, logger *slog.Logger, services []serve.Service, addr net.Addr) (http.Handler, *proxy, error) {
	// Vanguard turns each call of another protocol into a gRPC call, which
	// goes to the server over an in-memory HTTP/2 connection: grpc-go's own
	// transport, as for gRPC clients.
	inner := bufconn.Listen(1 << 20)
	proxy := newProxy(inner.DialContext, logger)
	var transcoded []string
	for _, name := range slices.Sorted(maps.Keys(server.GetServiceInfo())) {
		// Vanguard needs the service's descriptor, which the Go package
		// generated from its .proto registers; a service registered by hand
		// without one is served over gRPC only.
		if _, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(name)); err != nil {
			logger.Warn("served over gRPC only: no descriptor registered", "service", name)
			continue
		}
		transcoded = append(transcoded, name)
	}
	limit := bufferLimit(c)
	transcoder, err := newTranscoder(transcoded, proxy, logger, append(codecs(), vanguard.WithDefaultServiceOptions(
		vanguard.WithTargetProtocols(vanguard.ProtocolGRPC),
		vanguard.WithTargetCodecs(vanguard.CodecProto),
		vanguard.WithMaxMessageBufferBytes(uint32(limit)),
	))...)
	if err != nil {
		return nil, nil, err
	}
	pages := map[string]string{}
	for _, s := range services {
		pages[s.Name] = s.Page
	}
	o := newOrigins(c.CORSOrigins)
	mux := http.NewServeMux()
	mux.Handle("/", guard(o, connectByDefault(unaryPaths(server), bodies(limit, c.ReadBodyTimeout, clientStreams(server), transcoder))))
	if len(pages) == 1 {
		for _, page := range pages {
			mux.Handle("GET /{$}", pageHandler(page))
		}
	} else {
		var list strings.Builder
		list.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Services</title></head><body><h1>Services</h1><ul>\n")
		for _, name := range slices.Sorted(maps.Keys(pages)) {
			fmt.Fprintf(&list, "<li><a href=\"/services/%s\">%s</a></li>\n", url.PathEscape(name), html.EscapeString(name))
		}
		list.WriteString("</ul></body></html>\n")
		mux.Handle("GET /{$}", pageHandler(list.String()))
	}
	pageHandlers := map[string]http.Handler{}
	for name, page := range pages {
		pageHandlers[name] = pageHandler(page)
	}
	mux.HandleFunc("GET /services/{name}", func(w http.ResponseWriter, r *http.Request) {
		page, ok := pageHandlers[r.PathValue("name")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		page.ServeHTTP(w, r)
	})
	// Served only now, so that an error above leaves nothing running.
	go func() { _ = server.Serve(localAddrListener{inner, addr}) }()
	return accessLog(logger, cors(o, mux)), proxy, nil
}

// localAddrListener is the in-memory listener of the calls passed on to
// the gRPC server, whose connections name addr, the one port's address,
// as their local end: the server of the call is that port, and otelgrpc's
// spans say so (server.address, server.port), as they do of native gRPC
// calls, instead of naming the in-memory pipe. (The address is the
// listener's: on every interface, its host is "::" where a native call's
// names the interface it came in on.) Their remote end stays
// serve.ProxyAddr, by which the access log knows them.
type localAddrListener struct {
	*bufconn.Listener
	addr net.Addr
}

func (l localAddrListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return localAddrConn{conn, l.addr}, nil
}

func (l localAddrListener) Addr() net.Addr { return l.addr }

type localAddrConn struct {
	net.Conn
	addr net.Addr
}

func (c localAddrConn) LocalAddr() net.Addr { return c.addr }

// pageHandler serves page, with the headers that keep it safe in a browser
// (pageHeaders).
func pageHandler(page string) http.Handler {
	headers := pageHeaders(page)
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		for k, v := range headers {
			h[k] = v
		}
		io.WriteString(w, page)
	})
}

// unaryPaths returns the paths ("/pkg.Service/Method") of the unary methods
// of server.
func unaryPaths(server *grpc.Server) map[string]bool {
	paths := map[string]bool{}
	for name, info := range server.GetServiceInfo() {
		for _, m := range info.Methods {
			if !m.IsClientStream && !m.IsServerStream {
				paths["/"+name+"/"+m.Name] = true
			}
		}
	}
	return paths
}
