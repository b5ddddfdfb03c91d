package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// next is the state machine of wire facts section 5: the statuses each status may move to
// directly. Stop on a live invocation leads through Stopping to Stopped; Retrying leads back to
// Running; the five terminal statuses lead nowhere.
var next = map[string][]string{
	"Enqueued": {"Dequeued", "Stopping"},
	"Dequeued": {"Running", "Expired", "Invalid", "Stopping"},
	"Running":  {"Succeeded", "Failed", "Retrying", "Stopping"},
	"Retrying": {"Running", "Stopping"},
	"Stopping": {"Stopped"},
	// Terminal.
	"Succeeded": nil, "Failed": nil, "Stopped": nil, "Expired": nil, "Invalid": nil,
}

// terminal reports whether status ends an invocation: no status follows it.
func terminal(status string) bool {
	n, known := next[status]
	return known && len(n) == 0
}

// reachable reports whether an invocation in status from can later be seen in status to:
// equal, or at the end of a path of transitions. Two reads may miss the statuses between them.
func reachable(from, to string) bool {
	if from == to {
		return true
	}
	seen := map[string]bool{from: true}
	queue := []string{from}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, n := range next[s] {
			if n == to {
				return true
			}
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	return false
}

// record is one read of a stateful invocation (a Get body, or one item of a listing), decoded
// leniently: a field of the wrong type is conformance/schema's finding. fields keeps every key
// as sent, for comparing two reads.
type record struct {
	ID        string
	Service   string
	Function  string
	Status    string
	Qualifier string
	RequestID string
	Started   int64
	End       int64
	HasEnd    bool
	Payload   *string
	Events    []event
	fields    map[string]json.RawMessage
}

// event is one entry of a record's events.
type event struct {
	ID        int64
	Status    string
	Timestamp int64
}

func decodeRecord(fields map[string]json.RawMessage) record {
	r := record{fields: fields}
	_ = json.Unmarshal(fields["invocationId"], &r.ID)
	_ = json.Unmarshal(fields["serviceName"], &r.Service)
	_ = json.Unmarshal(fields["functionName"], &r.Function)
	_ = json.Unmarshal(fields["status"], &r.Status)
	_ = json.Unmarshal(fields["qualifier"], &r.Qualifier)
	_ = json.Unmarshal(fields["requestId"], &r.RequestID)
	r.Started, _ = jsonInt(fields["startedTime"])
	r.End, r.HasEnd = jsonInt(fields["endTime"])
	if raw, ok := fields["invocationPayload"]; ok {
		var p string
		_ = json.Unmarshal(raw, &p)
		r.Payload = &p
	}
	var events []map[string]json.RawMessage
	_ = json.Unmarshal(fields["events"], &events)
	for _, e := range events {
		var ev event
		ev.ID, _ = jsonInt(e["eventId"])
		ev.Timestamp, _ = jsonInt(e["timestamp"])
		_ = json.Unmarshal(e["status"], &ev.Status)
		r.Events = append(r.Events, ev)
	}
	return r
}

// decodeBody decodes a Get answer's body: the invocation at top level.
func decodeBody(body []byte) (record, bool) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil || fields == nil {
		return record{}, false
	}
	return decodeRecord(fields), true
}

// decodeItems decodes a listing page's invocations.
func decodeItems(body []byte) []record {
	var page struct {
		Invocations []map[string]json.RawMessage `json:"invocations"`
	}
	_ = json.Unmarshal(body, &page)
	out := make([]record, 0, len(page.Invocations))
	for _, m := range page.Invocations {
		out = append(out, decodeRecord(m))
	}
	return out
}

func jsonInt(raw json.RawMessage) (int64, bool) {
	n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	return n, err == nil
}

// diff lists the fields in which two reads of one invocation differ, invocationPayload left out
// (a listing carries it only with includePayload). Values compare as JSON, so key order and
// spacing do not matter.
func (r record) diff(other record) []string {
	keys := map[string]bool{}
	for k := range r.fields {
		keys[k] = true
	}
	for k := range other.fields {
		keys[k] = true
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if k == "invocationPayload" {
			continue
		}
		a, inA := r.fields[k]
		b, inB := other.fields[k]
		switch {
		case !inA:
			out = append(out, fmt.Sprintf("%s: absent, then %s", k, truncate(string(b), 80)))
		case !inB:
			out = append(out, fmt.Sprintf("%s: %s, then absent", k, truncate(string(a), 80)))
		case !sameJSON(a, b):
			out = append(out, fmt.Sprintf("%s: %s, then %s", k, truncate(compact(a), 80), truncate(compact(b), 80)))
		}
	}
	return out
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	if da.Decode(&x) != nil || db.Decode(&y) != nil {
		return bytes.Equal(a, b)
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// describe names a read for findings: "Running, endTime 0, 3 events".
func (r record) describe() string {
	end := "no endTime"
	if r.HasEnd {
		end = "endTime " + strconv.FormatInt(r.End, 10)
	}
	var ev []string
	for _, e := range r.Events {
		ev = append(ev, fmt.Sprintf("#%d %s@%d", e.ID, e.Status, e.Timestamp))
	}
	return fmt.Sprintf("%s, %s, events [%s]", r.Status, end, strings.Join(ev, " "))
}
