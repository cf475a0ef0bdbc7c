package main

import (
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	xs := []int64{5, 1, 3}
	if got := median(xs); got != 3 {
		t.Errorf("median(5,1,3) = %d, want 3", got)
	}
	if xs[0] != 5 || xs[1] != 1 {
		t.Errorf("median modified its input: %v", xs)
	}
	if got := median([]time.Duration{4 * time.Second, time.Second, 3 * time.Second, 10 * time.Second}); got != 3500*time.Millisecond {
		t.Errorf("median of 4 durations = %v, want 3.5s", got)
	}
	if got := median([]float64{2.5}); got != 2.5 {
		t.Errorf("median(2.5) = %v, want 2.5", got)
	}
}

func TestRatioRow(t *testing.T) {
	atMost1 := goal{hi: 1}
	between := goal{lo: 0.8, hi: 1.2}
	tests := []struct {
		num, den float64
		g        goal
		want     string
	}{
		{12, 12, atMost1, "r\t1.00\t<= 1.00\tPASS"},
		{1.004, 1, atMost1, "r\t1.00\t<= 1.00\tPASS"}, // judged as printed
		{1.006, 1, atMost1, "r\t1.01\t<= 1.00\tMISS"},
		{9.6, 7.8, goal{hi: 1.3}, "r\t1.23\t<= 1.30\tPASS"},
		{0.79, 1, between, "r\t0.79\t0.80..1.20\tMISS"},
		{0.8, 1, between, "r\t0.80\t0.80..1.20\tPASS"},
		{1.2, 1, between, "r\t1.20\t0.80..1.20\tPASS"},
		{1.3, 1, between, "r\t1.30\t0.80..1.20\tMISS"},
		{1, 0, atMost1, "r\tn/a\t<= 1.00\t"},
		{-1, 1, between, "r\tn/a\t0.80..1.20\t"},
	}
	for _, tt := range tests {
		if got := ratioRow("r", tt.num, tt.den, tt.g); got != tt.want {
			t.Errorf("ratioRow(%v, %v, %v) = %q, want %q", tt.num, tt.den, tt.g, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for kib, want := range map[int64]string{
		150 << 10:  "150 MiB",
		1023 << 10: "1023 MiB",
		1 << 20:    "1.00 GiB",
		1709179:    "1.63 GiB",
		2 << 20:    "2.00 GiB",
	} {
		if got := formatKiB(kib); got != want {
			t.Errorf("formatKiB(%d) = %q, want %q", kib, got, want)
		}
	}
	if got := formatWall(7812 * time.Millisecond); got != "7.812 s" {
		t.Errorf("formatWall(7.812s) = %q", got)
	}
	if got := formatMB(2_345_678); got != "2.35" {
		t.Errorf("formatMB(2345678) = %q, want 2.35", got)
	}
}
