package oneport

import (
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
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
func httpHandler(c *serve.Config, server *grpc.Server, logger *slog.Logger, services []serve.Service) (http.Handler, *proxy, error) {
	// Vanguard turns each call of another protocol into a gRPC call, which
	// goes to the server over an in-memory HTTP/2 connection: grpc-go's own
	// transport, as for gRPC clients.
	inner := bufconn.Listen(1 << 20)
	proxy := newProxy(inner.DialContext, logger)
	var transcoded []*vanguard.Service
	for _, name := range slices.Sorted(maps.Keys(server.GetServiceInfo())) {
		// Vanguard needs the service's descriptor, which the Go package
		// generated from its .proto registers; a service registered by hand
		// without one is served over gRPC only.
		if _, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(name)); err != nil {
			logger.Warn("served over gRPC only: no descriptor registered", "service", name)
			continue
		}
		transcoded = append(transcoded, vanguard.NewService(name, proxy))
	}
	limit := bufferLimit(c)
	transcoder, err := vanguard.NewTranscoder(transcoded, append(codecs(), vanguard.WithDefaultServiceOptions(
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
	mux := http.NewServeMux()
	mux.Handle("/", bodies(limit, c.ReadBodyTimeout, clientStreams(server), transcoder))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if len(pages) == 1 {
			for _, page := range pages {
				io.WriteString(w, page)
			}
			return
		}
		io.WriteString(w, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Services</title></head><body><h1>Services</h1><ul>\n")
		for _, name := range slices.Sorted(maps.Keys(pages)) {
			fmt.Fprintf(w, "<li><a href=\"/services/%s\">%s</a></li>\n", url.PathEscape(name), html.EscapeString(name))
		}
		io.WriteString(w, "</ul></body></html>\n")
	})
	mux.HandleFunc("GET /services/{name}", func(w http.ResponseWriter, r *http.Request) {
		page, ok := pages[r.PathValue("name")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	})
	// Served only now, so that an error above leaves nothing running.
	go func() { _ = server.Serve(inner) }()
	return accessLog(logger, cors(c, mux)), proxy, nil
}

// cors lets the pages of -cors-origins call the server from a browser.
func cors(c *serve.Config, next http.Handler) http.Handler {
	if c.CORSOrigins == "" {
		return next
	}
	allowed := map[string]bool{}
	for _, o := range strings.Split(c.CORSOrigins, ",") {
		allowed[strings.TrimSpace(o)] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !allowed[origin] && !allowed["*"] {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Expose-Headers", "Grpc-Status, Grpc-Message, Grpc-Status-Details-Bin, Connect-Content-Encoding, Connect-Accept-Encoding")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Connect-Protocol-Version, Connect-Timeout-Ms, Grpc-Timeout, X-Grpc-Web, X-User-Agent, Authorization")
			h.Set("Access-Control-Max-Age", "7200")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
