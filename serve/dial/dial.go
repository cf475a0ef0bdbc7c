// Package dial is how gotutor's programs connect to a gRPC server: a client
// main to the server it calls, and a server main run with -upstream to the
// real server that it passes calls on to. Both take the same TLS flags
// (Config.BindFlags), the server's under a prefix, and both spread their
// calls over every address that the target resolves to (round_robin), so
// that dns:///svc.ns.svc.cluster.local:50051, the name of a headless
// Kubernetes Service, reaches each of its pods rather than the first.
//
//	var cfg dial.Config
//	flag.StringVar(&cfg.Addr, "addr", "localhost:50051", "the server's address")
//	cfg.BindFlags(flag.CommandLine, "") // -tls, -tls-ca, -tls-server-name, -tls-cert, -tls-key
//	flag.Parse()
//	conn, err := cfg.Dial(cfg.Addr)
//
// When the program's tracing is on (package serve/telemetry: a client
// main starts it from the OTEL_* environment variables, a server main's
// NewServer too), each call is a client span, and the server's span of it
// continues its trace.
package dial

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/gotutor/gotutor/serve/telemetry"
)

// ServiceConfig is the service configuration that Dial gives every
// connection unless the name resolver gives one: round_robin keeps a
// connection to each address of the target and takes them in turn, where
// gRPC's default (pick_first) would send every call to one of them.
const ServiceConfig = `{"loadBalancingConfig":[{"round_robin":{}}]}`

// Config is how to connect to a server: its address and the flags of
// BindFlags. The zero value connects without TLS.
type Config struct {
	// Addr is the server's address, which the program's own flag sets
	// (-addr of a client main, -upstream of a server main); BindFlags does
	// not define it.
	Addr string
	// TLS connects with TLS, verifying the server's certificate with the
	// system's roots, or with CAFile's certificates when it is set.
	// CAFile, CertFile and KeyFile imply TLS.
	TLS bool
	// CAFile is a file of CA certificates (PEM) that verify the server.
	CAFile string
	// ServerName is the name to verify in the server's certificate, when
	// it is not the host of the target.
	ServerName string
	// CertFile and KeyFile are the client's certificate and key (PEM), for
	// servers that require one (mutual TLS): both or neither.
	CertFile, KeyFile string

	prefix string // of the flags' names, for errors
}

// BindFlags defines in fs the flags that set c, each name after prefix:
// with prefix "" (a client main) -tls, -tls-ca, -tls-server-name, -tls-cert
// and -tls-key; with "upstream-" (a server main that passes calls on),
// -upstream-tls, -upstream-tls-ca and so on.
func (c *Config) BindFlags(fs *flag.FlagSet, prefix string) {
	c.prefix = prefix
	fs.BoolVar(&c.TLS, prefix+"tls", false, "connect with TLS, verifying the server with the system's roots")
	fs.StringVar(&c.CAFile, prefix+"tls-ca", "", "a CA certificate file (PEM) to verify the server with; implies -"+prefix+"tls")
	fs.StringVar(&c.ServerName, prefix+"tls-server-name", "", "the name to verify in the server's certificate, if not the host of the address")
	fs.StringVar(&c.CertFile, prefix+"tls-cert", "", "a client certificate file (PEM) for servers that require one (mutual TLS); with -"+prefix+"tls-key; implies -"+prefix+"tls")
	fs.StringVar(&c.KeyFile, prefix+"tls-key", "", "the client certificate's private key file (PEM); with -"+prefix+"tls-cert")
}

// FlagGiven returns the name of the first of BindFlags' flags that sets
// c (such as -upstream-tls-ca), or "" when none does: a program whose
// address flag is empty tells its user that they ask for nothing.
func (c *Config) FlagGiven() string {
	for _, f := range []struct {
		name string
		set  bool
	}{{"tls", c.TLS}, {"tls-ca", c.CAFile != ""}, {"tls-server-name", c.ServerName != ""}, {"tls-cert", c.CertFile != ""}, {"tls-key", c.KeyFile != ""}} {
		if f.set {
			return c.flag(f.name)
		}
	}
	return ""
}

// flag names one of c's flags in an error.
func (c *Config) flag(name string) string { return "-" + c.prefix + name }

// Credentials returns the transport credentials that c asks for: TLS when
// any of TLS, CAFile, CertFile or KeyFile is set, else none (plain text).
// It fails when a file cannot be read or holds no certificate, or when
// only one of CertFile and KeyFile is given.
func (c *Config) Credentials() (credentials.TransportCredentials, error) {
	if (c.CertFile == "") != (c.KeyFile == "") {
		given, missing := c.flag("tls-cert"), c.flag("tls-key")
		if c.CertFile == "" {
			given, missing = missing, given
		}
		return nil, fmt.Errorf("%s is given without %s: a client certificate needs both", given, missing)
	}
	if !c.TLS && c.CAFile == "" && c.CertFile == "" {
		return insecure.NewCredentials(), nil
	}
	cfg := &tls.Config{ServerName: c.ServerName, MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pool, err := CertPool(c.flag("tls-ca"), c.CAFile)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = pool
	}
	if c.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("%s %s, %s %s: %w", c.flag("tls-cert"), c.CertFile, c.flag("tls-key"), c.KeyFile, err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return credentials.NewTLS(cfg), nil
}

// CertPool returns the CA certificates of file (PEM), which the flag
// named flag ("-tls-ca") gave; its errors name the flag.
func CertPool(flag, file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s %s: no PEM certificate in it", flag, file)
	}
	return pool, nil
}

// DialOptions returns the options of a connection as c asks for it: its
// credentials and ServiceConfig as the default service configuration, and
// when the program's tracing is on (telemetry.Start turned it on, as the
// environment asked), otelgrpc's client stats handler, which makes a span
// of each call and sends its trace context to the server (traceparent).
func (c *Config) DialOptions() ([]grpc.DialOption, error) {
	creds, err := c.Credentials()
	if err != nil {
		return nil, err
	}
	opts := []grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithDefaultServiceConfig(ServiceConfig),
	}
	if h := telemetry.ClientHandler(); h != nil {
		opts = append(opts, grpc.WithStatsHandler(h))
	}
	return opts, nil
}

// Dial returns a client of target (host:port, or a gRPC target such as
// dns:///host:port) with the options of DialOptions, then opts. Like
// grpc.NewClient, which it calls, it does not connect: the first call does,
// and an unreachable server fails the calls (Unavailable), not Dial.
func (c *Config) Dial(target string, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	if target == "" {
		return nil, errors.New("dial: no address")
	}
	all, err := c.DialOptions()
	if err != nil {
		return nil, err
	}
	return grpc.NewClient(target, append(all, opts...)...)
}
