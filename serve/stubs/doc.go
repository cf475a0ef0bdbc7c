// Package stubs answers a server's calls with stubs in gripmock's format
// before its servicers, on every protocol: a server main turns it on with
// serve.Config{Stubs: stubs.New}, which gives it the flags -stubs DIR (the
// stub files, .json, .yaml or .yml, each a stub or a list) and
// -admin-addr (gripmock's HTTP admin API: /api/stubs, /api/history,
// /api/verify). Without either flag, nothing is installed.
//
// A stub names its service and method, matches the request with its
// input (equals, contains, matches, anyOf, ignoreArrayOrder, headers) or
// the messages of a client's stream with its inputs, and answers its
// output (data, stream, error, code, details, headers, delay); priority
// orders the stubs that match the same call, and times bounds how many
// calls one answers:
//
//	# stubs/greeter.yaml
//	- service: helloworld.Greeter
//	  method: SayHello
//	  input:
//	    equals: {name: Ada}
//	  output:
//	    data: {message: Hello Ada}
//	- service: helloworld.Greeter
//	  method: SayHello
//	  input:
//	    matches: {name: "^B"}
//	  output:
//	    error: no B names today
//	    code: FAILED_PRECONDITION
//	    delay: 100ms
//
// Fields are named as protojson writes them (lowerCamel) or as in the
// .proto (snake_case). Stubs are checked against the server's services
// when they are loaded: an unknown service, method or field, a value of
// the wrong type or a regular expression that does not compile is an
// error that names the file (or the request of the admin API) and the
// field, and the server does not start (the admin API answers 400, and
// the stubs before stay). Files added or changed while the server runs are
// read again within PollInterval; a broken change keeps the stubs before
// it, and the log says why.
//
// The stubs are found by method first, then matched; a call that none
// matches goes on to the servicer.
//
// With -upstream ADDR (and -upstream-tls, -upstream-tls-ca,
// -upstream-tls-server-name, -upstream-tls-cert, -upstream-tls-key, as a
// client main's TLS flags, package dial), a call that no stub matches and
// whose method the servicer has not written (the generated default
// servicer would answer it with example values; see serve.Unwritten) goes
// to that server instead, calls of every kind, with the client's metadata;
// its answers, headers, trailers and status come back. An upstream that
// cannot be reached fails each such call with Unavailable, naming it.
// -record DIR writes each call passed on as a stub file,
// <service>_<method>_<n>.json (numbered from 1, never overwriting), whose
// input equals the request and whose output is the upstream's answer:
// -stubs DIR then answers the same calls without the upstream. A
// bidirectional stream is written as one stub per request, answering what
// came from the upstream after that request and before the next.
package stubs
