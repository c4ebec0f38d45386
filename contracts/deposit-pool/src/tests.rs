//! Unit tests (motsu) and properties (proptest) of the deposit pool.
//!
//! Every revert is checked with `motsu_unwrap_err()` (which rolls the state
//! back as a real revert would) and followed by a [`Snapshot`] comparison:
//! buffer, limit word, keys, beacon state, flags, configuration, and the
//! ether balances of the pool, the token and the caller are unchanged.
//!
//! Time: motsu's `block_timestamp` is a constant, so the pool reads the
//! thread-local clock below when a test sets it ([`set_time`]).
#![allow(clippy::too_many_lines, clippy::unreadable_literal)]

use core::cell::Cell;

use alloy_primitives::{address, keccak256, Address, B256, U256};
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
    roles::{DEFAULT_ADMIN_ROLE, PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE, STAKING_PAUSE_ROLE},
    DEPOSIT_SIZE, INITIAL_TOKEN_HOLDER,
};

use crate::{
    calls::{DEPOSIT, FINALIZE, MINT_SHARES, UNFINALIZED_STETH},
    deposit_data::deposit_data_root,
    mocks::{
        rejected, ssz_deposit_data_root, MockBeaconDeposit, MockRebaseToken, MockWithdrawalQueue,
        RawCaller,
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
fn keys(first: u8, count: u8) -> (Vec<u8>, Vec<u8>) {
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

fn snapshot(pool: &Contract<DepositPool>, token: &Contract<MockRebaseToken>, caller: Address) -> Snapshot {
    let viewer = Address::repeat_byte(0x77);
    let p = pool.sender(viewer);
    Snapshot {
        buffered: p.get_buffered_ether(),
        total_pooled: p.get_total_pooled_ether(),
        beacon_stat: p.get_beacon_stat(),
        limit: p.get_stake_limit_full_info(),
        stopped: p.is_stopped(),
        total_keys: p.get_total_signing_keys(),
        first_key: p.get_signing_key(U256::ZERO).ok().map(|(a, b, c)| (a.to_vec(), b.to_vec(), c)),
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
    pool.sender(admin).add_signing_keys(U256::from(n), pubkeys.into(), signatures.into()).motsu_unwrap();
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
fn constructor_grants_admin_and_starts_stopped(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address) {
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
fn constructor_reverts_when_admin_is_zero(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address) {
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
fn initialize_buffers_the_seed_and_mints_dead_shares(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address) {
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
    pool.assert_emitted(&Submitted { sender: INITIAL_TOKEN_HOLDER, amount: eth(2), referral: Address::ZERO });
    // And the pool stays stopped.
    assert!(pool.sender(admin).is_stopped());
}

#[motsu::test]
fn initialize_reverts_when_called_twice(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address) {
    deploy(&pool, &token, admin);
    admin.fund(eth(2));
    pool.sender_and_value(admin, eth(1)).initialize().motsu_unwrap();
    let before = snapshot(&pool, &token, admin);
    let err = pool.sender_and_value(admin, eth(1)).initialize().motsu_unwrap_err();
    assert_eq!(err, AlreadyInitialized {}.into());
    assert_eq!(snapshot(&pool, &token, admin), before);
}

#[motsu::test]
fn initialize_reverts_when_seed_is_zero(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address) {
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
fn initialize_reverts_when_caller_is_not_admin(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
    deploy(&pool, &token, admin);
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender_and_value(alice, eth(1)).initialize().motsu_unwrap_err();
    assert_eq!(err, unauthorized(alice, DEFAULT_ADMIN_ROLE));
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn initialize_bubbles_the_token_revert(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address) {
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
fn submit_buffers_the_ether_and_mints_shares(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address, referral: Address) {
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
    assert_eq!(token.sender(alice).get_total_pooled_ether(), pool.sender(alice).get_total_pooled_ether());
}

#[motsu::test]
fn submit_mints_at_the_rate_before_the_deposit(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
    // Given a rate of 1.5 (1 share for 1.5 ETH), as after a rebase.
    bootstrap(&pool, &token, admin);
    token.sender(admin).set_total_pooled_ether(U256::from(1_500_000_000_000_000_000_u64));
    // When alice stakes 1 ETH, the shares are floor(1 * 1 / 1.5).
    let shares = stake(&pool, alice, eth(1));
    assert_eq!(shares, U256::from(666_666_666_666_666_666_u64));
}

#[motsu::test]
fn submit_reverts_when_value_is_zero(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
    bootstrap(&pool, &token, admin);
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender(alice).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, ZeroAmount {}.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn submit_reverts_when_staking_is_paused(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).pause_staking().motsu_unwrap();
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender_and_value(alice, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, StakingIsPaused {}.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn submit_reverts_before_initialize(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
    deploy(&pool, &token, admin);
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender_and_value(alice, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, StakingIsPaused {}.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn submit_reverts_when_the_pool_is_stopped(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
    bootstrap(&pool, &token, admin);
    pool.sender(admin).stop().motsu_unwrap();
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender_and_value(alice, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, StakingIsPaused {}.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn submit_reverts_when_over_the_stake_limit(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
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
fn submit_consumes_the_stake_limit(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
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
fn submit_reverts_when_the_buffer_would_pass_96_bits(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
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
fn submit_bubbles_the_token_revert(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
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
fn receive_stakes_like_submit_with_no_referral(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
    bootstrap(&pool, &token, admin);
    alice.fund(eth(3));
    pool.sender_and_value(alice, eth(3)).receive().motsu_unwrap();
    assert_eq!(token.sender(alice).shares_of(alice), eth(3));
    assert_eq!(pool.sender(alice).get_buffered_ether(), eth(4));
    pool.assert_emitted(&Submitted { sender: alice, amount: eth(3), referral: Address::ZERO });
}

#[motsu::test]
fn receive_reverts_when_value_is_zero(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
    bootstrap(&pool, &token, admin);
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender(alice).receive().motsu_unwrap_err();
    assert_eq!(err, ZeroAmount {}.abi_encode());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn plain_ether_through_the_router_stakes(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, caller: Contract<RawCaller>, admin: Address, alice: Address) {
    // Given a running pool. When ether arrives with empty calldata (through the router).
    bootstrap(&pool, &token, admin);
    alice.fund(eth(2));
    caller.sender_and_value(alice, eth(2)).forward(pool.address(), Vec::new().into()).motsu_unwrap();
    // Then it is staked for the sender (the forwarding program).
    assert_eq!(token.sender(alice).shares_of(caller.address()), eth(2));
    assert_eq!(pool.sender(alice).get_buffered_ether(), eth(3));
    pool.assert_emitted(&Submitted { sender: caller.address(), amount: eth(2), referral: Address::ZERO });
}

#[motsu::test]
fn unknown_calldata_reverts_with_or_without_value(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, caller: Contract<RawCaller>, admin: Address, alice: Address) {
    bootstrap(&pool, &token, admin);
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    // When calldata matches no function, the call reverts (there is no fallback).
    let data = vec![0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1];
    caller.sender_and_value(alice, eth(1)).forward(pool.address(), data.clone().into()).motsu_unwrap_err();
    assert_eq!(snapshot(&pool, &token, alice), before);
    caller.sender(alice).forward(pool.address(), data.into()).motsu_unwrap_err();
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn submit_through_the_router_returns_the_shares(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, caller: Contract<RawCaller>, admin: Address, alice: Address) {
    // Given a running pool. When `submit(address)` is called by its selector.
    bootstrap(&pool, &token, admin);
    alice.fund(eth(4));
    let mut data = keccak256("submit(address)")[..4].to_vec();
    data.extend_from_slice(alice.into_word().as_slice());
    let out = caller.sender_and_value(alice, eth(4)).forward(pool.address(), data.into()).motsu_unwrap();
    // Then it returns the shares as one ABI word.
    assert_eq!(U256::from_be_slice(&out), eth(4));
}

// ---- receiveStake (the token's own submit) ----------------------------------------------

#[motsu::test]
fn token_submit_goes_through_receive_stake_without_re_entry(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address, referral: Address) {
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
    assert_eq!(token.sender(alice).get_total_pooled_ether(), pool.sender(alice).get_total_pooled_ether());
}

#[motsu::test]
fn receive_stake_reverts_when_caller_is_not_the_token(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
    bootstrap(&pool, &token, admin);
    alice.fund(eth(1));
    let before = snapshot(&pool, &token, alice);
    let err = pool.sender_and_value(alice, eth(1)).receive_stake(alice, Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Unauthorized { caller: alice }.into());
    assert_eq!(snapshot(&pool, &token, alice), before);
}

#[motsu::test]
fn token_submit_reverts_when_staking_is_paused(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
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
fn token_submit_reverts_when_over_the_stake_limit(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
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
fn forced_ether_changes_no_accounting(pool: Contract<DepositPool>, token: Contract<MockRebaseToken>, admin: Address, alice: Address) {
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
