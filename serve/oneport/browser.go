package oneport

import (
	"crypto/sha256"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// origins are the origins of -cors-origins.
type origins struct {
	any     bool
	allowed map[string]bool
}

// newOrigins reads -cors-origins: comma-separated origins, or *.
func newOrigins(list string) origins {
	o := origins{allowed: map[string]bool{}}
	for _, origin := range strings.Split(list, ",") {
		switch origin = strings.TrimSpace(origin); origin {
		case "":
		case "*":
			o.any = true
		default:
			o.allowed[origin] = true
		}
	}
	return o
}

// listed reports whether origin is among -cors-origins.
func (o origins) listed(origin string) bool { return o.any || o.allowed[origin] }

// sameOrigin reports whether origin names the server that r reached, by
// its host (the scheme may differ: behind a proxy that speaks TLS, the
// server speaks HTTP).
func sameOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(withoutDefaultPort(u.Host), withoutDefaultPort(r.Host))
}

func withoutDefaultPort(host string) string {
	for _, port := range []string{":80", ":443"} {
		host = strings.TrimSuffix(host, port)
	}
	return host
}

// cors lets the pages of -cors-origins call the server from a browser:
// their calls' answers name them in Access-Control-Allow-Origin, and their
// preflight requests are answered.
func cors(o origins, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !o.listed(origin) {
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

// guard refuses, before any method runs, the requests that a page of
// another site could make a browser send without asking the server first
// (cross-site request forgery):
//   - one from an origin (its Origin header) that is neither the server's
//     nor among -cors-origins: 403;
//   - one without Origin that a browser sent for a page of another site,
//     other than the user following a link (Sec-Fetch-Site, Sec-Fetch-Mode):
//     403;
//   - one whose content type is none of the protocols' (JSON, binary
//     Protobuf, Connect's streams, gRPC-Web), or that has a body but no
//     content type (forms, text/plain): 415.
func guard(o origins, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" {
			if !sameOrigin(origin, r) && !o.listed(origin) {
				http.Error(w, "the origin "+origin+" may not call this server: see its flag -cors-origins", http.StatusForbidden)
				return
			}
		} else if site := r.Header.Get("Sec-Fetch-Site"); (site == "cross-site" || site == "same-site") && r.Header.Get("Sec-Fetch-Mode") != "navigate" {
			http.Error(w, "a page of another site may not call this server: see its flag -cors-origins", http.StatusForbidden)
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "" || hasBody(r) {
			if !protocolType(ct) {
				w.Header().Set("Accept-Post", "application/json, application/proto, application/connect+json, application/connect+proto, application/grpc-web+proto, application/grpc-web+json")
				http.Error(w, "unsupported content type "+`"`+ct+`"`+": send application/json (or application/proto, Connect's or gRPC-Web's)", http.StatusUnsupportedMediaType)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// protocolType reports whether ct is the content type of one of the
// protocols: JSON or binary Protobuf (Connect's unary calls, REST),
// Connect's streams, gRPC-Web or gRPC.
func protocolType(ct string) bool {
	mediaType, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch {
	case mediaType == "application/json", mediaType == "application/proto",
		strings.HasPrefix(mediaType, "application/connect+"), strings.HasPrefix(mediaType, "application/grpc"):
		return true
	}
	return false
}

// connectByDefault makes a POST of JSON or binary Protobuf to the path of
// a unary method ("/pkg.Service/Method", unary: that of unaryPaths) a
// Connect call, as Connect's documentation shows with curl, even without
// its header Connect-Protocol-Version, which Vanguard needs to tell it
// from REST.
func connectByDefault(unaryPaths map[string]bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && unaryPaths[r.URL.Path] && r.Header.Get("Connect-Protocol-Version") == "" {
			if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType == "application/json" || mediaType == "application/proto" {
				r.Header.Set("Connect-Protocol-Version", "1")
			}
		}
		next.ServeHTTP(w, r)
	})
}

// pageHeaders returns the headers of page, an HTML page: its
// Content-Security-Policy allows nothing but its own inline scripts and
// styles (by their hashes; styles in attributes need 'unsafe-inline'),
// calls of this server, and no framing; the others keep browsers from
// guessing its type, sending it as a referrer, and framing it.
func pageHeaders(page string) http.Header {
	p := readPage(page)
	csp := []string{"default-src 'none'"}
	if len(p.scripts) > 0 {
		csp = append(csp, "script-src "+strings.Join(p.scripts, " "))
	}
	if p.styleAttributes {
		csp = append(csp, "style-src 'unsafe-inline'")
	} else if len(p.styles) > 0 {
		csp = append(csp, "style-src "+strings.Join(p.styles, " "))
	}
	csp = append(csp, "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'")
	return http.Header{
		"Content-Type":            {"text/html; charset=utf-8"},
		"Content-Security-Policy": {strings.Join(csp, "; ")},
		"X-Content-Type-Options":  {"nosniff"},
		"Referrer-Policy":         {"no-referrer"},
		"X-Frame-Options":         {"DENY"},
	}
}

// pageSources is what a page's policy must allow: the CSP sources of its
// scripts and of its style elements (the hash of each inline one's text,
// 'sha256-...', and 'self' for those loaded from the server), and whether
// an element has a style attribute.
type pageSources struct {
	scripts, styles []string
	styleAttributes bool
}

// readPage finds the sources of page, reading its tags.
func readPage(page string) pageSources {
	var p pageSources
	add := func(list *[]string, source string) {
		if !slices.Contains(*list, source) {
			*list = append(*list, source)
		}
	}
	lower := strings.ToLower(page) // ASCII only: the offsets stay
	for i := 0; i < len(lower); {
		lt := strings.IndexByte(lower[i:], '<')
		if lt < 0 {
			break
		}
		start := i + lt + 1
		name := start
		for name < len(lower) && ('a' <= lower[name] && lower[name] <= 'z' || '0' <= lower[name] && lower[name] <= '9') {
			name++
		}
		gt := strings.IndexByte(lower[name:], '>')
		if name == start || gt < 0 {
			i = start
			continue
		}
		tag, attrs, end := lower[start:name], lower[name:name+gt], name+gt+1
		if strings.Contains(attrs, " style=") || strings.Contains(attrs, "\tstyle=") || strings.Contains(attrs, "\nstyle=") {
			p.styleAttributes = true
		}
		i = end
		if tag != "script" && tag != "style" {
			continue
		}
		closing := strings.Index(lower[end:], "</"+tag)
		if closing < 0 {
			closing = len(lower) - end
		}
		list := &p.scripts
		if tag == "style" {
			list = &p.styles
		}
		if strings.Contains(attrs, "src=") {
			add(list, "'self'")
		} else {
			sum := sha256.Sum256([]byte(page[end : end+closing]))
			add(list, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
		}
		i = end + closing
	}
	return p
}
