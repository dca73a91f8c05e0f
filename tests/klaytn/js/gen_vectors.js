// Signs one transaction of every type Kaia's official JavaScript SDK
// (@kaiachain/ethers-ext, ethers v6) supports, offline, with fixed keys, and
// prints a JSON array to stdout:
//   [{name, type, chainId, raw, hash, senderTxHash, from, feePayer}, ...]
// hash/senderTxHash are keccak256 of the SDK's own RLP outputs (the SDK does
// not name them otherwise); for Ethereum types they come from ethers.
// klaytn_tests (tx_sdk_test.cpp) decodes every `raw` with our library and
// compares sender, fee payer and hashes.
"use strict";

const { ethers } = require("ethers");
const { Wallet, TxType, AccountKeyType } = require("@kaiachain/ethers-ext/v6");

const CHAIN_ID = 1001;
// Well-known development keys (never used on a real network).
const SENDER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const FEE_PAYER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

const sender = new Wallet(SENDER_KEY);
const feePayer = new Wallet(FEE_PAYER_KEY);
const TO = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

function base(type, nonce) {
  return {
    type,
    nonce,
    gasPrice: 25000000000n,
    gasLimit: 300000,
    from: sender.address,
    chainId: CHAIN_ID,
  };
}

const compressedKey = ethers.SigningKey.computePublicKey(new ethers.SigningKey(FEE_PAYER_KEY).publicKey, true);

// The fields of each basic type (without type/nonce/gas/from/chainId).
const BASIC = {
  ValueTransfer: { to: TO, value: 1000000000000000000n },
  ValueTransferMemo: { to: TO, value: 7n, data: "0x68656c6c6f" },
  AccountUpdate: { key: { type: AccountKeyType.Public, key: compressedKey } },
  SmartContractDeploy: { value: 0n, data: "0x6080604052348015600f57600080fd5b50603f80601d6000396000f3fe", humanReadable: false, codeFormat: 0 },
  SmartContractExecution: { to: TO, value: 0n, data: "0xa9059cbb000000000000000000000000000000000000000000000000000000000000000a" },
  Cancel: {},
};

async function signBasic(name, nonce) {
  const tx = { ...base(TxType[name], nonce), ...BASIC[name] };
  const raw = await sender.signTransaction(tx);
  return { name, raw, from: sender.address, feePayer: null, senderTxHash: ethers.keccak256(raw) };
}

async function signFeeDelegated(name, nonce, ratio) {
  const baseName = name.replace(/^FeeDelegated/, "").replace(/WithRatio$/, "");
  const tx = { ...base(TxType[name], nonce), ...BASIC[baseName] };
  if (ratio !== undefined) tx.feeRatio = ratio;
  const senderSigned = await sender.signTransaction(tx);
  const raw = await feePayer.signTransactionAsFeePayer(senderSigned);
  return {
    name,
    raw,
    from: sender.address,
    feePayer: feePayer.address,
    senderTxHash: ethers.keccak256(senderSigned),
  };
}

async function signEthereum(name, type, nonce) {
  const tx = { type, nonce, gasLimit: 21000, to: TO, value: 5n, chainId: CHAIN_ID, data: "0x" };
  if (type === 0) tx.gasPrice = 25000000000n;
  if (type === 1) {
    tx.gasPrice = 25000000000n;
    tx.accessList = [{ address: TO, storageKeys: [ethers.zeroPadValue("0x01", 32)] }];
  }
  if (type === 2) {
    tx.maxPriorityFeePerGas = 1000000000n;
    tx.maxFeePerGas = 50000000000n;
  }
  const raw = await sender.signTransaction(tx);
  const parsed = ethers.Transaction.from(raw);
  return { name, raw, from: parsed.from, feePayer: null, hash: parsed.hash, senderTxHash: parsed.hash };
}

async function main() {
  const out = [];
  let nonce = 0;
  for (const name of Object.keys(BASIC)) {
    out.push(await signBasic(name, nonce++));
    out.push(await signFeeDelegated("FeeDelegated" + name, nonce++));
    out.push(await signFeeDelegated("FeeDelegated" + name + "WithRatio", nonce++, 30));
  }
  out.push(await signEthereum("Legacy", 0, nonce++));
  out.push(await signEthereum("EthereumAccessList", 1, nonce++));
  out.push(await signEthereum("EthereumDynamicFee", 2, nonce++));
  for (const v of out) {
    if (!v.hash) v.hash = ethers.keccak256(v.raw);
    v.chainId = CHAIN_ID;
    v.type = v.name;
  }
  process.stdout.write(JSON.stringify(out, null, 1) + "\n");
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
