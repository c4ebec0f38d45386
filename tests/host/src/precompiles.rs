//! Precompiled contracts: ecrecover (0x01), sha256 (0x02), ripemd160 (0x03), identity (0x04).
//!
//! Any other precompile address of Ethereum or Arbitrum (modexp, the bn254 and KZG
//! precompiles, P256VERIFY at 0x100, ArbSys and the other ArbOS precompiles at 0x64–0x74,
//! NodeInterface at 0xc8) is recognised but not implemented: calling one aborts the whole
//! transaction with [`crate::Failure::Unsupported`], so a test never silently gets an empty
//! answer.

use crate::gas::words;
use alloy_primitives::{keccak256, Address, B256};
use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
use ripemd::Ripemd160;
use sha2::{Digest, Sha256};

/// What a precompile call did.
pub(crate) enum PrecompileResult {
    /// Ran; `gas` is its price, `output` its return data.
    Done { gas: u64, output: Vec<u8> },
    /// A known precompile this host does not implement.
    Unsupported(&'static str),
}

/// The name of the precompile at `address`, if `address` is one.
pub(crate) fn precompile_name(address: &Address) -> Option<&'static str> {
    let bytes = address.as_slice();
    if bytes[..18].iter().any(|b| *b != 0) {
        return None;
    }
    let id = u16::from_be_bytes([bytes[18], bytes[19]]);
    Some(match id {
        0x01 => "ecrecover",
        0x02 => "sha256",
        0x03 => "ripemd160",
        0x04 => "identity",
        0x05 => "modexp",
        0x06 => "bn254 add",
        0x07 => "bn254 mul",
        0x08 => "bn254 pairing",
        0x09 => "blake2f",
        0x0a => "kzg point evaluation",
        0x64 => "ArbSys",
        0x65 => "ArbInfo",
        0x66 => "ArbAddressTable",
        0x67 => "ArbBLS",
        0x68 => "ArbFunctionTable",
        0x69 => "ArbosTest",
        0x6b => "ArbOwnerPublic",
        0x6c => "ArbGasInfo",
        0x6d => "ArbAggregator",
        0x6e => "ArbRetryableTx",
        0x6f => "ArbStatistics",
        0x70 => "ArbOwner",
        0x71 => "ArbWasm",
        0x72 => "ArbWasmCache",
        0x73 | 0x74 => "ArbOS precompile",
        0xc8 => "NodeInterface",
        0xc9 => "NodeInterfaceDebug",
        0x100 => "P256VERIFY",
        _ => return None,
    })
}

/// Runs the precompile at `address` (which [`precompile_name`] recognised) on `input`.
pub(crate) fn run(address: &Address, input: &[u8]) -> PrecompileResult {
    let name = precompile_name(address).unwrap_or("unknown");
    match name {
        "ecrecover" => PrecompileResult::Done {
            gas: 3_000,
            output: ecrecover(input).map_or_else(Vec::new, |a| a.into_word().to_vec()),
        },
        "sha256" => PrecompileResult::Done {
            gas: 60 + 12 * words(input.len()),
            output: Sha256::digest(input).to_vec(),
        },
        "ripemd160" => {
            let mut output = vec![0u8; 12];
            output.extend_from_slice(&Ripemd160::digest(input));
            PrecompileResult::Done { gas: 600 + 120 * words(input.len()), output }
        }
        "identity" => {
            PrecompileResult::Done { gas: 15 + 3 * words(input.len()), output: input.to_vec() }
        }
        other => PrecompileResult::Unsupported(other),
    }
}

/// The EVM's ecrecover: `input` = hash ‖ v ‖ r ‖ s (right-padded to 128 bytes); `v` must be
/// 27 or 28; `r` and `s` must be in [1, n−1] (a high `s` is accepted, as the precompile does).
/// `None` when the signature is invalid (the precompile then returns empty data).
pub(crate) fn ecrecover(input: &[u8]) -> Option<Address> {
    let mut data = [0u8; 128];
    let len = input.len().min(128);
    data[..len].copy_from_slice(&input[..len]);
    let hash = &data[..32];
    let v = &data[32..64];
    if v[..31].iter().any(|b| *b != 0) || !(v[31] == 27 || v[31] == 28) {
        return None;
    }
    let mut y_odd = v[31] == 28;
    let r: [u8; 32] = data[64..96].try_into().ok()?;
    let s: [u8; 32] = data[96..128].try_into().ok()?;
    let mut signature = Signature::from_scalars(r, s).ok()?;
    if let Some(low) = signature.normalize_s() {
        // (r, n − s) with the other parity recovers the same key.
        signature = low;
        y_odd = !y_odd;
    }
    let key =
        VerifyingKey::recover_from_prehash(hash, &signature, RecoveryId::new(y_odd, false)).ok()?;
    let point = key.to_encoded_point(false);
    let digest: B256 = keccak256(&point.as_bytes()[1..]);
    Some(Address::from_slice(&digest[12..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k256::ecdsa::SigningKey;

    fn sign(hash: &[u8; 32]) -> (Address, Vec<u8>) {
        let key = SigningKey::from_slice(&[7u8; 32]).expect("key");
        let (sig, recid) = key.sign_prehash_recoverable(hash).expect("sign");
        let point = key.verifying_key().to_encoded_point(false);
        let address = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
        let mut input = hash.to_vec();
        let mut v = [0u8; 32];
        v[31] = 27 + u8::from(recid.is_y_odd());
        input.extend_from_slice(&v);
        input.extend_from_slice(&sig.to_bytes());
        (address, input)
    }

    #[test]
    fn ecrecover_recovers_the_signer() {
        // Given a signature by a known key, when recovered, then the key's address comes back.
        let (address, input) = sign(&[9u8; 32]);
        assert_eq!(ecrecover(&input), Some(address));
    }

    #[test]
    fn ecrecover_accepts_high_s_like_the_precompile() {
        // Given the same signature with s replaced by n − s and v flipped, when recovered,
        // then the same address comes back (the precompile does not enforce low s).
        let (address, mut input) = sign(&[3u8; 32]);
        let sig = Signature::from_slice(&input[64..128]).expect("sig");
        let (r, s) = sig.split_scalars();
        let high = Signature::from_scalars(r.to_bytes(), (-*s).to_bytes()).expect("high");
        input[64..128].copy_from_slice(&high.to_bytes());
        input[63] = if input[63] == 27 { 28 } else { 27 };
        assert_eq!(ecrecover(&input), Some(address));
    }

    #[test]
    fn ecrecover_rejects_bad_v() {
        // Given v = 29, when recovered, then nothing.
        let (_, mut input) = sign(&[1u8; 32]);
        input[63] = 29;
        assert_eq!(ecrecover(&input), None);
    }

    #[test]
    fn sha256_of_empty_input_is_the_known_digest() {
        // Given empty input, when hashed by 0x02, then e3b0c442… and 60 gas.
        match run(&Address::with_last_byte(2), &[]) {
            PrecompileResult::Done { gas, output } => {
                assert_eq!(gas, 60);
                assert_eq!(output[..4], [0xe3, 0xb0, 0xc4, 0x42]);
            }
            PrecompileResult::Unsupported(_) => panic!("sha256 is supported"),
        }
    }
}
