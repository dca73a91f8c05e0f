// Starting, stopping and talking to a real `knode` process on loopback.
//
// Every process started here is killed (SIGKILL) when the test process exits,
// whatever the reason, and every stop waits for the child to be reaped.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const BIN_DIR = process.env.KLAY_BIN_DIR;
if (!BIN_DIR) {
  console.error("KLAY_BIN_DIR is not set (the folder holding the knode binary)");
  process.exit(2);
}
export const KNODE = path.join(BIN_DIR, "knode");

const live = new Set();
process.on("exit", () => {
  for (const child of live) {
    try { child.kill("SIGKILL"); } catch { /* already gone */ }
  }
});
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => process.exit(130));
}

export function tempDir(label) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `knode-e2e-${label}-`));
}

export function removeDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
}

// Runs a knode command to completion (import, export, init).
export function knodeSync(args, { timeoutMs = 60000 } = {}) {
  const r = spawnSync(KNODE, args, { encoding: "utf8", timeout: timeoutMs });
  return { code: r.status, out: r.stdout ?? "", err: r.stderr ?? "", signal: r.signal };
}

// Starts `knode run` with free ports (port 0) and waits until it prints its
// RPC address. Resolves to a handle: { url, metricsUrl, devKey, devAddress,
// stop(), kill(), exited }.
export async function startNode({ datadir, dev = true, period = "0.2", extraArgs = [], startTimeoutMs = 30000 }) {
  const args = ["run", "--datadir", datadir, "--rpc.addr", "127.0.0.1", "--rpc.port", "0",
    "--metrics.port", "0", "--log.level", "warn", ...extraArgs];
  if (dev) args.push("--dev", "--dev.period", String(period));
  const child = spawn(KNODE, args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => {
    live.delete(child);
    resolve({ code, signal });
  }));
  let out = "", err = "";
  child.stderr.on("data", (d) => { err += d; if (err.length > 200000) err = err.slice(-100000); });
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`knode did not start within ${startTimeoutMs} ms:\n${err}`)),
      startTimeoutMs);
    child.stdout.on("data", (d) => {
      out += d;
      const rpc = out.match(/^rpc: (http:\/\/\S+)$/m);
      const metrics = out.match(/^metrics: (http:\/\/\S+)$/m);
      if (rpc && metrics) {
        clearTimeout(timer);
        const key = out.match(/^dev private key: (0x[0-9a-f]{64})$/m);
        const addr = out.match(/^dev account: (0x[0-9a-fA-F]{40})/m);
        resolve({ url: rpc[1], metricsUrl: metrics[1], devKey: key?.[1], devAddress: addr?.[1] });
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`knode exited before serving (code ${code}, signal ${signal}):\n${err}`));
    });
  });
  const handle = {
    ...info,
    child,
    exited,
    stderr: () => err,
    // SIGTERM and wait for a clean exit (code 0); SIGKILL after the timeout.
    async stop(timeoutMs = 20000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      return exited;
    },
  };
  return handle;
}

let nextId = 1;
// One JSON-RPC call; resolves to the whole response object.
export async function rpcRaw(url, method, params = []) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
  });
  return res.json();
}

// One JSON-RPC call; resolves to the result or throws with the error message.
export async function rpc(url, method, params = []) {
  const r = await rpcRaw(url, method, params);
  if (r.error) throw new Error(`${method}: ${r.error.message} (${r.error.code})`);
  return r.result;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls eth_getTransactionReceipt until every hash has a receipt.
export async function waitReceipts(url, hashes, timeoutMs = 60000) {
  const receipts = new Map();
  const deadline = Date.now() + timeoutMs;
  while (receipts.size < hashes.length) {
    if (Date.now() > deadline) throw new Error(`${hashes.length - receipts.size} receipts missing after ${timeoutMs} ms`);
    const missing = hashes.filter((h) => !receipts.has(h));
    for (let i = 0; i < missing.length; i += 100) {
      const batch = missing.slice(i, i + 100).map((h, j) => ({ jsonrpc: "2.0", id: j, method: "eth_getTransactionReceipt", params: [h] }));
      const res = await (await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(batch) })).json();
      for (const r of res) {
        if (r.error) throw new Error(`eth_getTransactionReceipt: ${r.error.message}`);
        if (r.result) receipts.set(r.result.transactionHash, r.result);
      }
    }
    if (receipts.size < hashes.length) await sleep(100);
  }
  return receipts;
}

// A minimal test runner: named steps, first failure exits 1 (after cleanup).
export async function main(name, body) {
  const started = Date.now();
  try {
    await body();
    console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    process.exit(0);
  } catch (e) {
    console.error(`FAIL ${name}: ${e.stack ?? e}`);
    process.exit(1);
  }
}
