//! The consensus layer's `hash_tree_root(DepositData)`, the `deposit_data_root`
//! the beacon deposit contract checks on every deposit.
//!
//! `DepositData` is the SSZ container `{pubkey: Bytes48, withdrawal_credentials:
//! Bytes32, amount: uint64 (gwei), signature: Bytes96}`. Its root, exactly as
//! the deposit contract recomputes it:
//!
//! ```text
//! pubkey_root    = sha256(pubkey ‖ 16 zero bytes)
//! signature_root = sha256(sha256(signature[0..64]) ‖ sha256(signature[64..96] ‖ 32 zero bytes))
//! root           = sha256(sha256(pubkey_root ‖ withdrawal_credentials)
//!                       ‖ sha256(amount as 8 little-endian bytes ‖ 24 zero bytes ‖ signature_root))
//! ```
//!
//! Seven SHA-256 compressions of 64-byte inputs. In the deployed program each
//! goes to the EVM's SHA-256 precompile (address `0x02`) with a static call:
//! a few hundred gas each and almost no code. Native builds (the motsu unit
//! tests) use the `sha2` crate instead; [`sha256`] hides the difference.

use alloy_primitives::B256;

/// The EVM's SHA-256 precompile.
#[cfg(target_arch = "wasm32")]
const SHA256_PRECOMPILE: alloy_primitives::Address =
    alloy_primitives::address!("0000000000000000000000000000000000000002");

/// Length of a validator's BLS public key.
pub(crate) const PUBKEY_LENGTH: usize = 48;
/// Length of a BLS signature.
pub(crate) const SIGNATURE_LENGTH: usize = 96;
/// 32 ether in gwei, the `amount` of every deposit this pool makes.
pub(crate) const DEPOSIT_SIZE_GWEI: u64 = 32_000_000_000;

/// SHA-256 of a 64-byte input.
///
/// # Panics
/// On wasm, if the precompile call fails or answers other than 32 bytes,
/// which the EVM's precompile never does (it can only run out of gas, and
/// then the whole transaction is out of gas).
#[cfg(target_arch = "wasm32")]
#[must_use]
pub(crate) fn sha256(input: &[u8; 64]) -> [u8; 32] {
    // SAFETY: a static call to a precompile cannot re-enter this program or
    // change any state; no storage cache needs flushing (the precompile does
    // not read this program's storage).
    let out = unsafe { stylus_sdk::call::RawCall::new_static().call(SHA256_PRECOMPILE, input) };
    // Not `expect`: its message formatting would cost kilobytes of code.
    match out.ok().and_then(|out| <[u8; 32]>::try_from(out.as_slice()).ok()) {
        Some(digest) => digest,
        None => core::arch::wasm32::unreachable(),
    }
}

/// SHA-256 of a 64-byte input (native builds: the `sha2` crate).
#[cfg(not(target_arch = "wasm32"))]
#[must_use]
pub(crate) fn sha256(input: &[u8; 64]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(input).into()
}

/// SHA-256 of `a ‖ b`.
fn hash_pair(a: &[u8], b: &[u8]) -> [u8; 32] {
    let mut buf = [0u8; 64];
    buf[..a.len()].copy_from_slice(a);
    buf[32..32 + b.len()].copy_from_slice(b);
    sha256(&buf)
}

/// `hash_tree_root(DepositData{pubkey, withdrawal_credentials, amount_gwei,
/// signature})` (formula in the module docs).
///
/// `pubkey` must be 48 bytes and `signature` 96 bytes (the callers store
/// only keys of those lengths).
#[must_use]
pub(crate) fn deposit_data_root(
    pubkey: &[u8],
    withdrawal_credentials: &B256,
    amount_gwei: u64,
    signature: &[u8],
) -> B256 {
    let mut buf = [0u8; 64];
    buf[..PUBKEY_LENGTH].copy_from_slice(pubkey);
    let pubkey_root = sha256(&buf);

    buf.copy_from_slice(&signature[..64]);
    let sig_low = sha256(&buf);
    let sig_high = hash_pair(&signature[64..], &[]);
    let signature_root = hash_pair(&sig_low, &sig_high);

    let left = hash_pair(&pubkey_root, withdrawal_credentials.as_slice());
    let right = hash_pair(&amount_gwei.to_le_bytes(), &signature_root);
    B256::from(hash_pair(&left, &right))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{b256, hex};

    /// A deposit made with staking-deposit-cli 2.7.0 on Holesky, published
    /// as the `deposit_data-*.json` example of SSV Labs' validator guide
    /// (github.com/ssvlabs/gitbook-docs,
    /// `validator-user-guides/validator-management/creating-a-new-validator.md`).
    /// The root there was computed by the deposit CLI's SSZ implementation,
    /// independently of this code.
    #[test]
    fn deposit_data_root_matches_a_deposit_cli_output() {
        let pubkey = hex!(
            "b0210e4333812d669b178443b77e1674329e2eeeae17e6b9d7ef6cb8723c8b269de7e152b42445d5ea8d5f582ca45cd7"
        );
        let wc = b256!("010000000000000000000000f0179dec45a37423ead4fad5fcb136197872ead9");
        let signature = hex!(
            "96b504aec4ced4d680a01a2cde40632809744f967657f4aa31d4bc77701dbeb68e86441999b3559c505e5644eed9c350091af39e3e319befe4a76e796856095912938046ce567ed39a56df13b8f31e9e83b93ca774a9f983b9c0eb673c7f7a4a"
        );
        let root = deposit_data_root(&pubkey, &wc, DEPOSIT_SIZE_GWEI, &signature);
        assert_eq!(root, b256!("aa9bb085dc0410d2013cff51e98ae2a41a81512a0676fbe0397c3cd997f1fb87"));
    }

    #[test]
    fn deposit_data_root_depends_on_every_field() {
        let pubkey = [7u8; 48];
        let wc = B256::repeat_byte(1);
        let signature = [9u8; 96];
        let base = deposit_data_root(&pubkey, &wc, DEPOSIT_SIZE_GWEI, &signature);
        let mut other_pubkey = pubkey;
        other_pubkey[47] ^= 1;
        let mut other_signature = signature;
        other_signature[95] ^= 1;
        assert_ne!(base, deposit_data_root(&other_pubkey, &wc, DEPOSIT_SIZE_GWEI, &signature));
        assert_ne!(base, deposit_data_root(&pubkey, &B256::ZERO, DEPOSIT_SIZE_GWEI, &signature));
        assert_ne!(base, deposit_data_root(&pubkey, &wc, 1, &signature));
        assert_ne!(base, deposit_data_root(&pubkey, &wc, DEPOSIT_SIZE_GWEI, &other_signature));
    }

    #[test]
    fn sha256_of_64_zero_bytes_is_the_ssz_zero_hash_of_depth_one() {
        // The deposit contract's `zero_hashes[1]` = sha256(32 zero bytes ‖ 32 zero bytes).
        assert_eq!(
            sha256(&[0u8; 64]),
            hex!("f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b")
        );
    }
}
