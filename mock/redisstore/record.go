package redisstore

import (
	"encoding/binary"
	"errors"

	"github.com/fcmock/fcmock/internal/lifecycle"
	"github.com/fcmock/fcmock/mock"
)

// recordVersion starts every record, so a later layout can tell old ones apart.
const recordVersion = 1

// appendRecord encodes what an invocation's key does not say (service, function and id are
// in the key): varints and length-prefixed strings, about a third of the JSON's size
// (TestRecordSize).
func appendRecord(dst []byte, inv *mock.Invocation) []byte {
	p := &inv.Plan
	dst = append(dst, recordVersion)
	dst = appendString(dst, inv.Qualifier)
	dst = appendString(dst, inv.RequestID)
	dst = appendString(dst, inv.Payload)
	for _, v := range [...]int64{p.Enqueued, p.QueueDelay, p.StartDelay, p.RetryDelay, p.StopDelay, p.MaxAge} {
		dst = binary.AppendVarint(dst, v)
	}
	dst = binary.AppendUvarint(dst, uint64(len(p.Attempts)))
	for _, a := range p.Attempts {
		dst = appendString(binary.AppendVarint(dst, a.Run), a.Error)
	}
	dst = appendString(dst, p.InstanceID)
	var flags byte
	if p.OnSuccess {
		flags |= 1
	}
	if p.OnFailure {
		flags |= 2
	}
	return append(dst, flags)
}

func appendString(dst []byte, s string) []byte {
	return append(binary.AppendUvarint(dst, uint64(len(s))), s...)
}

var errRecord = errors.New("redisstore: a stored invocation record is malformed")

// decoder reads a record; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err, d.b = errRecord, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n, k := binary.Uvarint(d.b)
	if k <= 0 || uint64(len(d.b)-k) < n {
		d.err, d.b = errRecord, nil
		return ""
	}
	s := string(d.b[k : k+int(n)])
	d.b = d.b[k+int(n):]
	return s
}

// decodeRecord fills inv (whose service, function and id the caller sets) from a record.
func decodeRecord(b []byte, inv *mock.Invocation) error {
	if len(b) < 2 || b[0] != recordVersion {
		return errRecord
	}
	d := decoder{b: b[1:]}
	inv.Qualifier, inv.RequestID, inv.Payload = d.string(), d.string(), d.string()
	p := &inv.Plan
	p.Enqueued, p.QueueDelay, p.StartDelay = d.varint(), d.varint(), d.varint()
	p.RetryDelay, p.StopDelay, p.MaxAge = d.varint(), d.varint(), d.varint()
	n, k := binary.Uvarint(d.b)
	if k <= 0 || n > uint64(len(d.b)) { // every attempt takes at least two bytes
		return errRecord
	}
	d.b = d.b[k:]
	p.Attempts = make([]lifecycle.Attempt, n)
	for i := range p.Attempts {
		p.Attempts[i].Run = d.varint()
		p.Attempts[i].Error = d.string()
	}
	p.InstanceID = d.string()
	if d.err != nil || len(d.b) != 1 {
		return errRecord
	}
	p.OnSuccess, p.OnFailure = d.b[0]&1 != 0, d.b[0]&2 != 0
	return nil
}
