//! Test doubles: a deposit pool, an ERC-1271 wallet, and a raw-calldata
//! probe (so tests reach the token through its router, as a dapp does).

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolError};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool, StorageU256},
    stylus_core::calls::{context::Call, errors::Error as CallError},
    ArbResult,
};

sol! {
    /// What the deposit-pool mock reverts with while paused.
    #[derive(Debug, PartialEq, Eq)]
    error StakingPaused();
}

/// Deposit-pool double: `receiveStake{value}(sender, referral)` records the
/// stake (or reverts `StakingPaused()` while paused). It never calls the
/// token back, as the real pool.
#[storage]
pub(crate) struct DepositPoolMock {
    paused: StorageBool,
    sender: StorageAddress,
    referral: StorageAddress,
    value: StorageU256,
    caller: StorageAddress,
    calls: StorageU256,
}

unsafe impl TopLevelStorage for DepositPoolMock {}

#[public]
impl DepositPoolMock {
    #[payable]
    pub(crate) fn receive_stake(
        &mut self,
        sender: Address,
        referral: Address,
    ) -> Result<(), Vec<u8>> {
        if self.paused.get() {
            return Err(StakingPaused {}.abi_encode());
        }
        self.sender.set(sender);
        self.referral.set(referral);
        let value = self.vm().msg_value();
        self.value.set(value);
        let caller = self.vm().msg_sender();
        self.caller.set(caller);
        let calls = self.calls.get() + U256::from(1);
        self.calls.set(calls);
        Ok(())
    }

    pub(crate) fn set_paused(&mut self, paused: bool) {
        self.paused.set(paused);
    }

    /// `(caller, sender, referral, value, calls)` of the last stake.
    pub(crate) fn last_stake(&self) -> (Address, Address, Address, U256, U256) {
        (
            self.caller.get(),
            self.sender.get(),
            self.referral.get(),
            self.value.get(),
            self.calls.get(),
        )
    }
}

/// How [`WalletMock`] answers `isValidSignature`.
pub(crate) mod mode {
    /// The magic value (padded) when the calldata is the expected one,
    /// else 32 zero bytes.
    pub(crate) const MAGIC: u8 = 0;
    /// `0xffffffff` (padded).
    pub(crate) const WRONG_MAGIC: u8 = 1;
    /// Only the 4 magic bytes.
    pub(crate) const SHORT: u8 = 2;
    /// Reverts.
    pub(crate) const REVERT: u8 = 3;
    /// The magic value with a non-zero padding byte.
    pub(crate) const DIRTY: u8 = 4;
    /// 64 bytes: the magic value word then a zero word.
    pub(crate) const LONG: u8 = 5;
}

/// ERC-1271 contract wallet double: answers any call (its fallback) as set
/// by [`mode`], and in `MAGIC` mode accepts only the exact calldata it was
/// told to expect (so the test also pins `isValidSignature(digest, r‖s‖v)`).
#[storage]
pub(crate) struct WalletMock {
    mode: StorageU256,
    expected: StorageB256,
}

unsafe impl TopLevelStorage for WalletMock {}

#[public]
impl WalletMock {
    pub(crate) fn set_mode(&mut self, mode: u8, expected_calldata_hash: B256) {
        self.mode.set(U256::from(mode));
        self.expected.set(expected_calldata_hash);
    }

    #[fallback]
    fn answer(&mut self, calldata: &[u8]) -> ArbResult {
        let magic = staking_common::permit::ERC1271_MAGIC;
        let mut word = [0u8; 32];
        word[..4].copy_from_slice(&magic);
        match self.mode.get().to::<u8>() {
            mode::MAGIC => {
                if alloy_primitives::keccak256(calldata) == self.expected.get() {
                    Ok(word.to_vec())
                } else {
                    Ok([0u8; 32].to_vec())
                }
            }
            mode::WRONG_MAGIC => Ok([0xff; 4].iter().chain([0u8; 28].iter()).copied().collect()),
            mode::SHORT => Ok(magic.to_vec()),
            mode::DIRTY => {
                word[31] = 1;
                Ok(word.to_vec())
            }
            mode::LONG => Ok(word.iter().chain([0u8; 32].iter()).copied().collect()),
            _ => Err(Vec::new()),
        }
    }
}

/// Forwards raw calldata (and value) to a target: the token sees the probe
/// as `msg.sender` and routes the bytes through its `#[public]` router.
#[storage]
pub(crate) struct AbiProbe;

unsafe impl TopLevelStorage for AbiProbe {}

#[public]
impl AbiProbe {
    #[payable]
    pub(crate) fn forward(&mut self, target: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
        let value = self.vm().msg_value();
        match self.vm().call(&Call::new().value(value), target, &data) {
            Ok(out) => Ok(out.into()),
            Err(CallError::Revert(data)) => Err(data),
            Err(CallError::AbiDecodingFailed(_)) => Err(Vec::new()),
        }
    }
}
