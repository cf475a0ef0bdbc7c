// Package serve is the runtime of the server mains that protoc-gen-gotutor
// writes: everything about serving that is the same for every service, so
// that the generated code keeps only what is the service's own (its table,
// a Service, and its servicer).
//
// A server main reads its flags into a Config, builds its grpc.Server with
// Config.NewServer, registers its servicer and calls Config.Serve:
//
//	cfg := serve.Config{OnePort: oneport.Split}
//	cfg.BindFlags(flag.CommandLine)
//	flag.Parse()
//	logger, err := cfg.NewLogger(os.Stderr)
//	...
//	server := cfg.NewServer(logger, served)
//	greeterpb.RegisterGreeterServer(server, greeterpb.NewGreeterService())
//	lis, err := net.Listen("tcp", cfg.Addr)
//	...
//	return cfg.Serve(ctx, lis, server, logger, served)
//
// What it gives every server:
//   - flags for the address, TLS (mutual with -tls-client-ca), message
//     sizes, keepalive, connection ages, timeouts, the log and CORS
//     (Config.BindFlags);
//   - a log line per call and panic recovery (Interceptors);
//   - health checks and reflection, so that grpcurl, load balancers and
//     orchestrators need no .proto;
//   - one port for every protocol: native gRPC, and gRPC-Web, Connect and
//     REST (google.api.http rules) through Vanguard, with each service's
//     web page at /, when Config.OnePort is oneport.Split (package oneport),
//     bounded in memory and time, and safe for browsers;
//   - traces of every call, on every protocol, exported over OTLP when
//     the standard OTEL_* environment variables ask for them (package
//     telemetry: otelgrpc's stats handler, W3C traceparent from gRPC
//     metadata and HTTP headers alike, trace_id and span_id in the
//     access log; the collector at TracingGCPercent unless GOGC is set),
//     and none at all, at no cost, when they do not;
//   - Prometheus metrics of the calls at /metrics on -metrics-addr
//     (package metrics: grpc_server_started_total,
//     grpc_server_handled_total, grpc_server_handling_seconds);
//   - a graceful stop bounded by -grace, which sends the last spans too;
//   - with Config.Stubs set to stubs.New (package stubs), stubs in
//     gripmock's format that answer before the servicers (-stubs),
//     gripmock's admin API (-admin-addr), and a real server (-upstream)
//     that answers the calls of the methods not written yet, each of which
//     -record writes as a stub.
//
// Package servetest serves a main's services the same way in memory, for
// tests; package fake is the typed fakes of the generated test helpers;
// package dial is how client mains connect (TLS, mutual TLS, dns:///
// targets with round_robin); package validation checks requests against
// their buf.validate rules. This package links nothing of gotutor's code
// generator.
package serve

// SupportPackageIsVersion1 is referenced by the code that protoc-gen-gotutor
// generates, so that code newer than this package does not compile: the
// error names the constant it wants (say SupportPackageIsVersion2), and
// `go get github.com/gotutor/gotutor@latest` brings a runtime that has it.
const SupportPackageIsVersion1 = true
