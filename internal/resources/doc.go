// Package resources holds FC's resource model at run time: services, functions, versions and
// aliases, as CreateService and its siblings make and change them over the fixtures' initial
// state (fc-resources-facts.md).
//
//   - store.go: the Store interface (what a shared store, e.g. Redis, implements), Mem, the
//     in-memory one, its reset to the fixtures and qualifier resolution.
//   - services.go: the services' operations, defaults and ETags.
//   - paging.go: the four lists' paging (limit, nextToken, prefix, startKey).
package resources
