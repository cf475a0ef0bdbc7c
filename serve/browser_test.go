package serve_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
)

// bounded returns a context that ends after a generous bound, for the
// requests that must not reach Wait or Watch, which would otherwise never
// end.
func bounded(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// wantNotRun fails the test if a call of Wait or Watch ran.
func wantNotRun(t *testing.T, w *web, what string) {
	t.Helper()
	select {
	case name := <-w.started:
		t.Errorf("%s: the method ran (%s)", what, name)
	default:
	}
}

// TestContentTypes checks that a request whose content type is none of
// the protocols', or that has a body without a content type, as a form or
// a "simple" request of a browser does, is refused with 415 before any
// method runs; and that those of the protocols go through.
func TestContentTypes(t *testing.T) {
	s, w := startWeb(t)
	for _, c := range []struct{ path, contentType, body string }{
		{"/v1/wait", "text/plain", `{"name":"x"}`},
		{"/v1/wait", "text/plain;charset=UTF-8", `{"name":"x"}`},
		{"/v1/wait", "", `{"name":"x"}`},
		{"/v1/wait", "application/x-www-form-urlencoded", `name=x`},
		{"/v1/wait", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--x--\r\n"},
		{"/v1/wait", "application/xml", `<name>x</name>`},
		{"/gotutor.test.Web/Wait", "text/plain", `{"name":"x"}`},
		{"/gotutor.test.Web/Wait", "", `{"name":"x"}`},
	} {
		req := request(t, http.MethodPost, "http://memory"+c.path, strings.NewReader(c.body), "Content-Type", c.contentType)
		if c.contentType == "" {
			req.Header.Del("Content-Type")
		}
		r := do(t, s.HTTP, req.WithContext(bounded(t)))
		if r.code != http.StatusUnsupportedMediaType {
			t.Errorf("POST %s with %q: %d %q, want 415", c.path, c.contentType, r.code, r.body)
		}
		wantNotRun(t, w, "POST "+c.path+" with "+c.contentType)
	}
	for _, c := range []struct{ method, path, contentType, body string }{
		{http.MethodPost, "/v1/things", "application/json", `{"name":"x"}`},
		{http.MethodPost, "/v1/things", "application/json; charset=utf-8", `{"name":"x"}`},
		{http.MethodGet, "/v1/things/x", "", ""},
		{http.MethodPost, "/gotutor.test.Web/Echo", "application/json", `{"name":"x"}`},
	} {
		req := request(t, c.method, "http://memory"+c.path, strings.NewReader(c.body), "Content-Type", c.contentType)
		if c.body == "" {
			req = request(t, c.method, "http://memory"+c.path, nil)
		}
		if r := do(t, s.HTTP, req); r.code != http.StatusOK || !strings.Contains(string(r.body), `"name":"x"`) {
			t.Errorf("%s %s with %q: %d %q, want the thing x", c.method, c.path, c.contentType, r.code, r.body)
		}
	}
}

// TestOrigins checks that a request from a page of another origin than
// the server's and those of -cors-origins cannot run a method, whatever
// its protocol and method, and gets 403; nor one that a browser sends
// for a page of another site without Origin, but for a link followed.
func TestOrigins(t *testing.T) {
	s, w := startWeb(t, "-cors-origins=https://friend.example")
	calls := append(waitCalls("from elsewhere", 0), webCall{"REST GET", "/v1/things/x", "", nil, nil})
	for _, c := range calls {
		for _, header := range [][]string{
			{"Origin", "https://evil.example"},
			{"Origin", "null"},
			{"Origin", "http://memory.evil.example"},
			{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors"},
			{"Sec-Fetch-Site", "same-site", "Sec-Fetch-Mode", "cors"},
		} {
			c := c
			c.header = append(append([]string(nil), c.header...), header...)
			req := c.request(t, bounded(t), "http://memory")
			if c.contentType == "" {
				req.Method, req.Body, req.ContentLength = http.MethodGet, http.NoBody, 0
				req.Header.Del("Content-Type")
			}
			if r := do(t, s.HTTP, req); r.code != http.StatusForbidden {
				t.Errorf("%s with %q: %d %q, want 403", c.protocol, header, r.code, r.body)
			}
			wantNotRun(t, w, c.protocol+" with "+strings.Join(header, " "))
		}
	}
	// The server's own pages, those of -cors-origins, and links followed.
	for _, header := range [][]string{
		{"Origin", "http://memory"},
		{"Origin", "https://memory"},
		{"Origin", "https://friend.example"},
		{"Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "cors"},
		{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate"},
		{"Sec-Fetch-Site", "none", "Sec-Fetch-Mode", "navigate"},
	} {
		req := request(t, http.MethodGet, "http://memory/v1/things/x", nil, header...)
		if r := do(t, s.HTTP, req); r.code != http.StatusOK {
			t.Errorf("GET /v1/things/x with %q: %d %q, want 200", header, r.code, r.body)
		}
	}
}

// TestPlainCurl checks that a POST of JSON to a unary method's path is a
// Connect call even without Connect-Protocol-Version, as
// connectrpc.com shows it with curl.
func TestPlainCurl(t *testing.T) {
	s, _ := startWeb(t)
	for _, path := range []string{"/gotutor.test.Web/Echo", "/grpc.health.v1.Health/Check"} {
		req := request(t, http.MethodPost, "http://memory"+path, strings.NewReader(`{}`), "Content-Type", "application/json")
		if r := do(t, s.HTTP, req); r.code != http.StatusOK || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("curl -H 'Content-Type: application/json' -d '{}' %s: %d %q, want 200", path, r.code, r.body)
		}
	}
}

// scriptOrStyle finds the inline scripts and style elements of a page.
var scriptOrStyle = regexp.MustCompile(`(?is)<(script|style)>(.*?)</(?:script|style)>`)

// wantCSP is the Content-Security-Policy that page needs: its inline
// scripts and styles by their hashes, computed here apart from the
// server's reading of the page.
func wantCSP(page string) string {
	var scripts, styles []string
	for _, m := range scriptOrStyle.FindAllStringSubmatch(page, -1) {
		sum := sha256.Sum256([]byte(m[2]))
		source := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if strings.EqualFold(m[1], "script") {
			scripts = append(scripts, source)
		} else {
			styles = append(styles, source)
		}
	}
	csp := "default-src 'none'; "
	if len(scripts) > 0 {
		csp += "script-src " + strings.Join(scripts, " ") + "; "
	}
	if len(styles) > 0 {
		csp += "style-src " + strings.Join(styles, " ") + "; "
	}
	return csp + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

// TestPageHeaders checks that the pages carry a strict
// Content-Security-Policy (their own inline scripts and styles by hash,
// calls of this server, no framing) and the headers that keep browsers
// from sniffing their type, sending them as a referrer and framing them:
// a page of the generator's (testdata/hybrid), pages of a script and a
// style each, of styles in attributes, and the list of services.
func TestPageHeaders(t *testing.T) {
	generated, err := os.ReadFile("../testdata/hybrid/catalog_gotutor.html")
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{
		"generated":  string(generated),
		"two":        "<!DOCTYPE html><style>p{color:red}</style><p>x</p><SCRIPT>alert(1)</SCRIPT><script>\nalert(2)\n</script>",
		"attributes": `<!DOCTYPE html><style>p{}</style><p style="color:red">x</p>`,
		"plain":      "<!DOCTYPE html><p>nothing inline</p>",
	}
	for name, page := range pages {
		s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, []serve.Service{{Name: "a.A", Page: page}}, registerProbe)
		for _, path := range []string{"/", "/services/a.A"} {
			r := do(t, s.HTTP, request(t, http.MethodGet, "http://memory"+path, nil))
			want := wantCSP(page)
			if name == "attributes" {
				want = "default-src 'none'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
			}
			if got := r.header.Get("Content-Security-Policy"); got != want {
				t.Errorf("GET %s, page %s: Content-Security-Policy\n%s\nwant\n%s", path, name, got, want)
			}
			for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "Content-Type": "text/html; charset=utf-8"} {
				if got := r.header.Get(k); got != v {
					t.Errorf("GET %s, page %s: %s %q, want %q", path, name, k, got, v)
				}
			}
			if string(r.body) != page {
				t.Errorf("GET %s, page %s: not the page", path, name)
			}
		}
	}
	if n := strings.Count(wantCSP(string(generated)), "sha256-"); n != 2 {
		t.Errorf("the generated page has %d inline scripts and styles, want 2 (the test reads it wrong)", n)
	}

	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, []serve.Service{{Name: "a.A", Page: "a"}, {Name: "b.B", Page: "b"}}, registerProbe)
	r := do(t, s.HTTP, request(t, http.MethodGet, "http://memory/", nil))
	if got, want := r.header.Get("Content-Security-Policy"), "default-src 'none'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"; got != want {
		t.Errorf("GET / of several services: Content-Security-Policy %q, want %q", got, want)
	}
	if got := r.header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("GET / of several services: X-Frame-Options %q, want DENY", got)
	}
}
