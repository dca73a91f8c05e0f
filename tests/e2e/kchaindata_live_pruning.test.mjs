// `kchaindata migrate --to-live-pruning` on a chain produced by the real node:
// a `knode run --dev` datadir without live pruning is converted offline; the
// settings file then says live pruning is on, `verify --level all` passes, and
// the node runs on it with live pruning (serves the head state, keeps
// producing blocks with new transfers, and stays verifiable after a stop).
// Also the refusals: a datadir in use, and a second conversion.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ethers } from "ethers";
import { BIN_DIR, main, removeDir, rpc, sleep, startNode, tempDir, waitReceipts } from "./lib/knode.mjs";

const KCHAINDATA = path.join(BIN_DIR, "kchaindata");

function kchaindata(args) {
  const r = spawnSync(KCHAINDATA, args, { encoding: "utf8", timeout: 120000 });
  return { code: r.status, out: r.stdout ?? "", err: r.stderr ?? "", signal: r.signal };
}

function ok(args) {
  const r = kchaindata(args);
  assert.equal(r.code, 0, `kchaindata ${args.join(" ")} exited ${r.code} (${r.signal ?? ""}):\n${r.err}\n${r.out}`);
  return r;
}

const settings = (d) => JSON.parse(fs.readFileSync(path.join(d, "klay", "chaindata-settings.json"), "utf8"));

async function transfers(node, wallet, recipients, firstNonce, round) {
  const hashes = [];
  for (const [i, to] of recipients.entries()) {
    const signed = await wallet.signTransaction({ type: 2, chainId: 2019, nonce: firstNonce + i, to,
      value: 1000n + BigInt(round * 1000 + i), gasLimit: 21000, maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 0n });
    hashes.push(await rpc(node.url, "eth_sendRawTransaction", [signed]));
  }
  const receipts = await waitReceipts(node.url, hashes);
  for (const r of receipts.values()) assert.equal(r.status, "0x1");
  return hashes.length;
}

main("kchaindata_live_pruning", async () => {
  const work = tempDir("tolive");
  const datadir = path.join(work, "d");
  let node;
  try {
    node = await startNode({ datadir, period: "0.05" });
    const wallet = new ethers.Wallet(node.devKey);
    const recipients = Array.from({ length: 25 }, () => ethers.Wallet.createRandom().address);
    let nonce = 0;
    for (let round = 0; round < 3; round++) {
      nonce += await transfers(node, wallet, recipients, nonce, round);
      await sleep(100);
    }
    const busy = kchaindata(["migrate", "--datadir", datadir, "--to-live-pruning"]);
    assert.equal(busy.code, 3, busy.err);
    assert.match(busy.err, /in use|locked/);
    assert.equal((await node.stop()).code, 0, node.stderr());
    node = undefined;
    assert.equal(settings(datadir).live_pruning, false);

    const ref = await startNode({ datadir, dev: false });
    const head = await rpc(ref.url, "eth_getBlockByNumber", ["latest", false]);
    const balances = [];
    for (const a of recipients) balances.push(await rpc(ref.url, "eth_getBalance", [a, "latest"]));
    assert.equal((await ref.stop()).code, 0);

    // The conversion, with a retention and JSON output.
    const usage = kchaindata(["migrate", "--datadir", datadir, "--state.live-pruning-retention", "60"]);
    assert.equal(usage.code, 2, "--state.live-pruning-retention alone is a usage error");
    const r = JSON.parse(ok(["migrate", "--datadir", datadir, "--to-live-pruning", "--state.live-pruning-retention",
      "600", "--json"]).out);
    assert.equal(r.to_live_pruning, true);
    assert.equal(r.block, Number(head.number), "the head's state was converted");
    assert.equal(r.root, head.stateRoot);
    assert.ok(r.nodes_written > recipients.length, `${r.nodes_written} nodes written`);
    assert.ok(r.nodes_verified >= r.nodes_written);
    const st = settings(datadir);
    assert.equal(st.live_pruning, true);
    assert.equal(st.live_pruning_retention, 600);
    assert.ok(fs.existsSync(path.join(datadir, "klay", "chaindata", r.new_dir)), r.new_dir);
    assert.ok(!fs.existsSync(path.join(datadir, "klay", "chaindata", r.old_dir)), `${r.old_dir} removed`);
    ok(["verify", "--datadir", datadir, "--level", "all"]);
    const again = kchaindata(["migrate", "--datadir", datadir, "--to-live-pruning"]);
    assert.equal(again.code, 3);
    assert.match(again.err, /already has live pruning/);

    // The node runs on it with live pruning: same head state, new blocks on top.
    node = await startNode({ datadir, period: "0.05" });
    const now = await rpc(node.url, "eth_getBlockByNumber", [ethers.toQuantity(Number(head.number)), false]);
    assert.equal(now.hash, head.hash);
    for (const [i, a] of recipients.entries()) assert.equal(await rpc(node.url, "eth_getBalance", [a, "latest"]), balances[i]);
    nonce += await transfers(node, wallet, recipients, nonce, 9);
    for (const [i, a] of recipients.entries()) {
      assert.equal(BigInt(await rpc(node.url, "eth_getBalance", [a, "latest"])), BigInt(balances[i]) + 10000n + BigInt(i));
    }
    assert.equal(Number(await rpc(node.url, "eth_getTransactionCount", [wallet.address, "latest"])), nonce);
    // The node runs its live pruner: the metric starts at the conversion's lastPrunedBlockNumber (block - 1).
    const metrics = await (await fetch(node.metricsUrl)).text();
    const pruned = metrics.match(/^klay_pruning_last_pruned_block (\d+)/m);
    assert.ok(pruned, "klay_pruning_last_pruned_block is exported");
    assert.ok(Number(pruned[1]) >= r.block - 1, `last pruned block ${pruned[1]}`);
    assert.equal((await node.stop()).code, 0, node.stderr());
    node = undefined;
    assert.equal(settings(datadir).live_pruning, true);
    ok(["verify", "--datadir", datadir, "--level", "all"]);
  } finally {
    if (node) await node.kill();
    removeDir(work);
  }
});
