'use strict';

// fcmock's own test of the stateful asynchronous invocation calls through the Node SDK 2.6.6.
// The SDK has no methods for them (listStatefulAsyncInvocations and the others are not in
// lib/client.js), so this drives them as a user of 2.6.6 would: invokeFunction with the
// headers, and the client's signed generic get/put for the rest. Run by sdktest/node_test.go
// against an in-process fcmock on a virtual clock (nothing finishes unless the clock moves),
// with ENDPOINT, ACCESS_KEY_ID and ACCESS_KEY_SECRET set.

const fs = require('fs');
const path = require('path');
const expect = require('expect.js');
const FunctionComputeClient = require('../');

const client = new FunctionComputeClient(process.env.ACCOUNT_ID || 'accountid', {
  accessKeyID: process.env.ACCESS_KEY_ID || 'accessKeyID',
  accessKeySecret: process.env.ACCESS_KEY_SECRET || 'accessKeySecret',
  region: 'cn-shanghai',
  endpoint: process.env.ENDPOINT,
});
const serviceName = 'fcmock-stateful-node';
const functionName = 'task';
const fnPath = `/services/${serviceName}/functions/${functionName}`;

async function fcError(promise) {
  try {
    await promise;
  } catch (ex) {
    return ex;
  }
  throw new Error('the call succeeded; an FC error was expected');
}

describe('stateful async invocations through the Node SDK', function () {
  before(async function () {
    await client.createService(serviceName);
    await client.createFunction(serviceName, {
      functionName, handler: 'main.handler', runtime: 'nodejs14',
      code: { zipFile: fs.readFileSync(path.join(__dirname, 'figures/test.zip'), 'base64') },
    });
  });

  after(async function () {
    await client.deleteFunction(serviceName, functionName);
    await client.deleteService(serviceName);
  });

  it('an id is refused until the async config turns stateful invocation on', async function () {
    const ex = await fcError(client.invokeFunction(serviceName, functionName, 'x', {
      'X-Fc-Invocation-Type': 'Async', 'X-Fc-Stateful-Async-Invocation-Id': 'job-early',
    }));
    expect(ex.code).to.be('InvalidArgument');
  });

  it('putFunctionAsyncConfig turns it on; listFunctionAsyncConfigs and the stateful functions show it', async function () {
    const put = await client.putFunctionAsyncConfig(serviceName, functionName, '', { statefulInvocation: true });
    expect(put.data.statefulInvocation).to.be(true);
    const list = await client.listFunctionAsyncConfigs(serviceName, functionName, { limit: 10 });
    expect(list.data.configs).to.have.length(1);
    expect(list.data.configs[0]).to.have.property('qualifier', 'LATEST');
    expect(list.data.configs[0]).to.have.property('statefulInvocation', true);
    expect(list.data).not.to.have.property('nextToken');
    const fns = await client.get('/stateful-async-invocation-functions', { limit: 100 });
    expect(fns.data.data.filter(f => f.serviceName === serviceName))
      .to.eql([{ serviceName, functionName, qualifier: 'LATEST' }]);
  });

  it('invokeFunction with an id answers 202 and echoes the id', async function () {
    const res = await client.invokeFunction(serviceName, functionName, 'payload-1', {
      'X-Fc-Invocation-Type': 'Async', 'X-Fc-Stateful-Async-Invocation-Id': 'job-1',
    });
    expect(res.headers['x-fc-stateful-async-invocation-id']).to.be('job-1');
    expect(res.headers['x-fc-request-id']).to.be.ok();
  });

  it('a second invoke with the same id is StatefulAsyncInvocationAlreadyExists', async function () {
    const ex = await fcError(client.invokeFunction(serviceName, functionName, 'again', {
      'X-Fc-Invocation-Type': 'Async', 'X-Fc-Stateful-Async-Invocation-Id': 'job-1',
    }));
    expect(ex.code).to.be('StatefulAsyncInvocationAlreadyExists');
  });

  it('get returns the invocation, not finished', async function () {
    const res = await client.get(`${fnPath}/stateful-async-invocations/job-1`);
    expect(res.data).to.have.property('invocationId', 'job-1');
    expect(res.data).to.have.property('functionName', functionName);
    expect(res.data).to.have.property('serviceName', serviceName);
    expect(res.data.endTime).to.be(0);
    expect(['Enqueued', 'Running']).to.contain(res.data.status);
  });

  it('list finds it by prefix, with its payload when asked', async function () {
    const res = await client.get(`${fnPath}/stateful-async-invocations`, {
      invocationIdPrefix: 'job-', includePayload: true, limit: 10,
    });
    expect(res.data.invocations.map(i => i.invocationId)).to.eql(['job-1']);
    expect(res.data.invocations[0].invocationPayload).to.be('payload-1');
  });

  it('stop makes it Stopping, Stopped once the clock moves 1 s, and a second stop is refused', async function () {
    await client.put(`${fnPath}/stateful-async-invocations/job-1`);
    let res = await client.get(`${fnPath}/stateful-async-invocations/job-1`);
    expect(res.data.status).to.be('Stopping');
    // fcmock's admin API moves its virtual clock (not an FC call: plain fetch, unsigned).
    const moved = await fetch(`${process.env.ENDPOINT}/_fcmock/clock`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advance":"1s"}',
    });
    expect(moved.status).to.be(200);
    res = await client.get(`${fnPath}/stateful-async-invocations/job-1`);
    expect(res.data.status).to.be('Stopped');
    expect(res.data.endTime).to.be.greaterThan(0);
    const ex = await fcError(client.put(`${fnPath}/stateful-async-invocations/job-1`));
    expect(ex.code).to.be('AsyncInvocationStopped');
  });

  it('an unknown id is StatefulAsyncInvocationNotFound', async function () {
    const ex = await fcError(client.get(`${fnPath}/stateful-async-invocations/job-404`));
    expect(ex.code).to.be('StatefulAsyncInvocationNotFound');
    expect(ex.message).to.contain('failed with 404');
  });
});
