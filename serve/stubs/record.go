package stubs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// recorder writes the calls passed on to the upstream as stub files
// (-record DIR).
type recorder struct {
	dir  string
	mu   sync.Mutex
	next map[string]int // by file name prefix, the number to try next
}

// where is the directory, for the log: "" without -record.
func (r *recorder) where() string {
	if r == nil {
		return ""
	}
	return r.dir
}

// recordedStub is a Stub as -record writes it: the fields that a call
// passed on gives, in gripmock's order, and an empty stream written as []
// (Stub's omits it, which would answer one empty message instead).
type recordedStub struct {
	Service string          `json:"service"`
	Method  string          `json:"method"`
	Input   *recordedInput  `json:"input,omitempty"`
	Inputs  []recordedInput `json:"inputs,omitempty"`
	Output  recordedOutput  `json:"output"`
}

type recordedInput struct {
	// Equals is the whole request: an empty one ({}) matches only an
	// empty request, where no equals at all would match any.
	Equals map[string]any `json:"equals"`
}

type recordedOutput struct {
	Data    map[string]any    `json:"data,omitempty"`
	Stream  *[]map[string]any `json:"stream,omitempty"`
	Error   string            `json:"error,omitempty"`
	Code    string            `json:"code,omitempty"`
	Details []map[string]any  `json:"details,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
}

// write writes c, which ended with err (nil or the upstream's status), as
// one stub file named after its method, numbered from 1 without
// overwriting any file, and returns its path.
func (r *recorder) write(c *call, err error) (string, error) {
	stubs, serr := recordedStubs(c, err)
	if serr != nil {
		return "", serr
	}
	var v any = stubs
	if len(stubs) == 1 {
		v = stubs[0]
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return r.create(c.method.service+"_"+c.method.name, buf.Bytes())
}

// create writes data to the first free <prefix>_<n>.json of the
// directory. The file appears whole (linked from a temporary file that
// -stubs does not read), so that a server reading the directory meanwhile
// never sees half of it.
func (r *recorder) create(prefix string, data []byte) (string, error) {
	tmp, err := os.CreateTemp(r.dir, ".record-*.tmp")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for n := max(r.next[prefix], 1); ; n++ {
		name := filepath.Join(r.dir, fmt.Sprintf("%s_%d.json", prefix, n))
		err := os.Link(tmp.Name(), name)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		r.next[prefix] = n + 1
		return name, nil
	}
}

// recordedStubs are the stubs that answer c's requests as the upstream
// did: one for a unary call, a server's stream or a client's stream; for a
// bidirectional stream, one per request, answering the responses that
// came after it was passed on and before the next was.
func recordedStubs(c *call, err error) ([]recordedStub, error) {
	c.mu.Lock()
	requests := append([]proto.Message(nil), c.requests...)
	responses := append([]proto.Message(nil), c.responses...)
	after := append([]int(nil), c.after...)
	c.mu.Unlock()
	if len(requests) == 0 {
		// A stub can match a stream's messages, not their absence.
		return nil, errors.New("a stream without requests cannot be written as a stub")
	}
	m := c.method
	base := recordedStub{Service: m.service, Method: m.name}
	var headers map[string]string
	for k, v := range c.header {
		if len(v) > 0 && !strings.HasSuffix(k, "-bin") {
			if headers == nil {
				headers = map[string]string{}
			}
			headers[k] = v[0]
		}
	}
	end, err := recordedStatus(err)
	if err != nil {
		return nil, err
	}
	end.Headers = headers
	messages := func(ms []proto.Message) ([]map[string]any, error) {
		out := []map[string]any{}
		for _, msg := range ms {
			j, err := jsonObject(msg)
			if err != nil {
				return nil, err
			}
			out = append(out, j)
		}
		return out, nil
	}
	reqs, err := messages(requests)
	if err != nil {
		return nil, err
	}
	resps, err := messages(responses)
	if err != nil {
		return nil, err
	}

	switch {
	case m.bidi:
		stubs := make([]recordedStub, len(reqs))
		for i := range stubs {
			stubs[i] = base
			stubs[i].Input = &recordedInput{Equals: reqs[i]}
			stream := []map[string]any{}
			for k, resp := range resps {
				if after[k] == i {
					stream = append(stream, resp)
				}
			}
			stubs[i].Output = recordedOutput{Stream: &stream, Headers: headers}
		}
		// The call's end comes after the last request's answers.
		last := &stubs[len(stubs)-1].Output
		last.Error, last.Code, last.Details = end.Error, end.Code, end.Details
		return stubs, nil
	case m.clientStream:
		st := base
		for _, r := range reqs {
			st.Inputs = append(st.Inputs, recordedInput{Equals: r})
		}
		st.Output = end
		if len(resps) > 0 && end.Code == "" {
			st.Output.Data = resps[0]
		}
		return []recordedStub{st}, nil
	case m.desc.ServerStreams:
		st := base
		st.Input = &recordedInput{Equals: reqs[0]}
		st.Output = end
		st.Output.Stream = &resps
		return []recordedStub{st}, nil
	}
	st := base
	st.Input = &recordedInput{Equals: reqs[0]}
	st.Output = end
	if len(resps) > 0 && end.Code == "" {
		st.Output.Data = resps[0]
	}
	return []recordedStub{st}, nil
}

// recordedStatus is the output of a call that ended with err: its code
// (by name), message and details; nothing for nil.
func recordedStatus(err error) (recordedOutput, error) {
	var out recordedOutput
	if err == nil {
		return out, nil
	}
	st := status.Convert(err)
	if st.Code() == codes.OK {
		return out, nil
	}
	out.Code, out.Error = codeName(st.Code()), st.Message()
	for _, d := range st.Proto().GetDetails() {
		j, err := jsonObject(d)
		if err != nil {
			return out, fmt.Errorf("a detail of the status (%s): %w", d.GetTypeUrl(), err)
		}
		out.Details = append(out.Details, j)
	}
	return out, nil
}

// jsonObject is msg in JSON as protojson writes it (the fields that are
// set, lowerCamel), decoded into an object with its numbers as they are.
func jsonObject(msg proto.Message) (map[string]any, error) {
	b, err := protojson.Marshal(msg)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	out := map[string]any{}
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}
