package mock

// Accessors for code that embeds the mock, such as fcmocktest: what the admin API shows, in Go.

// Requests returns the journal, oldest first: what GET /_fcmock/requests shows.
func (s *Server) Requests() []Entry { return s.journal.list() }

// Rules returns the store of standing scenario rules that /_fcmock/scenarios edits.
func (s *Server) Rules() RuleStore { return s.opts.Rules }
