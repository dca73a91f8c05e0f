// Live pruning under SIGKILL (issue 7): a real `knode run --dev` on a datadir
// initialised with --state.live-pruning --state.live-pruning-retention 8
// receives value transfers and is SIGKILLed at random moments, alternating
// --gcmode archive and full (small commit interval and memory window so that
// pruning runs). After every kill:
//   - `kchaindata verify --level chain` and `--level trie` pass on the killed
//     datadir (newest state on disk; in archive trials also the oldest
//     retained block and the head);
//   - lastPrunedBlockNumber (misc, via `kchaindata get`) never goes back, and
//     the restarted node reports it at once in klay_pruning_last_pruned_block
//     (it continues from there: no rescan from block 1);
//   - every transfer whose receipt the client saw is still in the chain and
//     every recipient (one per transfer) holds exactly its value.
// At the end the pruner must have advanced past block 50 and a state older
// than the retention must answer a "pruned" error.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ethers } from "ethers";
import { seededRandom, sendTransfersUntilKilled } from "./lib/crash_load.mjs";
import { BIN_DIR, knodeSync, main, removeDir, rpc, rpcRaw, sleep, startNode, tempDir } from "./lib/knode.mjs";
import { spawnSync } from "node:child_process";

const TRIALS = Number(process.env.KNODE_PRUNE_CRASH_TRIALS ?? 6);
const RETENTION = 8;
const seedRandom = Number(process.env.KNODE_CRASH_SEED ?? Date.now());
const random = seededRandom(seedRandom);
const KCHAINDATA = path.join(BIN_DIR, "kchaindata");
const LAST_PRUNED_HEX = Buffer.from("lastPrunedBlockNumber").toString("hex");

function kchaindata(args) {
  const r = spawnSync(KCHAINDATA, args, { encoding: "utf8", timeout: 120000 });
  return { code: r.status, out: r.stdout ?? "", err: r.stderr ?? "" };
}

// lastPrunedBlockNumber (LE64 in misc), or -1 when absent.
function lastPruned(datadir) {
  const r = kchaindata(["get", "--datadir", datadir, "--db", "misc", "--json", LAST_PRUNED_HEX]);
  if (r.code !== 0) {
    assert.match(r.err, /is not in the misc database/, `kchaindata get: ${r.err}`);
    return -1;
  }
  const hex = JSON.parse(r.out).value.replace(/^0x/, "");
  return Number(Buffer.from(hex, "hex").readBigUInt64LE(0));
}

function verifyTrie(datadir, block) {
  const args = ["verify", "--datadir", datadir, "--level", "trie"];
  if (block !== undefined) args.push("--block", String(block));
  const r = kchaindata(args);
  assert.equal(r.code, 0, `kchaindata ${args.join(" ")} failed:\n${r.out}\n${r.err}`);
}

// `kchaindata verify --level chain` of the stopped datadir; resolves to its head block.
function verifyChainHead(datadir) {
  const r = kchaindata(["verify", "--datadir", datadir, "--level", "chain", "--json"]);
  assert.equal(r.code, 0, `kchaindata verify --level chain failed:\n${r.out}\n${r.err}`);
  const m = JSON.parse(r.out).levels.chain.covered.match(/^blocks 0\.\.(\d+)$/);
  assert.ok(m, `verify chain output: ${r.out}`);
  return Number(m[1]);
}

async function metric(node, name) {
  const text = await (await fetch(node.metricsUrl)).text();
  const m = text.match(new RegExp(`^${name} (\\S+)$`, "m"));
  return m ? Number(m[1]) : undefined;
}

async function verifyTransfers(node, confirmed) {
  for (const t of confirmed.values()) {
    const r = await rpc(node.url, "eth_getTransactionReceipt", [t.hash]);
    assert.ok(r, `receipt of ${t.hash} (block ${Number(t.blockNumber)}) survived the crash`);
    assert.equal(r.blockHash, t.blockHash, `block hash of ${t.hash}`);
    assert.equal(BigInt(await rpc(node.url, "eth_getBalance", [t.to, "latest"])), t.value, `balance of ${t.to}`);
  }
}

const modeArgs = (trial) => (trial % 2
  ? ["--gcmode", "archive"]
  : ["--gcmode", "full", "--state.block-interval", "8", "--state.tries-in-memory", "16"]);

main(`live_pruning_crash (seed ${seedRandom})`, async () => {
  const keysDir = tempDir("prune-keys");
  const datadir = tempDir("prune-crash");
  let node;
  const confirmed = new Map();
  try {
    // Dev keys and genesis from a throw-away --dev start, then a live-pruning init with them.
    node = await startNode({ datadir: keysDir, period: "1" });
    assert.equal((await node.stop()).code, 0);
    fs.mkdirSync(path.join(datadir, "klay"), { recursive: true });
    fs.copyFileSync(path.join(keysDir, "klay", "nodekey"), path.join(datadir, "klay", "nodekey"));
    for (const f of ["dev-account.key", "dev-genesis.json"]) fs.copyFileSync(path.join(keysDir, f), path.join(datadir, f));
    const init = knodeSync(["init", "--datadir", datadir, "--genesis", path.join(datadir, "dev-genesis.json"),
      "--state.live-pruning", "--state.live-pruning-retention", String(RETENTION)]);
    assert.equal(init.code, 0, init.err);

    let pruned = -1;
    let killed = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      node = await startNode({ datadir, period: "0.05", extraArgs: modeArgs(trial) });
      const reported = await metric(node, "klay_pruning_last_pruned_block");
      assert.ok(reported !== undefined, "klay_pruning_last_pruned_block is exported");
      if (pruned >= 0) assert.ok(reported >= pruned, `restart continues at ${pruned} (reports ${reported})`);
      const wallet = new ethers.Wallet(node.devKey);
      if (trial > 0) await verifyTransfers(node, confirmed);
      const runMs = 1000 + Math.floor(random() * 2500);
      const loop = sendTransfersUntilKilled(node, wallet, confirmed, Date.now() + runMs + 10000, { random, pauseMs: 10 });
      await sleep(runMs);
      const exit = await node.kill();
      assert.equal(exit.signal, "SIGKILL");
      killed++;
      await loop;
      const head = verifyChainHead(datadir);  // the head the killed node left
      verifyTrie(datadir);
      // Archive: every retained state is on disk; the oldest and the head must be complete.
      if (trial % 2 && head > RETENTION) {
        verifyTrie(datadir, head - RETENTION + 1);
        verifyTrie(datadir, head);
      }
      const now = lastPruned(datadir);
      assert.ok(now >= pruned, `lastPrunedBlockNumber went back from ${pruned} to ${now}`);
      console.log(`trial ${trial} (${modeArgs(trial).join(" ")}): killed after ${runMs} ms at head ${head}, ` +
        `lastPrunedBlockNumber ${now}, ${confirmed.size} confirmed transfers`);
      pruned = now;
    }
    assert.equal(killed, TRIALS);
    assert.ok(pruned > 50, `pruning advanced under load (lastPrunedBlockNumber ${pruned})`);

    node = await startNode({ datadir, period: "0.05", extraArgs: modeArgs(1) });
    await verifyTransfers(node, confirmed);
    const old = await rpcRaw(node.url, "eth_getBalance", [ethers.ZeroAddress, "0x1"]);
    assert.ok(old.error && /pruned/.test(old.error.message), `old state answers a pruned error: ${JSON.stringify(old)}`);
    assert.equal(old.error.code, -32000);
    assert.equal((await node.stop()).code, 0, node.stderr());
    verifyTrie(datadir);
    console.log(`${confirmed.size} transfers verified after ${TRIALS} kills; lastPrunedBlockNumber ${lastPruned(datadir)}`);
  } finally {
    if (node) await node.kill();
    removeDir(datadir);
    removeDir(keysDir);
  }
});
