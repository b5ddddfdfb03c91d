// Package sdktest runs the vendor's own SDK test suites against fcmock: node/ holds the test
// file of aliyun/fc-nodejs-sdk (the Node SDK, @alicloud/fc2 2.6.6 from npm) with its origin and
// edits in node/README.md, and fcmock's own mocha test of the stateful-invocation calls through
// that SDK. node_test.go installs the npm packages once into the user's cache directory, serves
// fcmock in process with signature checking on, runs mocha with its JSON reporter and holds every
// test to passing, except a listed few that need the function's code to run or an OSS upload,
// which must still fail the way the list says. It skips (and says why) without node and npm or
// when the registry cannot be reached, in CI too (a registry outage is not a defect of fcmock).
package sdktest
