package main

import (
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// defaultMaxConns is --max-conns's default: far above what a test suite or a browser opens,
// far below what exhausts file descriptors.
const defaultMaxConns = 4096

// fdReserve is how many file descriptors the connection cap leaves for everything else
// (fixture files, the log, the listener, the runtime).
const fdReserve = 64

// connCap raises the soft open-file limit to the hard one and returns want, lowered if need be
// so that the connections it allows leave fdReserve descriptors free.
func connCap(want int, log *slog.Logger) int {
	soft, hard, err := raiseFileLimit()
	if err != nil {
		log.Warn("cannot raise the open-file limit", "err", err)
	}
	if soft > 0 && uint64(want)+fdReserve > soft {
		lowered := int(max(soft, fdReserve+1) - fdReserve)
		log.Warn("--max-conns lowered to fit the open-file limit", "max_conns", lowered, "soft", soft, "hard", hard)
		return lowered
	}
	return want
}

// maxRefusing bounds the connections being refused at once; beyond it, one is closed at once.
const maxRefusing = 64

// refuseWait is how long a refused connection gets to send its request before the 503: sent
// before the request, the answer would be read as a reply to nothing.
const refuseWait = time.Second

// limitListener counts the connections it has accepted and not yet seen closed. Beyond max, it
// answers a new connection itself, 503 ServiceUnavailable in FC's error JSON, and closes it,
// so a client learns why instead of timing out in the accept queue.
type limitListener struct {
	net.Listener
	max      int64
	open     atomic.Int64
	refusing atomic.Int64
}

func limitConns(ln net.Listener, max int) net.Listener {
	if max <= 0 {
		return ln
	}
	return &limitListener{Listener: ln, max: int64(max)}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.open.Add(1) <= l.max {
			return &countedConn{Conn: c, release: sync.OnceFunc(func() { l.open.Add(-1) })}, nil
		}
		l.open.Add(-1)
		if l.refusing.Add(1) > maxRefusing {
			l.refusing.Add(-1)
			c.Close()
			continue
		}
		go func() {
			defer l.refusing.Add(-1)
			refuse(c, l.max)
		}()
	}
}

// refuse reads what the client sends within refuseWait, answers 503 and closes.
func refuse(c net.Conn, max int64) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(refuseWait))
	buf := make([]byte, 4096)
	_, _ = c.Read(buf)
	w := &rawResponse{}
	w.Header().Set("Connection", "close")
	w.Header().Set("Retry-After", "1")
	mock.WriteError(w, fc.CodeServiceUnavailable, "the server is at its limit of open connections; retry later")
	_, _ = c.Write(w.bytes())
}

// countedConn gives its place back once, on the first Close.
type countedConn struct {
	net.Conn
	release func()
}

func (c *countedConn) Close() error {
	c.release()
	return c.Conn.Close()
}

// CloseWrite passes through, so net/http can half-close before closing (as with a *net.TCPConn).
func (c *countedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
