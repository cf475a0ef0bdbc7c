// Package generator is protoc-gen-gotutor's code generator: from the
// services of a CodeGeneratorRequest it writes, beside the output of
// protoc-gen-go and protoc-gen-go-grpc, a default servicer whose every
// method answers with example values, example constructors, tests over an
// in-memory connection, test helpers, server and client mains, and a guide
// per service.
//
// Respond runs it on a request in-process (gotutor new and gen, the tests);
// RunPlugin speaks protoc's plugin protocol on a reader and a writer (the
// plugin's main). Between the descriptors and the templates sits a
// view-model (File, Service, Method, Example) that holds data, not rendered
// code or prose: example values are trees of Value, written as Go for the
// file that prints them (composite literals for the Open API, builders for
// the Opaque and Hybrid APIs) and as JSON for the guide; doc comments,
// commands and sentences are written by the templates, those of package
// templates, which users may override one by one (Options.Templates).
package generator
