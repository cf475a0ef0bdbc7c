// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command recipesearch-client sends a SearchRequest (the first document's
// message, repeated int_list included) to a RecipeSearch server, then lists
// the recipes of one Cooking.VegeType, and prints the answers:
//
//	Search: query "soup", page 1, 10 per page, int_list [1 2 5]
//	2 of 2 recipes match:
//	  2 Cauliflower soup (CAULIFLOWER)
//	  5 Cold cucumber soup (CUCUMBER)
//	ListRecipes: CUCUMBER
//	  4 Cucumber salad (CUCUMBER)
//	  ...
//
// With -method NAME (or -method all) it makes the generated example calls
// of calls_gotutor.go instead and prints the responses as JSON.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gotutor/gotutor/examples/search"
	"github.com/gotutor/gotutor/serve/dial"
	"github.com/gotutor/gotutor/serve/telemetry"
)

func main() {
	addr := flag.String("addr", "localhost:50051", "the server's address (host:port)")
	timeout := flag.Duration("timeout", 10*time.Second, "the deadline of all the calls together")
	query := flag.String("query", "soup", "the SearchRequest's query")
	page := flag.Int("page_number", 1, "the SearchRequest's page_number")
	per := flag.Int("result_per_page", 10, "the SearchRequest's result_per_page")
	ids := flag.String("int_list", "1,2,5", "the SearchRequest's int_list, comma-separated recipe ids")
	vege := flag.String("vege", "CUCUMBER", "the VegeType to list the recipes of (CAULIFLOWER or CUCUMBER)")
	method := flag.String("method", "", "make the generated example call of this method (Search, ListRecipes, or all) instead, and print the responses as JSON")
	// -tls, -tls-ca, -tls-server-name, and -tls-cert and -tls-key for a
	// server that requires a client certificate.
	var dialer dial.Config
	dialer.BindFlags(flag.CommandLine, "")
	flag.Parse()

	req := &search.SearchRequest{Query: *query, PageNumber: int32(*page), ResultPerPage: int32(*per)}
	for _, id := range strings.Split(*ids, ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		n, err := strconv.ParseInt(id, 10, 32)
		if err != nil {
			fmt.Fprintf(os.Stderr, "recipesearch-client: -int_list: %v\n", err)
			os.Exit(2)
		}
		req.IntList = append(req.IntList, int32(n))
	}
	v, ok := search.Cooking_VegeType_value[*vege]
	if !ok {
		fmt.Fprintf(os.Stderr, "recipesearch-client: -vege %q: want CAULIFLOWER or CUCUMBER\n", *vege)
		os.Exit(2)
	}
	cooking := &search.Cooking{Type: search.Cooking_VegeType(v).Enum()}
	if err := run(*addr, *timeout, req, cooking, *method, dialer); err != nil {
		fmt.Fprintf(os.Stderr, "recipesearch-client: %v\n", err)
		os.Exit(1)
	}
}

// run connects to addr and searches, or makes the example calls.
func run(addr string, timeout time.Duration, req *search.SearchRequest, cooking *search.Cooking, method string, dialer dial.Config) error {
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
	client := search.NewRecipeSearchClient(conn)
	switch method {
	case "":
	case "all":
		return runCalls(ctx, client, "", os.Stdout)
	default:
		return runCalls(ctx, client, method, os.Stdout)
	}
	if err := searchRecipes(ctx, client, req, os.Stdout); err != nil {
		return fmt.Errorf("calling Search: %w", err)
	}
	if err := listRecipes(ctx, client, cooking, os.Stdout); err != nil {
		return fmt.Errorf("ListRecipes: %w", err)
	}
	return nil
}

func searchRecipes(ctx context.Context, client search.RecipeSearchClient, req *search.SearchRequest, out io.Writer) error {
	fmt.Fprintf(out, "Search: query %q, page %d, %d per page, int_list %v\n",
		req.GetQuery(), req.GetPageNumber(), req.GetResultPerPage(), req.GetIntList())
	resp, err := client.Search(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d of %d recipes match:\n", len(resp.GetRecipes()), resp.GetTotalCount())
	for _, r := range resp.GetRecipes() {
		printRecipe(out, r)
	}
	return nil
}

func listRecipes(ctx context.Context, client search.RecipeSearchClient, cooking *search.Cooking, out io.Writer) error {
	fmt.Fprintf(out, "ListRecipes: %v\n", cooking.GetType())
	stream, err := client.ListRecipes(ctx, cooking)
	if err != nil {
		return err
	}
	for {
		r, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		printRecipe(out, r)
	}
}

func printRecipe(out io.Writer, r *search.Recipe) {
	fmt.Fprintf(out, "  %d %s (%v)\n", r.GetId(), r.GetTitle(), r.GetCooking().GetType())
}
