package protoreq

// PrintProto is printProto, for the tests of package protoreq_test.
var PrintProto = printProto
