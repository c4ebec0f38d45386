//! The host functions the oracle uses, called directly.
//!
//! Why not `self.vm()`: it hands out a `&dyn Host`, and once that reference
//! reaches a function the optimizer does not inline (a generic logger, a
//! call helper), the whole vtable — every hostio and its wrapper — is linked
//! into the program. The SDK's free functions call the one hostio they need.
//! Events are written out by hand for the same reason (one non-generic
//! encoder instead of one alloy encoder per event type); their `sol!`
//! definitions in [`crate::events`] give the signatures and let the tests
//! decode them.
#![allow(deprecated)]

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::call::RawCall;

/// The block time (or the test clock in native tests).
pub(crate) fn timestamp() -> u64 {
    #[cfg(test)]
    if let Some(now) = crate::test_clock::get() {
        return now;
    }
    stylus_sdk::block::timestamp()
}

/// `keccak256(bytes)`, computed by the host.
pub(crate) fn keccak(bytes: &[u8]) -> B256 {
    stylus_sdk::crypto::keccak(bytes)
}

/// A static call; `Err` carries the revert data.
pub(crate) fn static_call(target: Address, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    // SAFETY: a static call cannot change any state; the SDK flushes the
    // storage cache before it.
    unsafe { RawCall::new_static().call(target, data) }
}

/// A call without value; `Err` carries the revert data.
pub(crate) fn call(target: Address, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    // SAFETY: the oracle is never re-entered (the SDK rejects re-entry and
    // no program it calls calls it back); the SDK flushes and clears the
    // storage cache around the call.
    unsafe { RawCall::new().call(target, data) }
}

/// An address as an ABI word (and as an indexed topic).
pub(crate) fn word(a: Address) -> U256 {
    U256::from_be_slice(a.as_slice())
}

/// The `topic0` of a `sol!` event as a word.
pub(crate) fn sig<E: alloy_sol_types::SolEvent>() -> U256 {
    U256::from_be_bytes(E::SIGNATURE_HASH.0)
}
