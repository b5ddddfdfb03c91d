package resources

import (
	"sort"
	"strings"
)

// ListQuery selects one page of a list ordered by key (a name, or a version number).
type ListQuery struct {
	Prefix, StartKey string
	// NextToken resumes at its key (inclusive); it wins over StartKey. "" starts at StartKey.
	NextToken string
	Limit     int
}

// page returns the keys of keys (sorted ascending) that q selects, and the token of the next
// page: the key of its first item, "" when there is none. The token is the plain key, as the
// doc's examples show, so it resumes inclusively there and prefix applies again.
func page(keys []string, q ListQuery) (sel []string, next string) {
	start := q.StartKey
	if q.NextToken != "" {
		start = q.NextToken
	}
	if q.Prefix > start {
		start = q.Prefix
	}
	i := sort.SearchStrings(keys, start)
	for ; i < len(keys) && len(sel) <= q.Limit; i++ {
		if !strings.HasPrefix(keys[i], q.Prefix) {
			break // sorted: past the prefix's range
		}
		sel = append(sel, keys[i])
	}
	if len(sel) > q.Limit {
		return sel[:q.Limit], sel[q.Limit]
	}
	return sel, ""
}
