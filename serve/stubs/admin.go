package stubs

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// HistorySize bounds the calls that the history keeps (the oldest go
// first); the counts that POST /api/verify checks are kept for every
// call.
const HistorySize = 1000

// A Call is one call in the history: its method, its request (the
// messages of a client's stream in Requests), and its answer: Response
// (of a unary call), Error and Code, and the stub that gave it (none when
// the servicer answered).
type Call struct {
	Service   string    `json:"service"`
	Method    string    `json:"method"`
	Request   any       `json:"request,omitempty"`
	Requests  []any     `json:"requests,omitempty"`
	Response  any       `json:"response,omitempty"`
	Error     string    `json:"error,omitempty"`
	Code      int       `json:"code,omitempty"`
	StubID    string    `json:"stubId,omitempty"`
	Timestamp time.Time `json:"timestamp"`
}

// Stub returns the stub that answers c's request (of a unary call or a
// server's stream) as it was answered: the first step of recording calls
// as stubs. Its output lacks the messages of a stream, which the history
// does not keep.
func (c Call) Stub() Stub {
	st := Stub{Service: c.Service, Method: c.Method}
	if req, ok := c.Request.(map[string]any); ok {
		st.Input.Equals = req
	}
	if resp, ok := c.Response.(map[string]any); ok {
		st.Output.Data = resp
	}
	if c.Code != 0 {
		code := c.Code
		st.Output.Code, st.Output.Error = &code, c.Error
	}
	return st
}

// history is the calls of a server that has the admin API.
type history struct {
	mu     sync.Mutex
	calls  []Call
	counts map[string]int // by "/helloworld.Greeter/SayHello"
}

// add records a call of fullMethod; h may be nil (no admin API).
func (h *history) add(fullMethod string, st *stub, reqs []proto.Message, resp any, err error) {
	if h == nil {
		return
	}
	service, method, _ := strings.Cut(strings.TrimPrefix(fullMethod, "/"), "/")
	c := Call{Service: service, Method: method, Timestamp: time.Now().UTC()}
	if len(reqs) == 1 {
		c.Request = tree(reqs[0])
	} else {
		for _, r := range reqs {
			c.Requests = append(c.Requests, tree(r))
		}
	}
	if m, ok := resp.(proto.Message); ok && err == nil {
		c.Response = tree(m)
	}
	if err != nil {
		s := status.Convert(err)
		c.Error, c.Code = s.Message(), int(s.Code())
	}
	if st != nil {
		c.StubID = st.ID
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.calls) == HistorySize {
		h.calls = append(h.calls[:0], h.calls[1:]...)
	}
	h.calls = append(h.calls, c)
	h.counts[fullMethod]++
}

func (h *history) list() []Call {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Call{}, h.calls...)
}

func (h *history) count(fullMethod string) int {
	if h == nil {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.counts[fullMethod]
}

// maxBody bounds the body of an admin API request.
const maxBody = 8 << 20

// Handler returns the admin API, gripmock's:
//
//	GET    /api/stubs          the stubs in force (files' and the API's)
//	POST   /api/stubs          add a stub or a list (400 with the reason if one is wrong)
//	DELETE /api/stubs          remove the stubs added through the API
//	GET    /api/stubs/{id}     one stub
//	DELETE /api/stubs/{id}     remove a stub added through the API
//	POST   /api/stubs/search   the answer of the stub that matches {service, method, headers, data}
//	GET    /api/history        the calls, with their requests
//	POST   /api/verify         check that {service, method} was called expectedCount times
//	GET    /api/health/liveness
//
// Errors are JSON objects: {"error": "..."}.
func (s *Stubs) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/health/liveness", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"message": "ok", "time": time.Now().UTC()})
	})
	mux.HandleFunc("GET /api/stubs", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, orEmpty(s.List()))
	})
	mux.HandleFunc("POST /api/stubs", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("request: %v", err))
			return
		}
		stubs, err := Parse("request", body)
		if err == nil {
			var ids []string
			if ids, err = s.Add("request", stubs); err == nil {
				writeJSON(w, http.StatusOK, ids)
				return
			}
		}
		writeError(w, http.StatusBadRequest, err.Error())
	})
	mux.HandleFunc("DELETE /api/stubs", func(w http.ResponseWriter, r *http.Request) {
		s.Delete()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /api/stubs/{id}", func(w http.ResponseWriter, r *http.Request) {
		for _, st := range s.List() {
			if st.ID == r.PathValue("id") {
				writeJSON(w, http.StatusOK, st)
				return
			}
		}
		writeError(w, http.StatusNotFound, fmt.Sprintf("no stub %q", r.PathValue("id")))
	})
	mux.HandleFunc("DELETE /api/stubs/{id}", func(w http.ResponseWriter, r *http.Request) {
		if s.Delete(r.PathValue("id")) == 0 {
			writeError(w, http.StatusNotFound, fmt.Sprintf("no stub %q added through the API (a file's stub goes with its file)", r.PathValue("id")))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /api/stubs/search", s.search)
	mux.HandleFunc("GET /api/history", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, orEmpty(s.history.list()))
	})
	mux.HandleFunc("POST /api/verify", s.verify)
	return mux
}

func orEmpty[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// searchRequest is the body of POST /api/stubs/search.
type searchRequest struct {
	Service string            `json:"service"`
	Method  string            `json:"method"`
	Headers map[string]string `json:"headers"`
	Data    map[string]any    `json:"data"`
}

// search answers what the stub that matches a request would: its data
// (or stream), headers, error and code, without counting the call.
func (s *Stubs) search(w http.ResponseWriter, r *http.Request) {
	var q searchRequest
	if !readJSON(w, r, &q) {
		return
	}
	md, err := s.catalog.method(q.Service, q.Method, "request")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	mt, err := messageType(md.Input())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	req, err := decodeMessage(mt, orEmptyMap(q.Data), "request: data")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	headers := map[string][]string{}
	for k, v := range q.Headers {
		headers[strings.ToLower(k)] = []string{v}
	}
	fullMethod := fmt.Sprintf("/%s/%s", md.Parent().FullName(), md.Name())
	st := s.find(s.current.Load().byMethod[fullMethod], 0, req, headers, false)
	if st == nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no stub of %s matches", fullMethod))
		return
	}
	out := map[string]any{"id": st.ID, "headers": orEmptyMap(st.Output.Headers), "data": map[string]any{}, "error": "", "code": 0}
	if st.response != nil {
		out["data"] = tree(st.response)
	}
	if st.stream != nil {
		var stream []any
		for _, m := range st.stream {
			stream = append(stream, tree(m))
		}
		out["stream"] = stream
	}
	if st.status != nil {
		out["error"], out["code"] = st.status.Message(), int(st.status.Code())
	}
	writeJSON(w, http.StatusOK, out)
}

func orEmptyMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}

// verifyRequest is the body of POST /api/verify.
type verifyRequest struct {
	Service       string `json:"service"`
	Method        string `json:"method"`
	ExpectedCount *int   `json:"expectedCount"`
}

// verify answers 200 when the method was called expectedCount times, 400
// with both counts otherwise.
func (s *Stubs) verify(w http.ResponseWriter, r *http.Request) {
	var q verifyRequest
	if !readJSON(w, r, &q) {
		return
	}
	if q.ExpectedCount == nil || *q.ExpectedCount < 0 {
		writeError(w, http.StatusBadRequest, "request: expectedCount: want a count, 0 or more")
		return
	}
	md, err := s.catalog.method(q.Service, q.Method, "request")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	fullMethod := fmt.Sprintf("/%s/%s", md.Parent().FullName(), md.Name())
	actual := s.history.count(fullMethod)
	if actual != *q.ExpectedCount {
		writeJSON(w, http.StatusBadRequest, map[string]any{
			"message":  fmt.Sprintf("%s was called %d times, not %d", fullMethod, actual, *q.ExpectedCount),
			"expected": *q.ExpectedCount,
			"actual":   actual,
		})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"message": "ok", "time": time.Now().UTC()})
}

// readJSON decodes the request's body into v, or answers 400.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("request: %v", err))
		return false
	}
	return true
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
