// (a) ethers v6 against a real `knode run --dev`: hundreds of value
// transfers (legacy, EIP-2930 and EIP-1559 envelopes) from the dev account to
// many addresses and some back; exact balances and nonces; blocks by number
// and hash; an eth_getProof account proof verified against the block's
// stateRoot with @ethereumjs/mpt and decoded as a Klaytn account; error
// paths; metrics; clean restart.
import assert from "node:assert/strict";
import { ethers } from "ethers";
import { verifyMerkleProof } from "@ethereumjs/mpt";
import { decodeKlaytnAccount } from "./lib/klaytn_account.mjs";
import { main, removeDir, rpc, rpcRaw, startNode, tempDir, waitReceipts } from "./lib/knode.mjs";

const TRANSFERS = 240;
const RECIPIENTS = 60;
const SENDERS_BACK = 20;

const hexToBytes = (h) => ethers.getBytes(h);

async function verifyAccountProof(url, address, blockNum) {
  const tag = ethers.toQuantity(blockNum);
  const block = await rpc(url, "eth_getBlockByNumber", [tag, false]);
  const proof = await rpc(url, "eth_getProof", [address, [], tag]);
  const value = await verifyMerkleProof(hexToBytes(address), proof.accountProof.map(hexToBytes),
    { root: hexToBytes(block.stateRoot), useKeyHashing: true });
  const balance = BigInt(await rpc(url, "eth_getBalance", [address, tag]));
  const nonce = BigInt(await rpc(url, "eth_getTransactionCount", [address, tag]));
  assert.equal(BigInt(proof.balance), balance, "proof balance = eth_getBalance");
  assert.equal(BigInt(proof.nonce), nonce, "proof nonce = eth_getTransactionCount");
  if (balance === 0n && nonce === 0n) {
    assert.equal(value, null, `absent account ${address} proves absence`);
    return;
  }
  assert.ok(value, `account ${address} is proven present`);
  const acc = decodeKlaytnAccount(value);
  assert.equal(acc.type, 1, "an externally owned account");
  assert.equal(acc.balance, balance, "proven balance");
  assert.equal(acc.nonce, nonce, "proven nonce");
  // The same proof against another root must not verify.
  const wrongRoot = hexToBytes(ethers.keccak256(block.stateRoot));
  await assert.rejects(verifyMerkleProof(hexToBytes(address), proof.accountProof.map(hexToBytes),
    { root: wrongRoot, useKeyHashing: true }), "a proof checked against another root fails");
}

main("ethers_transfers", async () => {
  const datadir = tempDir("ethers");
  let node;
  try {
    node = await startNode({ datadir, period: "0.2" });
    const provider = new ethers.JsonRpcProvider(node.url, undefined, { pollingInterval: 100, cacheTimeout: -1 });
    const network = await provider.getNetwork();
    assert.equal(network.chainId, 2019n, "dev chain id");
    assert.equal(await rpc(node.url, "net_version"), "2019");
    assert.match(await rpc(node.url, "web3_clientVersion"), /^knode\//);

    const dev = new ethers.Wallet(node.devKey, provider);
    assert.equal(dev.address, ethers.getAddress(node.devAddress));
    const recipients = Array.from({ length: RECIPIENTS }, () => ethers.Wallet.createRandom().connect(provider));

    const devStart = await provider.getBalance(dev.address);
    const nonce0 = await provider.getTransactionCount(dev.address, "pending");
    assert.equal(nonce0, 0);

    // Dev → recipients: types 2 (default), 0 and 1 mixed, explicit nonces so
    // they are all pending at once.
    const sent = [];
    const expected = new Map(recipients.map((w) => [w.address, 0n]));
    for (let i = 0; i < TRANSFERS; i++) {
      const to = recipients[i % RECIPIENTS];
      const value = ethers.parseEther("1") + BigInt(i) * 1000n;
      const req = { to: to.address, value, nonce: nonce0 + i };
      if (i % 5 === 1) { req.type = 0; req.gasPrice = await provider.send("eth_gasPrice", []); }
      if (i % 5 === 2) { req.type = 1; req.gasPrice = await provider.send("eth_gasPrice", []); }
      const tx = await dev.sendTransaction(req);
      sent.push({ tx, from: dev.address, to: to.address, value });
      expected.set(to.address, expected.get(to.address) + value);
    }
    // A pending transaction is visible by hash before it is mined.
    const firstReceipt = await sent[0].tx.wait(1, 30000);
    assert.equal(firstReceipt.status, 1);

    let receipts = await waitReceipts(node.url, sent.map((s) => s.tx.hash));
    // Some back: recipients return part of what they got.
    const back = [];
    for (let i = 0; i < SENDERS_BACK; i++) {
      const w = recipients[i];
      const value = ethers.parseEther("0.5") + BigInt(i);
      const tx = await w.sendTransaction({ to: dev.address, value });
      back.push({ tx, from: w.address, value });
    }
    const backReceipts = await waitReceipts(node.url, back.map((b) => b.tx.hash));
    receipts = new Map([...receipts, ...backReceipts]);

    // Exact balances and nonces.
    let devExpected = devStart;
    for (const s of sent) {
      const r = receipts.get(s.tx.hash);
      assert.equal(r.status, "0x1", `transfer ${s.tx.hash} succeeded`);
      assert.equal(ethers.getAddress(r.from), dev.address);
      assert.equal(ethers.getAddress(r.to), s.to);
      devExpected -= s.value + BigInt(r.gasUsed) * BigInt(r.effectiveGasPrice);
    }
    for (const b of back) {
      const r = receipts.get(b.tx.hash);
      assert.equal(r.status, "0x1");
      expected.set(b.from, expected.get(b.from) - b.value - BigInt(r.gasUsed) * BigInt(r.effectiveGasPrice));
      devExpected += b.value;
    }
    assert.equal(await provider.getBalance(dev.address), devExpected, "dev balance");
    assert.equal(await provider.getTransactionCount(dev.address), nonce0 + TRANSFERS, "dev nonce");
    for (const [i, w] of recipients.entries()) {
      assert.equal(await provider.getBalance(w.address), expected.get(w.address), `balance of recipient ${i}`);
      assert.equal(await provider.getTransactionCount(w.address), i < SENDERS_BACK ? 1 : 0, `nonce of recipient ${i}`);
    }

    // Blocks by number and by hash, transactions inside them.
    const blockNums = [...new Set([...receipts.values()].map((r) => Number(r.blockNumber)))].sort((a, b) => a - b);
    assert.ok(blockNums.length >= 1);
    let included = 0;
    for (const n of blockNums) {
      const byNum = await provider.getBlock(n, true);
      const byHash = await provider.getBlock(byNum.hash, true);
      assert.equal(byHash.number, n);
      assert.equal(byHash.hash, byNum.hash);
      assert.deepEqual(byHash.transactions, byNum.transactions);
      const parent = await provider.getBlock(n - 1);
      assert.equal(byNum.parentHash, parent.hash, "parent link");
      assert.equal(byNum.nonce, "0x0000000000000000");
      assert.ok(byNum.baseFeePerGas > 0n, "Magma blocks carry a base fee");
      for (const tx of byNum.prefetchedTransactions) {
        const r = receipts.get(tx.hash);
        if (!r) continue;
        included++;
        assert.equal(tx.blockHash, r.blockHash);
        assert.equal(tx.index, Number(r.transactionIndex));
        const s = sent.find((x) => x.tx.hash === tx.hash) ?? back.find((x) => x.tx.hash === tx.hash);
        assert.equal(tx.value, s.value);
        assert.equal(tx.from, s.from);
      }
      const raw = await rpc(node.url, "eth_getBlockByNumber", [ethers.toQuantity(n), false]);
      assert.equal(raw.sha3Uncles, "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
      assert.equal(BigInt(raw.blockscore), 1n);
      assert.equal(await rpc(node.url, "eth_getBlockTransactionCountByNumber", [ethers.toQuantity(n)]),
        ethers.toQuantity(raw.transactions.length));
    }
    assert.equal(included, TRANSFERS + SENDERS_BACK, "every transfer found in its block");

    // Mined transaction by hash, with Ethereum type numbers.
    const t2 = await rpc(node.url, "eth_getTransactionByHash", [sent[0].tx.hash]);
    assert.equal(t2.type, "0x2");
    const t0 = await rpc(node.url, "eth_getTransactionByHash", [sent[1].tx.hash]);
    assert.equal(t0.type, "0x0");
    const t1 = await rpc(node.url, "eth_getTransactionByHash", [sent[2].tx.hash]);
    assert.equal(t1.type, "0x1");

    // Proofs at the head and at an older block.
    const head = await provider.getBlockNumber();
    await verifyAccountProof(node.url, dev.address, head);
    await verifyAccountProof(node.url, recipients[0].address, head);
    // An older block inside the tries-in-memory window (128 blocks in full mode).
    await verifyAccountProof(node.url, recipients[RECIPIENTS - 1].address, Math.max(head - 20, blockNums[0]));
    if (head - blockNums[0] > 130 && blockNums[0] % 128 !== 0) {
      // Full mode: the state of a block that left the window and was not committed is gone.
      const gone = await rpcRaw(node.url, "eth_getBalance", [dev.address, ethers.toQuantity(blockNums[0])]);
      assert.match(gone.error?.message ?? "", /state not available/, JSON.stringify(gone));
    }
    await verifyAccountProof(node.url, ethers.Wallet.createRandom().address, head);

    // Error paths: JSON-RPC errors, never a crash.
    const stale = await dev.signTransaction({ type: 2, chainId: 2019, nonce: 0, to: dev.address, value: 1n,
      gasLimit: 21000, maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 0n });
    const dup = await rpcRaw(node.url, "eth_sendRawTransaction", [stale]);
    assert.equal(dup.error?.code, -32000, JSON.stringify(dup));
    assert.match(dup.error.message, /nonce too low/);
    const garbage = await rpcRaw(node.url, "eth_sendRawTransaction", ["0x01020304"]);
    assert.equal(garbage.error?.code, -32000, JSON.stringify(garbage));
    const unknown = await rpcRaw(node.url, "eth_frobnicate", []);
    assert.equal(unknown.error?.code, -32601);
    const badParam = await rpcRaw(node.url, "eth_getBalance", ["0x1234", "latest"]);
    assert.equal(badParam.error?.code, -32602);
    const create = await rpcRaw(node.url, "eth_estimateGas", [{ from: dev.address, data: "0x6000" }]);
    assert.match(create.error?.message ?? "", /EVM not supported yet/);
    const poor = ethers.Wallet.createRandom();
    const noFunds = await rpcRaw(node.url, "eth_call", [{ from: poor.address, to: dev.address, value: "0x1" }, "latest"]);
    assert.match(noFunds.error?.message ?? "", /insufficient funds/);
    assert.equal(await rpc(node.url, "eth_call", [{ from: dev.address, to: poor.address, value: "0x1" }, "latest"]), "0x");
    assert.equal(await rpc(node.url, "eth_estimateGas", [{ from: dev.address, to: poor.address, value: "0x1" }]), "0x5208");
    const notFound = await rpc(node.url, "eth_getTransactionReceipt", [ethers.keccak256("0x01")]);
    assert.equal(notFound, null);
    const future = await rpc(node.url, "eth_getBlockByNumber", ["0xffffff", false]);
    assert.equal(future, null);
    const fh = await rpc(node.url, "eth_feeHistory", ["0x4", "latest", [50]]);
    assert.equal(fh.baseFeePerGas.length, 5);
    assert.equal(fh.reward.length, 4);
    assert.ok(typeof (await rpc(node.url, "admin_nodeInfo")).protocols.klay.genesis === "string");
    assert.match(await rpc(node.url, "debug_chaindbProperty", ["stats"]), /header/);

    // Metrics.
    const metrics = await (await fetch(node.metricsUrl)).text();
    const value = (name) => Number(metrics.match(new RegExp(`^${name} (\\S+)$`, "m"))?.[1]);
    assert.ok(value("klay_chain_head_block") >= 1, metrics.slice(0, 400));
    assert.ok(value("klay_chain_txs_total") >= TRANSFERS + SENDERS_BACK, "txs counter");
    assert.match(metrics, /^klay_db_disk_bytes\{entry="header"\} /m);
    assert.match(metrics, /^klay_trie_clean_nodes /m);
    assert.match(metrics, /^klay_txpool_pending /m);

    // Clean shutdown, restart on the same datadir: same chain, same balances.
    const headBefore = await provider.getBlock("latest");
    provider.destroy();
    const stopped = await node.stop();
    assert.equal(stopped.code, 0, `clean exit: ${node.stderr()}`);
    node = await startNode({ datadir, period: "0.2" });
    assert.equal(node.devAddress.toLowerCase(), dev.address.toLowerCase(), "dev account reused");
    const again = await rpc(node.url, "eth_getBlockByNumber", [ethers.toQuantity(headBefore.number), false]);
    assert.equal(again.hash, headBefore.hash, "head block survives a restart");
    assert.equal(BigInt(await rpc(node.url, "eth_getBalance", [dev.address, "latest"])), devExpected);
    assert.equal((await node.stop()).code, 0);
  } finally {
    if (node) await node.kill();
    removeDir(datadir);
  }
});
