package fakegithub

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Fault is an injected misbehaviour. It applies to requests of one route
// (the names in the request log: "upload-asset", "list-releases", ... or "*"
// for any), lets After of them through, then hits the next Times of them
// (0 means once, negative means every one).
type Fault struct {
	Route  string `json:"route"`
	Method string `json:"method,omitempty"` // optional extra filter
	After  int    `json:"after,omitempty"`
	Times  int    `json:"times,omitempty"`

	// Status answers with this status and Message instead of running the
	// route. RetryAfter (seconds) and Headers are sent with it; a
	// DocumentationURL ending in "secondary-rate-limits" makes go-github
	// read a 403 as a secondary rate limit.
	Status           int               `json:"status,omitempty"`
	Message          string            `json:"message,omitempty"`
	DocumentationURL string            `json:"documentation_url,omitempty"`
	RetryAfter       int               `json:"retry_after,omitempty"`
	Headers          map[string]string `json:"headers,omitempty"`
	// EchoAuthorization appends the request's Authorization header to
	// Message, as a careless proxy or server does: the client must never
	// print what comes back.
	EchoAuthorization bool `json:"echo_authorization,omitempty"`

	// Reset cuts the connection with a TCP reset after reading part of the
	// request body: an upload that breaks half-way. With LeaveStarter an
	// upload also leaves a half-finished asset in state "starter" under
	// its name, as GitHub sometimes does.
	Reset        bool `json:"reset,omitempty"`
	LeaveStarter bool `json:"leave_starter,omitempty"`
	// DropResponse does the work and then cuts the connection before
	// answering: the client cannot know it succeeded.
	DropResponse bool `json:"drop_response,omitempty"`
	// Duplicate makes another client upload an asset of the same name just
	// before this upload is handled, which then gets 422 already_exists.
	Duplicate bool `json:"duplicate,omitempty"`
	// DelayMS answers this many milliseconds late (a slow server). Alone,
	// the route then answers normally.
	DelayMS int `json:"delay_ms,omitempty"`
	// Hook runs before the route answers, without the fake's lock held, so
	// it may send requests of its own: a test lands another client's write
	// between this client's read and its write. Only Go tests can set it.
	Hook func() `json:"-"`

	seen, hits int
}

// AddFault queues a fault. Faults are tried in the order added; the first
// that matches a request applies.
func (f *Fake) AddFault(fl Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, &fl)
}

// ClearFaults removes every queued fault.
func (f *Fake) ClearFaults() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = nil
}

func (f *Fake) takeFault(route, method string) *Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fl := range f.faults {
		if (fl.Route != "*" && fl.Route != route) || (fl.Method != "" && fl.Method != method) {
			continue
		}
		times := fl.Times
		if times == 0 {
			times = 1
		}
		if times > 0 && fl.hits >= times {
			continue
		}
		fl.seen++
		if fl.seen <= fl.After {
			continue
		}
		fl.hits++
		cp := *fl
		return &cp
	}
	return nil
}

// applyFault acts out fl. It returns true when the request has been
// answered (or cut) and the route must not run.
func (f *Fake) applyFault(c *call, rt *route, fl *Fault) bool {
	if fl.DelayMS > 0 {
		select {
		case <-time.After(time.Duration(fl.DelayMS) * time.Millisecond):
		case <-c.r.Context().Done():
			return true
		}
	}
	if fl.Hook != nil {
		fl.Hook()
	}
	switch {
	case fl.Status != 0:
		h := c.w.Header()
		for k, v := range fl.Headers {
			h.Set(k, v)
		}
		if fl.RetryAfter > 0 {
			h.Set("Retry-After", strconv.Itoa(fl.RetryAfter))
		}
		msg := fl.Message
		if msg == "" {
			msg = http.StatusText(fl.Status)
		}
		if fl.EchoAuthorization {
			msg += " (request had Authorization: " + c.r.Header.Get("Authorization") + ")"
		}
		doc := fl.DocumentationURL
		if doc == "" {
			doc = "https://docs.github.com/rest"
		}
		writeJSON(c.w, fl.Status, map[string]any{"message": msg, "documentation_url": doc})
		return true
	case fl.Reset:
		// Take part of the body so the client is cut off mid-send.
		if n := c.r.ContentLength; n > 0 {
			io.CopyN(io.Discard, c.r.Body, min(n/2, 1<<16))
		}
		if fl.LeaveStarter && rt.name == "upload-asset" {
			f.leaveStarter(c)
		}
		resetConn(c.w)
		return true
	case fl.DropResponse:
		serveWithRecorder(f, c, rt)
		resetConn(c.w)
		return true
	case fl.Duplicate && rt.name == "upload-asset":
		f.raceDuplicate(c)
		return false
	}
	return false
}

// resetConn closes the client's connection with a TCP RST (linger 0), the
// "connection reset by peer" of a broken upload.
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fakegithub: connection cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}
