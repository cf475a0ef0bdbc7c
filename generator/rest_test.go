package generator

import (
	"testing"

	"google.golang.org/genproto/googleapis/api/annotations"
)

// TestUnroutable checks which google.api.http rules unroutable finds that
// the server's REST router (Vanguard) refuses, each seen in a real API.
func TestUnroutable(t *testing.T) {
	in := compileOne(t, `syntax = "proto3";
option go_package = "example.com/x";
message Req { string name = 1; string uuid = 2; repeated float floats = 3; Inner payload = 4; }
message Inner { string value = 1; }
`).FilesByPath["x.proto"].Messages[0].Desc
	get := func(path string) *annotations.HttpRule {
		return &annotations.HttpRule{Pattern: &annotations.HttpRule_Get{Get: path}}
	}
	for _, c := range []struct {
		rule *annotations.HttpRule
		want string
	}{
		{get("/v1/{name=projects/*/documents/*/**}/{uuid}"), `its path has "**" before its last segment, which the server's REST router does not allow`},
		{get("/v1/**/things"), `its path has "**" before its last segment, which the server's REST router does not allow`},
		{get("/v1/things/{uuid}:custom:custom"), "its path has a colon before its verb, which the server's REST router does not allow"},
		{get("/v1/things/{floats}"), "its path variable floats names a repeated field, which the server's REST router does not allow"},
		{&annotations.HttpRule{Pattern: &annotations.HttpRule_Post{Post: "/v1/things"}, Body: "payload.value"}, "its body names a nested field (payload.value), where the server's REST router takes a field of the request itself"},
		{&annotations.HttpRule{Pattern: &annotations.HttpRule_Post{Post: "/v1/things"}, Body: "*", AdditionalBindings: []*annotations.HttpRule{get("/v1/**/x")}}, `its path has "**" before its last segment, which the server's REST router does not allow`},
		{get("/v1/{name=projects/*/documents/*/**}"), ""},
		{get("/v1/{name=**}:get"), ""},
		{get("/v1/things/{uuid}"), ""},
		{get("/v1/{name=shelves/*/books/**}:move"), ""},
		{&annotations.HttpRule{Pattern: &annotations.HttpRule_Post{Post: "/v1/things"}, Body: "payload"}, ""},
	} {
		if got := unroutable(in, c.rule); got != c.want {
			t.Errorf("unroutable(%v) = %q, want %q", c.rule, got, c.want)
		}
	}
}
