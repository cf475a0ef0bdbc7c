package generator

import "testing"

func TestUnroutable(t *testing.T) {
	for path, want := range map[string]bool{
		"/v1/{parent=projects/*/databases/*/documents/*/**}/{collection_id}": true,
		"/v1/{name=projects/*/databases/*/documents/*/**}":                   false,
		"/v1/{name=**}:get":                  false,
		"/v1/**/things":                      true,
		"/v1/things/{thing}":                 false,
		"/v1/{name=shelves/*/books/**}:move": false,
	} {
		if got := unroutable(path) != ""; got != want {
			t.Errorf("unroutable(%q) = %q, want a reason: %v", path, unroutable(path), want)
		}
	}
}
