package serve

import "testing"

// TestLoopback checks that a side address (the admin API's, the metrics')
// is on loopback unless it names a host.
func TestLoopback(t *testing.T) {
	for addr, want := range map[string]string{
		":4771":          "localhost:4771",
		"4771":           "localhost:4771",
		"0.0.0.0:4771":   "0.0.0.0:4771",
		"[::1]:4771":     "[::1]:4771",
		"localhost:4771": "localhost:4771",
	} {
		if got := Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %q; want %q", addr, got, want)
		}
	}
}
