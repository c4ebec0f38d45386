//! Motsu tests of the program: committee, frames, votes, consensus, report
//! processing through mocks of the rebase token, deposit pool and
//! withdrawal queue, governance setters, and the hand-written ABI router.
//!
//! Time: motsu's block timestamp is a constant, so each test sets the
//! oracle's clock with [`crate::test_clock::set`] (see [`at`]).
//!
//! The fixture: genesis [`GENESIS`], 12-second slots, 10-slot frames (two
//! minutes). Deployed in frame 1 (reference slot 9, treated as processed),
//! so the first frame to vote in is frame 2 (reference slot 19).

#![allow(clippy::too_many_arguments, clippy::unreadable_literal)]

mod committee;
mod consensus;
mod governance;
mod integration;
mod mocks;
mod processing;
mod props;
mod router;

use alloy_primitives::{Address, B256, U256};
use motsu::prelude::*;

use crate::{AccountingOracle, ReportData, ReportDataTuple};
use mocks::{MockPool, MockQueue, MockToken};

/// Unix time of slot 0 in the fixture.
pub(crate) const GENESIS: u64 = 1_600_000_000;
/// Seconds per slot in the fixture.
pub(crate) const SPS: u64 = 12;
/// Slots per frame in the fixture.
pub(crate) const SPF: u64 = 10;
/// Seconds per frame in the fixture.
pub(crate) const FRAME: u64 = SPS * SPF;
/// One ether.
pub(crate) const ETH: u128 = 1_000_000_000_000_000_000;

/// `x` as a `U256`.
pub(crate) fn u(x: u128) -> U256 {
    U256::from(x)
}

/// `x` ether in wei.
pub(crate) fn eth(x: u128) -> U256 {
    u(x * ETH)
}

/// Sets the clock `offset` seconds into frame `k`.
pub(crate) fn at(k: u64, offset: u64) {
    crate::test_clock::set(GENESIS + k * FRAME + offset);
}

/// The reference slot of frame `k`.
pub(crate) fn ref_slot(k: u64) -> U256 {
    U256::from(k * SPF - 1)
}

/// A report hash that is not any real data's.
pub(crate) fn hash(n: u8) -> B256 {
    B256::repeat_byte(n)
}

/// The programs of a test: the oracle and the doubles whose books the tests
/// read (the queue double is configured directly).
pub(crate) struct World<'a> {
    pub(crate) oracle: &'a Contract<AccountingOracle>,
    pub(crate) token: &'a Contract<MockToken>,
    pub(crate) pool: &'a Contract<MockPool>,
    pub(crate) admin: Address,
}

/// Deploys the oracle at frame 1 with the given programs, treasury and
/// operator recipient; the admin gets every role. The mocks start as a pool
/// of 100 seen validators with 32 ETH each and `P = S = 3_200` ETH.
pub(crate) fn deploy<'a>(
    oracle: &'a Contract<AccountingOracle>,
    token: &'a Contract<MockToken>,
    pool: &'a Contract<MockPool>,
    queue: &'a Contract<MockQueue>,
    admin: Address,
) -> World<'a> {
    at(1, 0);
    oracle
        .sender(admin)
        .constructor(
            admin,
            token.address(),
            pool.address(),
            queue.address(),
            U256::from(GENESIS),
            U256::from(SPS),
            U256::from(SPF),
            treasury(),
            operator(),
        )
        .motsu_unwrap();
    for role in ALL_ROLES {
        oracle.sender(admin).grant_role(role, admin).motsu_unwrap();
    }
    token.sender(admin).set_totals(eth(3_200), eth(3_200));
    pool.sender(admin).set_state(u(100), u(100), eth(3_200), U256::ZERO);
    World { oracle, token, pool, admin }
}

/// Every role but `DEFAULT_ADMIN_ROLE` (which the constructor grants).
pub(crate) const ALL_ROLES: [B256; 9] = [
    crate::roles::MANAGE_MEMBERS_AND_QUORUM_ROLE,
    crate::roles::MANAGE_FRAME_CONFIG_ROLE,
    crate::roles::MANAGE_CONSENSUS_VERSION_ROLE,
    crate::roles::SUBMIT_DATA_ROLE,
    crate::roles::ALL_LIMITS_MANAGER_ROLE,
    crate::roles::ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE,
    crate::roles::ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE,
    crate::roles::MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE,
    crate::roles::MANAGE_FEE_ROLE,
];

/// The treasury of the fixture.
pub(crate) fn treasury() -> Address {
    Address::repeat_byte(0x7e)
}

/// The operator recipient of the fixture.
pub(crate) fn operator() -> Address {
    Address::repeat_byte(0x0b)
}

impl World<'_> {
    /// Adds `members` with the quorum they end with.
    pub(crate) fn members(&self, members: &[Address], quorum: u64) {
        for (i, m) in members.iter().enumerate() {
            // The smallest valid quorum for the committee so far, then `quorum`.
            let count = i as u64 + 1;
            let q = if i + 1 == members.len() { quorum } else { count / 2 + 1 };
            self.oracle.sender(self.admin).add_member(*m, U256::from(q)).motsu_unwrap();
        }
    }

    /// Each of `voters` votes `report` for frame `k`'s reference slot.
    pub(crate) fn vote(&self, k: u64, voters: &[Address], report: B256) {
        for v in voters {
            self.oracle.sender(*v).submit_report(ref_slot(k), report, U256::from(1)).motsu_unwrap();
        }
    }

    /// Report data for frame `k`: `n` validators, `cl` wei on the CL, `vault`
    /// wei in the vault, finalize up to `last_id`.
    pub(crate) fn data(&self, k: u64, n: u128, cl: U256, vault: U256, last_id: u128) -> ReportData {
        ReportData {
            consensus_version: U256::from(1),
            ref_slot: ref_slot(k),
            num_validators: u(n),
            cl_balance_gwei: cl / u(1_000_000_000),
            withdrawal_vault_balance: vault,
            last_request_id_to_finalize: u(last_id),
        }
    }

    /// Agrees on `data` in frame `k` (the voters vote its hash) and submits it
    /// from `submitter`.
    pub(crate) fn agree_and_submit(
        &self,
        k: u64,
        voters: &[Address],
        submitter: Address,
        data: &ReportData,
    ) -> Result<(), crate::Error> {
        self.vote(k, voters, data.hash());
        self.oracle.sender(submitter).submit_report_data(tuple(data), U256::from(1))
    }
}

/// `data` as the ABI tuple.
pub(crate) fn tuple(data: &ReportData) -> ReportDataTuple {
    (
        data.consensus_version,
        data.ref_slot,
        data.num_validators,
        data.cl_balance_gwei,
        data.withdrawal_vault_balance,
        data.last_request_id_to_finalize,
    )
}
