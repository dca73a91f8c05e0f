// (d) Import/export round trip with the real binary: a dev chain (LevelDB)
// is exported, imported into a fresh datadir initialised with the same
// genesis on another backend (RocksDB), and both have the same head hash,
// state root and balances. Also the commands' user errors.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ethers } from "ethers";
import { knodeSync, main, removeDir, rpc, startNode, tempDir, waitReceipts } from "./lib/knode.mjs";

main("import_export", async () => {
  const work = tempDir("impexp");
  const src = path.join(work, "src"), dst = path.join(work, "dst");
  const file = path.join(work, "chain.rlp");
  let node;
  try {
    node = await startNode({ datadir: src, period: "0.1" });
    const wallet = new ethers.Wallet(node.devKey);
    const recipients = Array.from({ length: 40 }, () => ethers.Wallet.createRandom().address);
    const hashes = [];
    for (const [i, to] of recipients.entries()) {
      const signed = await wallet.signTransaction({ type: 2, chainId: 2019, nonce: i, to, value: 1000n + BigInt(i),
        gasLimit: 21000, maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 0n });
      hashes.push(await rpc(node.url, "eth_sendRawTransaction", [signed]));
    }
    await waitReceipts(node.url, hashes);

    // The datadir is locked while the node runs.
    const locked = knodeSync(["export", "--datadir", src, file]);
    assert.equal(locked.code, 3, locked.err);
    assert.match(locked.err, /in use by another process/);
    assert.equal((await node.stop()).code, 0, node.stderr());

    const exp = knodeSync(["export", "--datadir", src, file]);
    assert.equal(exp.code, 0, exp.err);
    const m = exp.out.match(/exported (\d+) blocks \(0\.\.(\d+)\)/);
    assert.ok(m, exp.out);
    const head = Number(m[2]);
    assert.equal(Number(m[1]), head + 1);
    assert.ok(fs.statSync(file).size > 0);

    const partial = knodeSync(["export", "--datadir", src, file + ".part", "0", "3"]);
    assert.equal(partial.code, 0, partial.err);
    assert.match(partial.out, /exported 4 blocks \(0\.\.3\)/);
    const past = knodeSync(["export", "--datadir", src, file + ".bad", "0", String(head + 100)]);
    assert.equal(past.code, 3);
    assert.match(past.err, /past the head/);
    const usage = knodeSync(["export", "--datadir", src]);
    assert.equal(usage.code, 2);

    // A fresh datadir on RocksDB with the same genesis.
    const init = knodeSync(["init", "--datadir", dst, "--genesis", path.join(src, "dev-genesis.json"), "--db.type", "rocksdb"]);
    assert.equal(init.code, 0, init.err);
    const missing = knodeSync(["import", "--datadir", dst, path.join(work, "nope.rlp")]);
    assert.equal(missing.code, 3);
    assert.match(missing.err, /does not exist/);
    const notInit = knodeSync(["import", "--datadir", path.join(work, "empty"), file]);
    assert.equal(notInit.code, 3);

    const imp = knodeSync(["import", "--datadir", dst, file], { timeoutMs: 120000 });
    assert.equal(imp.code, 0, imp.err);
    const im = imp.out.match(/imported (\d+) blocks \((\d+) skipped, (\d+) transactions\); head (\d+) (0x[0-9a-f]{64}), state root (0x[0-9a-f]{64})/);
    assert.ok(im, imp.out);
    assert.equal(Number(im[4]), head);
    assert.equal(Number(im[3]), recipients.length);
    const again = knodeSync(["import", "--datadir", dst, file]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /imported 0 blocks/);

    // Both chains served side by side: same head hash, state root, balances.
    const a = await startNode({ datadir: src, dev: false });
    const b = await startNode({ datadir: dst, dev: false });
    try {
      const ha = await rpc(a.url, "eth_getBlockByNumber", [ethers.toQuantity(head), false]);
      const hb = await rpc(b.url, "eth_getBlockByNumber", ["latest", false]);
      assert.equal(hb.number, ethers.toQuantity(head));
      assert.equal(hb.hash, ha.hash, "same head hash");
      assert.equal(hb.stateRoot, ha.stateRoot, "same state root");
      assert.equal(im[5], ha.hash);
      assert.equal(im[6], ha.stateRoot);
      for (const to of recipients.slice(0, 10))
        assert.equal(await rpc(b.url, "eth_getBalance", [to, "latest"]), await rpc(a.url, "eth_getBalance", [to, "latest"]));
      const r = await rpc(b.url, "eth_getTransactionReceipt", [hashes[0]]);
      assert.equal(r.status, "0x1");
    } finally {
      assert.equal((await a.stop()).code, 0);
      assert.equal((await b.stop()).code, 0);
    }
    node = undefined;
  } finally {
    if (node) await node.kill();
    removeDir(work);
  }
});
