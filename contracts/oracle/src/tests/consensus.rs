//! Frames, votes and consensus.

use alloy_primitives::{Address, B256, U256};
use motsu::prelude::*;
use staking_common::errors::AccessControlUnauthorizedAccount;

use super::*;
use crate::{
    errors::{
        ConsensusReportAlreadyProcessing, DuplicateReport, EmptyReport, InitialEpochIsYetToArrive,
        InvalidSlot, NonMember, NumericOverflow, SlotsPerFrameCannotBeZero,
        UnexpectedConsensusVersion,
    },
    events::{
        ConsensusLost, ConsensusReached, FrameConfigSet, ReportReceived, WarnProcessingMissed,
    },
    roles::MANAGE_FRAME_CONFIG_ROLE,
};

type Variants = (Vec<B256>, Vec<U256>);

/// Votes, consensus and members, to compare before and after a revert.
fn votes(oracle: &Contract<AccountingOracle>) -> (Variants, (U256, B256, bool), Vec<U256>) {
    let o = oracle.sender(Address::ZERO);
    (o.get_report_variants().unwrap(), o.get_consensus_state().unwrap(), o.get_members().1)
}

fn three<'a>(
    oracle: &'a Contract<AccountingOracle>,
    token: &'a Contract<MockToken>,
    pool: &'a Contract<MockPool>,
    queue: &'a Contract<MockQueue>,
    admin: Address,
) -> (World<'a>, [Address; 3]) {
    let w = deploy(oracle, token, pool, queue, admin);
    let m = [1, 2, 3].map(Address::repeat_byte);
    w.members(&m, 2);
    at(2, 1);
    (w, m)
}

#[motsu::test]
fn get_current_frame_gives_the_reference_and_deadline_slots(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    // Frame 2 is slots 20..=29: reference slot 19, deadline slot 29.
    at(2, 0);
    assert_eq!(oracle.sender(admin).get_current_frame(), Ok((ref_slot(2), u(29))));
    at(2, FRAME - 1);
    assert_eq!(oracle.sender(admin).get_current_frame(), Ok((ref_slot(2), u(29))));
    at(3, 0);
    assert_eq!(oracle.sender(admin).get_current_frame(), Ok((ref_slot(3), u(39))));
}

#[motsu::test]
fn views_revert_before_the_first_frame(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    // Frame 0 would refer to slot −1.
    at(0, 5);
    let expected: crate::Error = InitialEpochIsYetToArrive {}.into();
    assert_eq!(oracle.sender(admin).get_current_frame(), Err(expected.clone()));
    assert_eq!(oracle.sender(admin).get_consensus_state(), Err(expected.clone()));
    assert_eq!(oracle.sender(admin).get_report_variants(), Err(expected.clone()));
    assert!(oracle.sender(admin).get_consensus_state_for_member(admin).is_err());
}

#[motsu::test]
fn submit_report_records_the_vote_and_emits_report_received(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, ..]) = three(&oracle, &token, &pool, &queue, admin);
    // When a votes h1 for reference slot 19.
    w.vote(2, &[a], hash(1));
    // Then h1 has one vote and a's last report is slot 19; no consensus yet.
    let (variants, state, slots) = votes(&oracle);
    assert_eq!(variants, (vec![hash(1)], vec![u(1)]));
    assert_eq!(state, (ref_slot(2), B256::ZERO, false));
    assert_eq!(slots[0], ref_slot(2));
    oracle.assert_emitted(&ReportReceived { refSlot: ref_slot(2), member: a, report: hash(1) });
    assert!(!oracle.emitted(&ConsensusReached {
        refSlot: ref_slot(2),
        report: hash(1),
        support: u(1)
    }));
}

#[motsu::test]
fn submit_report_reverts_for_non_members_wrong_slots_empty_hashes_and_versions(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = three(&oracle, &token, &pool, &queue, admin);
    w.vote(2, &[b], hash(1));
    let before = votes(&oracle);
    let o = |s: Address| oracle.sender(s);
    let v1 = U256::from(1);
    let err = o(admin).submit_report(ref_slot(2), hash(1), v1).motsu_unwrap_err();
    assert_eq!(err, NonMember {}.into());
    // A past frame's slot, a future frame's slot, a slot inside the frame.
    for slot in [ref_slot(1), ref_slot(3), ref_slot(2) + u(1)] {
        let err = o(a).submit_report(slot, hash(1), v1).motsu_unwrap_err();
        assert_eq!(err, InvalidSlot {}.into());
    }
    let err = o(a).submit_report(ref_slot(2), B256::ZERO, v1).motsu_unwrap_err();
    assert_eq!(err, EmptyReport {}.into());
    let err = o(a).submit_report(ref_slot(2), hash(1), u(2)).motsu_unwrap_err();
    let expected = UnexpectedConsensusVersion { expectedVersion: v1, receivedVersion: u(2) };
    assert_eq!(err, expected.into());
    assert_eq!(votes(&oracle), before);
}

#[motsu::test]
fn submit_report_reverts_before_the_first_frame_and_for_the_processed_frame(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (_w, [a, ..]) = three(&oracle, &token, &pool, &queue, admin);
    at(0, 1);
    let err = oracle.sender(a).submit_report(U256::ZERO, hash(1), u(1)).motsu_unwrap_err();
    assert_eq!(err, InitialEpochIsYetToArrive {}.into());
    // Frame 1's reference slot was marked processed at deployment.
    at(1, 30);
    let err = oracle.sender(a).submit_report(ref_slot(1), hash(1), u(1)).motsu_unwrap_err();
    assert_eq!(err, ConsensusReportAlreadyProcessing {}.into());
    assert_eq!(oracle.sender(a).get_members().1[0], U256::ZERO);
}

#[motsu::test]
fn submit_report_reverts_when_the_same_vote_is_sent_again(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, ..]) = three(&oracle, &token, &pool, &queue, admin);
    w.vote(2, &[a], hash(1));
    let before = votes(&oracle);
    let err = oracle.sender(a).submit_report(ref_slot(2), hash(1), u(1)).motsu_unwrap_err();
    assert_eq!(err, DuplicateReport {}.into());
    assert_eq!(votes(&oracle), before);
}

#[motsu::test]
fn a_member_may_change_its_vote_and_the_support_moves(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = three(&oracle, &token, &pool, &queue, admin);
    w.vote(2, &[a, b], hash(1));
    // Given h1 agreed by a and b (quorum 2). When b changes to h2.
    w.vote(2, &[b], hash(2));
    // Then h1 keeps one vote, h2 has one; consensus is lost.
    let (variants, state, _) = votes(&oracle);
    assert_eq!(variants, (vec![hash(1), hash(2)], vec![u(1), u(1)]));
    assert_eq!(state.1, B256::ZERO);
    oracle.assert_emitted(&ConsensusLost { refSlot: ref_slot(2) });
    let member = oracle.sender(b).get_consensus_state_for_member(b).unwrap();
    assert_eq!(member.6, hash(2));
}

#[motsu::test]
fn consensus_is_reached_once_by_the_first_hash_with_a_quorum(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, c]) = three(&oracle, &token, &pool, &queue, admin);
    w.vote(2, &[a, b], hash(7));
    let reached = ConsensusReached { refSlot: ref_slot(2), report: hash(7), support: u(2) };
    oracle.assert_emitted(&reached);
    assert_eq!(votes(&oracle).1, (ref_slot(2), hash(7), false));
    // A third vote for it does not announce it again.
    let events = oracle.all_events().len();
    w.vote(2, &[c], hash(7));
    assert_eq!(oracle.all_events().len(), events + 1);
    assert_eq!(votes(&oracle).0, (vec![hash(7)], vec![u(3)]));
}

#[motsu::test]
fn a_lone_member_changing_its_vote_moves_the_consensus(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    // Given one member, quorum 1, who agreed on h1 alone.
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    w.members(&[alice], 1);
    at(2, 1);
    w.vote(2, &[alice], hash(1));
    // When she votes h2 (reusing h1's now empty variant slot).
    w.vote(2, &[alice], hash(2));
    // Then h2 is the consensus (Lido: reached again, no ConsensusLost).
    oracle.assert_emitted(&ConsensusReached {
        refSlot: ref_slot(2),
        report: hash(2),
        support: u(1),
    });
    assert!(!oracle.emitted(&ConsensusLost { refSlot: ref_slot(2) }));
    assert_eq!(votes(&oracle).0, (vec![hash(2)], vec![u(1)]));
    assert_eq!(votes(&oracle).1 .1, hash(2));
}

#[motsu::test]
fn removing_a_member_withdraws_its_vote_and_may_lose_the_consensus(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given a, b agreed on h1 among a, b, c, d (quorum 3 of 4) after a quorum drop.
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    let m = [1, 2, 3, 4].map(Address::repeat_byte);
    w.members(&m, 3);
    at(2, 1);
    w.vote(2, &m[..3], hash(1));
    assert_eq!(votes(&oracle).1 .1, hash(1));
    // When a is removed (quorum 2 of 3), b and c still agree: consensus stays.
    oracle.sender(admin).remove_member(m[0], u(2)).motsu_unwrap();
    assert_eq!(votes(&oracle).0, (vec![hash(1)], vec![u(2)]));
    assert_eq!(votes(&oracle).1 .1, hash(1));
    // When b is removed too (quorum 2 of 2), only c's vote is left: lost.
    oracle.sender(admin).remove_member(m[1], u(2)).motsu_unwrap();
    assert_eq!(votes(&oracle).0, (vec![hash(1)], vec![u(1)]));
    assert_eq!(votes(&oracle).1 .1, B256::ZERO);
    oracle.assert_emitted(&ConsensusLost { refSlot: ref_slot(2) });
}

#[motsu::test]
fn lowering_the_quorum_can_reach_consensus_and_raising_it_can_lose_it(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    let m = [1, 2, 3, 4].map(Address::repeat_byte);
    w.members(&m, 4);
    at(2, 1);
    w.vote(2, &m[..3], hash(5));
    assert_eq!(votes(&oracle).1 .1, B256::ZERO);
    oracle.sender(admin).set_quorum(u(3)).motsu_unwrap();
    oracle.assert_emitted(&ConsensusReached {
        refSlot: ref_slot(2),
        report: hash(5),
        support: u(3),
    });
    assert_eq!(votes(&oracle).1 .1, hash(5));
    oracle.sender(admin).set_quorum(u(4)).motsu_unwrap();
    oracle.assert_emitted(&ConsensusLost { refSlot: ref_slot(2) });
    assert_eq!(votes(&oracle).1 .1, B256::ZERO);
}

#[motsu::test]
fn a_new_frame_starts_with_no_variants_and_warns_about_a_missed_report(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, _]) = three(&oracle, &token, &pool, &queue, admin);
    w.vote(2, &[a, b], hash(1));
    // When frame 3 starts, nothing is voted yet.
    at(3, 1);
    assert_eq!(votes(&oracle).0, (vec![], vec![]));
    assert_eq!(votes(&oracle).1, (ref_slot(3), B256::ZERO, false));
    // The first vote of frame 3 notes that frame 2's agreed report was never processed.
    w.vote(3, &[a], hash(2));
    oracle.assert_emitted(&WarnProcessingMissed { refSlot: ref_slot(2) });
    assert_eq!(votes(&oracle).0, (vec![hash(2)], vec![u(1)]));
    // And a's vote in frame 2 does not count as a vote change in frame 3.
    let member = oracle.sender(a).get_consensus_state_for_member(a).unwrap();
    assert_eq!((member.5, member.6), (ref_slot(3), hash(2)));
}

#[motsu::test]
fn get_consensus_state_for_member_reports_lidos_tuple(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let (w, [a, b, c]) = three(&oracle, &token, &pool, &queue, admin);
    w.vote(2, &[a, b], hash(4));
    let o = oracle.sender(admin);
    assert_eq!(
        o.get_consensus_state_for_member(a).unwrap(),
        (ref_slot(2), hash(4), true, true, true, ref_slot(2), hash(4))
    );
    assert_eq!(
        o.get_consensus_state_for_member(c).unwrap(),
        (ref_slot(2), hash(4), true, true, true, U256::ZERO, B256::ZERO)
    );
    assert_eq!(
        o.get_consensus_state_for_member(admin).unwrap(),
        (ref_slot(2), hash(4), false, false, false, U256::ZERO, B256::ZERO)
    );
}

#[motsu::test]
fn variants_never_outnumber_the_members(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given three members who keep changing their votes to new hashes.
    let (w, m) = three(&oracle, &token, &pool, &queue, admin);
    for round in 0..40u8 {
        let voter = m[usize::from(round % 3)];
        w.vote(2, &[voter], hash(round + 10));
        // Then at most three variants are live, and the supports add up to the voters.
        let (variants, support) = votes(&oracle).0;
        assert!(variants.len() <= 3);
        let total: U256 = support.iter().sum();
        assert_eq!(total, U256::from(u64::from(round.min(2)) + 1));
    }
}

#[motsu::test]
fn set_frame_config_keeps_the_current_frame_start_and_moves_its_deadline(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    // In frame 2 (slots 20..=29), at slot 23, frames become 30 slots.
    at(2, 3 * SPS + 1);
    oracle.sender(admin).set_frame_config(u(30)).motsu_unwrap();
    oracle.assert_emitted(&FrameConfigSet { newInitialEpoch: u(20), newEpochsPerFrame: u(30) });
    assert_eq!(oracle.sender(admin).get_frame_config(), (u(20), u(30), U256::ZERO));
    // The reference slot stays 19; the deadline moves to slot 49.
    assert_eq!(oracle.sender(admin).get_current_frame(), Ok((ref_slot(2), u(49))));
    // The next frame starts at slot 50.
    crate::test_clock::set(GENESIS + 50 * SPS);
    assert_eq!(oracle.sender(admin).get_current_frame(), Ok((u(49), u(79))));
}

#[motsu::test]
fn set_frame_config_reverts_on_zero_overflow_and_without_the_role(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    at(2, 0);
    let before = oracle.sender(admin).get_frame_config();
    let err = oracle.sender(admin).set_frame_config(U256::ZERO).motsu_unwrap_err();
    assert_eq!(err, SlotsPerFrameCannotBeZero {}.into());
    let err = oracle.sender(admin).set_frame_config(U256::from(u32::MAX) + u(1)).motsu_unwrap_err();
    assert_eq!(err, NumericOverflow {}.into());
    let err = oracle.sender(alice).set_frame_config(u(5)).motsu_unwrap_err();
    let expected =
        AccessControlUnauthorizedAccount { account: alice, neededRole: MANAGE_FRAME_CONFIG_ROLE };
    assert_eq!(err, expected.into());
    assert_eq!(oracle.sender(admin).get_frame_config(), before);
}

#[motsu::test]
fn set_frame_config_before_genesis_keeps_the_initial_slot(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    crate::test_clock::set(GENESIS - 1);
    oracle.sender(admin).set_frame_config(u(7)).motsu_unwrap();
    assert_eq!(oracle.sender(admin).get_frame_config(), (U256::ZERO, u(7), U256::ZERO));
}
