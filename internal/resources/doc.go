// Package resources holds FC's resource model at run time: services, functions, versions and
// aliases, as CreateService and its siblings make and change them over the fixtures' initial
// state (fc-resources-facts.md).
//
//   - store.go: the Store interface (what a shared store, e.g. Redis, implements), Mem, the
//     in-memory one, its reset to the fixtures and qualifier resolution.
//   - services.go: the services' operations, defaults and ETags.
//   - functions.go: functions, their defaults and code (checked by NewCode, stored by checksum).
//   - versions.go: versions (snapshots) and aliases.
//   - paging.go: the four lists' paging (limit, nextToken, prefix, startKey).
//   - limits.go: the bounds on what clients can make.
package resources
