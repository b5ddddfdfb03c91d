package mock

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

// journalPage is the body of GET /_fcmock/requests.
type journalPage struct {
	Requests []Entry `json:"requests"`
	// Next, when set, is the after of the next page: more entries follow.
	Next uint64 `json:"next,omitempty"`
}

// listJournal answers GET /_fcmock/requests?after=SEQ&limit=N: the entries after SEQ (0, the
// default, for the oldest kept), oldest first, at most N (1 to MaxJournalPage, the default), so
// that no read is larger than a page whatever the journal holds.
func (s *Server) listJournal(c echo.Context) error {
	after, err := queryUint(c, "after", 0, 0, 1<<63)
	if err != nil {
		return err
	}
	limit, err := queryUint(c, "limit", MaxJournalPage, 1, MaxJournalPage)
	if err != nil {
		return err
	}
	entries, more := s.journal.list(after, int(limit))
	page := journalPage{Requests: entries}
	if more {
		page.Next = entries[len(entries)-1].Seq
	}
	return c.JSON(http.StatusOK, page)
}

// queryUint reads the query parameter name as an integer in [lo, hi], def when absent.
func queryUint(c echo.Context, name string, def, lo, hi uint64) (uint64, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, fc.Errorf(fc.CodeInvalidArgument, "parameter %s must be an integer from %d to %d", name, lo, hi)
	}
	return n, nil
}
