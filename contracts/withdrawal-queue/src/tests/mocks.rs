//! Test doubles with the ABI the queue calls: a stETH-like rebase token, a
//! wstETH-like share token, and a wallet contract that receives ether (and
//! can re-enter the queue when paid) and ERC-721 tokens.
#![allow(clippy::unused_self, clippy::needless_pass_by_value)]

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes, B256, U256};
use alloy_sol_types::SolError;
use staking_common::{
    errors::{InsufficientAllowance, InsufficientBalance, InvalidSignature},
    interfaces::IRebaseToken,
};
use stylus_sdk::{
    abi::Bytes,
    call::RawCall,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageBytes, StorageMap, StorageU256, StorageU8},
};

use crate::abi::IWithdrawalQueue;

/// A stETH-like token: balances are `shares * P / S` (rounded down), a
/// transfer by amount moves `floor(amount * S / P)` shares (all of them for
/// the whole balance), as the real rebase token.
#[storage]
pub(crate) struct RebaseTokenMock {
    shares: StorageMap<Address, StorageU256>,
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    total_shares: StorageU256,
    total_pooled: StorageU256,
    permits: StorageU256,
}

unsafe impl TopLevelStorage for RebaseTokenMock {}

#[public]
impl RebaseTokenMock {
    /// Test control: sets `P` and `S`.
    pub(crate) fn set_totals(&mut self, pooled: U256, shares: U256) {
        self.total_pooled.set(pooled);
        self.total_shares.set(shares);
    }

    /// Test control: gives `account` exactly `shares` (totals unchanged).
    pub(crate) fn set_shares(&mut self, account: Address, shares: U256) {
        self.shares.setter(account).set(shares);
    }

    /// Test control: the oracle's burn of the queue's finalized shares,
    /// with the locked ether leaving the pool.
    pub(crate) fn burn_finalized(&mut self, account: Address, shares: U256, ether: U256) {
        let held = self.shares.get(account);
        self.shares.setter(account).set(held - shares);
        let total = self.total_shares.get();
        self.total_shares.set(total - shares);
        let pooled = self.total_pooled.get();
        self.total_pooled.set(pooled - ether);
    }

    pub(crate) fn approve(&mut self, spender: Address, amount: U256) -> bool {
        let owner = self.vm().msg_sender();
        self.allowances.setter(owner).setter(spender).set(amount);
        true
    }

    pub(crate) fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    pub(crate) fn shares_of(&self, account: Address) -> U256 {
        self.shares.get(account)
    }

    pub(crate) fn balance_of(&self, account: Address) -> U256 {
        self.shares.get(account) * self.total_pooled.get() / self.total_shares.get()
    }

    pub(crate) fn get_total_pooled_ether(&self) -> U256 {
        self.total_pooled.get()
    }

    pub(crate) fn get_total_shares(&self) -> U256 {
        self.total_shares.get()
    }

    pub(crate) fn permits(&self) -> U256 {
        self.permits.get()
    }

    /// Spends `from`'s allowance to the caller, moves `amount`'s shares to
    /// `to` and returns how many moved.
    pub(crate) fn transfer_from_returning_shares(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
    ) -> Result<U256, Vec<u8>> {
        let spender = self.vm().msg_sender();
        let allowance = self.allowance(from, spender);
        if allowance < amount {
            return Err(InsufficientAllowance { owner: from, spender, allowance, needed: amount }
                .abi_encode());
        }
        self.allowances.setter(from).setter(spender).set(allowance - amount);
        let balance = self.balance_of(from);
        let shares = if amount == balance {
            self.shares.get(from)
        } else {
            amount * self.total_shares.get() / self.total_pooled.get()
        };
        self._move(from, to, shares)?;
        Ok(shares)
    }

    /// Moves exactly `shares` of the caller to `to`; returns their value.
    pub(crate) fn transfer_shares(&mut self, to: Address, shares: U256) -> Result<U256, Vec<u8>> {
        let from = self.vm().msg_sender();
        self._move(from, to, shares)?;
        Ok(shares * self.total_pooled.get() / self.total_shares.get())
    }

    /// Accepts a "signature" with `v == 27` (the real ECDSA checks are the
    /// token's own tests); anything else reverts `InvalidSignature`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        _deadline: U256,
        v: u8,
        _r: B256,
        _s: B256,
    ) -> Result<(), Vec<u8>> {
        if v != 27 {
            return Err(InvalidSignature {}.abi_encode());
        }
        self.allowances.setter(owner).setter(spender).set(value);
        let count = self.permits.get();
        self.permits.set(count + U256::from(1));
        Ok(())
    }
}

impl RebaseTokenMock {
    fn _move(&mut self, from: Address, to: Address, shares: U256) -> Result<(), Vec<u8>> {
        let held = self.shares.get(from);
        if held < shares {
            return Err(InsufficientBalance { account: from, balance: held, needed: shares }
                .abi_encode());
        }
        self.shares.setter(from).set(held - shares);
        let to_held = self.shares.get(to);
        self.shares.setter(to).set(to_held + shares);
        Ok(())
    }
}

/// A wstETH-like token: units are rebase-token shares it holds.
#[storage]
pub(crate) struct ShareTokenMock {
    token: StorageAddress,
    balances: StorageMap<Address, StorageU256>,
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
}

unsafe impl TopLevelStorage for ShareTokenMock {}

#[public]
impl ShareTokenMock {
    /// Test control: the rebase token backing the units.
    pub(crate) fn set_token(&mut self, token: Address) {
        self.token.set(token);
    }

    /// Test control: mints units (the test gives this program the shares).
    pub(crate) fn mint(&mut self, to: Address, units: U256) {
        let balance = self.balances.get(to);
        self.balances.setter(to).set(balance + units);
    }

    pub(crate) fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    pub(crate) fn approve(&mut self, spender: Address, amount: U256) -> bool {
        let owner = self.vm().msg_sender();
        self.allowances.setter(owner).setter(spender).set(amount);
        true
    }

    pub(crate) fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
    ) -> Result<bool, Vec<u8>> {
        let spender = self.vm().msg_sender();
        let allowance = self.allowances.getter(from).get(spender);
        if allowance < amount {
            return Err(InsufficientAllowance { owner: from, spender, allowance, needed: amount }
                .abi_encode());
        }
        self.allowances.setter(from).setter(spender).set(allowance - amount);
        let balance = self.balances.get(from);
        if balance < amount {
            return Err(
                InsufficientBalance { account: from, balance, needed: amount }.abi_encode()
            );
        }
        self.balances.setter(from).set(balance - amount);
        let to_balance = self.balances.get(to);
        self.balances.setter(to).set(to_balance + amount);
        Ok(true)
    }

    /// Burns `units` of the caller and moves exactly that many shares to it;
    /// returns their value (rounded down), as the real share token.
    pub(crate) fn unwrap(&mut self, units: U256) -> Result<U256, Vec<u8>> {
        let caller = self.vm().msg_sender();
        let balance = self.balances.get(caller);
        if balance < units {
            return Err(
                InsufficientBalance { account: caller, balance, needed: units }.abi_encode()
            );
        }
        self.balances.setter(caller).set(balance - units);
        let token = self.token.get();
        IRebaseToken::new(token).transfer_shares(&mut *self, caller, units).map_err(Vec::from)
    }

    /// As [`RebaseTokenMock::permit`].
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        _deadline: U256,
        v: u8,
        _r: B256,
        _s: B256,
    ) -> Result<(), Vec<u8>> {
        if v != 27 {
            return Err(InvalidSignature {}.abi_encode());
        }
        self.allowances.setter(owner).setter(spender).set(value);
        Ok(())
    }
}

/// How [`WalletMock`] answers `onERC721Received`.
pub(crate) const ACCEPT: u8 = 0;
/// Answers a wrong value.
pub(crate) const WRONG_ANSWER: u8 = 1;
/// Reverts with a reason.
pub(crate) const REVERT_WITH_REASON: u8 = 2;
/// Reverts without data.
pub(crate) const REVERT_EMPTY: u8 = 3;

/// A contract wallet: forwards calls to the queue (so it can own and claim
/// requests), receives ether (optionally re-entering the queue's claim, or
/// rejecting the payment) and ERC-721 safe transfers.
#[storage]
pub(crate) struct WalletMock {
    queue: StorageAddress,
    reject_ether: StorageBool,
    reenter_id: StorageU256,
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

    /// Whether the re-entrant claim succeeded, and its output.
    pub(crate) fn reentry(&self) -> (bool, Bytes) {
        (self.reentry_ok.get(), self.reentry_data.get_bytes().into())
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
