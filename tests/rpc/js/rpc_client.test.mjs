// Drives rpc_echo_server with Node's built-in fetch (no npm packages).
// Usage: node rpc_client.test.mjs PORT   (exit code 0 when every check passes)
import assert from 'node:assert/strict';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node rpc_client.test.mjs PORT');
  process.exit(2);
}
const url = `http://127.0.0.1:${port}/`;

async function post(body, contentType = 'application/json') {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text };
}

async function call(method, params, id = 1) {
  const r = await post({ jsonrpc: '2.0', id, method, params });
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/json');
  return JSON.parse(r.text);
}

const checks = {
  async chainId() {
    assert.deepEqual(await call('eth_chainId', []), { jsonrpc: '2.0', id: 1, result: '0x2019' });
    assert.equal((await call('klay_chainID', [], 'a')).result, '0x2019');
  },
  async echoKeepsStructure() {
    const params = { nested: [1, 'two', { three: null }], unicode: 'ⓚlay ✓' };
    const r = await call('test_echo', params, 42);
    assert.equal(r.id, 42);
    assert.deepEqual(r.result, params);
  },
  async addAndInvalidParams() {
    assert.equal((await call('test_add', ['0xff', '0x1'])).result, '0x100');
    const bad = await call('test_add', ['0xff', '0x01']);
    assert.equal(bad.error.code, -32602);
    assert.equal(bad.error.message, 'invalid argument 1: hex number with leading zero digits');
  },
  async batchWithNotification() {
    const r = await post([
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
      { jsonrpc: '2.0', method: 'test_echo', params: ['ignored'] },
      { jsonrpc: '2.0', id: 2, method: 'eth_unknown' },
      { jsonrpc: '2.0', id: 3, method: 'test_echo', params: [true] },
    ]);
    assert.equal(r.status, 200);
    const out = JSON.parse(r.text);
    assert.equal(out.length, 3);
    assert.equal(out[0].result, '0x2019');
    assert.equal(out[1].error.code, -32601);
    assert.equal(out[1].error.message, 'the method eth_unknown does not exist/is not available');
    assert.deepEqual(out[2].result, [true]);
  },
  async parseError() {
    const r = await post('{"jsonrpc":');
    assert.equal(r.status, 200);
    const out = JSON.parse(r.text);
    assert.equal(out.error.code, -32700);
    assert.equal(out.id, null);
  },
  async adminFromLoopback() {
    assert.equal((await call('admin_ping', [])).result, 'pong');
  },
  async wrongContentType() {
    const r = await post({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }, 'text/plain');
    assert.equal(r.status, 415);
    assert.equal(JSON.parse(r.text).error.code, -32600);
  },
  async getRoot() {
    const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /JSON-RPC/);
  },
  async parallelCalls() {
    const ids = Array.from({ length: 20 }, (_, i) => i + 100);
    const results = await Promise.all(ids.map((id) => call('test_echo', [id], id)));
    results.forEach((r, i) => assert.deepEqual(r, { jsonrpc: '2.0', id: ids[i], result: [ids[i]] }));
  },
};

let failed = 0;
for (const [name, check] of Object.entries(checks)) {
  try {
    await check();
    console.log(`ok   ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL ${name}: ${err.message}`);
  }
}
console.log(`${Object.keys(checks).length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
