package main

import (
	"cmp"
	"fmt"
)

// inRange is the usage error for a numeric flag outside [lo, hi], naming the flag; nil when v
// is in range. Every numeric flag is checked, so a typo gives exit code 2 and a sentence, not a
// runtime error (a --journal-size of 1e11 used to allocate until the process died).
func inRange[T cmp.Ordered](name string, v, lo, hi T) error {
	if v < lo || v > hi {
		return fmt.Errorf("--%s must be from %v to %v, not %v", name, lo, hi, v)
	}
	return nil
}

// firstError returns the first error that is not nil.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
