package generator

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/compiler/protogen"

	"github.com/gotutor/gotutor/internal/protoreq"
)

// TestParentPattern checks the parents of patterns that end in an id, in
// a literal (a singleton) and that have no variable at all.
func TestParentPattern(t *testing.T) {
	for p, want := range map[string]string{
		"projects/{project}/topics/{topic}":                      "projects/{project}",
		"projects/{project}/cmekSettings":                        "projects/{project}",
		"projects/{project}/locations/{location}/agent":          "projects/{project}/locations/{location}",
		"organizations/{organization}/components/{c}/settings":   "organizations/{organization}/components/{c}",
		"projects/{project}":                                     "",
		"settings":                                               "",
		"locations/global/metricsScopes/{metrics_scope}":         "locations/global",
		"projects/{project}/locations/{location}/keyRings/{k=*}": "projects/{project}/locations/{location}",
	} {
		if got := parentPattern(p); got != want {
			t.Errorf("parentPattern(%q) = %q, want %q", p, got, want)
		}
	}
}

// TestRESTPathAndResources checks how a method's http path and the
// resource patterns share a name field: a type that the request defines
// keeps its names to its patterns, taking one that fits the path if any
// (else the example has no REST call); a type defined nowhere, whose
// pattern is a guess, gives way to the path.
func TestRESTPathAndResources(t *testing.T) {
	dir := t.TempDir()
	src := `syntax = "proto3";
package x;
option go_package = "example.com/x";
import "google/api/annotations.proto";
import "google/api/resource.proto";
message Settings {
  option (google.api.resource) = {
    type: "x.example.com/Settings"
    pattern: "projects/{project}/settings"
    pattern: "folders/{folder}/settings"
  };
  string name = 1;
}
message GetSettingsRequest {
  string name = 1 [(google.api.resource_reference).type = "x.example.com/Settings"];
}
message GetFolderSettingsRequest {
  string name = 1 [(google.api.resource_reference).type = "x.example.com/Settings"];
}
message ListThingsRequest {
  string parent = 1 [(google.api.resource_reference).type = "locations.googleapis.com/Location"];
}
service S {
  rpc GetSettings(GetSettingsRequest) returns (Settings) { option (google.api.http) = {get: "/v1/{name=*/*}/settings"}; }
  rpc GetFolderSettings(GetFolderSettingsRequest) returns (Settings) { option (google.api.http) = {get: "/v1/{name=folders/*/settings}"}; }
  rpc ListThings(ListThingsRequest) returns (Settings) { option (google.api.http) = {get: "/v1/{parent=projects/*/locations/*}/things"}; }
}
`
	if err := os.WriteFile(filepath.Join(dir, "x.proto"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	req, err := protoreq.Compile(context.Background(), []string{dir}, []string{"x.proto"}, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"GetSettings":       {`{"name":"projects/my-project/settings"}`, ""},
		"GetFolderSettings": {`{"name":"folders/my-folder/settings"}`, "/v1/folders/my-folder/settings"},
		"ListThings":        {`{"parent":"projects/my-project/locations/my-location"}`, "/v1/projects/my-project/locations/my-location/things"},
	}
	err = models(req, func(f *protogen.File, model *File, _ *apiIndex) {
		for _, m := range model.Services[0].Methods {
			if got := [2]string{m.Input.JSON, m.RestTarget}; got != want[m.Name] {
				t.Errorf("%s: example %s, REST call %q; want %s, %q", m.Name, got[0], got[1], want[m.Name][0], want[m.Name][1])
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}
