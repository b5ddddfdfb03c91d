package mock

import (
	"io/fs"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/fixtures/snapshot"
)

// loadStore loads the data set in fsys, a YAML set or a snapshot set (told apart by the
// snapshot's manifest), into a new store; it returns the counts a reset reports.
func loadStore(fsys fs.FS) (store *Store, services, invocations int, err error) {
	if snapshot.IsSet(fsys) {
		set, err := snapshot.Open(fsys)
		if err != nil {
			return nil, 0, 0, err
		}
		return NewSnapshotStore(set), len(set.Services), len(set.Tables.Records), nil
	}
	set, err := fixtures.Load(fsys)
	if err != nil {
		return nil, 0, 0, err
	}
	// set is not used after this: NewStore can hand a large set's memory back at once.
	return NewStore(set), len(set.Services), len(set.Invocations), nil
}
