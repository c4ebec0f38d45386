//! Constructor, members, quorum and roles.

use alloy_primitives::{Address, B256, U256};
use motsu::prelude::*;
use staking_common::{
    errors::{AccessControlBadConfirmation, AccessControlUnauthorizedAccount, ZeroAddress},
    events::{RoleGranted, RoleRevoked},
};

use super::*;
use crate::{
    errors::{
        AddressCannotBeZero, DuplicateMember, InvalidChainConfig, NonMember, NumericOverflow,
        QuorumTooSmall, SlotsPerFrameCannotBeZero, TooManyMembers,
    },
    events::{ConsensusVersionSet, FrameConfigSet, MemberAdded, MemberRemoved, QuorumSet},
    roles::{DEFAULT_ADMIN_ROLE, MANAGE_FEE_ROLE, MANAGE_MEMBERS_AND_QUORUM_ROLE},
    MAX_MEMBERS,
};

/// The committee's observable state, to compare before and after a revert.
fn committee(oracle: &Contract<AccountingOracle>) -> (Vec<Address>, Vec<U256>, U256) {
    let (members, slots) = oracle.sender(Address::ZERO).get_members();
    (members, slots, oracle.sender(Address::ZERO).get_quorum())
}

/// Constructor arguments with one of them replaced.
fn construct(
    oracle: &Contract<AccountingOracle>,
    admin: Address,
    addrs: [Address; 6],
    lengths: [U256; 3],
) -> Result<(), crate::Error> {
    at(1, 0);
    oracle.sender(admin).constructor(
        addrs[0], addrs[1], addrs[2], addrs[3], lengths[0], lengths[1], lengths[2], addrs[4],
        addrs[5],
    )
}

fn addresses() -> [Address; 6] {
    [
        Address::repeat_byte(1),
        Address::repeat_byte(2),
        Address::repeat_byte(3),
        Address::repeat_byte(4),
        treasury(),
        operator(),
    ]
}

fn lengths() -> [U256; 3] {
    [U256::from(GENESIS), U256::from(SPS), U256::from(SPF)]
}

#[motsu::test]
fn constructor_sets_programs_frames_limits_fee_and_admin(oracle: Contract<AccountingOracle>) {
    // When deployed in frame 1.
    construct(&oracle, Address::repeat_byte(9), addresses(), lengths()).motsu_unwrap();
    let o = oracle.sender(Address::ZERO);
    // Then the programs, recipients and parameters are stored.
    let a = addresses();
    assert_eq!(o.get_protocol_contracts(), (a[1], a[2], a[3]));
    assert_eq!(o.get_fee_recipients(), (treasury(), operator()));
    assert_eq!(o.get_chain_config(), (U256::from(1), U256::from(SPS), U256::from(GENESIS)));
    assert_eq!(o.get_frame_config(), (U256::ZERO, U256::from(SPF), U256::ZERO));
    // And Lido's defaults: 10 %/year, 5 %, 0.075 %; a 10 % fee, half to operators; version 1.
    assert_eq!(o.get_oracle_report_limits(), (u(1_000), u(500), u(750_000)));
    assert_eq!(o.get_fee(), (u(1_000), u(500)));
    assert_eq!((o.get_consensus_version(), o.get_contract_version()), (u(1), u(1)));
    assert_eq!(o.get_quorum(), U256::ZERO);
    // And the admin holds DEFAULT_ADMIN_ROLE (administering every role).
    assert!(o.has_role(DEFAULT_ADMIN_ROLE, a[0]));
    assert_eq!(o.get_role_admin(MANAGE_FEE_ROLE), DEFAULT_ADMIN_ROLE);
    let deployer = Address::repeat_byte(9);
    oracle.assert_emitted(&RoleGranted {
        role: DEFAULT_ADMIN_ROLE,
        account: a[0],
        sender: deployer,
    });
    oracle.assert_emitted(&FrameConfigSet {
        newInitialEpoch: U256::ZERO,
        newEpochsPerFrame: U256::from(SPF),
    });
    oracle.assert_emitted(&ConsensusVersionSet { version: u(1), prevVersion: U256::ZERO });
}

#[motsu::test]
fn constructor_treats_the_current_frame_as_processed(oracle: Contract<AccountingOracle>) {
    // When deployed in frame 1 (reference slot 9).
    construct(&oracle, Address::repeat_byte(9), addresses(), lengths()).motsu_unwrap();
    // Then slot 9 counts as processed: the first report is frame 2's.
    assert_eq!(oracle.sender(Address::ZERO).get_last_processing_ref_slot(), ref_slot(1));
}

#[motsu::test]
fn constructor_before_the_first_frame_leaves_nothing_processed(oracle: Contract<AccountingOracle>) {
    // Given genesis in the future.
    let mut l = lengths();
    l[0] = U256::from(GENESIS + 10 * FRAME);
    construct(&oracle, Address::repeat_byte(9), addresses(), l).motsu_unwrap();
    // Then no slot is processed yet.
    assert_eq!(oracle.sender(Address::ZERO).get_last_processing_ref_slot(), U256::ZERO);
}

#[motsu::test]
fn constructor_reverts_when_any_address_is_zero(oracle: Contract<AccountingOracle>) {
    for i in 0..6 {
        // Given every address set but one.
        let mut a = addresses();
        a[i] = Address::ZERO;
        // When deployed, then ZeroAddress.
        let err = construct(&oracle, Address::repeat_byte(9), a, lengths()).motsu_unwrap_err();
        assert_eq!(err, ZeroAddress {}.into(), "address {i}");
    }
    // And nothing was stored.
    assert_eq!(
        oracle.sender(Address::ZERO).get_protocol_contracts(),
        (Address::ZERO, Address::ZERO, Address::ZERO)
    );
}

#[motsu::test]
fn constructor_reverts_on_zero_or_oversized_lengths(oracle: Contract<AccountingOracle>) {
    let cases = [
        ([lengths()[0], U256::ZERO, lengths()[2]], InvalidChainConfig {}.into()),
        ([lengths()[0], lengths()[1], U256::ZERO], SlotsPerFrameCannotBeZero {}.into()),
        ([U256::from(u64::MAX) + u(1), lengths()[1], lengths()[2]], NumericOverflow {}.into()),
        ([lengths()[0], U256::from(u32::MAX) + u(1), lengths()[2]], NumericOverflow {}.into()),
        ([lengths()[0], lengths()[1], U256::from(u32::MAX) + u(1)], NumericOverflow {}.into()),
    ];
    for (l, expected) in cases {
        let err: crate::Error =
            construct(&oracle, Address::repeat_byte(9), addresses(), l).motsu_unwrap_err();
        assert_eq!(err, expected);
    }
    assert_eq!(oracle.sender(Address::ZERO).get_chain_config().1, U256::ZERO);
}

#[motsu::test]
fn constructor_accepts_the_largest_lengths(oracle: Contract<AccountingOracle>) {
    let l = [U256::from(GENESIS), U256::from(u32::MAX), U256::from(u32::MAX)];
    construct(&oracle, Address::repeat_byte(9), addresses(), l).motsu_unwrap();
    let cfg = oracle.sender(Address::ZERO).get_frame_config();
    assert_eq!(cfg.1, U256::from(u32::MAX));
}

#[motsu::test]
fn add_member_adds_and_emits_member_added_and_quorum_set(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    // Given a deployed oracle without members.
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    // When alice is added with quorum 1.
    w.oracle.sender(admin).add_member(alice, u(1)).motsu_unwrap();
    // Then she is a member with no report yet.
    assert!(w.oracle.sender(admin).get_is_member(alice));
    assert_eq!(committee(&oracle), (vec![alice], vec![U256::ZERO], u(1)));
    oracle.assert_emitted(&MemberAdded { addr: alice, newTotalMembers: u(1), newQuorum: u(1) });
    oracle.assert_emitted(&QuorumSet {
        newQuorum: u(1),
        totalMembers: u(1),
        prevQuorum: U256::ZERO,
    });
}

#[motsu::test]
fn add_member_reverts_when_the_quorum_is_half_the_members_or_less(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given three members with quorum 2.
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    let m: Vec<Address> = (1..=3).map(Address::repeat_byte).collect();
    w.members(&m, 2);
    let before = committee(&oracle);
    // When a fourth is added with quorum 2 (= 4 / 2), then QuorumTooSmall(3, 2).
    let err = oracle.sender(admin).add_member(Address::repeat_byte(4), u(2)).motsu_unwrap_err();
    assert_eq!(err, QuorumTooSmall { minQuorum: u(3), receivedQuorum: u(2) }.into());
    assert_eq!(committee(&oracle), before);
    // And with quorum 3 (more than half) it passes.
    oracle.sender(admin).add_member(Address::repeat_byte(4), u(3)).motsu_unwrap();
    assert_eq!(oracle.sender(admin).get_quorum(), u(3));
}

#[motsu::test]
fn add_member_accepts_a_quorum_above_the_member_count(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    // A quorum nobody can reach halts consensus (Lido allows it on purpose).
    w.oracle.sender(admin).add_member(alice, u(5)).motsu_unwrap();
    assert_eq!(oracle.sender(admin).get_quorum(), u(5));
}

#[motsu::test]
fn add_member_reverts_on_a_duplicate_a_zero_address_and_an_overflowing_quorum(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    w.oracle.sender(admin).add_member(alice, u(1)).motsu_unwrap();
    let before = committee(&oracle);
    let err = oracle.sender(admin).add_member(alice, u(1)).motsu_unwrap_err();
    assert_eq!(err, DuplicateMember {}.into());
    let err = oracle.sender(admin).add_member(Address::ZERO, u(2)).motsu_unwrap_err();
    assert_eq!(err, AddressCannotBeZero {}.into());
    let too_big = U256::from(u32::MAX) + u(1);
    let err = oracle.sender(admin).add_member(Address::repeat_byte(5), too_big).motsu_unwrap_err();
    assert_eq!(err, NumericOverflow {}.into());
    assert_eq!(committee(&oracle), before);
}

#[motsu::test]
fn add_member_reverts_beyond_the_maximum_committee(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given a full committee of 32.
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    let m: Vec<Address> = (1..=MAX_MEMBERS as u8).map(Address::repeat_byte).collect();
    w.members(&m, 17);
    assert_eq!(committee(&oracle).0.len(), MAX_MEMBERS);
    // When a 33rd is added, then TooManyMembers(32).
    let err = oracle.sender(admin).add_member(Address::repeat_byte(0xee), u(17)).motsu_unwrap_err();
    assert_eq!(err, TooManyMembers { maxMembers: u(32) }.into());
    assert_eq!(committee(&oracle).0.len(), MAX_MEMBERS);
}

#[motsu::test]
fn add_member_reverts_without_the_role(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    let err = oracle.sender(alice).add_member(alice, u(1)).motsu_unwrap_err();
    let expected = AccessControlUnauthorizedAccount {
        account: alice,
        neededRole: MANAGE_MEMBERS_AND_QUORUM_ROLE,
    };
    assert_eq!(err, expected.into());
    assert!(!oracle.sender(alice).get_is_member(alice));
}

#[motsu::test]
fn remove_member_moves_the_last_member_into_its_place(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given members a, b, c (quorum 2).
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    let [a, b, c] = [1, 2, 3].map(Address::repeat_byte);
    w.members(&[a, b, c], 2);
    // When a is removed (quorum stays 2).
    oracle.sender(admin).remove_member(a, u(2)).motsu_unwrap();
    // Then c takes a's place, and c can still be removed cleanly.
    assert_eq!(committee(&oracle).0, vec![c, b]);
    assert!(!oracle.sender(admin).get_is_member(a));
    oracle.assert_emitted(&MemberRemoved { addr: a, newTotalMembers: u(2), newQuorum: u(2) });
    oracle.sender(admin).remove_member(c, u(1)).motsu_unwrap();
    assert_eq!(committee(&oracle), (vec![b], vec![U256::ZERO], u(1)));
    oracle.assert_emitted(&QuorumSet { newQuorum: u(1), totalMembers: u(1), prevQuorum: u(2) });
}

#[motsu::test]
fn remove_member_reverts_for_a_non_member_and_a_too_small_quorum(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    let [a, b, c] = [1, 2, 3].map(Address::repeat_byte);
    w.members(&[a, b, c], 2);
    let before = committee(&oracle);
    let err = oracle.sender(admin).remove_member(Address::repeat_byte(9), u(2)).motsu_unwrap_err();
    assert_eq!(err, NonMember {}.into());
    // Two members left need a quorum of 2.
    let err = oracle.sender(admin).remove_member(a, u(1)).motsu_unwrap_err();
    assert_eq!(err, QuorumTooSmall { minQuorum: u(2), receivedQuorum: u(1) }.into());
    let err = oracle.sender(b).remove_member(a, u(2)).motsu_unwrap_err();
    let expected =
        AccessControlUnauthorizedAccount { account: b, neededRole: MANAGE_MEMBERS_AND_QUORUM_ROLE };
    assert_eq!(err, expected.into());
    assert_eq!(committee(&oracle), before);
}

#[motsu::test]
fn set_quorum_emits_only_when_it_changes(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    w.members(&[1, 2, 3].map(Address::repeat_byte), 2);
    let events = oracle.all_events().len();
    oracle.sender(admin).set_quorum(u(2)).motsu_unwrap();
    assert_eq!(oracle.all_events().len(), events);
    oracle.sender(admin).set_quorum(u(3)).motsu_unwrap();
    oracle.assert_emitted(&QuorumSet { newQuorum: u(3), totalMembers: u(3), prevQuorum: u(2) });
    assert_eq!(oracle.sender(admin).get_quorum(), u(3));
}

#[motsu::test]
fn set_quorum_reverts_at_half_the_members_on_overflow_and_without_the_role(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    w.members(&[1, 2, 3, 4].map(Address::repeat_byte), 3);
    let err = oracle.sender(admin).set_quorum(u(2)).motsu_unwrap_err();
    assert_eq!(err, QuorumTooSmall { minQuorum: u(3), receivedQuorum: u(2) }.into());
    let err = oracle.sender(admin).set_quorum(U256::MAX).motsu_unwrap_err();
    assert_eq!(err, NumericOverflow {}.into());
    let err = oracle.sender(alice).set_quorum(u(4)).motsu_unwrap_err();
    let expected = AccessControlUnauthorizedAccount {
        account: alice,
        neededRole: MANAGE_MEMBERS_AND_QUORUM_ROLE,
    };
    assert_eq!(err, expected.into());
    assert_eq!(oracle.sender(admin).get_quorum(), u(3));
    // The largest storable quorum is accepted.
    oracle.sender(admin).set_quorum(U256::from(u32::MAX)).motsu_unwrap();
    assert_eq!(oracle.sender(admin).get_quorum(), U256::from(u32::MAX));
}

#[motsu::test]
fn set_quorum_with_no_members_needs_at_least_one(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    let err = oracle.sender(admin).set_quorum(U256::ZERO).motsu_unwrap_err();
    assert_eq!(err, QuorumTooSmall { minQuorum: u(1), receivedQuorum: U256::ZERO }.into());
}

#[motsu::test]
fn grant_and_revoke_role_need_the_admin_and_emit(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    // A non-admin cannot grant.
    let err = oracle.sender(alice).grant_role(MANAGE_FEE_ROLE, alice).motsu_unwrap_err();
    let expected = AccessControlUnauthorizedAccount { account: alice, neededRole: B256::ZERO };
    assert_eq!(err, expected.clone().into());
    assert!(!oracle.sender(alice).has_role(MANAGE_FEE_ROLE, alice));
    // The admin grants, then revokes.
    oracle.sender(admin).grant_role(MANAGE_FEE_ROLE, alice).motsu_unwrap();
    assert!(oracle.sender(alice).has_role(MANAGE_FEE_ROLE, alice));
    oracle.assert_emitted(&RoleGranted { role: MANAGE_FEE_ROLE, account: alice, sender: admin });
    let err = oracle.sender(alice).revoke_role(MANAGE_FEE_ROLE, alice).motsu_unwrap_err();
    assert_eq!(err, expected.into());
    oracle.sender(admin).revoke_role(MANAGE_FEE_ROLE, alice).motsu_unwrap();
    assert!(!oracle.sender(alice).has_role(MANAGE_FEE_ROLE, alice));
    oracle.assert_emitted(&RoleRevoked { role: MANAGE_FEE_ROLE, account: alice, sender: admin });
}

#[motsu::test]
fn renounce_role_only_for_oneself(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    oracle.sender(admin).grant_role(MANAGE_FEE_ROLE, alice).motsu_unwrap();
    let err = oracle.sender(admin).renounce_role(MANAGE_FEE_ROLE, alice).motsu_unwrap_err();
    assert_eq!(err, AccessControlBadConfirmation {}.into());
    assert!(oracle.sender(alice).has_role(MANAGE_FEE_ROLE, alice));
    oracle.sender(alice).renounce_role(MANAGE_FEE_ROLE, alice).motsu_unwrap();
    assert!(!oracle.sender(alice).has_role(MANAGE_FEE_ROLE, alice));
    oracle.assert_emitted(&RoleRevoked { role: MANAGE_FEE_ROLE, account: alice, sender: alice });
}
