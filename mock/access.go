package mock

// Rules returns the store of standing scenario rules that /_fcmock/scenarios edits, for code
// that embeds the mock, such as fcmocktest.
func (s *Server) Rules() RuleStore { return s.opts.Rules }
