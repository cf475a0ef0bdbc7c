// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command routeguide-client makes the calls of route_guide_client.py, the
// client of the fourth document, and prints what it prints, one point per
// line:
//
//	-------------- GetFeature --------------
//	Feature called Berkshire Valley Management Area Trail, Jefferson, NJ, USA at latitude: 409146138 longitude: -746188906
//	Found no feature at latitude: 0 longitude: 0
//	-------------- ListFeatures --------------
//	...
//
// Its route visits 10 features of the database picked at random, from a
// fixed -seed so that two runs print the same. With -method NAME (or
// -method all) it makes the generated example calls of calls_gotutor.go
// instead and prints the responses as JSON.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"

	"github.com/gotutor/gotutor/examples/routeguide"
	"github.com/gotutor/gotutor/serve/dial"
	"github.com/gotutor/gotutor/serve/telemetry"
)

func main() {
	addr := flag.String("addr", "localhost:50051", "the server's address (host:port)")
	timeout := flag.Duration("timeout", 10*time.Second, "the deadline of all the calls together")
	seed := flag.Uint64("seed", 1, "the seed of the random route of RecordRoute")
	method := flag.String("method", "", "make the generated example call of this method (GetFeature, ListFeatures, RecordRoute, RouteChat, or all) instead, and print the responses as JSON")
	// -tls, -tls-ca, -tls-server-name, and -tls-cert and -tls-key for a
	// server that requires a client certificate.
	var dialer dial.Config
	dialer.BindFlags(flag.CommandLine, "")
	flag.Parse()
	if err := run(*addr, *timeout, *seed, *method, dialer); err != nil {
		fmt.Fprintf(os.Stderr, "routeguide-client: %v\n", err)
		os.Exit(1)
	}
}

// run connects to addr and makes the document's calls, or the example calls.
func run(addr string, timeout time.Duration, seed uint64, method string, dialer dial.Config) error {
	// With OTEL_EXPORTER_OTLP_ENDPOINT (and the other OTEL_* variables),
	// each call is a span that the server's span continues; the spans are
	// sent before run returns.
	tracing, err := telemetry.Start(context.Background())
	if err != nil {
		return err
	}
	defer tracing.Close()

	conn, err := dialer.Dial(addr)
	if err != nil {
		return err
	}
	defer conn.Close()

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	client := routeguide.NewRouteGuideClient(conn)
	switch method {
	case "":
	case "all":
		return runCalls(ctx, client, "", os.Stdout)
	default:
		return runCalls(ctx, client, method, os.Stdout)
	}
	out := os.Stdout
	fmt.Fprintln(out, "-------------- GetFeature --------------")
	if err := getFeatures(ctx, client, out); err != nil {
		return fmt.Errorf("GetFeature: %w", err)
	}
	fmt.Fprintln(out, "-------------- ListFeatures --------------")
	if err := listFeatures(ctx, client, out); err != nil {
		return fmt.Errorf("ListFeatures: %w", err)
	}
	fmt.Fprintln(out, "-------------- RecordRoute --------------")
	if err := recordRoute(ctx, client, rand.New(rand.NewPCG(seed, seed)), out); err != nil {
		return fmt.Errorf("RecordRoute: %w", err)
	}
	fmt.Fprintln(out, "-------------- RouteChat --------------")
	if err := routeChat(ctx, client, out); err != nil {
		return fmt.Errorf("RouteChat: %w", err)
	}
	return nil
}

// at formats a point as Python prints it, on one line.
func at(p *routeguide.Point) string {
	return fmt.Sprintf("latitude: %d longitude: %d", p.GetLatitude(), p.GetLongitude())
}

// getFeatures looks up a point with a feature and one without.
func getFeatures(ctx context.Context, client routeguide.RouteGuideClient, out io.Writer) error {
	for _, p := range []*routeguide.Point{
		{Latitude: 409146138, Longitude: -746188906},
		{Latitude: 0, Longitude: 0},
	} {
		f, err := client.GetFeature(ctx, p)
		if err != nil {
			return err
		}
		switch {
		case f.GetLocation() == nil:
			fmt.Fprintln(out, "Server returned incomplete feature")
		case f.GetName() != "":
			fmt.Fprintf(out, "Feature called %s at %s\n", f.GetName(), at(f.GetLocation()))
		default:
			fmt.Fprintf(out, "Found no feature at %s\n", at(f.GetLocation()))
		}
	}
	return nil
}

// listFeatures lists the features between 40, -75 and 42, -73.
func listFeatures(ctx context.Context, client routeguide.RouteGuideClient, out io.Writer) error {
	rect := &routeguide.Rectangle{
		Lo: &routeguide.Point{Latitude: 400000000, Longitude: -750000000},
		Hi: &routeguide.Point{Latitude: 420000000, Longitude: -730000000},
	}
	fmt.Fprintln(out, "Looking for features between 40, -75 and 42, -73")
	stream, err := client.ListFeatures(ctx, rect)
	if err != nil {
		return err
	}
	for {
		f, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Feature called %s at %s\n", f.GetName(), at(f.GetLocation()))
	}
}

// recordRoute visits 10 features of the database picked at random.
func recordRoute(ctx context.Context, client routeguide.RouteGuideClient, rnd *rand.Rand, out io.Writer) error {
	features := routeguide.DefaultFeatures()
	stream, err := client.RecordRoute(ctx)
	if err != nil {
		return err
	}
	for range 10 {
		p := features[rnd.IntN(len(features))].GetLocation()
		fmt.Fprintf(out, "Visiting point %s\n", at(p))
		if err := stream.Send(p); err != nil {
			return err
		}
	}
	summary, err := stream.CloseAndRecv()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Finished trip with %d points\n", summary.GetPointCount())
	fmt.Fprintf(out, "Passed %d features\n", summary.GetFeatureCount())
	fmt.Fprintf(out, "Travelled %d meters\n", summary.GetDistance())
	fmt.Fprintf(out, "It took %d seconds\n", summary.GetElapsedTime())
	return nil
}

// routeChat sends the document's five notes, then prints the notes the
// server answers with.
func routeChat(ctx context.Context, client routeguide.RouteGuideClient, out io.Writer) error {
	notes := []*routeguide.RouteNote{
		{Message: "First message", Location: &routeguide.Point{Latitude: 0, Longitude: 0}},
		{Message: "Second message", Location: &routeguide.Point{Latitude: 0, Longitude: 1}},
		{Message: "Third message", Location: &routeguide.Point{Latitude: 1, Longitude: 0}},
		{Message: "Fourth message", Location: &routeguide.Point{Latitude: 0, Longitude: 0}},
		{Message: "Fifth message", Location: &routeguide.Point{Latitude: 1, Longitude: 0}},
	}
	stream, err := client.RouteChat(ctx)
	if err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintf(out, "Sending %s at %s\n", n.GetMessage(), at(n.GetLocation()))
		if err := stream.Send(n); err != nil {
			return err
		}
	}
	if err := stream.CloseSend(); err != nil {
		return err
	}
	for {
		n, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Received message %s at %s\n", n.GetMessage(), at(n.GetLocation()))
	}
}
