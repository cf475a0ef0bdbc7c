package generator

import (
	"bytes"
	"context"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/internal/protoreq"
)

// sourceInfoRequest compiles protos of ../testdata with comments on
// services, methods, messages and fields, some of them imports that are
// not generated (importer.proto's, google/api's).
func sourceInfoRequest(t *testing.T) *pluginpb.CodeGeneratorRequest {
	t.Helper()
	req, err := protoreq.Compile(context.Background(), []string{"../testdata"},
		[]string{"comments/comments.proto", "imports/importer.proto", "resources/resources.proto", "services/services.proto"},
		"module=github.com/gotutor/gotutor/testdata")
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestKeepServiceSourceInfo checks the rewritten request against the same
// pruning done on the parsed request.
func TestKeepServiceSourceInfo(t *testing.T) {
	req := sourceInfoRequest(t)
	in, err := proto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	got := &pluginpb.CodeGeneratorRequest{}
	if err := proto.Unmarshal(keepServiceSourceInfo(in), got); err != nil {
		t.Fatal(err)
	}
	want := proto.Clone(req).(*pluginpb.CodeGeneratorRequest)
	generate := map[string]bool{}
	for _, name := range want.FileToGenerate {
		generate[name] = true
	}
	kept, dropped := 0, 0
	for _, f := range want.ProtoFile {
		if f.SourceCodeInfo == nil {
			continue
		}
		if !generate[f.GetName()] {
			dropped += len(f.SourceCodeInfo.Location)
			f.SourceCodeInfo = nil
			continue
		}
		var locs []*descriptorpb.SourceCodeInfo_Location
		for _, loc := range f.SourceCodeInfo.Location {
			if len(loc.Path) > 0 && loc.Path[0] == fileService {
				locs = append(locs, loc)
			}
		}
		kept, dropped = kept+len(locs), dropped+len(f.SourceCodeInfo.Location)-len(locs)
		f.SourceCodeInfo.Location = locs
	}
	if kept == 0 || dropped == 0 {
		t.Fatalf("the request tests nothing: %d locations kept, %d dropped", kept, dropped)
	}
	if !proto.Equal(got, want) {
		t.Errorf("keepServiceSourceInfo gave a request that differs from the pruned one")
	}
}

// TestKeepServiceSourceInfoMalformed checks that a request that does not
// parse is left as it is.
func TestKeepServiceSourceInfoMalformed(t *testing.T) {
	in, err := proto.Marshal(sourceInfoRequest(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{1, 7, len(in) / 3, len(in) - 1} {
		truncated := bytes.Clone(in[:cut])
		if got := keepServiceSourceInfo(bytes.Clone(truncated)); !bytes.Equal(got, truncated) {
			t.Errorf("the request cut at %d of %d bytes was rewritten", cut, len(in))
		}
	}
}

// TestRunPluginMatchesRespond checks that the plugin, which reads its
// request with the source code info pruned, answers byte for byte as
// Respond does with all of it.
func TestRunPluginMatchesRespond(t *testing.T) {
	req := sourceInfoRequest(t)
	in, err := proto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	opts.Scaffold = true
	opts.Exists = func(string) bool { return false }
	opts.Warn = func(string) {}
	resp, err := Respond(req, opts)
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetError() != "" || len(resp.File) == 0 {
		t.Fatalf("Respond: error %q, %d files", resp.GetError(), len(resp.File))
	}
	var want, got bytes.Buffer
	if err := writeResponse(&want, resp); err != nil {
		t.Fatal(err)
	}
	if err := RunPlugin(bytes.NewReader(in), &got, opts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("RunPlugin wrote %d bytes that differ from Respond's %d", got.Len(), want.Len())
	}
}
