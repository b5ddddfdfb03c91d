'use strict';

// The vendored test/client.test.js requires '../' (in the vendor's repository, its own lib/):
// here that is the SDK as users install it from npm.
module.exports = require('@alicloud/fc2');
