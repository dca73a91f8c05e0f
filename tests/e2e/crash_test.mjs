// (c) Crash test: a client sends value transfers continuously while the node
// is SIGKILLed at random moments; after every restart on the same datadir,
// every transaction whose receipt the client had seen is still in the chain
// (same block hash, same index) and every recipient (one per transfer) still
// holds exactly its value.
import assert from "node:assert/strict";
import { ethers } from "ethers";
import { seededRandom, sendTransfersUntilKilled } from "./lib/crash_load.mjs";
import { main, removeDir, rpc, sleep, startNode, tempDir } from "./lib/knode.mjs";

const TRIALS = Number(process.env.KNODE_CRASH_TRIALS ?? 5);
const seedRandom = Number(process.env.KNODE_CRASH_SEED ?? Date.now());
const random = seededRandom(seedRandom);

async function verify(node, wallet, confirmed) {
  let maxNonce = -1;
  for (const t of confirmed.values()) {
    const r = await rpc(node.url, "eth_getTransactionReceipt", [t.hash]);
    assert.ok(r, `receipt of ${t.hash} (block ${Number(t.blockNumber)}) survived the crash`);
    assert.equal(r.blockHash, t.blockHash, `block hash of ${t.hash}`);
    assert.equal(r.transactionIndex, t.index, `index of ${t.hash}`);
    const block = await rpc(node.url, "eth_getBlockByNumber", [t.blockNumber, false]);
    assert.equal(block.hash, t.blockHash, `canonical block ${Number(t.blockNumber)}`);
    assert.equal(BigInt(await rpc(node.url, "eth_getBalance", [t.to, "latest"])), t.value, `balance of ${t.to}`);
    maxNonce = Math.max(maxNonce, t.nonce);
  }
  const nonce = Number(await rpc(node.url, "eth_getTransactionCount", [wallet.address, "latest"]));
  assert.ok(nonce >= maxNonce + 1, `dev nonce ${nonce} covers every confirmed transfer (max ${maxNonce})`);
}

main(`crash_test (seed ${seedRandom})`, async () => {
  const datadir = tempDir("crash");
  let node;
  const confirmed = new Map();
  try {
    for (let trial = 0; trial < TRIALS; trial++) {
      node = await startNode({ datadir, period: "0.1", extraArgs: trial % 2 ? ["--state.block-interval", "16"] : [] });
      const wallet = new ethers.Wallet(node.devKey);
      if (trial > 0) await verify(node, wallet, confirmed);
      const runMs = 1500 + Math.floor(random() * 3500);
      const before = confirmed.size;
      const loop = sendTransfersUntilKilled(node, wallet, confirmed, Date.now() + runMs + 10000, { random, pauseMs: 20 });
      await sleep(runMs);
      const killed = await node.kill();
      assert.equal(killed.signal, "SIGKILL");
      const sent = await loop;
      console.log(`trial ${trial}: killed after ${runMs} ms, ${sent} sent, ${confirmed.size - before} newly confirmed`);
    }
    node = await startNode({ datadir, period: "0.1" });
    const wallet = new ethers.Wallet(node.devKey);
    await verify(node, wallet, confirmed);
    assert.ok(confirmed.size >= TRIALS * 5, `enough transfers confirmed under load (${confirmed.size})`);
    assert.equal((await node.stop()).code, 0, node.stderr());
    // After the clean stop too.
    node = await startNode({ datadir, period: "0.1" });
    await verify(node, wallet, confirmed);
    assert.equal((await node.stop()).code, 0, node.stderr());
    console.log(`${confirmed.size} confirmed transfers verified after ${TRIALS} kills`);
  } finally {
    if (node) await node.kill();
    removeDir(datadir);
  }
});
