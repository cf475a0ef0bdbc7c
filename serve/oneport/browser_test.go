package oneport

import (
	"crypto/sha256"
	"encoding/base64"
	"reflect"
	"testing"
)

// hash is the CSP source of an inline element whose text is text.
func hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// TestReadPage checks what a page's policy must allow, from its tags.
func TestReadPage(t *testing.T) {
	for _, c := range []struct {
		page string
		want pageSources
	}{
		{"<p>nothing</p>", pageSources{}},
		{"<script>a()</script><STYLE media=\"x\">p{}</STYLE>", pageSources{scripts: []string{hash("a()")}, styles: []string{hash("p{}")}}},
		{"<script>a()</script><script>a()</script>", pageSources{scripts: []string{hash("a()")}}},
		{`<script src="/app.js"></script><script type="module">b()</script>`, pageSources{scripts: []string{"'self'", hash("b()")}}},
		{"<scripts>not a script</scripts><p>x</p>", pageSources{}},
		{"<script>if (a < b) { c('</p>') }</script>", pageSources{scripts: []string{hash("if (a < b) { c('</p>') }")}}},
		{`<p style="color:red">x</p><style>p{}</style>`, pageSources{styles: []string{hash("p{}")}, styleAttributes: true}},
		{`<p>style="not an attribute"</p>`, pageSources{}},
		{`<script>x.style="y"</script>`, pageSources{scripts: []string{hash(`x.style="y"`)}}},
		{"<script>unclosed", pageSources{scripts: []string{hash("unclosed")}}},
		{"a < b", pageSources{}},
	} {
		if got := readPage(c.page); !reflect.DeepEqual(got, c.want) {
			t.Errorf("readPage(%q): %+v, want %+v", c.page, got, c.want)
		}
	}
}

// TestProtocolType checks the content types that a request may have.
func TestProtocolType(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json": true, "application/json; charset=utf-8": true, "APPLICATION/JSON": true,
		"application/proto": true, "application/connect+json": true, "application/connect+proto": true,
		"application/grpc-web": true, "application/grpc-web+json": true, "application/grpc": true,
		"": false, "text/plain": false, "application/x-www-form-urlencoded": false, "multipart/form-data; boundary=x": false,
		"application/xml": false, "application/jsonx": false, "json": false,
	} {
		if got := protocolType(ct); got != want {
			t.Errorf("protocolType(%q): %v, want %v", ct, got, want)
		}
	}
}
