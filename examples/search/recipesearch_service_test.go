// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package search_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/search"
	"github.com/gotutor/gotutor/examples/search/searchtest"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func ctx10s(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// titles lists the ids and titles of recipes, with their vegetables, as
// "2 Cauliflower soup CAULIFLOWER".
func titles(recipes []*search.Recipe) string {
	var lines []string
	for _, r := range recipes {
		lines = append(lines, fmt.Sprintf("%d %s %s", r.GetId(), r.GetTitle(), r.GetCooking().GetType()))
	}
	return strings.Join(lines, "; ")
}

// TestRecipeSearchService_Search sends SearchRequests, the int_list of the
// first document among them, and checks the pages, the enum of each
// recipe, and the total count.
func TestRecipeSearchService_Search(t *testing.T) {
	client := searchtest.NewRecipeSearchClient(t, search.NewRecipeSearchService())
	for _, tc := range []struct {
		name  string
		req   *search.SearchRequest
		want  string
		total int32
	}{
		{"everything", &search.SearchRequest{},
			"1 Roasted cauliflower CAULIFLOWER; 2 Cauliflower soup CAULIFLOWER; 3 Cauliflower cheese CAULIFLOWER; 4 Cucumber salad CUCUMBER; 5 Cold cucumber soup CUCUMBER; 6 Pickled cucumbers CUCUMBER", 6},
		{"query", &search.SearchRequest{Query: "soup"},
			"2 Cauliflower soup CAULIFLOWER; 5 Cold cucumber soup CUCUMBER", 2},
		{"query ignores case", &search.SearchRequest{Query: "CUCUMBER"},
			"4 Cucumber salad CUCUMBER; 5 Cold cucumber soup CUCUMBER; 6 Pickled cucumbers CUCUMBER", 3},
		{"no match", &search.SearchRequest{Query: "carrot"}, "", 0},
		{"first page", &search.SearchRequest{PageNumber: 1, ResultPerPage: 4},
			"1 Roasted cauliflower CAULIFLOWER; 2 Cauliflower soup CAULIFLOWER; 3 Cauliflower cheese CAULIFLOWER; 4 Cucumber salad CUCUMBER", 6},
		{"page 0 is page 1", &search.SearchRequest{PageNumber: 0, ResultPerPage: 1},
			"1 Roasted cauliflower CAULIFLOWER", 6},
		{"last page", &search.SearchRequest{PageNumber: 2, ResultPerPage: 4},
			"5 Cold cucumber soup CUCUMBER; 6 Pickled cucumbers CUCUMBER", 6},
		{"past the last page", &search.SearchRequest{PageNumber: 3, ResultPerPage: 4}, "", 6},
		{"far past the last page", &search.SearchRequest{PageNumber: 2147483647, ResultPerPage: 2147483647}, "", 6},
		{"int_list picks ids", &search.SearchRequest{IntList: []int32{6, 1, 4}},
			"1 Roasted cauliflower CAULIFLOWER; 4 Cucumber salad CUCUMBER; 6 Pickled cucumbers CUCUMBER", 3},
		{"int_list and query", &search.SearchRequest{Query: "soup", IntList: []int32{1, 2, 3}},
			"2 Cauliflower soup CAULIFLOWER", 1},
		{"int_list of unknown ids", &search.SearchRequest{IntList: []int32{0, 7, -1}}, "", 0},
		{"int_list, paged", &search.SearchRequest{IntList: []int32{1, 2, 3}, PageNumber: 2, ResultPerPage: 2},
			"3 Cauliflower cheese CAULIFLOWER", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := client.Search(ctx10s(t), tc.req)
			if err != nil {
				t.Fatalf("Search(%v): %v", tc.req, err)
			}
			if got := titles(resp.GetRecipes()); got != tc.want {
				t.Errorf("Search(%v) recipes:\n got %s\nwant %s", tc.req, got, tc.want)
			}
			if got := resp.GetTotalCount(); got != tc.total {
				t.Errorf("Search(%v) total_count = %d, want %d", tc.req, got, tc.total)
			}
		})
	}
}

func TestRecipeSearchService_SearchNegative(t *testing.T) {
	client := searchtest.NewRecipeSearchClient(t, search.NewRecipeSearchService())
	for _, req := range []*search.SearchRequest{{PageNumber: -1}, {ResultPerPage: -10}} {
		_, err := client.Search(ctx10s(t), req)
		if status.Code(err) != codes.InvalidArgument {
			t.Errorf("Search(%v): %v, want InvalidArgument", req, err)
		}
	}
}

// TestRecipeSearchService_ListRecipes streams the recipes of each value of
// Cooking.VegeType, the enum of the first document.
func TestRecipeSearchService_ListRecipes(t *testing.T) {
	client := searchtest.NewRecipeSearchClient(t, search.NewRecipeSearchService())
	for _, tc := range []struct {
		vege search.Cooking_VegeType
		want string
	}{
		{search.Cooking_CAULIFLOWER, "1 Roasted cauliflower CAULIFLOWER; 2 Cauliflower soup CAULIFLOWER; 3 Cauliflower cheese CAULIFLOWER"},
		{search.Cooking_CUCUMBER, "4 Cucumber salad CUCUMBER; 5 Cold cucumber soup CUCUMBER; 6 Pickled cucumbers CUCUMBER"},
		{search.Cooking_VegeType(2), ""}, // a value this proto does not know
	} {
		t.Run(tc.vege.String(), func(t *testing.T) {
			stream, err := client.ListRecipes(ctx10s(t), &search.Cooking{Type: tc.vege.Enum()})
			if err != nil {
				t.Fatal(err)
			}
			var got []*search.Recipe
			for {
				r, err := stream.Recv()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("ListRecipes(%v): %v", tc.vege, err)
				}
				got = append(got, r)
			}
			if titles(got) != tc.want {
				t.Errorf("ListRecipes(%v):\n got %s\nwant %s", tc.vege, titles(got), tc.want)
			}
		})
	}
}

// TestRecipeSearchService_RequiredType checks that Cooking's type is
// required, as proto2 says: a Cooking without it does not leave the client.
func TestRecipeSearchService_RequiredType(t *testing.T) {
	client := searchtest.NewRecipeSearchClient(t, search.NewRecipeSearchService())
	stream, err := client.ListRecipes(ctx10s(t), &search.Cooking{})
	if err == nil {
		_, err = stream.Recv()
	}
	if !strings.Contains(status.Convert(err).Message(), "required field Cooking.type not set") {
		t.Errorf("ListRecipes(Cooking{}): %v, want an error about the required field Cooking.type", err)
	}
	// The zero of the enum, set explicitly, is a value like any other.
	stream, err = client.ListRecipes(ctx10s(t), &search.Cooking{Type: search.Cooking_CAULIFLOWER.Enum()})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := stream.Recv(); err != nil || r.GetId() != 1 {
		t.Errorf("ListRecipes(CAULIFLOWER) first = %v, %v, want recipe 1", r, err)
	}
}
