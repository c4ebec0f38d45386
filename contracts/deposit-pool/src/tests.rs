//! Unit tests (motsu) and properties (proptest) of the deposit pool.
//!
//! Every revert is checked with `motsu_unwrap_err()` (which rolls the state
//! back as a real revert would) and followed by a [`Snapshot`] comparison:
//! buffer, limit word, keys, beacon state, flags, configuration, and the
//! ether balances of the pool, the token and the caller are unchanged.
//!
//! Time: motsu's `block_timestamp` is a constant, so the pool reads the
//! thread-local clock below when a test sets it ([`set_time`]).
#![allow(clippy::too_many_lines, clippy::unreadable_literal, clippy::too_many_arguments)]

use core::cell::Cell;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolError;
use motsu::prelude::*;
use proptest::prelude::*;
use staking_common::{
    errors::{
        AccessControlBadConfirmation, AccessControlUnauthorizedAccount, AlreadyInitialized,
        AmountTooLarge, ContractNotStopped, ContractStopped, ExternalCallFailed, NotInitialized,
        TotalOverflow, Unauthorized, ZeroAddress, ZeroAmount,
    },
    events::{ETHDistributed, Resumed, RoleGranted, RoleRevoked, Stopped, Submitted},
    roles::{
        DEFAULT_ADMIN_ROLE, PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE, STAKING_PAUSE_ROLE,
    },
    DEPOSIT_SIZE, INITIAL_TOKEN_HOLDER,
};

use crate::{
    calls::{DEPOSIT, FINALIZE, MINT_SHARES, UNFINALIZED_STETH},
    deposit_data::deposit_data_root,
    mocks::{
        rejected, ssz_deposit_data_root, MockBeaconDeposit, MockRebaseToken, MockWithdrawalQueue,
        RawCaller, SilentQueue,
    },
    *,
};

thread_local! {
    static NOW: Cell<Option<u64>> = const { Cell::new(None) };
}

/// The timestamp the program sees in this test thread, if a test set one.
pub(crate) fn clock() -> Option<u64> {
    NOW.with(Cell::get)
}

/// Sets the block timestamp the pool sees (this test thread only).
fn set_time(now: u64) {
    NOW.with(|c| c.set(Some(now)));
}

const T0: u64 = 1_750_000_000;

/// The ether balance of an account (motsu's `Balance` covers contracts only).
fn balance_of(account: Address) -> U256 {
    #[allow(deprecated)]
    stylus_sdk::types::AddressVM::balance(&account)
}

fn eth(n: u64) -> U256 {
    U256::from(n) * U256::from(1_000_000_000_000_000_000_u64)
}

/// A distinct, non-zero 48-byte pubkey and 96-byte signature for key `i`.
fn key(i: u8) -> ([u8; 48], [u8; 96]) {
    let mut pubkey = [0u8; 48];
    let mut signature = [0u8; 96];
    for (j, b) in pubkey.iter_mut().enumerate() {
        *b = i.wrapping_mul(31).wrapping_add(j as u8).wrapping_add(1);
    }
    for (j, b) in signature.iter_mut().enumerate() {
        *b = i.wrapping_mul(17).wrapping_add(j as u8).wrapping_add(7);
    }
    (pubkey, signature)
}

/// `count` keys starting at `first`, concatenated as `addSigningKeys` takes them.
pub(crate) fn keys(first: u8, count: u8) -> (Vec<u8>, Vec<u8>) {
    let (mut pubkeys, mut signatures) = (Vec::new(), Vec::new());
    for i in first..first + count {
        let (p, s) = key(i);
        pubkeys.extend_from_slice(&p);
        signatures.extend_from_slice(&s);
    }
    (pubkeys, signatures)
}

/// Everything a revert must leave unchanged.
#[derive(Debug, PartialEq)]
struct Snapshot {
    buffered: U256,
    total_pooled: U256,
    beacon_stat: (U256, U256, U256),
    limit: (bool, bool, U256, U256, U256, U256, U256),
    stopped: bool,
    total_keys: U256,
    first_key: Option<(Vec<u8>, Vec<u8>, bool)>,
    credentials: B256,
    oracle: Address,
    queue: Address,
    beacon: Address,
    pool_balance: U256,
    token_balance: U256,
    token_total: U256,
    token_shares: U256,
    caller_balance: U256,
}

fn snapshot(
    pool: &Contract<DepositPool>,
    token: &Contract<MockRebaseToken>,
    caller: Address,
) -> Snapshot {
    let viewer = Address::repeat_byte(0x77);
    let p = pool.sender(viewer);
    Snapshot {
        buffered: p.get_buffered_ether(),
        total_pooled: p.get_total_pooled_ether(),
        beacon_stat: p.get_beacon_stat(),
        limit: p.get_stake_limit_full_info(),
        stopped: p.is_stopped(),
        total_keys: p.get_total_signing_keys(),
        first_key: p.get_signing_key(U256::ZERO).ok().map(key_parts),
        credentials: p.get_withdrawal_credentials(),
        oracle: p.get_oracle(),
        queue: p.get_withdrawal_queue(),
        beacon: p.get_beacon_deposit_contract(),
        pool_balance: pool.balance(),
        token_balance: token.balance(),
        token_total: token.sender(viewer).get_total_pooled_ether(),
        token_shares: token.sender(viewer).get_total_shares(),
        caller_balance: balance_of(caller),
    }
}

/// Deploys the pool for `token` with `admin` as governance (not initialized).
fn deploy(pool: &Contract<DepositPool>, token: &Contract<MockRebaseToken>, admin: Address) {
    pool.sender(admin).constructor(admin, token.address()).motsu_unwrap();
    token.sender(admin).init(pool.address());
}

/// Deploys, grants every role to `admin`, bootstraps with 1 ETH and resumes.
fn bootstrap(pool: &Contract<DepositPool>, token: &Contract<MockRebaseToken>, admin: Address) {
    deploy(pool, token, admin);
    for role in [
        PAUSE_ROLE,
        RESUME_ROLE,
        STAKING_PAUSE_ROLE,
        STAKING_CONTROL_ROLE,
        MANAGE_SIGNING_KEYS,
        DEPOSIT_ROLE,
    ] {
        pool.sender(admin).grant_role(role, admin).motsu_unwrap();
    }
    admin.fund(eth(1));
    pool.sender_and_value(admin, eth(1)).initialize().motsu_unwrap();
    pool.sender(admin).resume().motsu_unwrap();
}

/// Bootstrap plus beacon deposit contract, credentials and `n` keys.
fn ready_to_deposit(
    pool: &Contract<DepositPool>,
    token: &Contract<MockRebaseToken>,
    beacon: &Contract<MockBeaconDeposit>,
    admin: Address,
    n: u8,
) {
    bootstrap(pool, token, admin);
    pool.sender(admin).set_beacon_deposit_contract(beacon.address()).motsu_unwrap();
    let wc = own_credentials(pool);
    pool.sender(admin).set_withdrawal_credentials(wc).motsu_unwrap();
    let (pubkeys, signatures) = keys(0, n);
    pool.sender(admin)
        .add_signing_keys(U256::from(n), pubkeys.into(), signatures.into())
        .motsu_unwrap();
}

fn own_credentials(pool: &Contract<DepositPool>) -> B256 {
    let mut wc = B256::left_padding_from(pool.address().as_slice());
    wc[0] = 0x01;
    wc
}

/// `alice` stakes `amount` through `submit`.
fn stake(pool: &Contract<DepositPool>, alice: Address, amount: U256) -> U256 {
    alice.fund(amount);
    pool.sender_and_value(alice, amount).submit(Address::ZERO).motsu_unwrap()
}

fn unauthorized(account: Address, role: B256) -> Error {
    AccessControlUnauthorizedAccount { account, neededRole: role }.into()
}

// ---- constructor -------------------------------------------------------------------

#[motsu::test]
fn constructor_grants_admin_and_starts_stopped(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    // Given/when: the pool is deployed.
    pool.sender(admin).constructor(admin, token.address()).motsu_unwrap();
    // Then admin holds DEFAULT_ADMIN_ROLE, the token is stored, and the pool is
    // stopped with staking paused and unlimited.
    let p = pool.sender(admin);
    assert!(p.has_role(DEFAULT_ADMIN_ROLE, admin));
    assert_eq!(p.get_rebase_token(), token.address());
    assert!(p.is_stopped());
    assert!(!p.can_deposit());
    assert!(p.is_staking_paused());
    assert_eq!(p.get_current_stake_limit(), U256::ZERO);
    assert_eq!(p.get_buffered_ether(), U256::ZERO);
    pool.assert_emitted(&RoleGranted { role: DEFAULT_ADMIN_ROLE, account: admin, sender: admin });
}

#[motsu::test]
fn constructor_reverts_when_admin_is_zero(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    let err = pool.sender(admin).constructor(Address::ZERO, token.address()).motsu_unwrap_err();
    assert_eq!(err, ZeroAddress {}.into());
    assert_eq!(pool.sender(admin).get_rebase_token(), Address::ZERO);
    assert!(!pool.sender(admin).has_role(DEFAULT_ADMIN_ROLE, Address::ZERO));
}

#[motsu::test]
fn constructor_reverts_when_token_is_zero(pool: Contract<DepositPool>, admin: Address) {
    let err = pool.sender(admin).constructor(admin, Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, ZeroAddress {}.into());
    assert!(!pool.sender(admin).has_role(DEFAULT_ADMIN_ROLE, admin));
}

// ---- initialize ----------------------------------------------------------------------

#[motsu::test]
fn initialize_buffers_the_seed_and_mints_dead_shares(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    // Given a deployed pool.
    deploy(&pool, &token, admin);
    admin.fund(eth(2));
    // When governance bootstraps it with 2 ETH.
    pool.sender_and_value(admin, eth(2)).initialize().motsu_unwrap();
    // Then the seed is buffered and minted 1:1 to 0xdead, and Submitted names 0xdead.
    assert_eq!(pool.sender(admin).get_buffered_ether(), eth(2));
    assert_eq!(pool.balance(), eth(2));
    assert_eq!(token.sender(admin).shares_of(INITIAL_TOKEN_HOLDER), eth(2));
    assert_eq!(token.sender(admin).get_total_pooled_ether(), eth(2));
    assert_eq!(pool.sender(admin).get_total_pooled_ether(), eth(2));
    pool.assert_emitted(&Submitted {
        sender: INITIAL_TOKEN_HOLDER,
        amount: eth(2),
        referral: Address::ZERO,
    });
    // And the pool stays stopped.
    assert!(pool.sender(admin).is_stopped());
}

#[motsu::test]
fn initialize_reverts_when_called_twice(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    deploy(&pool, &token, admin);
    admin.fund(eth(2));
    pool.sender_and_value(admin, eth(1)).initialize().motsu_unwrap();
    let before = snapshot(&pool, &token, admin);
    let err = pool.sender_and_value(admin, eth(1)).initialize().motsu_unwrap_err();
    assert_eq!(err, AlreadyInitialized {}.into());
    assert_eq!(snapshot(&pool, &token, admin), before);
}

#[motsu::test]
fn initialize_reverts_when_seed_is_zero(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    deploy(&pool, &token, admin);
    let before = snapshot(&pool, &token, admin);
    let err = pool.sender(admin).initialize().motsu_unwrap_err();
    assert_eq!(err, ZeroAmount {}.into());
    assert_eq!(snapshot(&pool, &token, admin), before);
    // And it can still be initialized afterwards.
    admin.fund(eth(1));
    pool.sender_and_value(admin, eth(1)).initialize().motsu_unwrap();
}

#[motsu::test]
fn initialize_reverts_when_caller_is_not_admin(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    deploy(&pool, &token, admin);
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender_and_value(alice, eth(1)).initialize().motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, DEFAULT_ADMIN_ROLE));
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn initialize_bubbles_the_token_revert(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    // Given a token that refuses to mint.
    deploy(&pool, &token, admin);
    token.sender(admin).set_fail_mints(true);
    admin.fund(eth(1));
    let before = snapshot(&pool, &token, admin);
    // When governance bootstraps, the token's own revert data comes back unchanged.
    let err = pool.sender_and_value(admin, eth(1)).initialize().motsu_unwrap_err();
    assert_eq!(err, Error::Revert(RevertData(rejected("mint"))));
    assert_eq!(Vec::<u8>::from(err), rejected("mint"));
    assert_eq!(snapshot(&pool, &token, admin), before);
}

// ---- submit ----------------------------------------------------------------------------

#[motsu::test]
fn submit_buffers_the_ether_and_mints_shares(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
    referral: Address,
) {
    // Given a running pool.
    bootstrap(&pool, &token, admin);
    alice.fund(eth(10));
    // When alice stakes 10 ETH.
    let shares = pool.sender_and_value(alice, eth(10)).submit(referral).motsu_unwrap();
    // Then she gets 10 shares at the 1:1 rate, the buffer and the balance grow, and
    // Submitted names her and the referral.
    assert_eq!(shares, eth(10));
    assert_eq!(token.sender(alice).shares_of(alice), eth(10));
    assert_eq!(pool.sender(alice).get_buffered_ether(), eth(11));
    assert_eq!(pool.balance(), eth(11));
    assert_eq!(balance_of(alice), U256::ZERO);
    pool.assert_emitted(&Submitted { sender: alice, amount: eth(10), referral });
    assert_eq!(
        token.sender(alice).get_total_pooled_ether(),
        pool.sender(alice).get_total_pooled_ether()
    );
}

#[motsu::test]
fn submit_mints_at_the_rate_before_the_deposit(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    // Given a rate of 1.5 (1 share for 1.5 ETH), as after a rebase.
    bootstrap(&pool, &token, admin);
    token.sender(admin).set_total_pooled_ether(U256::from(1_500_000_000_000_000_000_u64));
    // When alice stakes 1 ETH, the shares are floor(1 * 1 / 1.5).
    let shares = stake(&pool, alice, eth(1));
    assert_eq!(shares, U256::from(666_666_666_666_666_666_u64));
}

#[motsu::test]
fn submit_reverts_when_value_is_zero(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender(alice).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, ZeroAmount {}.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn submit_reverts_when_staking_is_paused(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).pause_staking().motsu_unwrap();
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender_and_value(alice, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, StakingIsPaused {}.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn submit_reverts_before_initialize(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    deploy(&pool, &token, admin);
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender_and_value(alice, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, StakingIsPaused {}.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn submit_reverts_when_the_pool_is_stopped(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).stop().motsu_unwrap();
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender_and_value(alice, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, StakingIsPaused {}.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn submit_reverts_when_over_the_stake_limit(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    // Given a 10 ETH limit.
    set_time(T0);
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_staking_limit(eth(10), eth(1)).motsu_unwrap();
    alice.fund(eth(11));
    let before = snapshot(&pool, &token, alice);
    // When alice stakes 11 ETH, the error names the limit and the amount.
    let err = pool.sender_and_value(alice, eth(11)).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, StakeLimitExceeded { limit: eth(10), amount: eth(11) }.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn submit_consumes_the_stake_limit(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    // Given a 10 ETH limit refilling 1 ETH/s.
    set_time(T0);
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_staking_limit(eth(10), eth(1)).motsu_unwrap();
    // When alice stakes exactly 10 ETH at T0 + 5.
    set_time(T0 + 5);
    stake(&pool, alice, eth(10));
    // Then nothing is left, and the limit word records 0 at T0 + 5.
    let p = pool.sender(alice);
    assert_eq!(p.get_current_stake_limit(), U256::ZERO);
    let info = p.get_stake_limit_full_info();
    assert_eq!((info.5, info.6), (U256::ZERO, U256::from(T0 + 5)));
    // And 3 s later 3 ETH are available again.
    set_time(T0 + 8);
    assert_eq!(pool.sender(alice).get_current_stake_limit(), eth(3));
}

#[motsu::test]
fn submit_reverts_when_the_buffer_would_pass_96_bits(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    // Given a buffer of 1 ETH and a stake that takes it past 2^96 - 1 wei.
    bootstrap(&pool, &token, admin);
    let amount = (U256::from(1) << 96) - eth(1);
    alice.fund(amount);
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender_and_value(alice, amount).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, TotalOverflow {}.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
    // And one wei less fits.
    let fits = amount - U256::from(1);
    pool.sender_and_value(alice, fits).submit(Address::ZERO).motsu_unwrap();
    assert_eq!(pool.sender(alice).get_buffered_ether(), (U256::from(1) << 96) - U256::from(1));
}

#[motsu::test]
fn submit_bubbles_the_token_revert(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    token.sender(admin).set_fail_mints(true);
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender_and_value(alice, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Error::Revert(RevertData(rejected("mint"))));
    assert_eq!(snapshot(&pool, &token, alice), before);
}

// ---- plain ether ---------------------------------------------------------------------

#[motsu::test]
fn receive_stakes_like_submit_with_no_referral(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    alice.fund(eth(3));
    pool.sender_and_value(alice, eth(3)).receive().motsu_unwrap();
    assert_eq!(token.sender(alice).shares_of(alice), eth(3));
    assert_eq!(pool.sender(alice).get_buffered_ether(), eth(4));
    pool.assert_emitted(&Submitted { sender: alice, amount: eth(3), referral: Address::ZERO });
}

#[motsu::test]
fn receive_reverts_when_value_is_zero(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender(alice).receive().motsu_unwrap_err();
    assert_eq!(err, ZeroAmount {}.abi_encode());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn plain_ether_through_the_router_stakes(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    caller: Contract<RawCaller>,
    admin: Address,
    alice: Address,
) {
    // Given a running pool. When ether arrives with empty calldata (through the router).
    bootstrap(&pool, &token, admin);
    alice.fund(eth(2));
    caller
        .sender_and_value(alice, eth(2))
        .forward(pool.address(), Vec::new().into())
        .motsu_unwrap();
    // Then it is staked for the sender (the forwarding program).
    assert_eq!(token.sender(alice).shares_of(caller.address()), eth(2));
    assert_eq!(pool.sender(alice).get_buffered_ether(), eth(3));
    pool.assert_emitted(&Submitted {
        sender: caller.address(),
        amount: eth(2),
        referral: Address::ZERO,
    });
}

#[motsu::test]
fn unknown_calldata_reverts_with_or_without_value(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    caller: Contract<RawCaller>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    // When calldata matches no function, the call reverts (there is no fallback).
    let data = vec![0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1];
    caller
        .sender_and_value(alice, eth(1))
        .forward(pool.address(), data.clone().into())
        .motsu_unwrap_err();
    assert_eq!(snapshot(&pool, &token, alice), before);
    caller.sender(alice).forward(pool.address(), data.into()).motsu_unwrap_err();
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn submit_through_the_router_returns_the_shares(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    caller: Contract<RawCaller>,
    admin: Address,
    alice: Address,
) {
    // Given a running pool. When `submit(address)` is called by its selector.
    bootstrap(&pool, &token, admin);
    alice.fund(eth(4));
    let mut data = keccak256("submit(address)")[..4].to_vec();
    data.extend_from_slice(alice.into_word().as_slice());
    let out =
        caller.sender_and_value(alice, eth(4)).forward(pool.address(), data.into()).motsu_unwrap();
    // Then it returns the shares as one ABI word.
    assert_eq!(U256::from_be_slice(&out), eth(4));
}

// ---- receiveStake (the token's own submit) ----------------------------------------------

#[motsu::test]
fn token_submit_goes_through_receive_stake_without_re_entry(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
    referral: Address,
) {
    // Given a running pool. When alice stakes 5 ETH through the token's submit.
    bootstrap(&pool, &token, admin);
    alice.fund(eth(5));
    let shares = token.sender_and_value(alice, eth(5)).submit(referral).motsu_unwrap();
    // Then the pool buffered the ether and emitted Submitted for alice (not the
    // token), and the token minted her shares after the pool returned.
    assert_eq!(shares, eth(5));
    assert_eq!(token.sender(alice).shares_of(alice), eth(5));
    assert_eq!(pool.sender(alice).get_buffered_ether(), eth(6));
    assert_eq!(pool.balance(), eth(6));
    assert_eq!(token.balance(), U256::ZERO);
    pool.assert_emitted(&Submitted { sender: alice, amount: eth(5), referral });
    assert_eq!(
        token.sender(alice).get_total_pooled_ether(),
        pool.sender(alice).get_total_pooled_ether()
    );
}

#[motsu::test]
fn receive_stake_reverts_when_caller_is_not_the_token(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err =
        pool.sender_and_value(alice, eth(1)).receive_stake(alice, Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Unauthorized { caller: alice }.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn token_submit_reverts_when_staking_is_paused(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    // Given paused staking, the pool's error reaches the user through the token.
    bootstrap(&pool, &token, admin);
    pool.sender(admin).pause_staking().motsu_unwrap();
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err = token.sender_and_value(alice, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, StakingIsPaused {}.abi_encode());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn token_submit_reverts_when_over_the_stake_limit(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    set_time(T0);
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_staking_limit(eth(2), eth(1)).motsu_unwrap();
    alice.fund(eth(3));
    let before = snapshot(&pool, &token, alice);
    let err = token.sender_and_value(alice, eth(3)).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, StakeLimitExceeded { limit: eth(2), amount: eth(3) }.abi_encode());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn forced_ether_changes_no_accounting(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    // Given a running pool with 5 ETH staked.
    bootstrap(&pool, &token, admin);
    stake(&pool, alice, eth(5));
    let before = snapshot(&pool, &token, alice);
    // When 7 ETH arrive without a call (a forced send / selfdestruct).
    pool.address().fund(eth(7));
    // Then only the raw balance changed: buffer, totals and shares did not.
    let after = snapshot(&pool, &token, alice);
    assert_eq!(after.pool_balance, before.pool_balance + eth(7));
    assert_eq!(Snapshot { pool_balance: before.pool_balance, ..after }, before);
    assert_eq!(pool.sender(alice).get_depositable_ether().motsu_unwrap(), eth(6));
}

// ---- staking limit -------------------------------------------------------------------

#[motsu::test]
fn set_staking_limit_stores_lidos_fields_and_emits(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    // Given a running, unlimited pool at T0.
    set_time(T0);
    bootstrap(&pool, &token, admin);
    // When governance sets 150,000 ETH refilling 1.5 ETH/s.
    let inc = U256::from(1_500_000_000_000_000_000_u64);
    pool.sender(admin).set_staking_limit(eth(150_000), inc).motsu_unwrap();
    // Then the seven fields are Lido's, with growth = floor(max / inc) seconds.
    let info = pool.sender(admin).get_stake_limit_full_info();
    assert_eq!(
        info,
        (
            false,
            true,
            eth(150_000),
            eth(150_000),
            U256::from(100_000),
            eth(150_000),
            U256::from(T0)
        )
    );
    assert_eq!(pool.sender(admin).get_current_stake_limit(), eth(150_000));
    pool.assert_emitted(&StakingLimitSet {
        maxStakeLimit: eth(150_000),
        stakeLimitIncreasePerBlock: inc,
    });
}

fn assert_limit_rejected(
    pool: &Contract<DepositPool>,
    token: &Contract<MockRebaseToken>,
    admin: Address,
    max: U256,
    inc: U256,
    expected: Error,
) {
    let before = snapshot(pool, token, admin);
    let err = pool.sender(admin).set_staking_limit(max, inc).motsu_unwrap_err();
    assert_eq!(err, expected);
    assert_eq!(snapshot(pool, token, admin), before);
}

#[motsu::test]
fn set_staking_limit_reverts_when_max_is_zero(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    assert_limit_rejected(
        &pool,
        &token,
        admin,
        U256::ZERO,
        U256::ZERO,
        ZeroMaxStakeLimit {}.into(),
    );
}

#[motsu::test]
fn set_staking_limit_reverts_when_max_exceeds_96_bits(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    let max = U256::from(1) << 96;
    assert_limit_rejected(
        &pool,
        &token,
        admin,
        max,
        U256::from(1),
        TooLargeMaxStakeLimit {}.into(),
    );
}

#[motsu::test]
fn set_staking_limit_reverts_when_increase_exceeds_max(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    assert_limit_rejected(
        &pool,
        &token,
        admin,
        eth(1),
        eth(1) + U256::from(1),
        TooLargeLimitIncrease {}.into(),
    );
}

#[motsu::test]
fn set_staking_limit_reverts_when_refill_takes_over_2_pow_32_seconds(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    let max = U256::from(u64::from(u32::MAX) + 1);
    assert_limit_rejected(
        &pool,
        &token,
        admin,
        max,
        U256::from(1),
        TooSmallLimitIncrease {}.into(),
    );
}

#[motsu::test]
fn set_staking_limit_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender(alice).set_staking_limit(eth(1), U256::ZERO).motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, STAKING_CONTROL_ROLE));
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn remove_staking_limit_makes_staking_unlimited(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    // Given a 1 ETH limit.
    set_time(T0);
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_staking_limit(eth(1), U256::ZERO).motsu_unwrap();
    // When governance removes it.
    pool.sender(admin).remove_staking_limit().motsu_unwrap();
    // Then the limit reads 2^256 - 1 and a 5 ETH stake passes.
    assert_eq!(pool.sender(admin).get_current_stake_limit(), U256::MAX);
    assert!(!pool.sender(admin).get_stake_limit_full_info().1);
    pool.assert_emitted(&StakingLimitRemoved {});
    stake(&pool, alice, eth(5));
}

#[motsu::test]
fn remove_staking_limit_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_staking_limit(eth(1), U256::ZERO).motsu_unwrap();
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender(alice).remove_staking_limit().motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, STAKING_CONTROL_ROLE));
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn pause_staking_pauses_and_keeps_the_limit(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    set_time(T0);
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_staking_limit(eth(10), eth(1)).motsu_unwrap();
    pool.sender(admin).pause_staking().motsu_unwrap();
    let info = pool.sender(admin).get_stake_limit_full_info();
    // Paused, current 0, but max, growth and prev kept; only the timestamp is 0.
    assert_eq!(info, (true, true, U256::ZERO, eth(10), U256::from(10), eth(10), U256::ZERO));
    assert!(pool.sender(admin).is_staking_paused());
    pool.assert_emitted(&StakingPaused {});
    // Pausing staking does not stop the pool.
    assert!(!pool.sender(admin).is_stopped());
}

#[motsu::test]
fn pause_staking_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender(alice).pause_staking().motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, STAKING_PAUSE_ROLE));
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn resume_staking_resumes_with_the_previous_limit(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    // Given a 10 ETH limit with 4 ETH left, then paused.
    set_time(T0);
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_staking_limit(eth(10), eth(1)).motsu_unwrap();
    stake(&pool, alice, eth(6));
    pool.sender(admin).pause_staking().motsu_unwrap();
    // When staking resumes 100 s later.
    set_time(T0 + 100);
    pool.sender(admin).resume_staking().motsu_unwrap();
    // Then the limit is the 4 ETH left at the pause (no refill while paused), refilling from now.
    let info = pool.sender(admin).get_stake_limit_full_info();
    assert_eq!(info, (false, true, eth(4), eth(10), U256::from(10), eth(4), U256::from(T0 + 100)));
    pool.assert_emitted(&StakingResumed {});
}

#[motsu::test]
fn resume_staking_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).pause_staking().motsu_unwrap();
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender(alice).resume_staking().motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, STAKING_CONTROL_ROLE));
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn resume_staking_reverts_while_the_pool_is_stopped(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).stop().motsu_unwrap();
    let before = snapshot(&pool, &token, admin);
    let err = pool.sender(admin).resume_staking().motsu_unwrap_err();
    assert_eq!(err, ContractStopped {}.into());
    assert_eq!(snapshot(&pool, &token, admin), before);
}

#[motsu::test]
fn resume_staking_reverts_before_initialize(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    deploy(&pool, &token, admin);
    pool.sender(admin).grant_role(STAKING_CONTROL_ROLE, admin).motsu_unwrap();
    let before = snapshot(&pool, &token, admin);
    let err = pool.sender(admin).resume_staking().motsu_unwrap_err();
    assert_eq!(err, NotInitialized {}.into());
    assert_eq!(snapshot(&pool, &token, admin), before);
}

#[motsu::test]
fn stake_limit_refills_linearly_in_time(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    // Given 100 ETH max refilling 2 ETH/s, fully used at T0.
    set_time(T0);
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_staking_limit(eth(100), eth(2)).motsu_unwrap();
    stake(&pool, alice, eth(100));
    // Then it refills 2 ETH per second and caps at 100 ETH.
    for (dt, expected) in [(0, 0), (1, 2), (10, 20), (49, 98), (50, 100), (1_000, 100)] {
        set_time(T0 + dt);
        assert_eq!(pool.sender(alice).get_current_stake_limit(), eth(expected), "after {dt} s");
    }
}

// ---- stop / resume ----------------------------------------------------------------------

#[motsu::test]
fn stop_stops_the_pool_and_pauses_staking(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).stop().motsu_unwrap();
    let p = pool.sender(admin);
    assert!(p.is_stopped());
    assert!(!p.can_deposit());
    assert!(p.is_staking_paused());
    pool.assert_emitted(&Stopped {});
    pool.assert_emitted(&StakingPaused {});
}

#[motsu::test]
fn stop_reverts_when_already_stopped(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).stop().motsu_unwrap();
    let before = snapshot(&pool, &token, admin);
    let err = pool.sender(admin).stop().motsu_unwrap_err();
    assert_eq!(err, ContractStopped {}.into());
    assert_eq!(snapshot(&pool, &token, admin), before);
}

#[motsu::test]
fn stop_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender(alice).stop().motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, PAUSE_ROLE));
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn resume_restores_the_previous_limit(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    // Given a 10 ETH limit (1 ETH/s) with 7 ETH left at T0, then stopped.
    set_time(T0);
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_staking_limit(eth(10), eth(1)).motsu_unwrap();
    stake(&pool, alice, eth(3));
    pool.sender(admin).stop().motsu_unwrap();
    // When the pool resumes at T0 + 50.
    set_time(T0 + 50);
    pool.sender(admin).resume().motsu_unwrap();
    // Then running, staking resumed with the same max, growth and 7 ETH left.
    let p = pool.sender(admin);
    assert!(!p.is_stopped());
    assert!(p.can_deposit());
    assert_eq!(
        p.get_stake_limit_full_info(),
        (false, true, eth(7), eth(10), U256::from(10), eth(7), U256::from(T0 + 50))
    );
    pool.assert_emitted(&Resumed {});
    pool.assert_emitted(&StakingResumed {});
    // And it refills from there.
    set_time(T0 + 52);
    assert_eq!(pool.sender(admin).get_current_stake_limit(), eth(9));
}

#[motsu::test]
fn resume_reverts_when_running(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    let before = snapshot(&pool, &token, admin);
    let err = pool.sender(admin).resume().motsu_unwrap_err();
    assert_eq!(err, ContractNotStopped {}.into());
    assert_eq!(snapshot(&pool, &token, admin), before);
}

#[motsu::test]
fn resume_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).stop().motsu_unwrap();
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender(alice).resume().motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, RESUME_ROLE));
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn resume_reverts_before_initialize(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    deploy(&pool, &token, admin);
    pool.sender(admin).grant_role(RESUME_ROLE, admin).motsu_unwrap();
    let before = snapshot(&pool, &token, admin);
    let err = pool.sender(admin).resume().motsu_unwrap_err();
    assert_eq!(err, NotInitialized {}.into());
    assert_eq!(snapshot(&pool, &token, admin), before);
}

// ---- signing keys ------------------------------------------------------------------------

/// The pool's keys in order, as `(pubkey, signature)`.
fn stored_keys(pool: &Contract<DepositPool>) -> Vec<(Vec<u8>, Vec<u8>)> {
    let viewer = Address::repeat_byte(0x77);
    let total = pool.sender(viewer).get_total_signing_keys();
    (0..total.as_limbs()[0])
        .map(|i| {
            let (p, s, _) =
                key_parts(pool.sender(viewer).get_signing_key(U256::from(i)).motsu_unwrap());
            (p.to_vec(), s.to_vec())
        })
        .collect()
}

fn key_vec(i: u8) -> (Vec<u8>, Vec<u8>) {
    let (p, s) = key(i);
    (p.to_vec(), s.to_vec())
}

#[motsu::test]
fn add_signing_keys_appends_keys_and_emits(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    let (pubkeys, signatures) = keys(0, 3);
    pool.sender(admin)
        .add_signing_keys(U256::from(3), pubkeys.into(), signatures.into())
        .motsu_unwrap();
    let (pubkeys, signatures) = keys(3, 1);
    pool.sender(admin)
        .add_signing_keys(U256::from(1), pubkeys.into(), signatures.into())
        .motsu_unwrap();
    // Then 4 unused keys in order, each announced, and the totals announced.
    assert_eq!(stored_keys(&pool), (0..4).map(key_vec).collect::<Vec<_>>());
    let p = pool.sender(admin);
    assert_eq!(p.get_total_signing_keys(), U256::from(4));
    assert_eq!(p.get_unused_signing_keys_count(), U256::from(4));
    assert!(!key_parts(p.get_signing_key(U256::from(3)).motsu_unwrap()).2);
    for i in 0..4 {
        pool.assert_emitted(&SigningKeyAdded {
            nodeOperatorId: U256::ZERO,
            pubkey: key(i).0.to_vec().into(),
        });
    }
    pool.assert_emitted(&TotalSigningKeysCountChanged {
        nodeOperatorId: U256::ZERO,
        totalValidatorsCount: U256::from(3),
    });
    pool.assert_emitted(&TotalSigningKeysCountChanged {
        nodeOperatorId: U256::ZERO,
        totalValidatorsCount: U256::from(4),
    });
}

fn assert_keys_rejected(
    pool: &Contract<DepositPool>,
    token: &Contract<MockRebaseToken>,
    caller: Address,
    count: U256,
    pubkeys: Vec<u8>,
    signatures: Vec<u8>,
    expected: Error,
) {
    let before = snapshot(pool, token, caller);
    let err = pool
        .sender(caller)
        .add_signing_keys(count, pubkeys.into(), signatures.into())
        .motsu_unwrap_err();
    assert_eq!(err, expected);
    assert_eq!(snapshot(pool, token, caller), before);
}

#[motsu::test]
fn add_signing_keys_reverts_when_count_is_zero(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    assert_keys_rejected(
        &pool,
        &token,
        admin,
        U256::ZERO,
        Vec::new(),
        Vec::new(),
        InvalidSigningKeysCount { count: U256::ZERO }.into(),
    );
}

#[motsu::test]
fn add_signing_keys_reverts_when_count_exceeds_32_bits(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    let count = U256::from(u64::from(u32::MAX) + 1);
    assert_keys_rejected(
        &pool,
        &token,
        admin,
        count,
        Vec::new(),
        Vec::new(),
        InvalidSigningKeysCount { count }.into(),
    );
}

#[motsu::test]
fn add_signing_keys_reverts_when_pubkeys_length_mismatches(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    let (mut pubkeys, signatures) = keys(0, 2);
    pubkeys.pop();
    let expected = InvalidPubkeysLength { expected: U256::from(96), actual: U256::from(95) };
    assert_keys_rejected(&pool, &token, admin, U256::from(2), pubkeys, signatures, expected.into());
}

#[motsu::test]
fn add_signing_keys_reverts_when_signatures_length_mismatches(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    let (pubkeys, mut signatures) = keys(0, 2);
    signatures.push(0);
    let expected = InvalidSignaturesLength { expected: U256::from(192), actual: U256::from(193) };
    assert_keys_rejected(&pool, &token, admin, U256::from(2), pubkeys, signatures, expected.into());
}

#[motsu::test]
fn add_signing_keys_reverts_when_a_key_is_empty(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    // Given a batch whose second pubkey is all zeros, nothing is stored (not even the first).
    bootstrap(&pool, &token, admin);
    let (mut pubkeys, signatures) = keys(0, 2);
    pubkeys[48..].fill(0);
    assert_keys_rejected(
        &pool,
        &token,
        admin,
        U256::from(2),
        pubkeys,
        signatures,
        EmptySigningKey { index: U256::from(1) }.into(),
    );
}

#[motsu::test]
fn add_signing_keys_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    let (pubkeys, signatures) = keys(0, 1);
    assert_keys_rejected(
        &pool,
        &token,
        alice,
        U256::from(1),
        pubkeys,
        signatures,
        unauthorized(alice, MANAGE_SIGNING_KEYS),
    );
}

/// Bootstrap plus keys 0..n (no deposits).
fn with_keys(
    pool: &Contract<DepositPool>,
    token: &Contract<MockRebaseToken>,
    admin: Address,
    n: u8,
) {
    bootstrap(pool, token, admin);
    let (pubkeys, signatures) = keys(0, n);
    pool.sender(admin)
        .add_signing_keys(U256::from(n), pubkeys.into(), signatures.into())
        .motsu_unwrap();
}

#[motsu::test]
fn remove_signing_keys_moves_the_last_key_into_the_gap(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    // Given keys 0, 1, 2, 3. When key 1 is removed.
    with_keys(&pool, &token, admin, 4);
    pool.sender(admin).remove_signing_keys(U256::from(1), U256::from(1)).motsu_unwrap();
    // Then key 3 takes its place (Lido's order), and the removal is announced.
    assert_eq!(stored_keys(&pool), vec![key_vec(0), key_vec(3), key_vec(2)]);
    pool.assert_emitted(&SigningKeyRemoved {
        nodeOperatorId: U256::ZERO,
        pubkey: key(1).0.to_vec().into(),
    });
    pool.assert_emitted(&TotalSigningKeysCountChanged {
        nodeOperatorId: U256::ZERO,
        totalValidatorsCount: U256::from(3),
    });
    // And the vacated slot is gone.
    let err = pool.sender(admin).get_signing_key(U256::from(3)).motsu_unwrap_err();
    assert_eq!(
        err,
        SigningKeyIndexOutOfRange { index: U256::from(3), total: U256::from(3) }.into()
    );
}

#[motsu::test]
fn remove_signing_keys_removes_a_middle_range(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    // Given keys 0..6. When keys 1, 2 are removed: 2 is replaced by 5, then 1 by 4.
    with_keys(&pool, &token, admin, 6);
    pool.sender(admin).remove_signing_keys(U256::from(1), U256::from(2)).motsu_unwrap();
    assert_eq!(stored_keys(&pool), vec![key_vec(0), key_vec(4), key_vec(5), key_vec(3)]);
    assert_eq!(pool.sender(admin).get_unused_signing_keys_count(), U256::from(4));
}

#[motsu::test]
fn remove_signing_keys_removes_the_tail(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    with_keys(&pool, &token, admin, 3);
    pool.sender(admin).remove_signing_keys(U256::from(1), U256::from(2)).motsu_unwrap();
    assert_eq!(stored_keys(&pool), vec![key_vec(0)]);
    pool.assert_emitted(&SigningKeyRemoved {
        nodeOperatorId: U256::ZERO,
        pubkey: key(2).0.to_vec().into(),
    });
}

fn assert_remove_rejected(
    pool: &Contract<DepositPool>,
    token: &Contract<MockRebaseToken>,
    caller: Address,
    from: u64,
    count: u64,
    expected: Error,
) {
    let before = snapshot(pool, token, caller);
    let keys_before = stored_keys(pool);
    let err = pool
        .sender(caller)
        .remove_signing_keys(U256::from(from), U256::from(count))
        .motsu_unwrap_err();
    assert_eq!(err, expected);
    assert_eq!(snapshot(pool, token, caller), before);
    assert_eq!(stored_keys(pool), keys_before);
}

fn range_error(from: u64, count: u64) -> Error {
    InvalidSigningKeysRange { fromIndex: U256::from(from), count: U256::from(count) }.into()
}

#[motsu::test]
fn remove_signing_keys_reverts_when_count_is_zero(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    with_keys(&pool, &token, admin, 2);
    assert_remove_rejected(&pool, &token, admin, 0, 0, range_error(0, 0));
}

#[motsu::test]
fn remove_signing_keys_reverts_when_the_range_passes_the_last_key(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    with_keys(&pool, &token, admin, 2);
    assert_remove_rejected(&pool, &token, admin, 1, 2, range_error(1, 2));
    let err = pool.sender(admin).remove_signing_keys(U256::MAX, U256::from(2)).motsu_unwrap_err();
    assert_eq!(err, InvalidSigningKeysRange { fromIndex: U256::MAX, count: U256::from(2) }.into());
}

#[motsu::test]
fn remove_signing_keys_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    with_keys(&pool, &token, admin, 2);
    assert_remove_rejected(&pool, &token, alice, 0, 1, unauthorized(alice, MANAGE_SIGNING_KEYS));
}

#[motsu::test]
fn get_signing_key_reverts_out_of_range(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    with_keys(&pool, &token, admin, 1);
    let err = pool.sender(admin).get_signing_key(U256::from(1)).motsu_unwrap_err();
    assert_eq!(
        err,
        SigningKeyIndexOutOfRange { index: U256::from(1), total: U256::from(1) }.into()
    );
    let err = pool.sender(admin).get_signing_key(U256::MAX).motsu_unwrap_err();
    assert_eq!(err, SigningKeyIndexOutOfRange { index: U256::MAX, total: U256::from(1) }.into());
}

// ---- governance configuration ----------------------------------------------------------

#[motsu::test]
fn set_withdrawal_credentials_accepts_this_programs_vault_credentials(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    assert_eq!(pool.sender(admin).get_withdrawal_credentials(), B256::ZERO);
    let wc = own_credentials(&pool);
    pool.sender(admin).set_withdrawal_credentials(wc).motsu_unwrap();
    assert_eq!(pool.sender(admin).get_withdrawal_credentials(), wc);
    pool.assert_emitted(&WithdrawalCredentialsSet { withdrawalCredentials: wc, setBy: admin });
}

#[motsu::test]
fn set_withdrawal_credentials_reverts_for_other_credentials(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    vault: Address,
) {
    bootstrap(&pool, &token, admin);
    let own = own_credentials(&pool);
    let mut other_prefix = own;
    other_prefix[0] = 0x00;
    let mut dirty_padding = own;
    dirty_padding[5] = 1;
    let mut other_vault = B256::left_padding_from(vault.as_slice());
    other_vault[0] = 0x01;
    let before = snapshot(&pool, &token, admin);
    for wc in [B256::ZERO, other_prefix, dirty_padding, other_vault] {
        let err = pool.sender(admin).set_withdrawal_credentials(wc).motsu_unwrap_err();
        assert_eq!(err, InvalidWithdrawalCredentials { withdrawalCredentials: wc }.into());
        assert_eq!(snapshot(&pool, &token, admin), before);
    }
}

#[motsu::test]
fn set_withdrawal_credentials_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    let before = snapshot(&pool, &token, alice);
    let err =
        pool.sender(alice).set_withdrawal_credentials(own_credentials(&pool)).motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, DEFAULT_ADMIN_ROLE));
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn governance_sets_the_program_addresses(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    oracle: Address,
    queue: Address,
    beacon: Address,
) {
    // Given a pool (keys added first, to check the beacon address shares their slot safely).
    with_keys(&pool, &token, admin, 2);
    // When governance sets the oracle, the queue and the beacon deposit contract.
    pool.sender(admin).set_oracle(oracle).motsu_unwrap();
    pool.sender(admin).set_withdrawal_queue(queue).motsu_unwrap();
    pool.sender(admin).set_beacon_deposit_contract(beacon).motsu_unwrap();
    // Then the getters return them, events announce them, and the packed neighbours are intact.
    let p = pool.sender(admin);
    assert_eq!(
        (p.get_oracle(), p.get_withdrawal_queue(), p.get_beacon_deposit_contract()),
        (oracle, queue, beacon)
    );
    assert_eq!(p.get_total_signing_keys(), U256::from(2));
    assert!(!p.is_stopped());
    pool.assert_emitted(&OracleSet { oracle });
    pool.assert_emitted(&WithdrawalQueueSet { withdrawalQueue: queue });
    pool.assert_emitted(&BeaconDepositContractSet { beaconDepositContract: beacon });
    // And replacing the oracle keeps the flags.
    pool.sender(admin).set_oracle(queue).motsu_unwrap();
    assert_eq!(pool.sender(admin).get_oracle(), queue);
    assert!(!pool.sender(admin).is_stopped());
}

#[motsu::test]
fn setters_revert_for_the_zero_address(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    let before = snapshot(&pool, &token, admin);
    let p = || pool.sender(admin);
    assert_eq!(p().set_oracle(Address::ZERO).motsu_unwrap_err(), ZeroAddress {}.into());
    assert_eq!(p().set_withdrawal_queue(Address::ZERO).motsu_unwrap_err(), ZeroAddress {}.into());
    assert_eq!(
        p().set_beacon_deposit_contract(Address::ZERO).motsu_unwrap_err(),
        ZeroAddress {}.into()
    );
    assert_eq!(snapshot(&pool, &token, admin), before);
}

#[motsu::test]
fn setters_revert_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    let before = snapshot(&pool, &token, alice);
    let expected = unauthorized(alice, DEFAULT_ADMIN_ROLE);
    let p = || pool.sender(alice);
    assert_eq!(p().set_oracle(alice).motsu_unwrap_err(), expected);
    assert_eq!(p().set_withdrawal_queue(alice).motsu_unwrap_err(), expected);
    assert_eq!(p().set_beacon_deposit_contract(alice).motsu_unwrap_err(), expected);
    assert_eq!(snapshot(&pool, &token, alice), before);
}

// ---- deposits to validators --------------------------------------------------------------

#[motsu::test]
fn deposit_buffered_ether_sends_32_eth_per_key_with_the_ssz_root(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    admin: Address,
    alice: Address,
) {
    // Given 3 keys and 64 ETH buffered (1 seed + 63 staked).
    ready_to_deposit(&pool, &token, &beacon, admin, 3);
    stake(&pool, alice, eth(63));
    // When the depositor asks for up to 10 validators.
    let n = pool.sender(admin).deposit_buffered_ether(U256::from(10)).motsu_unwrap();
    // Then 2 are deposited (64 ETH / 32), state moved from buffered to transient.
    assert_eq!(n, U256::from(2));
    let p = pool.sender(admin);
    assert_eq!(p.get_buffered_ether(), U256::ZERO);
    assert_eq!(p.get_beacon_stat(), (U256::from(2), U256::ZERO, U256::ZERO));
    assert_eq!(p.get_total_pooled_ether(), eth(64));
    assert_eq!(token.sender(admin).get_total_pooled_ether(), eth(64));
    assert_eq!(p.get_unused_signing_keys_count(), U256::from(1));
    assert!(key_parts(p.get_signing_key(U256::from(1)).motsu_unwrap()).2);
    assert!(!key_parts(p.get_signing_key(U256::from(2)).motsu_unwrap()).2);
    pool.assert_emitted(&Unbuffered { amount: eth(64) });
    pool.assert_emitted(&DepositedValidatorsChanged { depositedValidators: U256::from(2) });
    // And the deposit contract received exactly 32 ETH per key, the pool's
    // credentials, and a root it verified against the data.
    assert_eq!(beacon.balance(), eth(64));
    assert_eq!(pool.balance(), U256::ZERO);
    assert_eq!(beacon.sender(admin).deposit_count(), U256::from(2));
    let (pubkey, wc, root) = beacon.sender(admin).last_deposit();
    let (expected_pubkey, signature) = key(1);
    assert_eq!(pubkey.to_vec(), expected_pubkey.to_vec());
    assert_eq!(wc, own_credentials(&pool));
    assert_eq!(root, deposit_data_root(&expected_pubkey, &wc, 32_000_000_000, &signature));
}

#[motsu::test]
fn deposit_buffered_ether_is_limited_by_max_validators(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    admin: Address,
    alice: Address,
) {
    ready_to_deposit(&pool, &token, &beacon, admin, 3);
    stake(&pool, alice, eth(95));
    assert_eq!(
        pool.sender(admin).deposit_buffered_ether(U256::from(1)).motsu_unwrap(),
        U256::from(1)
    );
    assert_eq!(pool.sender(admin).get_buffered_ether(), eth(64));
    assert_eq!(beacon.sender(admin).deposit_count(), U256::from(1));
}

#[motsu::test]
fn deposit_buffered_ether_is_limited_by_unused_keys(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    admin: Address,
    alice: Address,
) {
    ready_to_deposit(&pool, &token, &beacon, admin, 1);
    stake(&pool, alice, eth(95));
    assert_eq!(pool.sender(admin).deposit_buffered_ether(U256::MAX).motsu_unwrap(), U256::from(1));
    assert_eq!(pool.sender(admin).get_buffered_ether(), eth(64));
    assert_eq!(pool.sender(admin).get_unused_signing_keys_count(), U256::ZERO);
}

#[motsu::test]
fn deposit_buffered_ether_keeps_ether_reserved_for_withdrawals(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    alice: Address,
) {
    // Given 96 ETH buffered of which the queue's unfinalized requests need 40.
    ready_to_deposit(&pool, &token, &beacon, admin, 3);
    stake(&pool, alice, eth(95));
    pool.sender(admin).set_withdrawal_queue(queue.address()).motsu_unwrap();
    queue.sender(admin).set_unfinalized(eth(40));
    // Then only floor(56 / 32) = 1 validator is deposited.
    assert_eq!(pool.sender(admin).get_depositable_ether().motsu_unwrap(), eth(56));
    assert_eq!(
        pool.sender(admin).deposit_buffered_ether(U256::from(3)).motsu_unwrap(),
        U256::from(1)
    );
    assert_eq!(pool.sender(admin).get_buffered_ether(), eth(64));
}

#[motsu::test]
fn deposit_buffered_ether_changes_nothing_when_nothing_is_depositable(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    admin: Address,
    alice: Address,
) {
    // Given 31 ETH buffered (less than one deposit).
    ready_to_deposit(&pool, &token, &beacon, admin, 2);
    stake(&pool, alice, eth(30));
    let before = snapshot(&pool, &token, admin);
    let events = pool.all_events().len();
    // When the depositor deposits, nothing happens and nothing is emitted (Lido).
    assert_eq!(pool.sender(admin).deposit_buffered_ether(U256::from(2)).motsu_unwrap(), U256::ZERO);
    assert_eq!(snapshot(&pool, &token, admin), before);
    assert_eq!(pool.all_events().len(), events);
    assert_eq!(pool.sender(admin).deposit_buffered_ether(U256::ZERO).motsu_unwrap(), U256::ZERO);
}

fn assert_deposit_rejected(
    pool: &Contract<DepositPool>,
    token: &Contract<MockRebaseToken>,
    caller: Address,
    expected: Error,
) {
    let before = snapshot(pool, token, caller);
    let err = pool.sender(caller).deposit_buffered_ether(U256::from(5)).motsu_unwrap_err();
    assert_eq!(err, expected);
    assert_eq!(snapshot(pool, token, caller), before);
}

#[motsu::test]
fn deposit_buffered_ether_reverts_when_stopped(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    admin: Address,
    alice: Address,
) {
    ready_to_deposit(&pool, &token, &beacon, admin, 2);
    stake(&pool, alice, eth(63));
    pool.sender(admin).stop().motsu_unwrap();
    assert_deposit_rejected(&pool, &token, admin, ContractStopped {}.into());
}

#[motsu::test]
fn deposit_buffered_ether_reverts_when_credentials_are_not_set(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    admin: Address,
    alice: Address,
) {
    with_keys(&pool, &token, admin, 2);
    pool.sender(admin).set_beacon_deposit_contract(beacon.address()).motsu_unwrap();
    stake(&pool, alice, eth(63));
    assert_deposit_rejected(&pool, &token, admin, WithdrawalCredentialsNotSet {}.into());
}

#[motsu::test]
fn deposit_buffered_ether_reverts_when_the_deposit_contract_is_not_set(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    with_keys(&pool, &token, admin, 2);
    pool.sender(admin).set_withdrawal_credentials(own_credentials(&pool)).motsu_unwrap();
    stake(&pool, alice, eth(63));
    assert_deposit_rejected(&pool, &token, admin, BeaconDepositContractNotSet {}.into());
}

#[motsu::test]
fn deposit_buffered_ether_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    admin: Address,
    alice: Address,
) {
    ready_to_deposit(&pool, &token, &beacon, admin, 2);
    stake(&pool, alice, eth(63));
    assert_deposit_rejected(&pool, &token, alice, unauthorized(alice, DEPOSIT_ROLE));
}

#[motsu::test]
fn deposit_buffered_ether_bubbles_the_deposit_contract_revert(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    admin: Address,
    alice: Address,
) {
    ready_to_deposit(&pool, &token, &beacon, admin, 2);
    stake(&pool, alice, eth(63));
    beacon.sender(admin).set_reject(true);
    assert_deposit_rejected(&pool, &token, admin, Error::Revert(RevertData(rejected("deposit"))));
    assert_eq!(beacon.balance(), U256::ZERO);
}

#[test]
fn the_beacon_double_checks_roots_by_the_ssz_definitions() {
    // The double's own SSZ code agrees with the deposit CLI's published root
    // (the vector of `deposit_data::tests`), so it is an independent oracle.
    let pubkey = alloy_primitives::hex!(
        "b0210e4333812d669b178443b77e1674329e2eeeae17e6b9d7ef6cb8723c8b269de7e152b42445d5ea8d5f582ca45cd7"
    );
    let wc =
        alloy_primitives::b256!("010000000000000000000000f0179dec45a37423ead4fad5fcb136197872ead9");
    let signature = alloy_primitives::hex!(
        "96b504aec4ced4d680a01a2cde40632809744f967657f4aa31d4bc77701dbeb68e86441999b3559c505e5644eed9c350091af39e3e319befe4a76e796856095912938046ce567ed39a56df13b8f31e9e83b93ca774a9f983b9c0eb673c7f7a4a"
    );
    assert_eq!(
        ssz_deposit_data_root(&pubkey, &wc, 32_000_000_000, &signature),
        alloy_primitives::b256!("aa9bb085dc0410d2013cff51e98ae2a41a81512a0676fbe0397c3cd997f1fb87")
    );
}

#[motsu::test]
fn the_beacon_double_rejects_a_wrong_value_or_root(
    beacon: Contract<MockBeaconDeposit>,
    alice: Address,
) {
    // The double accepts only exactly 32 ETH and a matching root.
    let (pubkey, signature) = key(0);
    let wc = B256::repeat_byte(1);
    let root = deposit_data_root(&pubkey, &wc, 32_000_000_000, &signature);
    alice.fund(eth(100));
    let call = |value: U256, root: B256| {
        beacon
            .sender_and_value(alice, value)
            .deposit(pubkey.to_vec().into(), wc.to_vec().into(), signature.to_vec().into(), root)
            .motsu_res()
    };
    assert_eq!(call(eth(31), root), Err(rejected("value is not 32 ETH")));
    assert_eq!(call(eth(33), root), Err(rejected("value is not 32 ETH")));
    assert_eq!(
        call(eth(32), B256::ZERO),
        Err(rejected("deposit_data_root does not match the data"))
    );
    assert_eq!(call(eth(32), root), Ok(()));
}

// ---- depositable ether ---------------------------------------------------------------------

#[motsu::test]
fn get_depositable_ether_is_the_buffer_without_a_queue(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    bootstrap(&pool, &token, admin);
    stake(&pool, alice, eth(9));
    assert_eq!(pool.sender(alice).get_depositable_ether().motsu_unwrap(), eth(10));
}

#[motsu::test]
fn get_depositable_ether_is_zero_when_the_reserve_exceeds_the_buffer(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_withdrawal_queue(queue.address()).motsu_unwrap();
    queue.sender(admin).set_unfinalized(eth(5));
    assert_eq!(pool.sender(admin).get_depositable_ether().motsu_unwrap(), U256::ZERO);
}

#[motsu::test]
fn get_depositable_ether_reverts_when_the_queue_answers_nothing(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    queue: Contract<SilentQueue>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_withdrawal_queue(queue.address()).motsu_unwrap();
    let err = pool.sender(admin).get_depositable_ether().motsu_unwrap_err();
    assert_eq!(err, ExternalCallFailed { target: queue.address() }.into());
}

// ---- oracle reports ----------------------------------------------------------------------------

/// Two validators deposited (64 ETH transient), buffer 0, oracle and queue set.
fn two_validators_deposited(
    pool: &Contract<DepositPool>,
    token: &Contract<MockRebaseToken>,
    beacon: &Contract<MockBeaconDeposit>,
    queue: &Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    ready_to_deposit(pool, token, beacon, admin, 3);
    stake(pool, alice, eth(63));
    pool.sender(admin).deposit_buffered_ether(U256::from(2)).motsu_unwrap();
    pool.sender(admin).set_oracle(oracle).motsu_unwrap();
    pool.sender(admin).set_withdrawal_queue(queue.address()).motsu_unwrap();
}

/// `handleOracleReport(T0, validators, balance, withdrawals, 7, lock, 1e27)`.
/// Decodes `getSigningKey`'s answer as a Solidity caller would
/// (`abi.decode(data, (bytes, bytes, bool))`).
fn key_parts(words: [B256; 10]) -> (Vec<u8>, Vec<u8>, bool) {
    let data: Vec<u8> = words.iter().flat_map(|w| w.0).collect();
    <(
        alloy_sol_types::sol_data::Bytes,
        alloy_sol_types::sol_data::Bytes,
        alloy_sol_types::sol_data::Bool,
    ) as alloy_sol_types::SolType>::abi_decode_params(&data, true)
    .map(|(p, s, u)| (p.to_vec(), s.to_vec(), u))
    .expect("getSigningKey answers with Solidity's encoding")
}

fn report(
    pool: &Contract<DepositPool>,
    caller: Address,
    validators: u64,
    balance: U256,
    withdrawals: U256,
    lock: U256,
) -> Result<(), Error> {
    pool.sender(caller).handle_oracle_report(
        U256::from(T0),
        U256::from(validators),
        balance,
        withdrawals,
        U256::from(7),
        lock,
        U256::from(10).pow(U256::from(27)),
    )
}

#[motsu::test]
fn handle_oracle_report_records_the_beacon_state(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    // Given 2 deposited validators. When the oracle reports both with 64.5 ETH.
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    let balance = eth(64) + eth(1) / U256::from(2);
    report(&pool, oracle, 2, balance, U256::ZERO, U256::ZERO).motsu_unwrap();
    // Then the beacon state is stored, transient is gone, and the events are Lido's
    // (preCLBalance counts 32 ETH per newly seen validator).
    let p = pool.sender(oracle);
    assert_eq!(p.get_beacon_stat(), (U256::from(2), U256::from(2), balance));
    assert_eq!(p.get_total_pooled_ether(), balance);
    pool.assert_emitted(&CLValidatorsUpdated {
        reportTimestamp: U256::from(T0),
        preCLValidators: U256::ZERO,
        postCLValidators: U256::from(2),
    });
    pool.assert_emitted(&ETHDistributed {
        reportTimestamp: U256::from(T0),
        preCLBalance: eth(64),
        postCLBalance: balance,
        withdrawalsWithdrawn: U256::ZERO,
        executionLayerRewardsWithdrawn: U256::ZERO,
        postBufferedEther: U256::ZERO,
    });
    assert!(pool.all_events().iter().all(|e| e.topics()[0] != WithdrawalsReceived::SIGNATURE_HASH));
}

#[motsu::test]
fn handle_oracle_report_collects_withdrawals_into_the_buffer(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    // Given both validators seen with 64 ETH, then 10 ETH withdrawn to the pool (its own vault).
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    report(&pool, oracle, 2, eth(64), U256::ZERO, U256::ZERO).motsu_unwrap();
    pool.address().fund(eth(10));
    // When the oracle reports 54 ETH on the beacon chain and collects 10.
    report(&pool, oracle, 2, eth(54), eth(10), U256::ZERO).motsu_unwrap();
    // Then the 10 ETH are buffered and the total is unchanged.
    let p = pool.sender(oracle);
    assert_eq!(p.get_buffered_ether(), eth(10));
    assert_eq!(p.get_total_pooled_ether(), eth(64));
    pool.assert_emitted(&WithdrawalsReceived { amount: eth(10) });
    pool.assert_emitted(&ETHDistributed {
        reportTimestamp: U256::from(T0),
        preCLBalance: eth(64),
        postCLBalance: eth(54),
        withdrawalsWithdrawn: eth(10),
        executionLayerRewardsWithdrawn: U256::ZERO,
        postBufferedEther: eth(10),
    });
}

#[motsu::test]
fn handle_oracle_report_sends_the_ether_to_lock_to_the_queue(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    // Given 5 ETH buffered.
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    stake(&pool, alice, eth(5));
    // When a report locks 3 ETH for requests up to id 7.
    report(&pool, oracle, 0, U256::ZERO, U256::ZERO, eth(3)).motsu_unwrap();
    // Then the queue got 3 ETH with the ids and rate, and the buffer kept 2.
    assert_eq!(
        queue.sender(admin).finalized(),
        (eth(3), U256::from(7), U256::from(10).pow(U256::from(27)))
    );
    assert_eq!(queue.balance(), eth(3));
    assert_eq!(pool.sender(oracle).get_buffered_ether(), eth(2));
    assert_eq!(pool.balance(), eth(2));
    // No validator appeared, so no CLValidatorsUpdated.
    assert!(pool.all_events().iter().all(|e| e.topics()[0] != CLValidatorsUpdated::SIGNATURE_HASH));
}

#[motsu::test]
fn handle_oracle_report_finalizes_named_requests_even_when_they_are_worth_nothing(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    // Given 5 ETH buffered.
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    stake(&pool, alice, eth(5));
    // When a report names requests up to id 7 whose ether rounds to 0 wei.
    report(&pool, oracle, 0, U256::ZERO, U256::ZERO, U256::ZERO).motsu_unwrap();
    // Then the queue still finalizes them (the oracle burns their shares next),
    // and the buffer is untouched.
    assert_eq!(
        queue.sender(admin).finalized(),
        (U256::ZERO, U256::from(7), U256::from(10).pow(U256::from(27)))
    );
    assert_eq!(pool.sender(oracle).get_buffered_ether(), eth(5));
}

#[motsu::test]
fn handle_oracle_report_reverts_when_locking_ether_without_naming_requests(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    // Given 5 ETH buffered.
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    stake(&pool, alice, eth(5));
    let before = snapshot(&pool, &token, oracle);
    // When a report locks 1 ETH with request id 0, it is refused.
    let err = pool
        .sender(oracle)
        .handle_oracle_report(
            U256::from(T0),
            U256::ZERO,
            U256::ZERO,
            U256::ZERO,
            U256::ZERO,
            eth(1),
            U256::from(10).pow(U256::from(27)),
        )
        .motsu_unwrap_err();
    assert_eq!(err, EtherToLockWithoutRequests { ethToLock: eth(1) }.into());
    // Then nothing changed and the queue was not called.
    assert_eq!(snapshot(&pool, &token, oracle), before);
    assert_eq!(queue.sender(admin).finalized(), (U256::ZERO, U256::ZERO, U256::ZERO));
}

#[motsu::test]
fn handle_oracle_report_works_while_stopped(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    pool.sender(admin).stop().motsu_unwrap();
    report(&pool, oracle, 1, eth(32), U256::ZERO, U256::ZERO).motsu_unwrap();
    assert_eq!(pool.sender(oracle).get_beacon_stat(), (U256::from(2), U256::from(1), eth(32)));
}

fn assert_report_rejected(
    pool: &Contract<DepositPool>,
    token: &Contract<MockRebaseToken>,
    caller: Address,
    validators: u64,
    balance: U256,
    withdrawals: U256,
    lock: U256,
    expected: Error,
) {
    let before = snapshot(pool, token, caller);
    let err = report(pool, caller, validators, balance, withdrawals, lock).motsu_unwrap_err();
    assert_eq!(err, expected);
    assert_eq!(snapshot(pool, token, caller), before);
}

#[motsu::test]
fn handle_oracle_report_reverts_when_caller_is_not_the_oracle(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    assert_report_rejected(
        &pool,
        &token,
        admin,
        2,
        eth(64),
        U256::ZERO,
        U256::ZERO,
        Unauthorized { caller: admin }.into(),
    );
}

#[motsu::test]
fn handle_oracle_report_reverts_when_validators_decrease(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    report(&pool, oracle, 2, eth(64), U256::ZERO, U256::ZERO).motsu_unwrap();
    let expected = BeaconValidatorsDecreased { previous: U256::from(2), reported: U256::from(1) };
    assert_report_rejected(
        &pool,
        &token,
        oracle,
        1,
        eth(32),
        U256::ZERO,
        U256::ZERO,
        expected.into(),
    );
}

#[motsu::test]
fn handle_oracle_report_reverts_when_validators_exceed_deposited(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    let expected =
        BeaconValidatorsExceedDeposited { deposited: U256::from(2), reported: U256::from(3) };
    assert_report_rejected(
        &pool,
        &token,
        oracle,
        3,
        eth(96),
        U256::ZERO,
        U256::ZERO,
        expected.into(),
    );
}

#[motsu::test]
fn handle_oracle_report_reverts_when_the_balance_exceeds_128_bits(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    let balance = U256::from(1) << 128;
    assert_report_rejected(
        &pool,
        &token,
        oracle,
        2,
        balance,
        U256::ZERO,
        U256::ZERO,
        AmountTooLarge { amount: balance }.into(),
    );
}

#[motsu::test]
fn handle_oracle_report_reverts_when_withdrawals_exceed_the_unaccounted_ether(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    // Given 3 ETH buffered and 2 ETH arrived beyond the buffer.
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    stake(&pool, alice, eth(3));
    pool.address().fund(eth(2));
    // When a report collects 2 ETH + 1 wei, it is refused (the buffer is not collectable).
    let withdrawals = eth(2) + U256::from(1);
    let expected = WithdrawalsExceedUnaccountedEther { unaccounted: eth(2), withdrawals };
    assert_report_rejected(
        &pool,
        &token,
        oracle,
        2,
        eth(62),
        withdrawals,
        U256::ZERO,
        expected.into(),
    );
}

#[motsu::test]
fn handle_oracle_report_reverts_when_the_ether_to_lock_exceeds_the_buffer(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    stake(&pool, alice, eth(3));
    let expected = EtherToLockExceedsBuffer { buffered: eth(3), ethToLock: eth(4) };
    assert_report_rejected(
        &pool,
        &token,
        oracle,
        0,
        U256::ZERO,
        U256::ZERO,
        eth(4),
        expected.into(),
    );
}

#[motsu::test]
fn handle_oracle_report_reverts_when_locking_without_a_queue(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    ready_to_deposit(&pool, &token, &beacon, admin, 1);
    pool.sender(admin).set_oracle(oracle).motsu_unwrap();
    stake(&pool, alice, eth(3));
    assert_report_rejected(
        &pool,
        &token,
        oracle,
        0,
        U256::ZERO,
        U256::ZERO,
        eth(1),
        WithdrawalQueueNotSet {}.into(),
    );
}

#[motsu::test]
fn handle_oracle_report_bubbles_the_queue_revert(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    beacon: Contract<MockBeaconDeposit>,
    queue: Contract<MockWithdrawalQueue>,
    admin: Address,
    oracle: Address,
    alice: Address,
) {
    two_validators_deposited(&pool, &token, &beacon, &queue, admin, oracle, alice);
    stake(&pool, alice, eth(3));
    queue.sender(admin).set_reject(true);
    let expected = Error::Revert(RevertData(rejected("finalize")));
    assert_report_rejected(&pool, &token, oracle, 2, eth(64), U256::ZERO, eth(1), expected);
    assert_eq!(queue.balance(), U256::ZERO);
}

// ---- roles -------------------------------------------------------------------------------------

#[motsu::test]
fn role_ids_are_the_hashes_of_lidos_names(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    deploy(&pool, &token, admin);
    let p = pool.sender(admin);
    assert_eq!(p.default_admin_role(), B256::ZERO);
    assert_eq!(p.pause_role(), keccak256("PAUSE_ROLE"));
    assert_eq!(p.resume_role(), keccak256("RESUME_ROLE"));
    assert_eq!(p.staking_pause_role(), keccak256("STAKING_PAUSE_ROLE"));
    assert_eq!(p.staking_control_role(), keccak256("STAKING_CONTROL_ROLE"));
    assert_eq!(p.manage_signing_keys(), keccak256("MANAGE_SIGNING_KEYS"));
    assert_eq!(p.deposit_role(), keccak256("DEPOSIT_ROLE"));
    assert_eq!(p.get_role_admin(DEPOSIT_ROLE), DEFAULT_ADMIN_ROLE);
}

#[motsu::test]
fn grant_role_grants_and_emits(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    deploy(&pool, &token, admin);
    pool.sender(admin).grant_role(DEPOSIT_ROLE, alice).motsu_unwrap();
    assert!(pool.sender(admin).has_role(DEPOSIT_ROLE, alice));
    pool.assert_emitted(&RoleGranted { role: DEPOSIT_ROLE, account: alice, sender: admin });
}

#[motsu::test]
fn grant_role_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    deploy(&pool, &token, admin);
    let err = pool.sender(alice).grant_role(DEPOSIT_ROLE, alice).motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, DEFAULT_ADMIN_ROLE));
    assert!(!pool.sender(admin).has_role(DEPOSIT_ROLE, alice));
}

#[motsu::test]
fn revoke_role_revokes_and_emits(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    deploy(&pool, &token, admin);
    pool.sender(admin).grant_role(PAUSE_ROLE, alice).motsu_unwrap();
    pool.sender(admin).revoke_role(PAUSE_ROLE, alice).motsu_unwrap();
    assert!(!pool.sender(admin).has_role(PAUSE_ROLE, alice));
    pool.assert_emitted(&RoleRevoked { role: PAUSE_ROLE, account: alice, sender: admin });
}

#[motsu::test]
fn revoke_role_reverts_when_unauthorized(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    deploy(&pool, &token, admin);
    let err = pool.sender(alice).revoke_role(DEFAULT_ADMIN_ROLE, admin).motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, DEFAULT_ADMIN_ROLE));
    assert!(pool.sender(admin).has_role(DEFAULT_ADMIN_ROLE, admin));
}

#[motsu::test]
fn renounce_role_gives_up_the_callers_role(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    deploy(&pool, &token, admin);
    pool.sender(admin).grant_role(PAUSE_ROLE, alice).motsu_unwrap();
    pool.sender(alice).renounce_role(PAUSE_ROLE, alice).motsu_unwrap();
    assert!(!pool.sender(admin).has_role(PAUSE_ROLE, alice));
    pool.assert_emitted(&RoleRevoked { role: PAUSE_ROLE, account: alice, sender: alice });
}

#[motsu::test]
fn renounce_role_reverts_for_another_account(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
    alice: Address,
) {
    deploy(&pool, &token, admin);
    let err = pool.sender(alice).renounce_role(DEFAULT_ADMIN_ROLE, admin).motsu_unwrap_err();
    assert_eq!(err, AccessControlBadConfirmation {}.into());
    assert!(pool.sender(admin).has_role(DEFAULT_ADMIN_ROLE, admin));
}

#[motsu::test]
fn a_revoked_role_no_longer_authorizes(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    admin: Address,
) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).revoke_role(PAUSE_ROLE, admin).motsu_unwrap();
    assert_eq!(pool.sender(admin).stop().motsu_unwrap_err(), unauthorized(admin, PAUSE_ROLE));
}

// ---- ABI encodings -------------------------------------------------------------------------

#[test]
fn errors_encode_as_alloy_does() {
    // The shared word encoder must produce exactly `SolError::abi_encode`.
    let (a, u, v, w) = (Address::repeat_byte(0xab), U256::from(7), U256::MAX, B256::repeat_byte(3));
    let cases: Vec<(Error, Vec<u8>)> = vec![
        (ZeroAmount {}.into(), ZeroAmount {}.abi_encode()),
        (ZeroAddress {}.into(), ZeroAddress {}.abi_encode()),
        (AmountTooLarge { amount: v }.into(), AmountTooLarge { amount: v }.abi_encode()),
        (TotalOverflow {}.into(), TotalOverflow {}.abi_encode()),
        (Unauthorized { caller: a }.into(), Unauthorized { caller: a }.abi_encode()),
        (
            AccessControlUnauthorizedAccount { account: a, neededRole: w }.into(),
            AccessControlUnauthorizedAccount { account: a, neededRole: w }.abi_encode(),
        ),
        (AccessControlBadConfirmation {}.into(), AccessControlBadConfirmation {}.abi_encode()),
        (ContractStopped {}.into(), ContractStopped {}.abi_encode()),
        (ContractNotStopped {}.into(), ContractNotStopped {}.abi_encode()),
        (AlreadyInitialized {}.into(), AlreadyInitialized {}.abi_encode()),
        (NotInitialized {}.into(), NotInitialized {}.abi_encode()),
        (ExternalCallFailed { target: a }.into(), ExternalCallFailed { target: a }.abi_encode()),
        (StakingIsPaused {}.into(), StakingIsPaused {}.abi_encode()),
        (
            StakeLimitExceeded { limit: u, amount: v }.into(),
            StakeLimitExceeded { limit: u, amount: v }.abi_encode(),
        ),
        (ZeroMaxStakeLimit {}.into(), ZeroMaxStakeLimit {}.abi_encode()),
        (TooLargeMaxStakeLimit {}.into(), TooLargeMaxStakeLimit {}.abi_encode()),
        (TooLargeLimitIncrease {}.into(), TooLargeLimitIncrease {}.abi_encode()),
        (TooSmallLimitIncrease {}.into(), TooSmallLimitIncrease {}.abi_encode()),
        (
            InvalidSigningKeysCount { count: u }.into(),
            InvalidSigningKeysCount { count: u }.abi_encode(),
        ),
        (
            InvalidPubkeysLength { expected: u, actual: v }.into(),
            InvalidPubkeysLength { expected: u, actual: v }.abi_encode(),
        ),
        (
            InvalidSignaturesLength { expected: u, actual: v }.into(),
            InvalidSignaturesLength { expected: u, actual: v }.abi_encode(),
        ),
        (EmptySigningKey { index: u }.into(), EmptySigningKey { index: u }.abi_encode()),
        (
            SigningKeyIndexOutOfRange { index: u, total: v }.into(),
            SigningKeyIndexOutOfRange { index: u, total: v }.abi_encode(),
        ),
        (
            InvalidSigningKeysRange { fromIndex: u, count: v }.into(),
            InvalidSigningKeysRange { fromIndex: u, count: v }.abi_encode(),
        ),
        (
            InvalidWithdrawalCredentials { withdrawalCredentials: w }.into(),
            InvalidWithdrawalCredentials { withdrawalCredentials: w }.abi_encode(),
        ),
        (WithdrawalCredentialsNotSet {}.into(), WithdrawalCredentialsNotSet {}.abi_encode()),
        (BeaconDepositContractNotSet {}.into(), BeaconDepositContractNotSet {}.abi_encode()),
        (WithdrawalQueueNotSet {}.into(), WithdrawalQueueNotSet {}.abi_encode()),
        (
            BeaconValidatorsDecreased { previous: u, reported: v }.into(),
            BeaconValidatorsDecreased { previous: u, reported: v }.abi_encode(),
        ),
        (
            BeaconValidatorsExceedDeposited { deposited: u, reported: v }.into(),
            BeaconValidatorsExceedDeposited { deposited: u, reported: v }.abi_encode(),
        ),
        (
            WithdrawalsExceedUnaccountedEther { unaccounted: u, withdrawals: v }.into(),
            WithdrawalsExceedUnaccountedEther { unaccounted: u, withdrawals: v }.abi_encode(),
        ),
        (
            EtherToLockExceedsBuffer { buffered: u, ethToLock: v }.into(),
            EtherToLockExceedsBuffer { buffered: u, ethToLock: v }.abi_encode(),
        ),
        (Error::Revert(RevertData(vec![1, 2, 3])), vec![1, 2, 3]),
    ];
    for (error, expected) in cases {
        assert_eq!(Vec::<u8>::from(error), expected);
    }
}

#[test]
fn call_selectors_are_the_solidity_signatures() {
    let selector = |signature: &str| -> [u8; 4] { keccak256(signature)[..4].try_into().unwrap() };
    assert_eq!(MINT_SHARES, selector("mintShares(address,uint256)"));
    assert_eq!(UNFINALIZED_STETH, selector("unfinalizedStETH()"));
    assert_eq!(FINALIZE, selector("finalize(uint256,uint256)"));
    assert_eq!(DEPOSIT, selector("deposit(bytes,bytes,bytes,bytes32)"));
    // The beacon deposit contract's selector as published (0x22895118).
    assert_eq!(DEPOSIT, [0x22, 0x89, 0x51, 0x18]);
}

#[test]
fn role_constants_are_the_hashes_of_their_names() {
    assert_eq!(MANAGE_SIGNING_KEYS, keccak256("MANAGE_SIGNING_KEYS"));
    assert_eq!(DEPOSIT_ROLE, keccak256("DEPOSIT_ROLE"));
}

// ---- properties (motsu inside proptest: fresh programs per case) -------------------------

/// One step of the accounting property.
#[derive(Clone, Debug)]
enum Op {
    /// `submit` of `milli` thousandths of an ETH.
    Submit(u64),
    /// The rebase token's own `submit` (through `receiveStake`).
    TokenSubmit(u64),
    /// Plain ether (the `receive` entry point).
    PlainEther(u64),
    /// Ether forced in without a call.
    Forced(u64),
    /// `addSigningKeys(n)`.
    AddKeys(u8),
    /// `depositBufferedEther(max)`.
    Deposit(u8),
    /// A report: `appear` of the unseen validators appear; the consensus
    /// balance moves by `delta` gwei; `withdraw_pct`% of it is withdrawn to
    /// the pool and collected; `lock_pct`% of the buffer goes to the queue.
    Report { appear: u8, delta: i64, withdraw_pct: u8, lock_pct: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u64..200_000).prop_map(Op::Submit),
        (1u64..200_000).prop_map(Op::TokenSubmit),
        (1u64..50_000).prop_map(Op::PlainEther),
        (1u64..5_000).prop_map(Op::Forced),
        (1u8..4).prop_map(Op::AddKeys),
        (0u8..4).prop_map(Op::Deposit),
        (0u8..4, -2_000_000_000i64..3_000_000_000, 0u8..=100, 0u8..=100).prop_map(
            |(appear, delta, withdraw_pct, lock_pct)| Op::Report {
                appear,
                delta,
                withdraw_pct,
                lock_pct
            }
        ),
    ]
}

fn milli(m: u64) -> U256 {
    U256::from(m) * U256::from(1_000_000_000_000_000_u64)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The accounting invariant: after every step, the rebase token's total
    /// pooled ether equals buffered + beacon balance + 32 ETH × unseen
    /// validators, and the buffer matches an independent model of it. For a
    /// report, the token is rebased the way the oracle would: by the rewards
    /// `post CL + withdrawals − (pre CL + 32 ETH × appeared)` minus the ether
    /// locked for withdrawals, computed here, not read from the pool.
    #[test]
    fn token_total_equals_pool_accounting_over_random_sequences(ops in proptest::collection::vec(op(), 1..24)) {
        let pool = Contract::<DepositPool>::new();
        let token = Contract::<MockRebaseToken>::new();
        let beacon = Contract::<MockBeaconDeposit>::new();
        let queue = Contract::<MockWithdrawalQueue>::new();
        let (admin, oracle, alice) = (Address::repeat_byte(1), Address::repeat_byte(2), Address::repeat_byte(3));
        ready_to_deposit(&pool, &token, &beacon, admin, 1);
        pool.sender(admin).set_oracle(oracle).motsu_unwrap();
        pool.sender(admin).set_withdrawal_queue(queue.address()).motsu_unwrap();
        alice.fund(eth(1_000_000));

        // The model: buffered ether, keys, deposited and seen validators, CL balance.
        let (mut buffered, mut keys_total, mut deposited, mut seen, mut cl) = (eth(1), 1u8, 0u64, 0u64, U256::ZERO);
        for op in ops {
            match op {
                Op::Submit(m) => {
                    pool.sender_and_value(alice, milli(m)).submit(Address::ZERO).motsu_unwrap();
                    buffered += milli(m);
                }
                Op::TokenSubmit(m) => {
                    token.sender_and_value(alice, milli(m)).submit(Address::ZERO).motsu_unwrap();
                    buffered += milli(m);
                }
                Op::PlainEther(m) => {
                    pool.sender_and_value(alice, milli(m)).receive().motsu_unwrap();
                    buffered += milli(m);
                }
                Op::Forced(m) => pool.address().fund(milli(m)),
                Op::AddKeys(n) => {
                    let (pubkeys, signatures) = keys(keys_total, n);
                    pool.sender(admin).add_signing_keys(U256::from(n), pubkeys.into(), signatures.into()).motsu_unwrap();
                    keys_total += n;
                }
                Op::Deposit(max) => {
                    let n = pool.sender(admin).deposit_buffered_ether(U256::from(max)).motsu_unwrap();
                    let expected = u64::from(max)
                        .min(u64::from(keys_total) - deposited)
                        .min((buffered / DEPOSIT_SIZE).as_limbs()[0]);
                    prop_assert_eq!(n, U256::from(expected));
                    deposited += expected;
                    buffered -= DEPOSIT_SIZE * U256::from(expected);
                }
                Op::Report { appear, delta, withdraw_pct, lock_pct } => {
                    let appeared = u64::from(appear).min(deposited - seen);
                    let gwei = U256::from(1_000_000_000_u64) * U256::from(delta.unsigned_abs());
                    let pre_cl = cl + DEPOSIT_SIZE * U256::from(appeared);
                    let moved = if delta >= 0 { pre_cl + gwei } else { pre_cl.saturating_sub(gwei) };
                    let withdrawn = moved * U256::from(withdraw_pct) / U256::from(100);
                    let post_cl = moved - withdrawn;
                    pool.address().fund(withdrawn);
                    let lock = (buffered + withdrawn) * U256::from(lock_pct) / U256::from(100);
                    let token_before = token.sender(alice).get_total_pooled_ether();
                    pool.sender(oracle)
                        .handle_oracle_report(U256::from(T0), U256::from(seen + appeared), post_cl, withdrawn, U256::from(1), lock, U256::ZERO)
                        .motsu_unwrap();
                    // The oracle's rebase: pre total + rewards − locked.
                    let rebased = token_before + post_cl + withdrawn - pre_cl - lock;
                    token.sender(oracle).set_total_pooled_ether(rebased);
                    seen += appeared;
                    cl = post_cl;
                    buffered = buffered + withdrawn - lock;
                }
            }
            let p = pool.sender(alice);
            prop_assert_eq!(token.sender(alice).get_total_pooled_ether(), p.get_total_pooled_ether());
            prop_assert_eq!(p.get_buffered_ether(), buffered);
            prop_assert_eq!(p.get_beacon_stat(), (U256::from(deposited), U256::from(seen), cl));
            prop_assert!(p.get_buffered_ether() <= pool.balance());
        }
    }

    /// The staking limit never exceeds its maximum, refills linearly in time
    /// (`min(prev + elapsed * floor(max / growth), max)`), and a stake passes
    /// exactly when it is within the current limit.
    #[test]
    fn stake_limit_never_exceeds_max_and_refills_linearly(
        max_milli in 1u64..10_000_000,
        inc_pct in 1u64..=100,
        steps in proptest::collection::vec((0u64..2_000, 0u64..=120), 1..12),
    ) {
        let pool = Contract::<DepositPool>::new();
        let token = Contract::<MockRebaseToken>::new();
        let (admin, alice) = (Address::repeat_byte(1), Address::repeat_byte(3));
        set_time(T0);
        bootstrap(&pool, &token, admin);
        let max = milli(max_milli);
        let inc = (max * U256::from(inc_pct) / U256::from(100)).max(U256::from(1));
        pool.sender(admin).set_staking_limit(max, inc).motsu_unwrap();
        alice.fund(max * U256::from(20));
        let per_second = max / (max / inc);
        let (mut prev, mut since, mut now) = (max, T0, T0);
        for (dt, pct) in steps {
            now += dt;
            set_time(now);
            let expected = (prev + U256::from(now - since) * per_second).min(max);
            let current = pool.sender(alice).get_current_stake_limit();
            prop_assert_eq!(current, expected);
            prop_assert!(current <= max);
            let amount = current * U256::from(pct) / U256::from(100) + U256::from(pct / 101);
            if amount.is_zero() {
                continue;
            }
            let result = pool.sender_and_value(alice, amount).submit(Address::ZERO).motsu_res();
            if amount <= current {
                prop_assert!(result.is_ok());
                prev = current - amount;
                since = now;
            } else {
                prop_assert_eq!(result, Err(StakeLimitExceeded { limit: current, amount }.into()));
            }
        }
        set_time(now + 10_000_000_000);
        prop_assert_eq!(pool.sender(alice).get_current_stake_limit(), max);
    }
}

// ---- ABI pin: every Solidity signature reaches a function through the router -----------

/// The pool's Solidity ABI (what dapps, the oracle and the scripts call).
const ABI: &[&str] = &[
    "initialize()",
    "submit(address)",
    "receiveStake(address,address)",
    "getBufferedEther()",
    "getDepositableEther()",
    "canDeposit()",
    "getTotalPooledEther()",
    "getBeaconStat()",
    "setStakingLimit(uint256,uint256)",
    "removeStakingLimit()",
    "pauseStaking()",
    "resumeStaking()",
    "isStakingPaused()",
    "getCurrentStakeLimit()",
    "getStakeLimitFullInfo()",
    "stop()",
    "resume()",
    "isStopped()",
    "addSigningKeys(uint256,bytes,bytes)",
    "removeSigningKeys(uint256,uint256)",
    "getSigningKey(uint256)",
    "getTotalSigningKeys()",
    "getUnusedSigningKeysCount()",
    "setWithdrawalCredentials(bytes32)",
    "getWithdrawalCredentials()",
    "setBeaconDepositContract(address)",
    "getBeaconDepositContract()",
    "setOracle(address)",
    "getOracle()",
    "setWithdrawalQueue(address)",
    "getWithdrawalQueue()",
    "getRebaseToken()",
    "depositBufferedEther(uint256)",
    "handleOracleReport(uint256,uint256,uint256,uint256,uint256,uint256,uint256)",
    "hasRole(bytes32,address)",
    "getRoleAdmin(bytes32)",
    "grantRole(bytes32,address)",
    "revokeRole(bytes32,address)",
    "renounceRole(bytes32,address)",
    "DEFAULT_ADMIN_ROLE()",
    "PAUSE_ROLE()",
    "RESUME_ROLE()",
    "STAKING_PAUSE_ROLE()",
    "STAKING_CONTROL_ROLE()",
    "MANAGE_SIGNING_KEYS()",
    "DEPOSIT_ROLE()",
];

#[motsu::test]
fn every_abi_signature_reaches_a_function(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    caller: Contract<RawCaller>,
    admin: Address,
) {
    // Given a running pool. When each signature is called through the router
    // with zeroed arguments (dynamic `bytes` as empty), the router finds a
    // function: the call succeeds or reverts with the function's own error,
    // never with "no function for this selector".
    bootstrap(&pool, &token, admin);
    for signature in ABI {
        let args = signature.matches(',').count() + usize::from(!signature.ends_with("()"));
        let mut data = keccak256(signature)[..4].to_vec();
        if *signature == "addSigningKeys(uint256,bytes,bytes)" {
            // count, offset of pubkeys, offset of signatures, two empty byte strings.
            for word in [0u8, 0x60, 0x80, 0, 0] {
                let mut w = [0u8; 32];
                w[31] = word;
                data.extend_from_slice(&w);
            }
        } else {
            data.resize(4 + 32 * args, 0);
        }
        let result = caller.sender(admin).forward(pool.address(), data.into()).motsu_res();
        if let Err(err) = result {
            let text = String::from_utf8_lossy(&err);
            assert!(!text.contains("function not found"), "{signature} is not routed");
            assert!(err.len() >= 4, "{signature} reverted without an error: {err:?}");
        }
    }
    // And the IDepositPool interface that other programs use is part of it.
    for signature in [
        "submit(address)",
        "receiveStake(address,address)",
        "getBufferedEther()",
        "getBeaconStat()",
    ] {
        assert!(ABI.contains(&signature));
    }
}

#[motsu::test]
fn views_return_their_abi_encoding_through_the_router(
    pool: Contract<DepositPool>,
    token: Contract<MockRebaseToken>,
    caller: Contract<RawCaller>,
    admin: Address,
) {
    // The 7-word stake limit tuple and the beacon stat tuple keep Lido's layout.
    set_time(T0);
    bootstrap(&pool, &token, admin);
    pool.sender(admin).set_staking_limit(eth(10), eth(1)).motsu_unwrap();
    let call = |signature: &str| -> Vec<u8> {
        caller
            .sender(admin)
            .forward(pool.address(), keccak256(signature)[..4].to_vec().into())
            .motsu_unwrap()
            .to_vec()
    };
    let info = call("getStakeLimitFullInfo()");
    assert_eq!(info.len(), 7 * 32);
    let words: Vec<U256> = info.chunks(32).map(U256::from_be_slice).collect();
    assert_eq!(
        words,
        vec![U256::ZERO, U256::from(1), eth(10), eth(10), U256::from(10), eth(10), U256::from(T0)]
    );
    let stat = call("getBeaconStat()");
    assert_eq!(stat.len(), 3 * 32);
    assert_eq!(U256::from_be_slice(&call("getBufferedEther()")), eth(1));
}
