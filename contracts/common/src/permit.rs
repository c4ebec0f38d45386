//! EIP-712 / EIP-2612 permit hashing and signature checks, shared by both
//! tokens.
//!
//! A signature is accepted when the owner is a contract whose ERC-1271
//! `isValidSignature(digest, r ‖ s ‖ v)` returns exactly 32 bytes holding the
//! magic value `0x1626ba7e` (stETH's rule), or, for an account without code,
//! when ECDSA recovery (high-s and `v ∉ {27, 28}` rejected) yields the owner.
//!
//! # Reuse in a token (the share token does this too)
//! - Pure pieces: [`domain_separator`], [`permit_digest`].
//! - The host-calling check: [`is_valid_signature`]`(self, owner, digest,
//!   v, r, s)` (static calls only: the ERC-1271 wallet or the ecrecover
//!   precompile).
//! - The whole EIP-2612 flow: embed a [`Nonces`] field in the program's
//!   `#[storage]` and call
//!   `self.nonces.use_permit(self_domain_separator, owner, spender, value,
//!   deadline, v, r, s)?` and then the program's own `approve(owner, spender,
//!   value)`; expose `nonces(owner)` with [`Nonces::nonce`]. Convert
//!   [`PermitError`] into the program's error enum with a `From` impl.

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};

use alloy_primitives::{b256, keccak256, Address, B256, U256};
use alloy_sol_types::SolValue;
use stylus_sdk::{
    prelude::*,
    storage::{StorageMap, StorageU256},
    stylus_core::calls::{CallContext, StaticCallContext},
};

use crate::errors::{InvalidSignature, PermitExpired};

/// `keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")`.
pub const PERMIT_TYPEHASH: B256 =
    b256!("6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9");
/// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
pub const DOMAIN_TYPEHASH: B256 =
    b256!("8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");
/// ERC-1271's magic value, the selector of `isValidSignature(bytes32,bytes)`.
pub const ERC1271_MAGIC: [u8; 4] = [0x16, 0x26, 0xba, 0x7e];
/// ERC-5267 `fields` for a domain of name, version, chain id and contract.
pub const DOMAIN_FIELDS: u8 = 0x0f;
/// Half the secp256k1 order: a valid `s` is at most this (EIP-2).
pub const SECP256K1_HALF_ORDER: U256 = alloy_primitives::uint!(
    0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0_U256
);
/// The ecrecover precompile.
pub const ECRECOVER: Address =
    alloy_primitives::address!("0000000000000000000000000000000000000001");

/// The EIP-712 domain separator.
#[must_use]
pub fn domain_separator(
    hashed_name: B256,
    hashed_version: B256,
    chain_id: u64,
    verifying_contract: Address,
) -> B256 {
    keccak256(
        (DOMAIN_TYPEHASH, hashed_name, hashed_version, U256::from(chain_id), verifying_contract)
            .abi_encode(),
    )
}

/// The EIP-712 digest a permit's owner signs.
#[must_use]
pub fn permit_digest(
    domain_separator: B256,
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let struct_hash =
        keccak256((PERMIT_TYPEHASH, owner, spender, value, nonce, deadline).abi_encode());
    let mut preimage = [0u8; 66];
    preimage[0] = 0x19;
    preimage[1] = 0x01;
    preimage[2..34].copy_from_slice(domain_separator.as_slice());
    preimage[34..].copy_from_slice(struct_hash.as_slice());
    keccak256(preimage)
}

/// Calldata for `ecrecover(digest, v, r, s)`, or `None` when the signature is
/// malleable (`s` in the upper half) or `v` is not 27 or 28.
#[must_use]
pub fn ecrecover_input(digest: B256, v: u8, r: B256, s: B256) -> Option<Vec<u8>> {
    if U256::from_be_bytes(s.0) > SECP256K1_HALF_ORDER || (v != 27 && v != 28) {
        return None;
    }
    let mut input = Vec::with_capacity(128);
    input.extend_from_slice(digest.as_slice());
    input.extend_from_slice(&[0u8; 31]);
    input.push(v);
    input.extend_from_slice(r.as_slice());
    input.extend_from_slice(s.as_slice());
    Some(input)
}

/// The signer encoded in ecrecover's output, if it recovered one.
#[must_use]
pub fn ecrecover_output(output: &[u8]) -> Option<Address> {
    if output.len() != 32 {
        return None;
    }
    let mut signer = Address::ZERO;
    signer.0.copy_from_slice(&output[12..]);
    (signer != Address::ZERO).then_some(signer)
}

/// Calldata for `isValidSignature(digest, r ‖ s ‖ v)`: the selector, the
/// digest, the offset (`0x40`) and length (65) of the signature bytes, then
/// `r`, `s`, `v` padded to 96 bytes. (Laid out by hand: the generic ABI
/// encoder of `bytes` adds about 1.5 KB of WASM.)
#[must_use]
pub fn erc1271_input(digest: B256, v: u8, r: B256, s: B256) -> Vec<u8> {
    let mut input = vec![0u8; 4 + 32 + 32 + 32 + 96];
    input[..4].copy_from_slice(&ERC1271_MAGIC);
    input[4..36].copy_from_slice(digest.as_slice());
    input[67] = 0x40;
    input[99] = 65;
    input[100..132].copy_from_slice(r.as_slice());
    input[132..164].copy_from_slice(s.as_slice());
    input[164] = v;
    input
}

/// Whether an ERC-1271 answer accepts the signature: exactly 32 bytes, the
/// magic value left-aligned and zero padding (as Solidity decodes `bytes4`).
#[must_use]
pub fn erc1271_accepts(output: &[u8]) -> bool {
    output.len() == 32 && output[..4] == ERC1271_MAGIC && output[4..].iter().all(|b| *b == 0)
}

/// `keccak256("")`: the code hash of an account that exists but has no code.
pub const EMPTY_CODE_HASH: B256 =
    b256!("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");

/// Whether `account` has code, from its code hash: `0` (no account) and
/// [`EMPTY_CODE_HASH`] mean none. (The code hash rather than the code size,
/// because both cost one account access on Stylus and motsu's test VM only
/// models the code hash.)
///
/// Generic over the storage type (rather than taking `&dyn Host`) so that
/// the host calls are direct: passing `&dyn Host` to code that is not
/// inlined keeps the host's whole vtable, every hostio, in the program.
#[must_use]
pub fn has_code<T: HostAccess>(storage: &T, account: Address) -> bool {
    let hash = storage.vm().code_hash(account);
    hash != B256::ZERO && hash != EMPTY_CODE_HASH
}

/// A call context for static calls that need no storage borrow: a static
/// call cannot change state, so it cannot alias the caller's storage (and
/// the host flushes the caller's storage cache before the call).
struct StaticContext;

impl CallContext for StaticContext {
    fn gas(&self) -> u64 {
        u64::MAX
    }
}

impl StaticCallContext for StaticContext {}

/// Whether `(v, r, s)` is `owner`'s signature of `digest`.
///
/// - `owner` with code: a **static** call of ERC-1271
///   `isValidSignature(digest, r ‖ s ‖ v)`; valid only if it succeeds and
///   returns exactly 32 bytes: the magic value `0x1626ba7e` then zeros.
/// - otherwise: a static call of the ecrecover precompile; valid only if
///   `s` is in the lower half order, `v` is 27 or 28, and the recovered
///   signer is `owner` (never the zero address).
///
/// Never reverts: any failure is `false`. Call it with any `#[storage]`
/// value of the program (`is_valid_signature(self, …)`); see [`has_code`]
/// for why it is generic.
#[must_use]
pub fn is_valid_signature<T: HostAccess>(
    storage: &T,
    owner: Address,
    digest: B256,
    v: u8,
    r: B256,
    s: B256,
) -> bool {
    if has_code(storage, owner) {
        let input = erc1271_input(digest, v, r, s);
        return storage
            .vm()
            .static_call(&StaticContext, owner, &input)
            .is_ok_and(|out| erc1271_accepts(&out));
    }
    let Some(input) = ecrecover_input(digest, v, r, s) else {
        return false;
    };
    storage
        .vm()
        .static_call(&StaticContext, ECRECOVER, &input)
        .ok()
        .and_then(|out| ecrecover_output(&out))
        .is_some_and(|signer| signer == owner)
}

/// Why a permit was rejected.
#[derive(SolidityError, Debug)]
pub enum PermitError {
    /// `block.timestamp > deadline`.
    PermitExpired(PermitExpired),
    /// The signature is not the owner's (or the nonce was already used).
    InvalidSignature(InvalidSignature),
}

/// EIP-2612 nonces: one counter per owner, consumed by each accepted permit.
#[storage]
pub struct Nonces {
    /// The next nonce of each owner.
    pub(crate) nonces: StorageMap<Address, StorageU256>,
}

impl Nonces {
    /// The nonce `owner`'s next permit must sign.
    #[must_use]
    pub fn nonce(&self, owner: Address) -> U256 {
        self.nonces.get(owner)
    }

    /// Checks an EIP-2612 permit against `domain_separator` and consumes the
    /// owner's nonce. The caller then sets the allowance (and emits
    /// `Approval`).
    ///
    /// # Errors
    /// - `PermitExpired(deadline)` when `block.timestamp > deadline`.
    /// - `InvalidSignature()` when [`is_valid_signature`] rejects the
    ///   signature of the digest with the owner's current nonce (so a
    ///   replayed permit fails: its nonce is spent).
    #[allow(clippy::too_many_arguments)]
    pub fn use_permit(
        &mut self,
        domain_separator: B256,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), PermitError> {
        if U256::from(self.vm().block_timestamp()) > deadline {
            return Err(PermitExpired { deadline }.into());
        }
        let nonce = self.nonces.get(owner);
        let digest = permit_digest(domain_separator, owner, spender, value, nonce, deadline);
        if !is_valid_signature(self, owner, digest, v, r, s) {
            return Err(InvalidSignature {}.into());
        }
        // Cannot overflow: one increment per accepted signature.
        self.nonces.insert(owner, nonce + U256::from(1));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typehashes_are_the_hashes_of_their_types() {
        assert_eq!(
            PERMIT_TYPEHASH,
            keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")
        );
        assert_eq!(
            DOMAIN_TYPEHASH,
            keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
        );
        assert_eq!(&keccak256("isValidSignature(bytes32,bytes)")[..4], &ERC1271_MAGIC);
    }

    #[test]
    fn ecrecover_input_rejects_high_s_and_bad_v() {
        let d = B256::repeat_byte(1);
        let r = B256::repeat_byte(2);
        let low_s = B256::from(SECP256K1_HALF_ORDER.to_be_bytes());
        let high_s = B256::from((SECP256K1_HALF_ORDER + U256::from(1)).to_be_bytes());
        assert!(ecrecover_input(d, 27, r, low_s).is_some());
        assert!(ecrecover_input(d, 28, r, high_s).is_none());
        assert!(ecrecover_input(d, 0, r, low_s).is_none());
        assert_eq!(ecrecover_input(d, 28, r, low_s).unwrap().len(), 128);
    }

    #[test]
    fn erc1271_answers_are_checked_exactly() {
        let mut ok = [0u8; 32];
        ok[..4].copy_from_slice(&ERC1271_MAGIC);
        assert!(erc1271_accepts(&ok));
        assert!(!erc1271_accepts(&ok[..4]));
        let mut wrong = ok;
        wrong[0] = 0;
        assert!(!erc1271_accepts(&wrong));
        let mut dirty = ok;
        dirty[31] = 1;
        assert!(!erc1271_accepts(&dirty));
        let mut long = ok.to_vec();
        long.extend_from_slice(&[0u8; 32]);
        assert!(!erc1271_accepts(&long));
    }

    #[test]
    fn erc1271_input_matches_the_abi_encoder() {
        let (d, r, s) = (B256::repeat_byte(9), B256::repeat_byte(2), B256::repeat_byte(3));
        let mut signature = r.to_vec();
        signature.extend_from_slice(s.as_slice());
        signature.push(28);
        let mut expected = ERC1271_MAGIC.to_vec();
        expected
            .extend_from_slice(&(d, alloy_primitives::Bytes::from(signature)).abi_encode_params());
        assert_eq!(erc1271_input(d, 28, r, s), expected);
    }

    #[test]
    fn erc1271_input_encodes_r_s_v() {
        let input =
            erc1271_input(B256::repeat_byte(9), 27, B256::repeat_byte(2), B256::repeat_byte(3));
        assert_eq!(&input[..4], &ERC1271_MAGIC);
        // selector, digest, offset, length 65, 96 bytes of padded signature.
        assert_eq!(input.len(), 4 + 32 + 32 + 32 + 96);
        assert_eq!(input[4 + 64 + 31], 65);
        assert_eq!(input[4 + 96 + 64], 27);
    }
}
