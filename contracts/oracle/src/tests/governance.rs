//! Sanity-limit, fee and consensus-version setters.

use alloy_primitives::{Address, B256, U256};
use motsu::prelude::*;
use staking_common::errors::{AccessControlUnauthorizedAccount, ZeroAddress};

use super::*;
use crate::{
    errors::{IncorrectLimitValue, InvalidFee, NumericOverflow, VersionCannotBeSame},
    events::{
        AnnualBalanceIncreaseBPLimitSet, ConsensusVersionSet, FeeRecipientsSet, FeeSet,
        MaxPositiveTokenRebaseSet, OneOffCLBalanceDecreaseBPLimitSet,
    },
    roles::{
        ALL_LIMITS_MANAGER_ROLE, ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE,
        MANAGE_CONSENSUS_VERSION_ROLE, MANAGE_FEE_ROLE, MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE,
        ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE,
    },
};

fn unauthorized(account: Address, role: B256) -> crate::Error {
    AccessControlUnauthorizedAccount { account, neededRole: role }.into()
}

fn incorrect(value: U256, min: u64, max: u64) -> crate::Error {
    IncorrectLimitValue {
        value,
        minAllowedValue: U256::from(min),
        maxAllowedValue: U256::from(max),
    }
    .into()
}

#[motsu::test]
fn each_limit_is_set_by_its_own_role_up_to_its_bound(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    let o = || oracle.sender(admin);
    // At the bound it is accepted and announced.
    o().set_annual_balance_increase_bp_limit(u(10_000)).motsu_unwrap();
    oracle.assert_emitted(&AnnualBalanceIncreaseBPLimitSet {
        annualBalanceIncreaseBPLimit: u(10_000),
    });
    o().set_one_off_cl_balance_decrease_bp_limit(u(10_000)).motsu_unwrap();
    oracle.assert_emitted(&OneOffCLBalanceDecreaseBPLimitSet {
        oneOffCLBalanceDecreaseBPLimit: u(10_000),
    });
    o().set_max_positive_token_rebase(U256::from(u64::MAX)).motsu_unwrap();
    oracle.assert_emitted(&MaxPositiveTokenRebaseSet {
        maxPositiveTokenRebase: U256::from(u64::MAX),
    });
    assert_eq!(o().get_oracle_report_limits(), (u(10_000), u(10_000), U256::from(u64::MAX)));
    // One past it reverts and changes nothing.
    let err = o().set_annual_balance_increase_bp_limit(u(10_001)).motsu_unwrap_err();
    assert_eq!(err, incorrect(u(10_001), 0, 10_000));
    let err = o().set_one_off_cl_balance_decrease_bp_limit(u(10_001)).motsu_unwrap_err();
    assert_eq!(err, incorrect(u(10_001), 0, 10_000));
    let err = o().set_max_positive_token_rebase(U256::from(u64::MAX) + u(1)).motsu_unwrap_err();
    assert_eq!(err, incorrect(U256::from(u64::MAX) + u(1), 1, u64::MAX));
    let err = o().set_max_positive_token_rebase(U256::ZERO).motsu_unwrap_err();
    assert_eq!(err, incorrect(U256::ZERO, 1, u64::MAX));
    assert_eq!(o().get_oracle_report_limits(), (u(10_000), u(10_000), U256::from(u64::MAX)));
    // The lowest values are accepted (0 bp, a rebase of 1e-9).
    o().set_annual_balance_increase_bp_limit(U256::ZERO).motsu_unwrap();
    o().set_one_off_cl_balance_decrease_bp_limit(U256::ZERO).motsu_unwrap();
    o().set_max_positive_token_rebase(u(1)).motsu_unwrap();
    assert_eq!(o().get_oracle_report_limits(), (U256::ZERO, U256::ZERO, u(1)));
}

#[motsu::test]
fn each_limit_setter_reverts_without_its_role(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    let before = oracle.sender(admin).get_oracle_report_limits();
    // ALL_LIMITS_MANAGER_ROLE alone does not set a single limit (Lido's split).
    oracle.sender(admin).grant_role(ALL_LIMITS_MANAGER_ROLE, alice).motsu_unwrap();
    let err = oracle.sender(alice).set_annual_balance_increase_bp_limit(u(1)).motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE));
    let err =
        oracle.sender(alice).set_one_off_cl_balance_decrease_bp_limit(u(1)).motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE));
    let err = oracle.sender(alice).set_max_positive_token_rebase(u(1)).motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE));
    // And a per-limit role does not set all of them.
    let bob = Address::repeat_byte(0xb0);
    oracle.sender(admin).grant_role(MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE, bob).motsu_unwrap();
    let err = oracle.sender(bob).set_oracle_report_limits(u(1), u(1), u(1)).motsu_unwrap_err();
    assert_eq!(err, unauthorized(bob, ALL_LIMITS_MANAGER_ROLE));
    assert_eq!(oracle.sender(admin).get_oracle_report_limits(), before);
}

#[motsu::test]
fn set_oracle_report_limits_sets_all_and_announces_only_changes(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    let events = oracle.all_events().len();
    // Same values: no event.
    oracle.sender(admin).set_oracle_report_limits(u(1_000), u(500), u(750_000)).motsu_unwrap();
    assert_eq!(oracle.all_events().len(), events);
    // One changed: one event.
    oracle.sender(admin).set_oracle_report_limits(u(1_000), u(400), u(750_000)).motsu_unwrap();
    assert_eq!(oracle.all_events().len(), events + 1);
    assert_eq!(oracle.sender(admin).get_oracle_report_limits(), (u(1_000), u(400), u(750_000)));
    // An invalid one reverts all (nothing changes).
    let err =
        oracle.sender(admin).set_oracle_report_limits(u(9), u(9), U256::ZERO).motsu_unwrap_err();
    assert_eq!(err, incorrect(U256::ZERO, 1, u64::MAX));
    assert_eq!(oracle.sender(admin).get_oracle_report_limits(), (u(1_000), u(400), u(750_000)));
}

#[motsu::test]
fn set_fee_accepts_up_to_100_percent_with_the_operator_part_within(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    oracle.sender(admin).set_fee(u(10_000), u(10_000)).motsu_unwrap();
    oracle.assert_emitted(&FeeSet { totalBasisPoints: u(10_000), operatorBasisPoints: u(10_000) });
    assert_eq!(oracle.sender(admin).get_fee(), (u(10_000), u(10_000)));
    for (total, op) in
        [(u(10_001), U256::ZERO), (u(1_000), u(1_001)), (U256::MAX, U256::ZERO), (u(5), U256::MAX)]
    {
        let err = oracle.sender(admin).set_fee(total, op).motsu_unwrap_err();
        assert_eq!(err, InvalidFee { totalBasisPoints: total, operatorBasisPoints: op }.into());
    }
    assert_eq!(oracle.sender(admin).get_fee(), (u(10_000), u(10_000)));
    oracle.sender(admin).set_fee(U256::ZERO, U256::ZERO).motsu_unwrap();
    assert_eq!(oracle.sender(admin).get_fee(), (U256::ZERO, U256::ZERO));
}

#[motsu::test]
fn fee_setters_revert_without_the_role(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    let err = oracle.sender(alice).set_fee(u(1), u(0)).motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, MANAGE_FEE_ROLE));
    let err = oracle.sender(alice).set_fee_recipients(alice, alice).motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, MANAGE_FEE_ROLE));
    assert_eq!(oracle.sender(alice).get_fee(), (u(1_000), u(500)));
    assert_eq!(oracle.sender(alice).get_fee_recipients(), (treasury(), operator()));
}

#[motsu::test]
fn set_fee_recipients_replaces_both_and_rejects_zero(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    oracle.sender(admin).set_fee_recipients(alice, bob).motsu_unwrap();
    oracle.assert_emitted(&FeeRecipientsSet { treasury: alice, operatorRecipient: bob });
    assert_eq!(oracle.sender(admin).get_fee_recipients(), (alice, bob));
    for (t, o) in [(Address::ZERO, bob), (alice, Address::ZERO)] {
        let err = oracle.sender(admin).set_fee_recipients(t, o).motsu_unwrap_err();
        assert_eq!(err, ZeroAddress {}.into());
    }
    assert_eq!(oracle.sender(admin).get_fee_recipients(), (alice, bob));
}

#[motsu::test]
fn set_consensus_version_changes_it_and_rejects_the_same_or_an_oversized_one(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    oracle.sender(admin).set_consensus_version(u(2)).motsu_unwrap();
    oracle.assert_emitted(&ConsensusVersionSet { version: u(2), prevVersion: u(1) });
    assert_eq!(oracle.sender(admin).get_consensus_version(), u(2));
    let err = oracle.sender(admin).set_consensus_version(u(2)).motsu_unwrap_err();
    assert_eq!(err, VersionCannotBeSame {}.into());
    let err =
        oracle.sender(admin).set_consensus_version(U256::from(u32::MAX) + u(1)).motsu_unwrap_err();
    assert_eq!(err, NumericOverflow {}.into());
    let err = oracle.sender(alice).set_consensus_version(u(3)).motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, MANAGE_CONSENSUS_VERSION_ROLE));
    assert_eq!(oracle.sender(admin).get_consensus_version(), u(2));
    // Votes now need version 2.
    w.members(&[alice], 1);
    at(2, 1);
    oracle.sender(alice).submit_report(ref_slot(2), hash(1), u(2)).motsu_unwrap();
}

#[motsu::test]
fn limits_changed_by_governance_apply_to_the_next_report(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given the one-off limit lowered to 1 %.
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    oracle.sender(admin).set_one_off_cl_balance_decrease_bp_limit(u(100)).motsu_unwrap();
    let m = [1, 2, 3].map(Address::repeat_byte);
    w.members(&m, 2);
    at(2, 1);
    // When a 2 % drop is reported, then it is rejected at 200 bp.
    let data = w.data(2, 100, eth(3_136), U256::ZERO, 0);
    let err = w.agree_and_submit(2, &m[..2], m[0], &data).motsu_unwrap_err();
    assert_eq!(
        err,
        crate::errors::IncorrectCLBalanceDecrease { oneOffCLBalanceDecreaseBP: u(200) }.into()
    );
}
