// (d) Online state migration in the real knode binary, under transfer load:
//  1. admin_startStateMigration over RPC while a client sends transfers; poll
//     admin_stateMigrationStatus to completion; block production goes on at
//     at least half the rate measured before; balances survive the swap; after
//     a clean stop `kchaindata verify --level trie` passes.
//  2. SIGKILL the node while a migration copies (KILLS times); each restart
//     resumes it from its checkpoint (same block, counters continue, one more
//     run) and it completes; verify passes.
// KNODE_TEST_MIGRATION_DELAY_US slows the copy down so the test can act while
// it runs (the dev state is small).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ethers } from "ethers";
import { BIN_DIR, main, removeDir, rpc, rpcRaw, sleep, startNode, tempDir, waitReceipts } from "./lib/knode.mjs";

const KCHAINDATA = path.join(BIN_DIR, "kchaindata");
const KILLS = Number(process.env.KNODE_MIGRATION_KILLS ?? 2);
const seed = Number(process.env.KNODE_CRASH_SEED ?? Date.now());
let rnd = seed >>> 0;
const random = () => ((rnd = (rnd * 1664525 + 1013904223) >>> 0) / 2 ** 32);

const PERIOD = "0.2";
const NODE_ARGS = ["--state.block-interval", "4"];

async function start(datadir, delayUs) {
  process.env.KNODE_TEST_MIGRATION_DELAY_US = String(delayUs);
  process.env.KNODE_MIGRATION_THREADS = "1";
  lastNode = await startNode({ datadir, period: PERIOD, extraArgs: NODE_ARGS });
  return lastNode;
}

// Creates `count` accounts with transfers sent in JSON-RPC batches; returns {to: value}.
async function fillState(node, wallet, count) {
  let nonce = Number(await rpc(node.url, "eth_getTransactionCount", [wallet.address, "pending"]));
  const balances = new Map();
  const hashes = [];
  for (let done = 0; done < count;) {
    const n = Math.min(100, count - done);
    const batch = [];
    for (let i = 0; i < n; i++) {
      const to = ethers.Wallet.createRandom().address;
      const value = BigInt(1 + Math.floor(random() * 1e9));
      balances.set(to, value);
      const raw = await wallet.signTransaction({
        type: 2, chainId: 2019, nonce: nonce++, to, value, gasLimit: 21000,
        maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 0n,
      });
      batch.push({ jsonrpc: "2.0", id: i, method: "eth_sendRawTransaction", params: [raw] });
    }
    const res = await (await fetch(node.url, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(batch) })).json();
    for (const r of res) {
      if (r.error) throw new Error(`eth_sendRawTransaction: ${r.error.message}`);
      hashes.push(r.result);
    }
    done += n;
    await waitReceipts(node.url, hashes.slice(-n), 60000);
  }
  return balances;
}

// Sends a few transfers every 50 ms until stop() (a steady load).
function transferLoad(node, wallet) {
  let stopping = false;
  let sent = 0;
  const done = (async () => {
    let nonce = Number(await rpc(node.url, "eth_getTransactionCount", [wallet.address, "pending"]));
    try {
      while (!stopping) {
        for (let i = 0; i < 4; i++) {
          const raw = await wallet.signTransaction({
            type: 2, chainId: 2019, nonce: nonce++, to: ethers.Wallet.createRandom().address, value: 1n,
            gasLimit: 21000, maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 0n,
          });
          await rpc(node.url, "eth_sendRawTransaction", [raw]);
          sent++;
        }
        await sleep(50);
      }
    } catch (e) {
      if (!/fetch failed|ECONNREFUSED|ECONNRESET|socket/i.test(String(e.cause ?? e))) throw e;
    }
  })();
  return { stop: async () => { stopping = true; await done; return sent; } };
}

const blockNumber = async (node) => Number(await rpc(node.url, "eth_blockNumber"));
const status = (node) => rpc(node.url, "admin_stateMigrationStatus");

async function blockRate(node, ms) {
  const b0 = await blockNumber(node), t0 = Date.now();
  await sleep(ms);
  return ((await blockNumber(node)) - b0) / ((Date.now() - t0) / 1000);
}

async function waitFinished(node, timeoutMs, onPoll = () => {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const st = await status(node);
    onPoll(st);
    if (!st.isMigration) return st;
    if (Date.now() > deadline) throw new Error(`migration not finished after ${timeoutMs} ms: ${JSON.stringify(st)}`);
    await sleep(200);
  }
}

function verifyTrie(datadir) {
  const r = spawnSync(KCHAINDATA, ["verify", "--datadir", datadir, "--level", "trie"], { encoding: "utf8", timeout: 120000 });
  assert.equal(r.status, 0, `kchaindata verify --level trie failed:\n${r.stdout}\n${r.stderr}`);
}

function migratedDirs(datadir) {
  return fs.readdirSync(path.join(datadir, "klay", "chaindata")).filter((d) => d.startsWith("statetrie"));
}

async function checkBalances(node, balances, sample = 100) {
  const keys = [...balances.keys()].slice(0, sample);
  for (const to of keys) {
    assert.equal(BigInt(await rpc(node.url, "eth_getBalance", [to, "latest"])), balances.get(to), `balance of ${to}`);
  }
}

async function onlineUnderLoad() {
  const datadir = tempDir("migr");
  let node;
  try {
    node = await start(datadir, 4000);
    const wallet = new ethers.Wallet(node.devKey);
    const balances = await fillState(node, wallet, 1200);
    const load = transferLoad(node, wallet);
    const before = await blockRate(node, 3000);

    assert.equal(await rpc(node.url, "admin_startStateMigration"), null);
    const again = await rpcRaw(node.url, "admin_startStateMigration");
    assert.match(again.error?.message ?? "", /already/, JSON.stringify(again));
    const b0 = await blockNumber(node), t0 = Date.now();
    let sawCopying = false, maxRead = 0;
    const final = await waitFinished(node, 120000, (st) => {
      for (const f of ["isMigration", "migrationBlockNumber", "read", "committed", "pending", "progress", "err"]) {
        assert.ok(f in st, `status has ${f}: ${JSON.stringify(st)}`);
      }
      if (st.phase === "copying") sawCopying = true;
      assert.ok(st.read >= maxRead, "read never goes back");
      maxRead = st.read;
    });
    const during = ((await blockNumber(node)) - b0) / ((Date.now() - t0) / 1000);
    const sent = await load.stop();
    console.log(`online: ${before.toFixed(2)} blocks/s before, ${during.toFixed(2)} blocks/s during the migration ` +
      `(${((Date.now() - t0) / 1000).toFixed(1)} s, ${final.read} nodes read, ${final.committed} committed); ${sent} transfers sent`);
    assert.ok(sawCopying, "the migration was seen copying");
    assert.equal(final.phase, "finished", JSON.stringify(final));
    assert.equal(final.err, null);
    assert.equal(final.progress, 100);
    assert.ok(final.migrationBlockNumber > 0 && final.migrationBlockNumber % 4 === 0, "started at a committed block");
    assert.ok(during >= before / 2, `block rate during the migration ${during} >= half of ${before}`);
    assert.deepEqual(migratedDirs(datadir), [`statetrie_migrated_${final.migrationBlockNumber}`]);
    const metrics = await (await fetch(node.metricsUrl)).text();
    assert.match(metrics, /^klay_migration_finished_total 1$/m);
    await checkBalances(node, balances);
    assert.equal((await node.stop()).code, 0, node.stderr());
    verifyTrie(datadir);
  } finally {
    if (node) await node.kill();
    removeDir(datadir);
  }
}

async function killedAndResumed() {
  const datadir = tempDir("migr-kill");
  let node;
  try {
    node = await start(datadir, 25000);
    const wallet = new ethers.Wallet(node.devKey);
    const balances = await fillState(node, wallet, 800);
    assert.equal(await rpc(node.url, "admin_startStateMigration"), null);
    let block = 0, lastRead = 0, runs = 1;
    for (let kill = 0; kill < KILLS; kill++) {
      // Wait until it copies and a checkpoint (every 2 s) was written, then kill at a random moment.
      let st;
      for (;;) {
        st = await status(node);
        if (st.phase === "copying" && st.read > 0) break;
        assert.ok(st.isMigration, `still migrating before kill ${kill}: ${JSON.stringify(st)}`);
        await sleep(100);
      }
      block = st.migrationBlockNumber;
      const load = transferLoad(node, wallet);
      await sleep(2300 + Math.floor(random() * 1500));
      st = await status(node);
      assert.ok(st.isMigration && st.phase === "copying", `copying when killed: ${JSON.stringify(st)}`);
      assert.equal((await node.kill()).signal, "SIGKILL");
      await load.stop();
      console.log(`kill ${kill}: SIGKILL at ${st.read} nodes read, ${st.progress.toFixed(1)}%`);

      node = await start(datadir, kill + 1 < KILLS ? 25000 : 2000);
      st = await status(node);
      runs++;
      assert.ok(st.isMigration, `resumed after kill ${kill}: ${JSON.stringify(st)}`);
      assert.equal(st.migrationBlockNumber, block, "same migration block after the restart");
      assert.equal(st.runs, runs, `run count after kill ${kill}: ${JSON.stringify(st)}`);
      assert.ok(st.read > lastRead, `counters continue from the checkpoint (${st.read} > ${lastRead})`);
      lastRead = st.read;
    }
    const final = await waitFinished(node, 120000);
    assert.equal(final.phase, "finished", JSON.stringify(final));
    assert.equal(final.err, null);
    assert.equal(final.migrationBlockNumber, block);
    assert.ok(final.skipped > 0, `the resumed runs skipped checkpointed subtrees: ${JSON.stringify(final)}`);
    console.log(`resumed ${KILLS} times: ${final.read} nodes read, ${final.skipped} skipped over ${final.runs} runs`);
    assert.deepEqual(migratedDirs(datadir), [`statetrie_migrated_${block}`]);
    await checkBalances(node, balances);
    assert.equal((await node.stop()).code, 0, node.stderr());
    verifyTrie(datadir);
  } finally {
    if (node) await node.kill();
    removeDir(datadir);
  }
}

main(`migration_online (seed ${seed})`, async () => {
  await onlineUnderLoad();
  await killedAndResumed();
});

// The last node's log, on failure.
let lastNode = null;
process.on("exit", (code) => {
  if (code !== 0 && lastNode) console.error(`knode log tail:\n${lastNode.stderr().slice(-4000)}`);
});
