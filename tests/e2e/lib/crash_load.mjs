// Load for the SIGKILL tests: a seeded random source (the seed is printed by
// the tests so a failure can be replayed) and a client that sends value
// transfers until it is told to stop or the node dies under it.
import { ethers } from "ethers";
import { rpc, sleep } from "./knode.mjs";

// A deterministic generator of numbers in [0, 1) (linear congruential).
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

// Sends batches of 8 dynamic-fee transfers (chain id 2019) from `wallet` to
// fresh addresses until `stopAt` (ms since the epoch), recording each one
// whose receipt was seen in `confirmed` (hash -> {hash, to, value, nonce,
// blockHash, blockNumber, index}). A connection error is the node being
// killed and ends the loop quietly; any other error is thrown. Returns the
// number of transfers sent.
export async function sendTransfersUntilKilled(node, wallet, confirmed, stopAt, { random, pauseMs = 20 }) {
  let nonce = Number(await rpc(node.url, "eth_getTransactionCount", [wallet.address, "pending"]));
  const outstanding = new Map();
  let sent = 0;
  try {
    while (Date.now() < stopAt) {
      for (let i = 0; i < 8; i++) {
        const to = ethers.Wallet.createRandom().address;
        const value = BigInt(1 + Math.floor(random() * 1e9));
        const signed = await wallet.signTransaction({
          type: 2, chainId: 2019, nonce, to, value, gasLimit: 21000,
          maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 0n,
        });
        const hash = await rpc(node.url, "eth_sendRawTransaction", [signed]);
        outstanding.set(hash, { hash, to, value, nonce });
        nonce++;
        sent++;
      }
      for (const [hash, t] of outstanding) {
        const r = await rpc(node.url, "eth_getTransactionReceipt", [hash]);
        if (r) {
          confirmed.set(hash, { ...t, blockHash: r.blockHash, blockNumber: r.blockNumber, index: r.transactionIndex });
          outstanding.delete(hash);
        }
      }
      await sleep(pauseMs);
    }
  } catch (e) {
    // The node was killed under the client: expected.
    if (!/fetch failed|ECONNREFUSED|ECONNRESET|socket/i.test(String(e.cause ?? e))) throw e;
  }
  return sent;
}
