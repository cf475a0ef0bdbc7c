package generator

import (
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/internal/protoreq"
	"github.com/gotutor/gotutor/internal/testkit"
)

var apiRequest = flag.String("api.req", "../../shared/bench/googleapis-sample.req.gz", "TestAPIExamples: also check the examples of this gzipped CodeGeneratorRequest (googleapis-services.req.gz for all of googleapis; \"\" for none)")

// TestAPIExamples checks that examples follow what the API declares: no
// request example sets an OUTPUT_ONLY field or leaves a REQUIRED one unset,
// and every resource name and reference matches a pattern of its resource.
// It runs on testdata's cases that declare these things and on a recorded
// request of googleapis' (-api.req: by default the sample of shared/bench,
// 81 files with logging's singletons such as projects/{project}/cmekSettings,
// skipped where shared/ is not beside the repository); all of googleapis:
//
//	go test ./generator -run TestAPIExamples -api.req ../../shared/bench/googleapis-services.req.gz -v
func TestAPIExamples(t *testing.T) {
	for _, c := range []string{"resources/resources.proto", "behaviors/behaviors.proto"} {
		req, err := protoreq.Compile(context.Background(), []string{"../testdata"}, []string{c}, "")
		if err != nil {
			t.Fatal(err)
		}
		problems, checked := apiProblems(t, req)
		if checked == 0 {
			t.Errorf("%s: no example has a field that declares a behaviour or a resource", c)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", c, p)
		}
	}
	if *apiRequest == "" {
		return
	}
	f, err := os.Open(*apiRequest)
	if os.IsNotExist(err) {
		testkit.Missing(t, fmt.Sprintf("no %s: googleapis not checked", *apiRequest))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	req := &pluginpb.CodeGeneratorRequest{}
	if err := proto.Unmarshal(raw, req); err != nil {
		t.Fatal(err)
	}
	problems, checked := apiProblems(t, req)
	kinds := map[string]int{}
	for _, p := range problems {
		kind, _, _ := strings.Cut(p, ":")
		kinds[kind]++
	}
	t.Logf("%s: %d values checked, %d problems %v (resource problems: %d)", *apiRequest, checked, len(problems), kinds, kinds["resource name"])
	for i, p := range problems {
		if i == 20 {
			t.Errorf("... and %d more", len(problems)-i)
			break
		}
		t.Error(p)
	}
}

// apiProblems builds the model of every file of req with services and
// lists the problems of its examples, with the number of values it
// checked.
func apiProblems(t *testing.T, req *pluginpb.CodeGeneratorRequest) ([]string, int) {
	t.Helper()
	c := &apiChecker{patterns: map[string]*regexp.Regexp{}}
	err := models(req, func(f *protogen.File, model *File, api *apiIndex) {
		c.api = api
		for _, s := range model.Services {
			for _, m := range s.Methods {
				c.check(m.FullMethod+" request", m.Input.Value, true)
				c.check(m.FullMethod+" response", m.Output.Value, false)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(c.problems)
	return c.problems, c.checked
}

type apiChecker struct {
	api      *apiIndex
	patterns map[string]*regexp.Regexp
	problems []string
	checked  int
}

func (c *apiChecker) check(where string, v *Value, request bool) {
	if v == nil || v.Kind != MessageValue {
		return
	}
	set := map[protoreflect.Name]*Value{}
	for _, fv := range v.Fields {
		set[fv.Field.Desc.Name()] = fv.Value
	}
	oneofSet := map[*protogen.Oneof]bool{}
	for _, f := range v.Message.Fields {
		if x := set[f.Desc.Name()]; x != nil && f.Oneof != nil {
			oneofSet[f.Oneof] = true
		}
	}
	for _, f := range v.Message.Fields {
		at := where + ": " + string(v.Message.Desc.FullName()) + "." + string(f.Desc.Name())
		bs := behaviors(f)
		x := set[f.Desc.Name()]
		if request && hasBehavior(bs, annotations.FieldBehavior_OUTPUT_ONLY) {
			c.checked++
			if x != nil {
				c.problems = append(c.problems, "output_only set: "+at)
			}
		}
		if request && hasBehavior(bs, annotations.FieldBehavior_REQUIRED) && !hasBehavior(bs, annotations.FieldBehavior_OUTPUT_ONLY) {
			c.checked++
			// One member of a oneof is enough.
			if x == nil && (f.Oneof == nil || !oneofSet[f.Oneof]) {
				c.problems = append(c.problems, "required unset: "+at)
			}
		}
		if x == nil {
			continue
		}
		var values []*Value
		switch x.Kind {
		case ListValue:
			values = x.Elems
		case MapValue:
			for _, e := range x.Entries {
				values = append(values, e.Value)
			}
		default:
			values = []*Value{x}
		}
		for i, e := range values {
			if e.Kind == MessageValue {
				c.check(where, e, request)
				continue
			}
			if want := c.resourcePattern(f); want != nil && e.Kind == ScalarValue {
				c.checked++
				if !want.MatchString(e.Scalar.String()) {
					c.problems = append(c.problems, fmt.Sprintf("resource name: %s[%d] = %q does not match %s", at, i, e.Scalar.String(), want))
				}
			}
		}
	}
}

// resourcePattern returns the expression that f's values must match when
// f holds names of a resource whose patterns the request declares.
func (c *apiChecker) resourcePattern(f *protogen.Field) *regexp.Regexp {
	if f.Desc.Kind() != protoreflect.StringKind {
		return nil
	}
	var patterns []string
	parent := false
	if r, ok := extensionOf(f.Parent.Desc.Options(), annotations.E_Resource).(*annotations.ResourceDescriptor); ok {
		nameField := r.GetNameField()
		if nameField == "" {
			nameField = "name"
		}
		if string(f.Desc.Name()) == nameField {
			patterns = r.GetPattern()
		}
	}
	if ref, ok := extensionOf(f.Desc.Options(), annotations.E_ResourceReference).(*annotations.ResourceReference); ok && patterns == nil {
		t := ref.GetType()
		if t == "" {
			t, parent = ref.GetChildType(), true
		}
		if r := c.api.resources[t]; r != nil {
			patterns = r.GetPattern()
		}
	}
	if len(patterns) == 0 {
		return nil
	}
	key := strings.Join(patterns, "|") + fmt.Sprint(parent)
	if re, ok := c.patterns[key]; ok {
		return re
	}
	var alts []string
	for _, p := range patterns {
		if parent {
			p = parentPattern(p)
		}
		if p != "" && p != "*" {
			alts = append(alts, regexp.MustCompile(`\\\{[^}]*\\\}`).ReplaceAllString(regexp.QuoteMeta(p), `[^/]+`))
		}
	}
	var re *regexp.Regexp // nil: any name (a wildcard, or a top-level resource's parent)
	if len(alts) > 0 {
		re = regexp.MustCompile("^(" + strings.Join(alts, "|") + ")$")
	}
	c.patterns[key] = re
	return re
}
