// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package search

import (
	"context"
	"slices"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// RecipeSearchService implements RecipeSearch over a recipe book.
//
// RecipeSearch searches a small book of vegetable recipes.
//
// This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in NewRecipeSearchService. It embeds DefaultRecipeSearchServer, so that methods the proto gains later answer with example values until you write them here.
type RecipeSearchService struct {
	DefaultRecipeSearchServer

	book []*Recipe
}

// NewRecipeSearchService returns the servicer that the server main
// registers, serving RecipeBook.
func NewRecipeSearchService() *RecipeSearchService {
	return &RecipeSearchService{book: RecipeBook()}
}

// RecipeBook returns the recipes the server searches, in the order of their
// ids.
func RecipeBook() []*Recipe {
	recipe := func(id int32, title string, vege Cooking_VegeType) *Recipe {
		return &Recipe{Id: id, Title: title, Cooking: &Cooking{Type: vege.Enum()}}
	}
	return []*Recipe{
		recipe(1, "Roasted cauliflower", Cooking_CAULIFLOWER),
		recipe(2, "Cauliflower soup", Cooking_CAULIFLOWER),
		recipe(3, "Cauliflower cheese", Cooking_CAULIFLOWER),
		recipe(4, "Cucumber salad", Cooking_CUCUMBER),
		recipe(5, "Cold cucumber soup", Cooking_CUCUMBER),
		recipe(6, "Pickled cucumbers", Cooking_CUCUMBER),
	}
}

// DefaultResultPerPage is the page size of a SearchRequest whose
// result_per_page is 0.
const DefaultResultPerPage = 10

// Search returns one page of the recipes whose title contains query
// (ignoring case; every recipe when query is empty), in the order of their
// ids. page_number counts from 1 (0 means 1) and result_per_page defaults
// to 10; a non-empty int_list keeps only the recipes with those ids.
func (s *RecipeSearchService) Search(ctx context.Context, req *SearchRequest) (*SearchResponse, error) {
	if req.GetPageNumber() < 0 || req.GetResultPerPage() < 0 {
		return nil, status.Errorf(codes.InvalidArgument, "page_number (%d) and result_per_page (%d) must not be negative", req.GetPageNumber(), req.GetResultPerPage())
	}
	query := strings.ToLower(req.GetQuery())
	var matches []*Recipe
	for _, r := range s.book {
		if !strings.Contains(strings.ToLower(r.GetTitle()), query) {
			continue
		}
		if len(req.GetIntList()) > 0 && !slices.Contains(req.GetIntList(), r.GetId()) {
			continue
		}
		matches = append(matches, r)
	}
	page, per := int64(max(req.GetPageNumber(), 1)), int64(req.GetResultPerPage())
	if per == 0 {
		per = DefaultResultPerPage
	}
	resp := &SearchResponse{TotalCount: int32(len(matches))}
	if start, n := (page-1)*per, int64(len(matches)); start < n {
		resp.Recipes = matches[start:min(start+per, n)]
	}
	return resp, nil
}

// ListRecipes streams every recipe for the vegetable that cooking names.
func (s *RecipeSearchService) ListRecipes(req *Cooking, stream grpc.ServerStreamingServer[Recipe]) error {
	for _, r := range s.book {
		if r.GetCooking().GetType() != req.GetType() {
			continue
		}
		// Send fails once the client has gone away, which ends the loop.
		if err := stream.Send(r); err != nil {
			return err
		}
	}
	return nil
}
