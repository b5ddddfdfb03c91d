//go:build !unix

package main

// raiseFileLimit does nothing where there is no RLIMIT_NOFILE; 0 means no known limit.
func raiseFileLimit() (soft, hard uint64, err error) { return 0, 0, nil }
