// Package redisstore keeps fcmock's run-time state in Redis, so several replicas behind a load
// balancer serve one state: the invocations made with InvokeFunction (their plans and stop
// requests), the async invoke configs, the standing scenario rules, and a virtual clock. It implements mock.SharedState and
// mock.SharedClock; mock does not know which store it has. Fixtures stay in each replica's
// memory; the store records a hash of the fixture set and refuses a replica serving another.
//
//   - store.go: Open (URL, timeouts), the key layout, Join and Reset.
//   - invocations.go: mock.Invocations over hashes and sorted sets: set-if-absent Lua scripts for
//     Put and Stop, pages by ZRANGEBYLEX over (startedTime, id), status indexes filled as
//     invocations end.
//   - record.go: an invocation's compact binary encoding.
//   - configs.go: mock.AsyncConfigs in one hash; clock.go: the shared virtual clock; rules.go:
//     mock.RuleStore, cached per replica and invalidated by a published message.
//
// Every fact is written once (Put and Stop are HSETNX inside a script), so replicas agree
// without locks; what changes with time (an invocation's status) is computed from the plan, the
// stop time and the shared clock at read time, as in memory. Redis Cluster is not supported
// (scripts name keys they build); one Redis, or a primary with failover, is.
package redisstore
