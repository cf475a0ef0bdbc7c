package serve

// Unwritten is what the grpc.ServerTransportStream of a call
// (grpc.ServerTransportStreamFromContext) implements when the server
// would rather answer the call another way than with example values, if
// the servicer has not written its method: package stubs does so with
// -upstream, and passes such calls on to the upstream.
//
// The methods of a generated default servicer (Default<Svc>Server, which
// the user's servicer embeds, and so answers the methods it does not
// define) ask before anything else, a stream's through stream.Context():
//
//	if u, ok := grpc.ServerTransportStreamFromContext(ctx).(interface{ UnwrittenMethod() error }); ok {
//		if err := u.UnwrittenMethod(); err != nil {
//			return nil, err
//		}
//	}
//
// and return the error as it is, having read and sent nothing. The
// methods that the user writes never ask, so they always answer: whether
// a method is written is known while the server runs, not from the table
// made when the code was generated (Service.Unwritten), which a method
// written since does not change. The interface is spelled out rather than
// named in generated code, so that a package of types and servicers needs
// no import of this runtime.
type Unwritten interface {
	// UnwrittenMethod returns the error that the default servicer's
	// method returns at once, or nil for it to answer.
	UnwrittenMethod() error
}
