// Decoding Klaytn state-trie account values (engine/klaytn/account.h):
//   Legacy: rlp([nonce, balance, storageRoot, codeHash])
//   EOA:    0x01 ++ rlp([nonce, balance, humanReadable, keyType, keyBody...])
//   SCA:    0x02 ++ rlp([[nonce, balance, humanReadable, keyType, keyBody...], storageRoot, codeHash, codeInfo])
import { RLP } from "@ethereumjs/rlp";

const toBig = (b) => (b.length === 0 ? 0n : BigInt("0x" + Buffer.from(b).toString("hex")));

export function decodeKlaytnAccount(value) {
  if (value[0] >= 0xc0) {
    const [nonce, balance, storageRoot, codeHash] = RLP.decode(value);
    return { type: 0, nonce: toBig(nonce), balance: toBig(balance), storageRoot, codeHash };
  }
  const type = value[0];
  const body = RLP.decode(value.subarray(1));
  if (type === 1) {
    const [nonce, balance, humanReadable, keyType] = body;
    return { type, nonce: toBig(nonce), balance: toBig(balance), humanReadable: toBig(humanReadable) === 1n, keyType: Number(toBig(keyType)) };
  }
  if (type === 2) {
    const [common, storageRoot, codeHash, codeInfo] = body;
    return { type, nonce: toBig(common[0]), balance: toBig(common[1]), storageRoot, codeHash, codeInfo: Number(toBig(codeInfo)) };
  }
  throw new Error(`unknown Klaytn account type ${type}`);
}
