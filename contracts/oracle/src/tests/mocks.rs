//! Test doubles of the programs the oracle calls, with the selectors of
//! `staking_common::interfaces`: each records the arguments of its last
//! state-changing call and applies a simple model of the real program, so
//! several reports can follow each other.

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageU256},
};

/// Rebase token double: totals, and the last `rebase` call.
#[storage]
pub(crate) struct MockToken {
    pooled: StorageU256,
    shares: StorageU256,
    rebases: StorageU256,
    last_post_pooled: StorageU256,
    last_burn: StorageU256,
    last_timestamp: StorageU256,
    last_elapsed: StorageU256,
    last_treasury: StorageAddress,
    last_treasury_shares: StorageU256,
    last_operator: StorageAddress,
    last_operator_shares: StorageU256,
    fail: StorageBool,
}

unsafe impl TopLevelStorage for MockToken {}

#[public]
impl MockToken {
    pub(crate) fn get_total_pooled_ether(&self) -> U256 {
        self.pooled.get()
    }

    pub(crate) fn get_total_shares(&self) -> U256 {
        self.shares.get()
    }

    /// Applies the rebase as the real token does: burn, mint the fee, set P.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn rebase(
        &mut self,
        report_timestamp: U256,
        time_elapsed: U256,
        post_total_pooled_ether: U256,
        shares_to_burn: U256,
        treasury: Address,
        treasury_shares: U256,
        operator_recipient: Address,
        operator_shares: U256,
    ) -> Result<U256, Vec<u8>> {
        if self.fail.get() {
            return Err(b"token says no".to_vec());
        }
        self.rebases.set(self.rebases.get() + U256::from(1));
        self.last_timestamp.set(report_timestamp);
        self.last_elapsed.set(time_elapsed);
        self.last_post_pooled.set(post_total_pooled_ether);
        self.last_burn.set(shares_to_burn);
        self.last_treasury.set(treasury);
        self.last_treasury_shares.set(treasury_shares);
        self.last_operator.set(operator_recipient);
        self.last_operator_shares.set(operator_shares);
        let shares = self.shares.get() - shares_to_burn + treasury_shares + operator_shares;
        self.shares.set(shares);
        self.pooled.set(post_total_pooled_ether);
        Ok(shares)
    }

    pub(crate) fn set_totals(&mut self, pooled: U256, shares: U256) {
        self.pooled.set(pooled);
        self.shares.set(shares);
    }

    pub(crate) fn set_fail(&mut self, fail: bool) {
        self.fail.set(fail);
    }

    /// `(rebases, timestamp, elapsed, postPooled, burn)` of the last rebase.
    pub(crate) fn last_rebase(&self) -> (U256, U256, U256, U256, U256) {
        (
            self.rebases.get(),
            self.last_timestamp.get(),
            self.last_elapsed.get(),
            self.last_post_pooled.get(),
            self.last_burn.get(),
        )
    }

    /// `(treasury, treasuryShares, operator, operatorShares)` of the last rebase.
    pub(crate) fn last_fees(&self) -> (Address, U256, Address, U256) {
        (
            self.last_treasury.get(),
            self.last_treasury_shares.get(),
            self.last_operator.get(),
            self.last_operator_shares.get(),
        )
    }
}

/// Deposit pool double: beacon stat, buffer, and the last report it handled.
#[storage]
pub(crate) struct MockPool {
    deposited: StorageU256,
    seen: StorageU256,
    beacon_balance: StorageU256,
    buffered: StorageU256,
    reports: StorageU256,
    last_timestamp: StorageU256,
    last_collected: StorageU256,
    last_request_id: StorageU256,
    last_eth_to_lock: StorageU256,
    last_share_rate: StorageU256,
    fail: StorageBool,
}

unsafe impl TopLevelStorage for MockPool {}

#[public]
impl MockPool {
    pub(crate) fn get_beacon_stat(&self) -> (U256, U256, U256) {
        (self.deposited.get(), self.seen.get(), self.beacon_balance.get())
    }

    pub(crate) fn get_buffered_ether(&self) -> U256 {
        self.buffered.get()
    }

    /// Applies the report as the real pool does: new beacon state, collect
    /// the withdrawals into the buffer, send `eth_to_lock` to the queue.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn handle_oracle_report(
        &mut self,
        report_timestamp: U256,
        beacon_validators: U256,
        beacon_balance: U256,
        withdrawals_to_collect: U256,
        last_request_id_to_finalize: U256,
        eth_to_lock: U256,
        max_share_rate: U256,
    ) -> Result<(), Vec<u8>> {
        if self.fail.get() {
            return Err(b"pool says no".to_vec());
        }
        self.reports.set(self.reports.get() + U256::from(1));
        self.last_timestamp.set(report_timestamp);
        self.last_collected.set(withdrawals_to_collect);
        self.last_request_id.set(last_request_id_to_finalize);
        self.last_eth_to_lock.set(eth_to_lock);
        self.last_share_rate.set(max_share_rate);
        self.seen.set(beacon_validators);
        self.beacon_balance.set(beacon_balance);
        self.buffered.set(self.buffered.get() + withdrawals_to_collect - eth_to_lock);
        Ok(())
    }

    pub(crate) fn set_state(
        &mut self,
        deposited: U256,
        seen: U256,
        beacon_balance: U256,
        buffered: U256,
    ) {
        self.deposited.set(deposited);
        self.seen.set(seen);
        self.beacon_balance.set(beacon_balance);
        self.buffered.set(buffered);
    }

    pub(crate) fn set_fail(&mut self, fail: bool) {
        self.fail.set(fail);
    }

    /// `(reports, timestamp, collected, lastRequestId, ethToLock, maxShareRate)`.
    pub(crate) fn last_report(&self) -> (U256, U256, U256, U256, U256, U256) {
        (
            self.reports.get(),
            self.last_timestamp.get(),
            self.last_collected.get(),
            self.last_request_id.get(),
            self.last_eth_to_lock.get(),
            self.last_share_rate.get(),
        )
    }
}

/// Withdrawal queue double: the last finalized id and a fixed price.
#[storage]
pub(crate) struct MockQueue {
    last_finalized: StorageU256,
    eth_to_lock: StorageU256,
    shares_to_burn: StorageU256,
    asked_id: StorageU256,
    asked_rate: StorageU256,
}

unsafe impl TopLevelStorage for MockQueue {}

#[public]
impl MockQueue {
    pub(crate) fn get_last_finalized_request_id(&self) -> U256 {
        self.last_finalized.get()
    }

    /// Answers the configured price (recording what was asked).
    pub(crate) fn prefinalize(&self, last_request_id: U256, max_share_rate: U256) -> (U256, U256) {
        // A view cannot record; the test reads the arguments from the pool.
        let _ = (last_request_id, max_share_rate);
        (self.eth_to_lock.get(), self.shares_to_burn.get())
    }

    pub(crate) fn set_price(&mut self, last_finalized: U256, eth_to_lock: U256, shares: U256) {
        self.last_finalized.set(last_finalized);
        self.eth_to_lock.set(eth_to_lock);
        self.shares_to_burn.set(shares);
        self.asked_id.set(U256::ZERO);
        self.asked_rate.set(U256::ZERO);
    }
}
