//! Test doubles: a contract wallet that receives ether (and can re-enter the
//! queue when paid, or reject the payment) and ERC-721 safe transfers, and a
//! "silent" token whose every call succeeds with no return data.
#![allow(clippy::unused_self, clippy::needless_pass_by_value)]

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes, U256};
use stylus_sdk::{
    abi::Bytes,
    call::RawCall,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageBytes, StorageU256, StorageU8},
    ArbResult,
};

use crate::abi::IWithdrawalQueue;

/// [`WalletMock`] answers `onERC721Received` with its selector.
pub(crate) const ACCEPT: u8 = 0;
/// ... with a wrong value.
pub(crate) const WRONG_ANSWER: u8 = 1;
/// ... by reverting with a reason.
pub(crate) const REVERT_WITH_REASON: u8 = 2;
/// ... by reverting without data.
pub(crate) const REVERT_EMPTY: u8 = 3;

/// A contract wallet: forwards calls to the queue (so it can own and claim
/// requests), receives ether (optionally re-entering the queue's claim, or
/// rejecting the payment) and ERC-721 safe transfers.
#[storage]
pub(crate) struct WalletMock {
    queue: StorageAddress,
    reject_ether: StorageBool,
    reenter_id: StorageU256,
    reentered: StorageBool,
    reentry_ok: StorageBool,
    reentry_data: StorageBytes,
    receiver_mode: StorageU8,
    received_operator: StorageAddress,
    received_from: StorageAddress,
    received_id: StorageU256,
    received_data: StorageBytes,
}

unsafe impl TopLevelStorage for WalletMock {}

#[public]
impl WalletMock {
    pub(crate) fn set_queue(&mut self, queue: Address) {
        self.queue.set(queue);
    }

    pub(crate) fn set_reject_ether(&mut self, reject: bool) {
        self.reject_ether.set(reject);
    }

    /// On the next payment, call `claimWithdrawal(id)` on the queue (0: off).
    pub(crate) fn set_reenter(&mut self, id: U256) {
        self.reenter_id.set(id);
    }

    pub(crate) fn set_receiver_mode(&mut self, mode: u8) {
        self.receiver_mode.set(stylus_sdk::alloy_primitives::U8::from(mode));
    }

    /// Calls the queue with `calldata` as this wallet; returns its output.
    pub(crate) fn call_queue(&mut self, calldata: Bytes) -> Result<Bytes, Vec<u8>> {
        let queue = self.queue.get();
        #[allow(deprecated)]
        let output = unsafe { RawCall::new().call(queue, &calldata)? };
        Ok(output.into())
    }

    /// `(re-entered, succeeded, output)` of the re-entrant claim.
    pub(crate) fn reentry(&self) -> (bool, bool, Bytes) {
        (self.reentered.get(), self.reentry_ok.get(), self.reentry_data.get_bytes().into())
    }

    /// The last `onERC721Received` arguments.
    pub(crate) fn received(&self) -> (Address, Address, U256, Bytes) {
        (
            self.received_operator.get(),
            self.received_from.get(),
            self.received_id.get(),
            self.received_data.get_bytes().into(),
        )
    }

    #[receive]
    #[payable]
    pub(crate) fn receive(&mut self) -> Result<(), Vec<u8>> {
        if self.reject_ether.get() {
            return Err(b"no ether".to_vec());
        }
        let id = self.reenter_id.get();
        if !id.is_zero() {
            self.reenter_id.set(U256::ZERO);
            let calldata =
                alloy_sol_types::SolCall::abi_encode(&IWithdrawalQueue::claimWithdrawalCall {
                    requestId: id,
                });
            let queue = self.queue.get();
            #[allow(deprecated)]
            let result = unsafe { RawCall::new().call(queue, &calldata) };
            let (ok, data) = match result {
                Ok(data) => (true, data),
                Err(data) => (false, data),
            };
            self.reentered.set(true);
            self.reentry_ok.set(ok);
            self.reentry_data.set_bytes(data);
        }
        Ok(())
    }

    #[selector(name = "onERC721Received")]
    pub(crate) fn on_erc721_received(
        &mut self,
        operator: Address,
        from: Address,
        token_id: U256,
        data: Bytes,
    ) -> Result<FixedBytes<4>, Vec<u8>> {
        self.received_operator.set(operator);
        self.received_from.set(from);
        self.received_id.set(token_id);
        self.received_data.set_bytes(data.0);
        match self.receiver_mode.get().to::<u8>() {
            ACCEPT => Ok(FixedBytes(crate::ERC721_RECEIVED)),
            WRONG_ANSWER => Ok(FixedBytes([0xde, 0xad, 0xbe, 0xef])),
            REVERT_WITH_REASON => Err(b"not today".to_vec()),
            _ => Err(Vec::new()),
        }
    }
}

/// A token whose every call succeeds and returns a configured answer (none
/// by default): a `uint256` answer the queue expects may not decode, or may
/// be out of range.
#[storage]
pub(crate) struct SilentTokenMock {
    answer: StorageBytes,
}

unsafe impl TopLevelStorage for SilentTokenMock {}

#[public]
impl SilentTokenMock {
    /// Test control: the data every call returns.
    pub(crate) fn set_answer(&mut self, answer: Bytes) {
        self.answer.set_bytes(answer.0);
    }

    #[fallback]
    pub(crate) fn fallback(&mut self, _calldata: &[u8]) -> ArbResult {
        Ok(self.answer.get_bytes())
    }
}
