// Package drift compares what a service was seen to send with what openapi.yaml declares.
//
// A proxy (package proxy) feeds every answered request to Traffic.Add, which keeps only
// names, types, counts and enum values: the statuses of each operation, the response headers,
// the ErrorCodes, every body field by JSON pointer with its JSON types, the query parameters
// sent. Reports store Traffic; Merge joins several. Compare then lists the drift (what the
// traffic shows that the spec lacks or contradicts: unknown paths, statuses, headers, error
// codes, fields, type changes, enum values such as a new status, required fields that went
// missing) and the coverage gaps (what the spec declares that the traffic never showed).
//
// traffic.go holds the observations, compare.go the comparison, render.go the Markdown.
package drift
