// Package fake is what the typed fakes that protoc-gen-gotutor writes into
// each package's test helpers (<pkg>test) are made of: a fake server whose
// methods each test programs in Go, for testing the code that calls the
// service.
//
// A generated fake (FakeRouteGuide, made by NewFakeRouteGuide) has one
// field per method, of the type of its kind of call: Unary, ServerStream,
// ClientStream or BidiStream, with the method's request and response
// types. A test programs a method with:
//
//   - Returns: this response (unary and client streams);
//   - Sends: these messages (server and bidirectional streams);
//   - Fails: this error, a status.Error or a status with details;
//   - Answers: a function of the request, or of a client's stream.
//
// and the options Delay (before answering), Interval (between the
// messages of a stream), Times (how many calls the answer serves) and
// Ending (the status that ends a stream after its messages):
//
//	f, client := routeguidetest.NewFakeRouteGuide(t, nil)
//	f.GetFeature.Fails(status.Error(codes.Unavailable, "busy"), fake.Times(1))
//	f.GetFeature.Returns(&routeguide.Feature{Name: "Pier"})
//	// the first call fails, every later one answers Pier
//
// Answers are used in the order they are given: one given with Times(n)
// answers the next n calls, one without answers every call from then on,
// and an answer given after such an one replaces it. A method that has no
// answer left (or none) is answered by the server's own servicer: the
// default one answers example values. For a bidirectional stream, each
// message that the client sends takes the next answer.
//
// Every call is recorded, programmed or not: Calls returns the method's,
// with their requests (a client's stream's messages as they arrive), their
// metadata and when they began, and Count how many there were. A Fake is
// safe for concurrent calls. New resets it when the test that made it ends
// (t.Cleanup); Reset forgets the answers and calls at any time, and a
// method's Reset only its own.
package fake
