// Package corpus holds the test of gotutor on a corpus of real APIs, kept
// outside the repository (../shared/corpus beside the checkout, or the
// folder that GOTUTOR_CORPUS names; see its SOURCES.md): googleapis'
// secretmanager, kms, iam, longrunning, run and bigquery storage,
// grpc-gateway's a_bit_of_everything, dapr, qdrant and containerd. Each
// folder goes through protoc with the three plugins as a user runs them,
// into a module of its own, which must build, vet and pass its generated
// tests, and whose server main must answer its client main; dapr also goes
// through gotutor new. It has no code: only the test.
package corpus
