package generator

import "testing"

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
