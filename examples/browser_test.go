package examples

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gotutor/gotutor/internal/testkit"
)

var screenshot = flag.String("screenshot", "", "TestPageInBrowser: write a screenshot of the page (PNG) to this file, e.g. ../docs/page.png, which the README shows")

// TestPageInBrowser opens the page that routeguide-server serves at / in a
// real browser (Debian's chromium, driven through the DevTools protocol),
// presses Send on a unary method (GetFeature) and on a server-streaming one
// (ListFeatures), and reads the answers the page shows. In CI the browser
// must be there; elsewhere the test is skipped without one.
func TestPageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the mains and starts a browser; skipped with -short")
	}
	browser, err := exec.LookPath("chromium")
	if err != nil {
		testkit.Missing(t, fmt.Sprintf("chromium is not installed (%v): apt-get install chromium to run this test", err))
	}
	bin := buildMains(t)
	srv := startServer(t, filepath.Join(bin, "routeguide-server"))

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		// This machine's network is closed: no background connections.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(412, 900), // a phone's width
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	defer cancelCtx()
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	outOf := func(anchor string) string { return `document.querySelector("#` + anchor + ` .out").textContent` }
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v\nserver log:\n%s", what, err, srv.log())
		}
	}
	step("opening the page", chromedp.Do(ctx, chromedp.Navigate("http://"+srv.addr+"/")))
	heading, err := chromedp.Run(ctx, chromedp.Text("h1"))
	step("reading the heading", err)
	step("pressing Send on GetFeature", chromedp.Do(ctx, chromedp.Click("#getfeature button")))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](outOf("getfeature")+` !== "" && `+outOf("getfeature")+` !== "…"`))
	step("waiting for GetFeature's answer", err)
	unary, err := chromedp.Run(ctx, chromedp.Text("#getfeature .out"))
	step("reading GetFeature's answer", err)
	// The example rectangle holds no feature of the database: the request
	// is edited, as a user would, to one that holds some.
	step("pressing Send on ListFeatures", chromedp.Do(ctx,
		chromedp.SetValue("#listfeatures textarea", `{"lo":{"latitude":400000000,"longitude":-750000000},"hi":{"latitude":420000000,"longitude":-730000000}}`),
		chromedp.Click("#listfeatures button")))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](outOf("listfeatures")+`.includes("responses)")`))
	step("waiting for ListFeatures' answers", err)
	stream, err := chromedp.Run(ctx, chromedp.Text("#listfeatures .out"))
	step("reading ListFeatures' answers", err)
	if heading != "routeguide.RouteGuide" {
		t.Errorf("the page's heading is %q, want routeguide.RouteGuide", heading)
	}
	// GetFeature of the example point answers a Feature at that point.
	if !strings.Contains(unary, `"location"`) || !strings.Contains(unary, `"latitude"`) {
		t.Errorf("after Send, GetFeature shows %q, want a Feature", unary)
	}
	m := regexp.MustCompile(`\((\d+) responses\)$`).FindStringSubmatch(stream)
	if m == nil || m[1] == "0" || !strings.Contains(stream, `"name"`) {
		t.Errorf("after Send, ListFeatures shows %q, want features and their count", stream)
	}
	if !strings.Contains(srv.log(), "method=/routeguide.RouteGuide/ListFeatures") {
		t.Errorf("the server did not log the page's ListFeatures call:\n%s", srv.log())
	}
	if *screenshot != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
