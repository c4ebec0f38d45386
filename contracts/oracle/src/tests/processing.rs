//! `submitReportData`: the checks of BaseOracle/AccountingOracle and the
//! application of a report through the rebase token, deposit pool and
//! withdrawal queue doubles.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use motsu::prelude::*;
use staking_common::events::ETHDistributed;
use stylus_sdk::prelude::*;

use super::*;
use crate::{
    errors::{
        EtherToLockExceedsAvailable, IncorrectCLBalanceDecrease, NoConsensusReportToProcess,
        ProcessingDeadlineMissed, RefSlotAlreadyProcessing, ReportedLessValidators,
        SenderNotAllowed, UnexpectedConsensusVersion, UnexpectedContractVersion,
        UnexpectedDataHash, UnexpectedRefSlot,
    },
    events::{ProcessingStarted, ReportApplied},
    report::SHARE_RATE_PRECISION,
    roles::SUBMIT_DATA_ROLE,
    Error,
};

/// A frame-2 report of the fixture's 100 validators with `cl` wei and
/// `vault` wei, finalizing nothing.
fn report(w: &World, cl: U256, vault: U256) -> ReportData {
    w.data(2, 100, cl, vault, 0)
}

/// The state a rejected submission must leave alone: the oracle's
/// processing state and every double's books.
#[allow(clippy::type_complexity)]
fn books(w: &World) -> (U256, (U256, B256, bool), (U256, U256), (U256, U256, U256), U256) {
    let o = w.oracle.sender(w.admin);
    (
        o.get_last_processing_ref_slot(),
        o.get_consensus_state().unwrap(),
        (
            w.token.sender(w.admin).get_total_pooled_ether(),
            w.token.sender(w.admin).get_total_shares(),
        ),
        w.pool.sender(w.admin).get_beacon_stat(),
        w.pool.sender(w.admin).get_buffered_ether(),
    )
}

fn setup<'a>(
    oracle: &'a Contract<AccountingOracle>,
    token: &'a Contract<MockToken>,
    pool: &'a Contract<MockPool>,
    queue: &'a Contract<MockQueue>,
    admin: Address,
) -> (World<'a>, [Address; 3]) {
    let w = deploy(oracle, token, pool, queue, admin);
    let m = [1, 2, 3].map(Address::repeat_byte);
    w.members(&m, 2);
    at(2, 5);
    (w, m)
}

#[motsu::test]
fn submit_report_data_applies_rewards_with_the_fee_and_emits(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given 3_200 ETH on the CL, 5 ETH buffered, and 0.4 ETH of rewards in
    // the vault (two-minute frames annualise any CL growth far beyond the
    // 10 % limit, so the fixture's rewards arrive through the vault).
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    pool.sender(admin).set_state(u(100), u(100), eth(3_200), eth(5));
    token.sender(admin).set_totals(eth(3_205), eth(3_205));
    let data = report(&w, eth(3_200), u(4 * ETH / 10));
    // When a and b agree on it and a submits the data.
    w.agree_and_submit(2, &[a, b], a, &data).motsu_unwrap();
    // Then the frame is processed.
    let o = oracle.sender(admin);
    assert_eq!(o.get_last_processing_ref_slot(), ref_slot(2));
    assert_eq!(o.get_consensus_state().unwrap(), (ref_slot(2), data.hash(), true));
    // The pool got the report time, the new CL state and the vault to collect.
    let ts = U256::from(GENESIS) + ref_slot(2) * U256::from(SPS);
    let (reports, timestamp, collected, last_id, lock, rate) = pool.sender(admin).last_report();
    assert_eq!(
        (reports, timestamp, collected, last_id, lock),
        (u(1), ts, u(4 * ETH / 10), U256::ZERO, U256::ZERO)
    );
    assert_eq!(pool.sender(admin).get_beacon_stat(), (u(100), u(100), eth(3_200)));
    assert_eq!(pool.sender(admin).get_buffered_ether(), eth(5) + u(4 * ETH / 10));
    // The token got P + 0.4 ETH, elapsed = one frame, and the fee shares.
    let p1 = eth(3_205) + u(4 * ETH / 10);
    let (rebases, t2, elapsed, post, burn) = token.sender(admin).last_rebase();
    assert_eq!((rebases, t2, elapsed, post, burn), (u(1), ts, U256::from(FRAME), p1, U256::ZERO));
    let fee = crate::report::fee_split(
        u(4 * ETH / 10),
        &crate::report::Fee::DEFAULT,
        eth(3_205),
        eth(3_205),
    );
    assert_eq!(token.sender(admin).last_fees(), (treasury(), fee.0, operator(), fee.1));
    assert!(fee.0 > U256::ZERO && fee.1 > U256::ZERO);
    let s1 = eth(3_205) + fee.0 + fee.1;
    assert_eq!(rate, p1 * SHARE_RATE_PRECISION / s1);
    // Events: processing started, report applied.
    oracle.assert_emitted(&ProcessingStarted { refSlot: ref_slot(2), hash: data.hash() });
    // (`ETHDistributed` is the deposit pool's to emit, as Lido's ether holder.)
    assert_eq!(
        oracle
            .all_events()
            .iter()
            .filter(|e| e.topics()[0] == ETHDistributed::SIGNATURE_HASH)
            .count(),
        0
    );
    oracle.assert_emitted(&ReportApplied {
        refSlot: ref_slot(2),
        rewardsDistributed: u(4 * ETH / 10),
        rewardsDeferred: U256::ZERO,
        clLoss: U256::ZERO,
        sharesMintedAsFees: fee.0 + fee.1,
        lastFinalizedRequestId: U256::ZERO,
        etherLocked: U256::ZERO,
        sharesBurnt: U256::ZERO,
    });
    // And the accounting identity holds on the doubles: P = buffered + B.
    assert_eq!(
        token.sender(admin).get_total_pooled_ether(),
        pool.sender(admin).get_buffered_ether() + pool.sender(admin).get_beacon_stat().2
    );
}

#[motsu::test]
fn a_negative_report_lowers_the_pool_without_fee(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    let data = report(&w, eth(3_190), U256::ZERO);
    w.agree_and_submit(2, &[a, b], b, &data).motsu_unwrap();
    let (_, _, _, post, _) = token.sender(admin).last_rebase();
    assert_eq!(post, eth(3_190));
    assert_eq!(token.sender(admin).last_fees(), (treasury(), U256::ZERO, operator(), U256::ZERO));
    assert_eq!(token.sender(admin).get_total_shares(), eth(3_200));
}

#[motsu::test]
fn submit_report_data_reverts_when_processed_twice(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    let data = report(&w, eth(3_200), U256::ZERO);
    w.agree_and_submit(2, &[a, b], a, &data).motsu_unwrap();
    let before = books(&w);
    let err = oracle.sender(b).submit_report_data(tuple(&data), u(1)).motsu_unwrap_err();
    assert_eq!(err, RefSlotAlreadyProcessing {}.into());
    assert_eq!(books(&w), before);
    assert_eq!(token.sender(admin).last_rebase().0, u(1));
    // And late votes for the processed frame are refused.
    let err = oracle.sender(b).submit_report(ref_slot(2), hash(9), u(1)).motsu_unwrap_err();
    assert_eq!(err, crate::errors::ConsensusReportAlreadyProcessing {}.into());
}

#[motsu::test]
fn submit_report_data_reverts_for_a_sender_without_membership_or_role(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    bob: Address,
) {
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    let data = report(&w, eth(3_200), U256::ZERO);
    w.vote(2, &[a, b], data.hash());
    let before = books(&w);
    let err = oracle.sender(bob).submit_report_data(tuple(&data), u(1)).motsu_unwrap_err();
    assert_eq!(err, SenderNotAllowed {}.into());
    assert_eq!(books(&w), before);
    // With SUBMIT_DATA_ROLE bob may submit.
    oracle.sender(admin).grant_role(SUBMIT_DATA_ROLE, bob).motsu_unwrap();
    oracle.sender(bob).submit_report_data(tuple(&data), u(1)).motsu_unwrap();
    assert_eq!(oracle.sender(bob).get_last_processing_ref_slot(), ref_slot(2));
}

#[motsu::test]
fn submit_report_data_reverts_for_another_contract_version(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    let data = report(&w, eth(3_200), U256::ZERO);
    w.vote(2, &[a, b], data.hash());
    let before = books(&w);
    let err = oracle.sender(a).submit_report_data(tuple(&data), u(2)).motsu_unwrap_err();
    let expected = UnexpectedContractVersion { expectedVersion: u(1), receivedVersion: u(2) };
    assert_eq!(err, expected.into());
    assert_eq!(books(&w), before);
}

#[motsu::test]
fn submit_report_data_reverts_without_consensus(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    let data = report(&w, eth(3_200), U256::ZERO);
    // Nobody voted.
    let err = oracle.sender(a).submit_report_data(tuple(&data), u(1)).motsu_unwrap_err();
    assert_eq!(err, NoConsensusReportToProcess {}.into());
    // One vote of the two needed.
    w.vote(2, &[b], data.hash());
    let before = books(&w);
    let err = oracle.sender(a).submit_report_data(tuple(&data), u(1)).motsu_unwrap_err();
    assert_eq!(err, NoConsensusReportToProcess {}.into());
    assert_eq!(books(&w), before);
}

#[motsu::test]
fn submit_report_data_reverts_for_another_slot_version_or_hash(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    let data = report(&w, eth(3_200), U256::ZERO);
    w.vote(2, &[a, b], data.hash());
    let before = books(&w);
    let mut other = data;
    other.ref_slot = ref_slot(1);
    let err = oracle.sender(a).submit_report_data(tuple(&other), u(1)).motsu_unwrap_err();
    assert_eq!(
        err,
        UnexpectedRefSlot { consensusRefSlot: ref_slot(2), dataRefSlot: ref_slot(1) }.into()
    );
    let mut other = data;
    other.consensus_version = u(3);
    let err = oracle.sender(a).submit_report_data(tuple(&other), u(1)).motsu_unwrap_err();
    assert_eq!(
        err,
        UnexpectedConsensusVersion { expectedVersion: u(1), receivedVersion: u(3) }.into()
    );
    let mut other = data;
    other.cl_balance_gwei += u(1);
    let err = oracle.sender(a).submit_report_data(tuple(&other), u(1)).motsu_unwrap_err();
    assert_eq!(
        err,
        UnexpectedDataHash { consensusHash: data.hash(), receivedHash: other.hash() }.into()
    );
    assert_eq!(books(&w), before);
}

#[motsu::test]
fn submit_report_data_reverts_after_the_deadline(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    let data = report(&w, eth(3_200), U256::ZERO);
    w.vote(2, &[a, b], data.hash());
    // The deadline is the start of slot 29, the frame's last.
    let deadline = U256::from(GENESIS + 29 * SPS);
    at(2, 9 * SPS);
    // Exactly at the deadline the data is still processed.
    oracle.sender(a).submit_report_data(tuple(&data), u(1)).motsu_unwrap();
    assert_eq!(oracle.sender(a).get_last_processing_ref_slot(), ref_slot(2));
    // A frame-3 consensus processed one second after its deadline fails.
    let next = w.data(3, 100, eth(3_200), U256::ZERO, 0);
    at(3, 5);
    w.vote(3, &[a, b], next.hash());
    at(3, 9 * SPS + 1);
    let before = books(&w);
    let err = oracle.sender(a).submit_report_data(tuple(&next), u(1)).motsu_unwrap_err();
    let deadline3 = deadline + U256::from(FRAME);
    assert_eq!(err, ProcessingDeadlineMissed { deadline: deadline3 }.into());
    // And in frame 4 too.
    at(4, 1);
    let err = oracle.sender(a).submit_report_data(tuple(&next), u(1)).motsu_unwrap_err();
    assert_eq!(err, ProcessingDeadlineMissed { deadline: deadline3 }.into());
    assert_eq!(books(&w).0, before.0);
}

#[motsu::test]
fn submit_report_data_in_a_later_frame_without_consensus_reverts(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given frame 2 processed; in frame 3 nobody has voted yet.
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    let data = report(&w, eth(3_200), U256::ZERO);
    w.agree_and_submit(2, &[a, b], a, &data).motsu_unwrap();
    at(3, 1);
    let next = w.data(3, 100, eth(3_200), U256::ZERO, 0);
    let err = oracle.sender(a).submit_report_data(tuple(&next), u(1)).motsu_unwrap_err();
    assert_eq!(err, NoConsensusReportToProcess {}.into());
}

#[motsu::test]
fn a_report_beyond_a_sanity_limit_reverts_and_changes_nothing(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    // A 6 % drop.
    let data = report(&w, eth(3_008), U256::ZERO);
    w.vote(2, &[a, b], data.hash());
    let before = books(&w);
    let err = oracle.sender(a).submit_report_data(tuple(&data), u(1)).motsu_unwrap_err();
    assert_eq!(err, IncorrectCLBalanceDecrease { oneOffCLBalanceDecreaseBP: u(600) }.into());
    assert_eq!(books(&w), before);
    assert_eq!(pool.sender(admin).last_report().0, U256::ZERO);
    // Fewer validators than before.
    let fewer = w.data(2, 99, eth(3_168), U256::ZERO, 0);
    w.vote(2, &[a, b], fewer.hash());
    let err = oracle.sender(a).submit_report_data(tuple(&fewer), u(1)).motsu_unwrap_err();
    assert_eq!(err, ReportedLessValidators { reported: u(99), previous: u(100) }.into());
    assert_eq!(books(&w).0, before.0);
}

#[motsu::test]
fn another_programs_revert_data_passes_through_and_changes_nothing(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    let data = report(&w, eth(3_200), U256::ZERO);
    w.vote(2, &[a, b], data.hash());
    let before = books(&w);
    pool.sender(admin).set_fail(true);
    let err = oracle.sender(a).submit_report_data(tuple(&data), u(1)).motsu_unwrap_err();
    assert_eq!(err, Error(b"pool says no".to_vec()));
    assert_eq!(books(&w), before);
    pool.sender(admin).set_fail(false);
    token.sender(admin).set_fail(true);
    let err = oracle.sender(a).submit_report_data(tuple(&data), u(1)).motsu_unwrap_err();
    assert_eq!(err, Error(b"token says no".to_vec()));
    assert_eq!(books(&w), before);
}

#[motsu::test]
fn withdrawal_requests_beyond_the_last_finalized_are_priced_and_finalized(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given 10 ETH buffered, requests 1..=5 finalized, and the queue pricing
    // requests up to 7 at 6 ETH for 5.9 ETH of shares.
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    pool.sender(admin).set_state(u(100), u(100), eth(3_200), eth(10));
    token.sender(admin).set_totals(eth(3_210), eth(3_210));
    queue.sender(admin).set_price(u(5), eth(6), u(59 * ETH / 10));
    let data = w.data(2, 100, eth(3_200), U256::ZERO, 7);
    w.agree_and_submit(2, &[a, b], a, &data).motsu_unwrap();
    // Then the pool is told to finalize up to 7 with 6 ETH, at the post-report rate.
    let (_, _, _, last_id, lock, rate) = pool.sender(admin).last_report();
    assert_eq!((last_id, lock), (u(7), eth(6)));
    assert_eq!(rate, SHARE_RATE_PRECISION);
    // And the token burns the shares and sets P − 6 ETH.
    let (_, _, _, post, burn) = token.sender(admin).last_rebase();
    assert_eq!((post, burn), (eth(3_204), u(59 * ETH / 10)));
    assert_eq!(pool.sender(admin).get_buffered_ether(), eth(4));
    oracle.assert_emitted(&ReportApplied {
        refSlot: ref_slot(2),
        rewardsDistributed: U256::ZERO,
        rewardsDeferred: U256::ZERO,
        clLoss: U256::ZERO,
        sharesMintedAsFees: U256::ZERO,
        lastFinalizedRequestId: u(7),
        etherLocked: eth(6),
        sharesBurnt: u(59 * ETH / 10),
    });
}

#[motsu::test]
fn an_already_finalized_request_id_finalizes_nothing(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    queue.sender(admin).set_price(u(5), eth(6), eth(6));
    let data = w.data(2, 100, eth(3_200), U256::ZERO, 5);
    w.agree_and_submit(2, &[a, b], a, &data).motsu_unwrap();
    let (_, _, _, last_id, lock, _) = pool.sender(admin).last_report();
    assert_eq!((last_id, lock), (U256::ZERO, U256::ZERO));
    assert_eq!(token.sender(admin).last_rebase().4, U256::ZERO);
}

#[motsu::test]
fn finalizing_more_than_the_buffer_and_withdrawals_reverts(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given 1 ETH buffered and 1 ETH in the vault, and a price of 2 ETH + 1 wei.
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    pool.sender(admin).set_state(u(100), u(100), eth(3_200), eth(1));
    token.sender(admin).set_totals(eth(3_201), eth(3_201));
    queue.sender(admin).set_price(U256::ZERO, eth(2) + u(1), eth(2));
    let data = w.data(2, 100, eth(3_200), eth(1), 1);
    w.vote(2, &[a, b], data.hash());
    let before = books(&w);
    let err = oracle.sender(a).submit_report_data(tuple(&data), u(1)).motsu_unwrap_err();
    assert_eq!(
        err,
        EtherToLockExceedsAvailable { etherToLock: eth(2) + u(1), available: eth(2) }.into()
    );
    assert_eq!(books(&w), before);
    // Exactly 2 ETH is fine.
    queue.sender(admin).set_price(U256::ZERO, eth(2), eth(2));
    oracle.sender(a).submit_report_data(tuple(&data), u(1)).motsu_unwrap();
    assert_eq!(pool.sender(admin).get_buffered_ether(), U256::ZERO);
}

#[motsu::test]
fn time_elapsed_spans_every_frame_since_the_last_processed_one(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given frame 2 processed and frames 3 and 4 skipped.
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    w.agree_and_submit(2, &[a, b], a, &report(&w, eth(3_200), U256::ZERO)).motsu_unwrap();
    at(5, 1);
    let data = w.data(5, 100, eth(3_200), U256::ZERO, 0);
    w.agree_and_submit(5, &[a, b], a, &data).motsu_unwrap();
    // Then the report of frame 5 covers three frames.
    let (_, ts, elapsed, _, _) = token.sender(admin).last_rebase();
    assert_eq!(elapsed, U256::from(3 * FRAME));
    assert_eq!(ts, U256::from(GENESIS) + ref_slot(5) * U256::from(SPS));
}

#[motsu::test]
fn rewards_above_the_cap_are_deferred_and_paid_by_the_next_report(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given 3 ETH arriving in the vault (the cap is 2.4 ETH per report).
    let (w, [a, b, _]) = setup(&oracle, &token, &pool, &queue, admin);
    let data = report(&w, eth(3_200), eth(3));
    w.agree_and_submit(2, &[a, b], a, &data).motsu_unwrap();
    // Then 2.4 ETH is collected and distributed, 0.6 ETH stays in the vault.
    assert_eq!(pool.sender(admin).last_report().2, u(24 * ETH / 10));
    oracle.assert_emitted(&ReportApplied {
        refSlot: ref_slot(2),
        rewardsDistributed: u(24 * ETH / 10),
        rewardsDeferred: u(6 * ETH / 10),
        clLoss: U256::ZERO,
        sharesMintedAsFees: token.sender(admin).last_fees().1 + token.sender(admin).last_fees().3,
        lastFinalizedRequestId: U256::ZERO,
        etherLocked: U256::ZERO,
        sharesBurnt: U256::ZERO,
    });
    // When the next frame reports the 0.6 ETH still in the vault.
    at(3, 1);
    let next = w.data(3, 100, eth(3_200), u(6 * ETH / 10), 0);
    w.agree_and_submit(3, &[a, b], a, &next).motsu_unwrap();
    // Then it is collected and distributed: 3 ETH in all.
    assert_eq!(pool.sender(admin).last_report().2, u(6 * ETH / 10));
    assert_eq!(token.sender(admin).get_total_pooled_ether(), eth(3_203));
}

/// A program that answers every call with empty data.
#[storage]
pub(crate) struct Silent {}

unsafe impl TopLevelStorage for Silent {}

#[public]
impl Silent {
    #[fallback]
    pub(crate) fn fallback(&mut self, _calldata: &[u8]) -> stylus_sdk::ArbResult {
        Ok(Vec::new())
    }
}

#[motsu::test]
fn a_program_answering_too_few_words_reverts_external_call_failed(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    silent: Contract<Silent>,
    admin: Address,
) {
    // Given an oracle whose withdrawal queue answers nothing (the token and
    // pool doubles as in the fixture).
    token.sender(admin).set_totals(eth(3_200), eth(3_200));
    pool.sender(admin).set_state(u(100), u(100), eth(3_200), U256::ZERO);
    at(1, 0);
    let fresh = &oracle;
    fresh
        .sender(admin)
        .constructor(
            admin,
            token.address(),
            pool.address(),
            silent.address(),
            U256::from(GENESIS),
            U256::from(SPS),
            U256::from(SPF),
            treasury(),
            operator(),
        )
        .motsu_unwrap();
    let manage = crate::roles::MANAGE_MEMBERS_AND_QUORUM_ROLE;
    fresh.sender(admin).grant_role(manage, admin).motsu_unwrap();
    let m = Address::repeat_byte(1);
    fresh.sender(admin).add_member(m, u(1)).motsu_unwrap();
    at(2, 1);
    let data = ReportData {
        consensus_version: u(1),
        ref_slot: ref_slot(2),
        num_validators: u(100),
        cl_balance_gwei: eth(3_200) / u(1_000_000_000),
        ..ReportData::default()
    };
    fresh.sender(m).submit_report(ref_slot(2), data.hash(), u(1)).motsu_unwrap();
    // When the report is processed, then the queue's empty answer is refused.
    let err = fresh.sender(m).submit_report_data(tuple(&data), u(1)).motsu_unwrap_err();
    assert_eq!(err, staking_common::errors::ExternalCallFailed { target: silent.address() }.into());
    assert_eq!(fresh.sender(m).get_last_processing_ref_slot(), ref_slot(1));
}
