package resources

import (
	"github.com/fcmock/fcmock/internal/fc"
)

// Limits bound what clients can make, so that no client, runaway or hostile, can take the mock's
// memory: FC itself has quotas per account (not documented in the fact sheets, so these are the
// mock's). The zero value means the defaults.
type Limits struct {
	// Resources bounds the services, functions, aliases and versions held (a version counts one
	// plus its functions, which it copies); 0 means DefaultMaxResources.
	Resources int
	// CodeBytes bounds the code packages held, all distinct packages together (identical
	// packages are stored once); 0 means DefaultMaxCodeBytes.
	CodeBytes int64
}

// The default limits: room for any test suite, a few hundred MB at most.
const (
	DefaultMaxResources       = 100_000
	DefaultMaxCodeBytes int64 = 512 << 20
)

func (l Limits) resources() int {
	if l.Resources > 0 {
		return l.Resources
	}
	return DefaultMaxResources
}

func (l Limits) codeBytes() int64 {
	if l.CodeBytes > 0 {
		return l.CodeBytes
	}
	return DefaultMaxCodeBytes
}

// NewMemWithLimits returns an empty store with limits; Reset fills it.
func NewMemWithLimits(l Limits) *Mem {
	m := NewMem()
	m.limits = l
	return m
}

// reserve counts n more resources, or refuses with FC's quota error when that passes the limit.
// The caller holds the write lock.
func (m *Mem) reserve(n int) error {
	if m.count+n > m.limits.resources() {
		return fc.Errorf(fc.CodeLimitExceeded, "the mock holds at most %d services, functions, versions and aliases (it holds %d): "+
			"delete some, or POST /_fcmock/reset", m.limits.resources(), m.count)
	}
	m.count += n
	return nil
}

// reserveCode checks that c fits the code budget; the caller holds the write lock.
func (m *Mem) reserveCode(c *Code) error {
	if c == nil {
		return nil
	}
	if _, ok := m.code[c.Checksum]; ok {
		return nil
	}
	if m.codeBytes+int64(len(c.Bytes)) > m.limits.codeBytes() {
		return fc.Errorf(fc.CodeLimitExceeded, "the mock holds at most %d bytes of code packages (kept until a reset): "+
			"POST /_fcmock/reset, or reuse a package", m.limits.codeBytes())
	}
	return nil
}
