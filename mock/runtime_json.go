package mock

import (
	"strconv"
	"sync/atomic"

	"github.com/fcmock/fcmock/internal/lifecycle"
)

// appendJSON writes the invocation at now as encoding/json writes API(now, include), without
// reflection (TestRunTimeJSONMatchesEncodingJSON holds it to that). An ended invocation never
// changes again, so its JSON is kept (with the payload's span, as the fixtures' page writer
// does) while budget allows and copied on later pages.
func (inv *Invocation) appendJSON(dst []byte, now int64, include bool, budget *atomic.Int64) []byte {
	stop := inv.stop.Load()
	if e := inv.json.Load(); e != nil && e.stop == stop {
		if include || e.payload[1] == 0 {
			return append(dst, e.json...)
		}
		return append(append(dst, e.json[:e.payload[0]]...), e.json[e.payload[1]:]...)
	}
	st := inv.Plan.At(stop, now)
	start := len(dst)
	dst = strconv.AppendInt(append(dst, `{"alreadyRetriedTimes":`...), st.Retried, 10)
	dst = appendJSONString(append(dst, `,"destinationStatus":`...), st.Destination)
	dst = strconv.AppendInt(append(dst, `,"endTime":`...), st.End, 10)
	dst = append(dst, `,"events":[`...)
	for i, e := range st.Events {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		if e.Detail != "" {
			dst = append(appendJSONString(append(dst, `"eventDetail":`...), e.Detail), ',')
		}
		dst = strconv.AppendInt(append(dst, `"eventId":`...), e.ID, 10)
		dst = appendJSONString(append(dst, `,"status":`...), string(e.Status))
		dst = strconv.AppendInt(append(dst, `,"timestamp":`...), e.Time, 10)
		dst = append(dst, '}')
	}
	dst = appendJSONString(append(dst, `],"functionName":`...), inv.Function)
	if st.InstanceID != "" {
		dst = appendJSONString(append(dst, `,"instanceId":`...), st.InstanceID)
	}
	dst = appendJSONString(append(dst, `,"invocationErrorMessage":`...), st.ErrorMessage)
	dst = appendJSONString(append(dst, `,"invocationId":`...), inv.ID)
	from := len(dst)
	dst = appendJSONString(append(dst, `,"invocationPayload":`...), inv.Payload)
	to := len(dst)
	dst = appendJSONString(append(dst, `,"qualifier":`...), inv.Qualifier)
	dst = appendJSONString(append(dst, `,"requestId":`...), inv.RequestID)
	dst = appendJSONString(append(dst, `,"serviceName":`...), inv.Service)
	dst = strconv.AppendInt(append(dst, `,"startedTime":`...), inv.Plan.Enqueued, 10)
	dst = append(appendJSONString(append(dst, `,"status":`...), string(st.Status)), '}')
	if lifecycle.Terminal(st.Status) && budget != nil {
		if size := int64(len(dst) - start); budget.Add(-size) >= 0 {
			b := make([]byte, len(dst)-start)
			copy(b, dst[start:])
			inv.json.Store(&keptJSON{encodedRecord{json: b, payload: [2]int32{int32(from - start), int32(to - start)}}, stop})
		}
	}
	if !include {
		dst = append(dst[:from], dst[to:]...)
	}
	return dst
}

// keptJSON is an ended invocation's JSON and the stop time it was computed with: a stop recorded
// since (a race with the read that kept it) makes it stale.
type keptJSON struct {
	encodedRecord
	stop int64
}

// runtimeJSONBudget is how many bytes of ended run-time invocations' JSON a server keeps.
const runtimeJSONBudget = 32 << 20
