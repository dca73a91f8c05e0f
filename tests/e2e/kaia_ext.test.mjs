// (b) @kaiachain/ethers-ext against a real `knode run --dev`: Klaytn typed
// value transfers (ValueTransfer, ValueTransferMemo) and one fee-delegated
// transfer (the sender signs, the fee payer signs and sends through
// klay_sendRawTransaction); receipts and exact balances (the sender pays the
// value only, the fee payer the fee).
import assert from "node:assert/strict";
import { ethers } from "ethers";
import { JsonRpcProvider, TxType, Wallet, parseKaia } from "@kaiachain/ethers-ext/v6";
import { main, removeDir, rpc, startNode, tempDir } from "./lib/knode.mjs";

const fee = (r) => r.gasUsed * r.gasPrice;

main("kaia_ext", async () => {
  const datadir = tempDir("kaia");
  let node;
  try {
    node = await startNode({ datadir, period: "0.2" });
    // ethers caches identical requests for 250 ms, and ethers-ext's JsonRpcProvider drops the
    // options argument (so cacheTimeout: -1 cannot turn that off): a second getBalance(addr,
    // "latest") right after a fast block returned the balance from before it. Balances after a
    // transaction are therefore read at the receipt's block (a distinct request), and the
    // "before" values straight from the node.
    const provider = new JsonRpcProvider(node.url);
    const balanceAt = (address, receipt) => provider.getBalance(address, receipt.blockNumber);
    const balanceNow = async (address) => BigInt(await rpc(node.url, "eth_getBalance", [address, "latest"]));
    provider.pollingInterval = 100;
    const dev = new Wallet(node.devKey, provider);
    // Wallet.createRandom() is ethers' and would return a plain HDNodeWallet.
    const randomWallet = () => new Wallet(ethers.Wallet.createRandom().privateKey, provider);
    const alice = randomWallet();
    const bob = randomWallet();
    const carol = ethers.Wallet.createRandom().address;
    const nonceOf = (w) => provider.getTransactionCount(w.address, "pending");

    // ValueTransfer (0x08) dev → alice.
    const funding = parseKaia("10");
    const devBefore = await balanceNow(dev.address);
    const vt = await dev.sendTransaction({ type: TxType.ValueTransfer, to: alice.address, value: funding, nonce: await nonceOf(dev) });
    const vtReceipt = await vt.wait(1, 30000);
    assert.equal(vtReceipt.status, 1, "value transfer succeeded");
    assert.equal(vtReceipt.type, TxType.ValueTransfer);
    assert.equal(await balanceAt(alice.address, vtReceipt), funding);
    assert.equal(await balanceAt(dev.address, vtReceipt), devBefore - funding - fee(vtReceipt));
    const klayTx = await rpc(node.url, "klay_getTransactionByHash", [vt.hash]);
    assert.equal(klayTx.type, "TxTypeValueTransfer");
    assert.equal(klayTx.typeInt, 8);
    assert.equal(klayTx.from.toLowerCase(), dev.address.toLowerCase());
    assert.equal(klayTx.signatures.length, 1);

    // ValueTransferMemo (0x10) alice → bob, with a memo.
    const memo = ethers.hexlify(ethers.toUtf8Bytes("hello from knode e2e"));
    const memoValue = parseKaia("1.5");
    const vm = await alice.sendTransaction({ type: TxType.ValueTransferMemo, to: bob.address, value: memoValue, data: memo, nonce: await nonceOf(alice) });
    const vmReceipt = await vm.wait(1, 30000);
    assert.equal(vmReceipt.status, 1, "memo transfer succeeded");
    assert.equal(vmReceipt.gasUsed, 21000n + 100n * BigInt(ethers.dataLength(memo)), "memo intrinsic gas");
    const memoTx = await rpc(node.url, "klay_getTransactionByHash", [vm.hash]);
    assert.equal(memoTx.type, "TxTypeValueTransferMemo");
    assert.equal(memoTx.input, memo);
    assert.equal(await balanceAt(bob.address, vmReceipt), memoValue);
    const aliceAfterMemo = funding - memoValue - fee(vmReceipt);
    assert.equal(await balanceAt(alice.address, vmReceipt), aliceAfterMemo);

    // Fee-delegated value transfer (0x09): bob signs, dev pays the fee.
    const fdValue = parseKaia("0.25");
    const bobBefore = await balanceNow(bob.address);
    const devBeforeFd = await balanceNow(dev.address);
    const populated = await bob.populateTransaction({ type: TxType.FeeDelegatedValueTransfer, to: carol, value: fdValue, nonce: await nonceOf(bob) });
    const senderSigned = await bob.signTransaction(populated);
    const fdTx = await dev.sendTransactionAsFeePayer(senderSigned);
    const fdReceipt = await fdTx.wait(1, 30000);
    assert.equal(fdReceipt.status, 1, "fee-delegated transfer succeeded");
    assert.equal(await balanceAt(bob.address, fdReceipt), bobBefore - fdValue, "the sender pays the value only");
    assert.equal(await balanceAt(carol, fdReceipt), fdValue);
    assert.equal(await balanceAt(dev.address, fdReceipt), devBeforeFd - fee(fdReceipt), "the fee payer pays the fee");
    const fdKlay = await rpc(node.url, "klay_getTransactionReceipt", [fdTx.hash]);
    assert.equal(fdKlay.type, "TxTypeFeeDelegatedValueTransfer");
    assert.equal(fdKlay.feePayer.toLowerCase(), dev.address.toLowerCase());
    assert.equal(fdKlay.status, "0x1");
    assert.equal(BigInt(fdKlay.gasUsed), 31000n, "FD transfer intrinsic gas");

    // Account views of the klay_ namespace.
    const acc = await rpc(node.url, "klay_getAccount", [bob.address, "latest"]);
    assert.equal(acc.accType, 1);
    assert.equal(acc.account.nonce, 1);
    assert.equal(BigInt(acc.account.balance), bobBefore - fdValue);
    assert.deepEqual(await rpc(node.url, "klay_getAccountKey", [bob.address, "latest"]), { keyType: 1, key: {} });
    assert.equal(await rpc(node.url, "klay_getAccount", [ethers.Wallet.createRandom().address, "latest"]), null);
    assert.equal(await rpc(node.url, "klay_chainID"), "0x7e3");

    // A Klaytn transfer the pool refuses comes back as a JSON-RPC error.
    const broke = randomWallet();
    const tooMuch = await broke.populateTransaction({ type: TxType.ValueTransfer, to: carol, value: 1n, nonce: 0, gasLimit: 21000, gasPrice: await provider.send("eth_gasPrice", []) });
    const rawBroke = await broke.signTransaction(tooMuch);
    await assert.rejects(provider.send("klay_sendRawTransaction", [rawBroke]), /insufficient funds/);

    provider.destroy();
    assert.equal((await node.stop()).code, 0, node.stderr());
  } finally {
    if (node) await node.kill();
    removeDir(datadir);
  }
});
