package stubs

import "testing"

// TestLoopback checks that the admin API listens on loopback unless its
// address names a host.
func TestLoopback(t *testing.T) {
	for addr, want := range map[string]string{
		":4771":          "localhost:4771",
		"4771":           "localhost:4771",
		"0.0.0.0:4771":   "0.0.0.0:4771",
		"[::1]:4771":     "[::1]:4771",
		"localhost:4771": "localhost:4771",
	} {
		if got := loopback(addr); got != want {
			t.Errorf("loopback(%q) = %q; want %q", addr, got, want)
		}
	}
}
