package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// median returns the middle value of xs, or the mean of the two middle values
// when len(xs) is even. xs must not be empty; it is not modified.
func median[T ~int64 | ~float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// A goal is the range a ratio should fall in. A zero lo means "at most hi".
type goal struct{ lo, hi float64 }

func (g goal) String() string {
	if g.lo == 0 {
		return fmt.Sprintf("<= %.2f", g.hi)
	}
	return fmt.Sprintf("%.2f..%.2f", g.lo, g.hi)
}

func (g goal) met(r float64) bool { return r >= g.lo && r <= g.hi }

// ratioRow formats one tab-separated row of a ratio table: label, num/den
// rounded to two decimals, the goal, and PASS or MISS. The rounded value is
// the one judged, so the verdict always agrees with the printed figure. When
// either side is not positive (a plugin did not run, or a cost came out
// negative) the value is "n/a" and there is no verdict.
func ratioRow(label string, num, den float64, g goal) string {
	if !(num > 0 && den > 0) {
		return fmt.Sprintf("%s\tn/a\t%s\t", label, g)
	}
	r := math.Round(num/den*100) / 100
	verdict := "MISS"
	if g.met(r) {
		verdict = "PASS"
	}
	return fmt.Sprintf("%s\t%.2f\t%s\t%s", label, r, g, verdict)
}

// formatKiB formats a size given in KiB as MiB, or as GiB from 1 GiB up.
func formatKiB(kib int64) string {
	if kib >= 1<<20 {
		return fmt.Sprintf("%.2f GiB", float64(kib)/(1<<20))
	}
	return fmt.Sprintf("%.0f MiB", float64(kib)/(1<<10))
}

func formatWall(d time.Duration) string { return fmt.Sprintf("%.3f s", d.Seconds()) }

func formatMB(bytes int64) string { return fmt.Sprintf("%.2f", float64(bytes)/1e6) }
