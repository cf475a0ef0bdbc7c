package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/generator"
	"github.com/gotutor/gotutor/internal/protoreq"
)

// TestRESTLeftOutNoted checks that the guide and the page of a service say
// which REST route the server main leaves out, where Vanguard cannot take
// the method's http rule (a "**" before the last segment, as Firestore's
// ListDocuments has), and give no curl command for it.
func TestRESTLeftOutNoted(t *testing.T) {
	dir := t.TempDir()
	const source = `syntax = "proto3";
package docs.v1;
import "google/api/annotations.proto";
option go_package = "example.com/docs/v1;docs";
service Docs {
  rpc ListDocs(ListDocsRequest) returns (ListDocsRequest) {
    option (google.api.http) = {get: "/v1/{parent=projects/*/documents/**}/{collection}"};
  }
}
message ListDocsRequest { string parent = 1; string collection = 2; }
`
	if err := os.WriteFile(filepath.Join(dir, "docs.proto"), []byte(source), 0o644); err != nil {
		t.Fatal(err)
	}
	req, err := protoreq.Compile(context.Background(), []string{dir}, []string{"docs.proto"}, "")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := generator.Respond(req, generator.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range resp.GetFile() {
		files[f.GetName()] = f.GetContent()
	}
	guide, page := files["example.com/docs/v1/docs_gotutor.md"], files["example.com/docs/v1/docs_gotutor.html"]
	if want := "Its HTTP rule (`GET /v1/{parent=projects/*/documents/**}/{collection}`) is left out of the server's\nREST routes: its path has \"**\" before its last segment, which the server's REST router does not allow. The server main says so when it starts, and\nserves the method over gRPC, Connect and gRPC-Web.\n"; !strings.Contains(guide, want) {
		t.Errorf("the guide lacks\n%s\nit is:\n%s", want, guide)
	}
	if strings.Contains(guide, "curl -sS -X GET") || strings.Contains(guide, "curl -sS 'http://localhost:50051/v1/") {
		t.Errorf("the guide gives a curl command of the route left out:\n%s", guide)
	}
	if want := `<p class="note">No REST route: its HTTP rule (GET /v1/{parent=projects/*/documents/**}/{collection}) is left out, as its path has &#34;**&#34; before its last segment, which the server&#39;s REST router does not allow.`; !strings.Contains(page, want) {
		t.Errorf("the page lacks\n%s\nit is:\n%s", want, page)
	}
}
