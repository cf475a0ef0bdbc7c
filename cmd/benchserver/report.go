package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// goalRatio is the least share of the bare server's calls per second that
// the generated server main must make (without -stubs).
const goalRatio = 0.85

// A ghzResult is what benchserver reads from ghz's JSON report (-O json).
type ghzResult struct {
	EndReason string         `json:"endReason"` // "normal" when every call was made
	Count     int            `json:"count"`     // calls made, failed ones included
	Total     time.Duration  `json:"total"`     // wall time of the run, in ns
	RPS       float64        `json:"rps"`       // Count / Total
	Errors    map[string]int `json:"errorDistribution"`
	Codes     map[string]int `json:"statusCodeDistribution"`
}

// parseGhz reads one ghz JSON report. It fails when the report lacks the
// numbers benchserver needs (no calls, no rate), which is what a report of a
// run that never started looks like.
func parseGhz(r io.Reader) (ghzResult, error) {
	var res ghzResult
	if err := json.NewDecoder(r).Decode(&res); err != nil {
		return ghzResult{}, fmt.Errorf("reading ghz's JSON report: %w", err)
	}
	if res.Count <= 0 || !(res.RPS > 0) || res.Total <= 0 {
		return ghzResult{}, fmt.Errorf("ghz's JSON report has no calls (count %d, rps %v, total %v, end reason %q)", res.Count, res.RPS, res.Total, res.EndReason)
	}
	return res, nil
}

// failed is the number of the want calls that did not end with OK: calls
// that failed and calls that ghz never made.
func (r ghzResult) failed(want int) int {
	return max(0, want-r.Codes["OK"])
}

// firstError is the most frequent error message of the run, with its count,
// or "" when there was none; ties go to the message that sorts first.
func (r ghzResult) firstError() string {
	best, n := "", 0
	for _, msg := range slices.Sorted(maps.Keys(r.Errors)) {
		if r.Errors[msg] > n {
			best, n = msg, r.Errors[msg]
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d× %s", n, best)
}

// median returns the middle value of xs, or the mean of the two middle values
// when len(xs) is even; 0 when xs is empty. xs is not modified.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// accessLines counts the access log lines of method (a full method name,
// /pkg.Service/Method) in a log of the generated server written with
// -log-format text: all of them, and those with code=OK.
func accessLines(r io.Reader, method string) (total, ok int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := " " + sc.Text() + " "
		if !strings.Contains(line, " msg=call ") || !strings.Contains(line, " method="+method+" ") {
			continue
		}
		total++
		if strings.Contains(line, " code=OK ") {
			ok++
		}
	}
	return total, ok, sc.Err()
}

// A summary is what the verdict is drawn from.
type summary struct {
	// names are the server measured and its baseline as the verdict
	// names them ("generated server", "bare server").
	names              [2]string
	goal               float64   // the least ratio that passes
	measured, baseline []float64 // calls per second of each measured round
	failed             [2]int    // failed calls of the measured server and the baseline, warm-up included
	logProblems        []string  // access log counts that did not match the calls
}

// ratio is the median calls per second of the measured server over the
// baseline's, rounded to three decimals (the figure printed and judged), or 0
// when either has no rounds.
func (s summary) ratio() float64 {
	g, b := median(s.measured), median(s.baseline)
	if !(g > 0 && b > 0) {
		return 0
	}
	return math.Round(g/b*1000) / 1000
}

// verdict says whether the benchmark met its goal, in one line per finding:
// first the ratio (PASS or MISS), then a FAIL line for failed calls and one
// per access log problem. ok is true only when every line is PASS.
func (s summary) verdict() (ok bool, lines []string) {
	ok = true
	r := s.ratio()
	switch {
	case r == 0:
		ok = false
		lines = append(lines, "MISS: no ratio: a server has no measured round")
	case r >= s.goal:
		lines = append(lines, fmt.Sprintf("PASS: the %s made %.3f of the calls per second of the %s (goal >= %.2f)", s.names[0], r, s.names[1], s.goal))
	default:
		ok = false
		lines = append(lines, fmt.Sprintf("MISS: the %s made %.3f of the calls per second of the %s (goal >= %.2f)", s.names[0], r, s.names[1], s.goal))
	}
	if n := s.failed[0] + s.failed[1]; n > 0 {
		ok = false
		lines = append(lines, fmt.Sprintf("FAIL: %d calls failed (%s %d, %s %d)", n, s.names[0], s.failed[0], s.names[1], s.failed[1]))
	}
	for _, p := range s.logProblems {
		ok = false
		lines = append(lines, "FAIL: access log: "+p)
	}
	return ok, lines
}

// formatRPS formats calls per second with thousands separators, rounded to
// a whole call.
func formatRPS(x float64) string {
	s := fmt.Sprintf("%.0f", x)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
