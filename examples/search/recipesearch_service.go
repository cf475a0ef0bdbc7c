// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package search

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// RecipeSearchService implements RecipeSearch.
//
// RecipeSearch searches a small book of vegetable recipes.
//
// This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in NewRecipeSearchService. It embeds DefaultRecipeSearchServer, so that methods the proto gains later answer with example values until you write them here.
type RecipeSearchService struct {
	DefaultRecipeSearchServer
}

// NewRecipeSearchService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewRecipeSearchService() *RecipeSearchService {
	return &RecipeSearchService{}
}

// Search returns one page of the recipes whose title contains query
// (ignoring case; every recipe when query is empty), in the order of their
// ids. page_number counts from 1 (0 means 1) and result_per_page defaults
// to 10; a non-empty int_list keeps only the recipes with those ids.
func (s *RecipeSearchService) Search(ctx context.Context, req *SearchRequest) (*SearchResponse, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleSearchResponse(), nil
}

// ListRecipes streams every recipe for the vegetable that cooking names.
func (s *RecipeSearchService) ListRecipes(req *Cooking, stream grpc.ServerStreamingServer[Recipe]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleRecipe()); err != nil {
			return err
		}
	}
	return nil
}
