// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package search_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/search"
	"github.com/gotutor/gotutor/examples/search/searchtest"
	"google.golang.org/protobuf/proto"
)

// TestRecipeSearchService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestRecipeSearchService(t *testing.T) {
	client := searchtest.NewRecipeSearchClient(t, search.NewRecipeSearchService())
	t.Run("Search", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Search(ctx, search.ExampleSearchRequest())
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		if want := search.ExampleSearchResponse(); !proto.Equal(resp, want) {
			t.Errorf("Search = %v, want %v", resp, want)
		}
	})
	t.Run("ListRecipes", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.ListRecipes(ctx, search.ExampleRecipeSearchCooking())
		if err != nil {
			t.Fatalf("ListRecipes: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("ListRecipes: Recv: %v", err)
			}
			n++
			if want := search.ExampleRecipe(); !proto.Equal(resp, want) {
				t.Errorf("ListRecipes response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("ListRecipes sent %d responses, want 3", n)
		}
	})
}
