// kchaindata on a chain produced by the real node: `knode run --dev` makes a
// LevelDB datadir with value transfers (knode has no EVM yet); after a clean
// stop it is converted LevelDB (4 shards) -> RocksDB (8 shards) -> LMDB
// (single database) -> LevelDB (4 shards). Each hop must:
//   - print per-entry-type counts and checksums and pass `verify --level all`;
//   - hold exactly the original's keys and values (`kchaindata dump --hex` of
//     every entry type, merged when the layout is a single database);
//   - start under `knode run` and serve the original head (hash, state root),
//     balances, nonces and a receipt.
// The first hop is SIGKILLed mid-way and rerun (it resumes and verifies).
// Also: a running node's datadir is refused; inspect's bytes are within 10 %
// of the on-disk size after compaction; verify names a deleted and a
// corrupted trie node of the node's state.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ethers } from "ethers";
import { BIN_DIR, main, removeDir, rpc, sleep, startNode, tempDir, waitReceipts } from "./lib/knode.mjs";

const KCHAINDATA = path.join(BIN_DIR, "kchaindata");
const DB_NAMES = ["misc", "header", "body", "receipts", "statetrie", "statetrie_migrated", "txlookup",
  "bridgeservice", "snapshot"];

function kchaindata(args, { timeoutMs = 120000 } = {}) {
  const r = spawnSync(KCHAINDATA, args, { encoding: "utf8", timeout: timeoutMs, maxBuffer: 1 << 30 });
  return { code: r.status, out: r.stdout ?? "", err: r.stderr ?? "", signal: r.signal };
}

function ok(args, opts) {
  const r = kchaindata(args, opts);
  assert.equal(r.code, 0, `kchaindata ${args.join(" ")} exited ${r.code} (${r.signal ?? ""}):\n${r.err}\n${r.out}`);
  return r;
}

function settings(datadir) {
  return JSON.parse(fs.readFileSync(path.join(datadir, "klay", "chaindata-settings.json"), "utf8"));
}

// Every key and value of a datadir as sorted "0xKEY 0xVALUE" lines. In a
// multi-database layout each line is labelled with its entry type; `merged`
// drops the labels (a single database holds every entry type).
function dumpDatadir(datadir, merged) {
  const single = settings(datadir).single_db === true;
  const lines = [];
  const names = single ? ["single"] : DB_NAMES;
  for (const db of names) {
    const r = kchaindata(["dump", "--datadir", datadir, "--db", db, "--hex"]);
    if (r.code !== 0 && /no open database|not open|is not in use|has no/.test(r.err)) continue;
    assert.equal(r.code, 0, `dump --db ${db} of ${datadir}: ${r.err}`);
    for (const line of r.out.split("\n")) {
      if (line) lines.push(merged || single ? line : `${db} ${line}`);
    }
  }
  lines.sort();
  return lines;
}

function sameLines(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} keys, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) assert.fail(`${what}: first difference at line ${i}:\n  ${actual[i]}\n  ${expected[i]}`);
  }
}

// What the node serves about the chain, for comparing datadirs.
async function snapshot(url, accounts, txHash) {
  const head = await rpc(url, "eth_getBlockByNumber", ["latest", false]);
  const s = { number: head.number, hash: head.hash, stateRoot: head.stateRoot, balances: [], nonces: [] };
  for (const a of accounts) {
    s.balances.push(await rpc(url, "eth_getBalance", [a, "latest"]));
    s.nonces.push(await rpc(url, "eth_getTransactionCount", [a, "latest"]));
  }
  const receipt = await rpc(url, "eth_getTransactionReceipt", [txHash]);
  s.receipt = receipt && { blockHash: receipt.blockHash, status: receipt.status, gasUsed: receipt.gasUsed };
  return s;
}

function partialCheckpoint(progressDir) {
  try {
    // Only the renamed checkpoint files count (a temporary one may never be renamed).
    return fs.readdirSync(progressDir).some((f) => f.endsWith(".json") && f !== "plan.json" &&
      fs.readFileSync(path.join(progressDir, f), "utf8").includes("last_key"));
  } catch {
    return false;
  }
}

// Starts a conversion with tiny checkpoints and pauses, SIGKILLs it once a
// part has checkpointed a key, and checks it left no destination behind.
async function convertKilled(src, dst, type, extra) {
  const child = spawn(KCHAINDATA, ["convert", "--datadir", src, "--dst.datadir", dst, "--dst.db.type", type, ...extra,
    "--test.chunk-keys", "8", "--test.pause-ms", "100"], { stdio: "ignore" });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  let done = false;
  exited.then(() => { done = true; });
  const deadline = Date.now() + 60000;
  while (!partialCheckpoint(path.join(dst + ".converting", "convert-progress"))) {
    if (done) assert.fail("the conversion ended before it could be interrupted");
    if (Date.now() > deadline) { child.kill("SIGKILL"); assert.fail("no checkpoint within 60 s"); }
    await sleep(10);
  }
  child.kill("SIGKILL");
  const r = await exited;
  assert.equal(r.signal, "SIGKILL");
  assert.ok(!fs.existsSync(dst), "no destination after the kill");
  assert.ok(fs.existsSync(dst + ".converting"));
}

main("kchaindata_roundtrip", async () => {
  const work = tempDir("kchaindata");
  const src = path.join(work, "leveldb");
  let node;
  try {
    // 1. A chain from the node: transfers to fresh accounts over several blocks.
    node = await startNode({ datadir: src, period: "0.05" });
    const wallet = new ethers.Wallet(node.devKey);
    // Enough new accounts that the fixed per-database files (manifests, logs)
    // are small next to the data, for the inspect check below.
    const recipients = Array.from({ length: 3000 }, () => ethers.getAddress(ethers.hexlify(ethers.randomBytes(20))));
    const hashes = [];
    let nonce = 0;
    for (let i = 0; i < recipients.length; i += 500) {
      const batch = [];
      for (const to of recipients.slice(i, i + 500)) {
        const signed = await wallet.signTransaction({ type: 2, chainId: 2019, nonce: nonce++, to,
          value: 1000n + BigInt(nonce), gasLimit: 21000, maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 0n });
        batch.push({ jsonrpc: "2.0", id: batch.length, method: "eth_sendRawTransaction", params: [signed] });
      }
      const res = await (await fetch(node.url, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(batch) })).json();
      for (const r of res) {
        assert.ok(!r.error, r.error?.message);
        hashes.push(r.result);
      }
      await waitReceipts(node.url, hashes.slice(-500));
    }
    const receipts = await waitReceipts(node.url, hashes);
    for (const r of receipts.values()) assert.equal(r.status, "0x1");

    // A datadir held by a running node is refused with one sentence.
    const locked = kchaindata(["inspect", "--datadir", src]);
    assert.equal(locked.code, 3, locked.err);
    assert.match(locked.err, /in use|locked/);
    assert.equal((await node.stop()).code, 0, node.stderr());
    node = undefined;
    assert.equal(settings(src).backend, "leveldb");

    const accounts = [wallet.address, ...recipients.slice(0, 8)];
    const ref = await startNode({ datadir: src, dev: false });
    const original = await snapshot(ref.url, accounts, hashes[hashes.length - 1]);
    assert.equal((await ref.stop()).code, 0);
    assert.ok(Number(original.number) >= 3, `${original.number} blocks`);
    assert.equal(BigInt(original.nonces[0]), BigInt(nonce));

    ok(["verify", "--datadir", src, "--level", "all"]);
    ok(["compact", "--datadir", src]);
    const insp = JSON.parse(ok(["inspect", "--datadir", src, "--json"]).out);
    const logical = Object.values(insp.categories).reduce((a, c) => a + c.bytes, 0);
    assert.equal(logical, insp.total.logical_bytes);
    assert.ok(Math.abs(logical / insp.total.disk_bytes - 1) <= 0.10,
      `inspect: ${logical} logical bytes vs ${insp.total.disk_bytes} on disk`);
    assert.equal(insp.unknown.count, 0, JSON.stringify(insp.unknown));
    console.log(`head ${Number(original.number)}, inspect: ${logical} logical bytes, ${insp.total.disk_bytes} on disk`);
    const originalDump = dumpDatadir(src, false);
    const originalMerged = dumpDatadir(src, true);
    assert.ok(originalDump.length > 200, `${originalDump.length} keys`);

    // 2. The round trip.
    const hops = [
      { dir: path.join(work, "rocksdb"), type: "rocksdb", flags: ["--dst.db.num-statetrie-shards", "8"], kill: true,
        expect: { single_db: false, num_statetrie_shards: 8 } },
      { dir: path.join(work, "lmdb"), type: "lmdb", flags: ["--dst.db.single"], expect: { single_db: true } },
      { dir: path.join(work, "leveldb2"), type: "leveldb", flags: [], expect: { single_db: false, num_statetrie_shards: 4 } },
    ];
    let from = src;
    for (const hop of hops) {
      const args = ["convert", "--datadir", from, "--dst.datadir", hop.dir, "--dst.db.type", hop.type, ...hop.flags, "--json"];
      if (hop.kill) await convertKilled(from, hop.dir, hop.type, hop.flags);
      const res = JSON.parse(ok(args).out);
      assert.equal(res.verified, true);
      assert.equal(res.resumed, hop.kill === true, `${hop.type}: resumed`);
      if (hop.kill) assert.ok(res.keys_loaded_this_run < res.keys, `the rerun loaded only what was missing: ${JSON.stringify(res)}`);
      assert.equal(res.keys, originalMerged.length, `${hop.type}: converted key count`);
      assert.ok(!fs.existsSync(hop.dir + ".converting"));
      console.log(`${hop.type}: ${res.keys} keys verified${res.resumed ? `, resumed after SIGKILL (${res.keys_loaded_this_run} loaded by the rerun)` : ""}`);
      const st = settings(hop.dir);
      for (const [k, v] of Object.entries(hop.expect)) assert.equal(st[k], v, `${hop.type} settings ${k}`);
      ok(["verify", "--datadir", hop.dir, "--level", "all"]);
      if (hop.expect.single_db) sameLines(dumpDatadir(hop.dir, true), originalMerged, `${hop.type} keys and values`);
      else sameLines(dumpDatadir(hop.dir, false), originalDump, `${hop.type} keys and values`);
      from = hop.dir;
    }
    // The source was never modified by the conversions.
    sameLines(dumpDatadir(src, false), originalDump, "source after the conversions");

    // 3. The node runs on every converted datadir (after all conversions: a
    // running node may write to its datadir, which the dumps above must not see).
    for (const hop of hops) {
      const n = await startNode({ datadir: hop.dir, dev: false });
      try {
        assert.deepEqual(await snapshot(n.url, accounts, hashes[hashes.length - 1]), original,
          `knode on the ${hop.type} datadir serves the same chain and state`);
      } finally {
        assert.equal((await n.stop()).code, 0, n.stderr());
      }
    }

    // 4. verify names a deliberately deleted trie node and a corrupted one
    // (found through account proofs, written with `kchaindata dev`).
    const victim = hops[2].dir;
    ok(["verify", "--datadir", victim, "--level", "all"]);
    const proofOf = (a) => JSON.parse(ok(["trie", "proof", "--datadir", victim, "--address", a, "--json"]).out).account_proof;
    const p0 = proofOf(recipients[0]), p1 = proofOf(recipients[1]);
    assert.ok(p0.length >= 3 && p1.length >= 3, `proof depths ${p0.length} ${p1.length}`);
    const deleted = ethers.keccak256(p0[1]);  // an inner node below the root
    const leaf = ethers.getBytes(p1[p1.length - 1]);
    const corrupted = ethers.keccak256(leaf);
    assert.notEqual(deleted, corrupted);
    leaf[leaf.length - 1] ^= 1;
    ok(["dev", "delete", "--datadir", victim, "--db", "statetrie", deleted]);
    ok(["dev", "put", "--datadir", victim, "--db", "statetrie", corrupted, ethers.hexlify(leaf)]);
    const bad = kchaindata(["verify", "--datadir", victim, "--level", "all"]);
    assert.equal(bad.code, 1, bad.err + bad.out);
    assert.ok(bad.out.includes(`missing trie node ${deleted}`), bad.out);
    assert.ok(bad.out.includes(corrupted), bad.out);
  } finally {
    if (node) await node.kill();
    removeDir(work);
  }
});
