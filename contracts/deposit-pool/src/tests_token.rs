//! The deposit pool with the real rebase token (`rebase-token` crate): the
//! bootstrap, the three staking entry points (pool `submit`, token `submit`
//! through `receiveStake`, plain ether to the token and to the pool), and
//! the accounting invariant with the token rebased by an oracle account.
#![allow(clippy::too_many_lines)]

use alloy_primitives::{Address, U256};
use motsu::prelude::*;
use proptest::prelude::*;
use rebase_token::RebaseToken;
use staking_common::{
    events::{Submitted, Transfer, TransferShares},
    roles::{RESUME_ROLE, STAKING_CONTROL_ROLE},
    DEPOSIT_SIZE, INITIAL_TOKEN_HOLDER,
};

use crate::{
    mocks::{MockBeaconDeposit, MockWithdrawalQueue},
    DepositPool, StakeLimitExceeded, StakingIsPaused, DEPOSIT_ROLE, MANAGE_SIGNING_KEYS,
};

fn eth(n: u64) -> U256 {
    U256::from(n) * U256::from(1_000_000_000_000_000_000_u64)
}

/// Deploys the real token and the pool, wires them (the token's privileged
/// programs: this pool, `oracle`, `queue`), bootstraps with 1 ETH, resumes.
fn deploy(
    pool: &Contract<DepositPool>,
    token: &Contract<RebaseToken>,
    admin: Address,
    oracle: Address,
    queue: Address,
) {
    token
        .sender(admin)
        .constructor("Liquid staked Ether 2.0".into(), "stETH".into(), admin)
        .motsu_unwrap();
    token.sender(admin).set_protocol_contracts(pool.address(), oracle, queue).motsu_unwrap();
    pool.sender(admin).constructor(admin, token.address()).motsu_unwrap();
    for role in [RESUME_ROLE, STAKING_CONTROL_ROLE, MANAGE_SIGNING_KEYS, DEPOSIT_ROLE] {
        pool.sender(admin).grant_role(role, admin).motsu_unwrap();
    }
    pool.sender(admin).set_oracle(oracle).motsu_unwrap();
    pool.sender(admin).set_withdrawal_queue(queue).motsu_unwrap();
    admin.fund(eth(1));
    pool.sender_and_value(admin, eth(1)).initialize().motsu_unwrap();
    pool.sender(admin).resume().motsu_unwrap();
}

#[motsu::test]
fn bootstrap_mints_one_to_one_shares_to_dead(
    pool: Contract<DepositPool>,
    token: Contract<RebaseToken>,
    admin: Address,
    oracle: Address,
    queue: Address,
) {
    // Given/when: the pool is bootstrapped with 1 ETH against the real token.
    deploy(&pool, &token, admin, oracle, queue);
    // Then 0xdead holds 1 ETH of shares, and both totals agree.
    let t = token.sender(admin);
    assert_eq!(t.shares_of(INITIAL_TOKEN_HOLDER), eth(1));
    assert_eq!(t.get_total_shares(), eth(1));
    assert_eq!(t.get_total_pooled_ether(), pool.sender(admin).get_total_pooled_ether());
    pool.assert_emitted(&Submitted {
        sender: INITIAL_TOKEN_HOLDER,
        amount: eth(1),
        referral: Address::ZERO,
    });
    token.assert_emitted(&TransferShares {
        from: Address::ZERO,
        to: INITIAL_TOKEN_HOLDER,
        sharesValue: eth(1),
    });
}

#[motsu::test]
fn pool_submit_mints_real_shares(
    pool: Contract<DepositPool>,
    token: Contract<RebaseToken>,
    admin: Address,
    oracle: Address,
    queue: Address,
    alice: Address,
) {
    deploy(&pool, &token, admin, oracle, queue);
    alice.fund(eth(4));
    let shares = pool.sender_and_value(alice, eth(4)).submit(Address::ZERO).motsu_unwrap();
    assert_eq!(shares, eth(4));
    assert_eq!(token.sender(alice).balance_of(alice), eth(4));
    pool.assert_emitted(&Submitted { sender: alice, amount: eth(4), referral: Address::ZERO });
    token.assert_emitted(&Transfer { from: Address::ZERO, to: alice, value: eth(4) });
    token.assert_emitted(&TransferShares { from: Address::ZERO, to: alice, sharesValue: eth(4) });
    assert_eq!(
        token.sender(alice).get_total_pooled_ether(),
        pool.sender(alice).get_total_pooled_ether()
    );
}

#[motsu::test]
fn token_submit_stakes_through_receive_stake(
    pool: Contract<DepositPool>,
    token: Contract<RebaseToken>,
    admin: Address,
    oracle: Address,
    queue: Address,
    alice: Address,
    referral: Address,
) {
    // When alice stakes through stETH's `submit` on the token.
    deploy(&pool, &token, admin, oracle, queue);
    alice.fund(eth(6));
    let shares = token.sender_and_value(alice, eth(6)).submit(referral).motsu_unwrap();
    // Then the pool holds and buffers the ether, Submitted names alice, and the token minted.
    assert_eq!(shares, eth(6));
    assert_eq!(token.sender(alice).balance_of(alice), eth(6));
    assert_eq!(pool.balance(), eth(7));
    assert_eq!(token.balance(), U256::ZERO);
    assert_eq!(pool.sender(alice).get_buffered_ether(), eth(7));
    pool.assert_emitted(&Submitted { sender: alice, amount: eth(6), referral });
    assert_eq!(
        token.sender(alice).get_total_pooled_ether(),
        pool.sender(alice).get_total_pooled_ether()
    );
}

#[motsu::test]
fn plain_ether_to_the_token_stakes_through_receive_stake(
    pool: Contract<DepositPool>,
    token: Contract<RebaseToken>,
    admin: Address,
    oracle: Address,
    queue: Address,
    alice: Address,
) {
    deploy(&pool, &token, admin, oracle, queue);
    alice.fund(eth(2));
    token.sender_and_value(alice, eth(2)).receive().motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), eth(2));
    assert_eq!(pool.sender(alice).get_buffered_ether(), eth(3));
    pool.assert_emitted(&Submitted { sender: alice, amount: eth(2), referral: Address::ZERO });
}

#[motsu::test]
fn the_pools_refusal_reaches_token_stakers(
    pool: Contract<DepositPool>,
    token: Contract<RebaseToken>,
    admin: Address,
    oracle: Address,
    queue: Address,
    alice: Address,
) {
    // Given a 1 ETH limit. When alice stakes 2 ETH through the token, it reverts
    // with the pool's error and nothing changes.
    deploy(&pool, &token, admin, oracle, queue);
    pool.sender(admin).set_staking_limit(eth(1), U256::ZERO).motsu_unwrap();
    alice.fund(eth(2));
    let before = (
        pool.sender(alice).get_buffered_ether(),
        token.sender(alice).get_total_shares(),
        pool.balance(),
    );
    let err: Vec<u8> =
        token.sender_and_value(alice, eth(2)).submit(Address::ZERO).motsu_unwrap_err();
    let limit = pool.sender(alice).get_current_stake_limit();
    assert_eq!(
        err,
        Vec::<u8>::from(crate::Error::from(StakeLimitExceeded { limit, amount: eth(2) }))
    );
    assert_eq!(
        before,
        (
            pool.sender(alice).get_buffered_ether(),
            token.sender(alice).get_total_shares(),
            pool.balance()
        )
    );
    // And while staking is paused, the same.
    pool.sender(admin).remove_staking_limit().motsu_unwrap();
    pool.sender(admin).grant_role(staking_common::roles::STAKING_PAUSE_ROLE, admin).motsu_unwrap();
    pool.sender(admin).pause_staking().motsu_unwrap();
    let err: Vec<u8> =
        token.sender_and_value(alice, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Vec::<u8>::from(crate::Error::from(StakingIsPaused {})));
}

/// One step of the property.
#[derive(Clone, Debug)]
enum Step {
    PoolSubmit(u64),
    TokenSubmit(u64),
    AddKeys(u8),
    Deposit(u8),
    Report { appear: u8, delta_gwei: i64, withdraw_pct: u8, lock_pct: u8 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1u64..100_000).prop_map(Step::PoolSubmit),
        (1u64..100_000).prop_map(Step::TokenSubmit),
        (1u8..3).prop_map(Step::AddKeys),
        (0u8..3).prop_map(Step::Deposit),
        (0u8..3, -1_000_000_000i64..2_000_000_000, 0u8..=100, 0u8..=50).prop_map(
            |(appear, delta_gwei, withdraw_pct, lock_pct)| Step::Report {
                appear,
                delta_gwei,
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

    /// With the real token, after every step: token total pooled ether ==
    /// buffered + beacon balance + 32 ETH × unseen validators. Reports are
    /// followed by the token's `rebase` from the oracle account with the
    /// total the oracle computes (pre + rewards − locked), not read from the pool.
    #[test]
    fn real_token_total_equals_pool_accounting(steps in proptest::collection::vec(step(), 1..20)) {
        let pool = Contract::<DepositPool>::new();
        let token = Contract::<RebaseToken>::new();
        let beacon = Contract::<MockBeaconDeposit>::new();
        let queue = Contract::<MockWithdrawalQueue>::new();
        let (admin, oracle, alice) = (Address::repeat_byte(1), Address::repeat_byte(2), Address::repeat_byte(3));
        deploy(&pool, &token, admin, oracle, queue.address());
        pool.sender(admin).set_beacon_deposit_contract(beacon.address()).motsu_unwrap();
        let mut wc = alloy_primitives::B256::left_padding_from(pool.address().as_slice());
        wc[0] = 1;
        pool.sender(admin).set_withdrawal_credentials(wc).motsu_unwrap();
        alice.fund(eth(1_000_000));

        let (mut keys_total, mut deposited, mut seen, mut cl) = (0u8, 0u64, 0u64, U256::ZERO);
        for step in steps {
            match step {
                Step::PoolSubmit(m) => {
                    pool.sender_and_value(alice, milli(m)).submit(Address::ZERO).motsu_unwrap();
                }
                Step::TokenSubmit(m) => {
                    token.sender_and_value(alice, milli(m)).submit(Address::ZERO).motsu_unwrap();
                }
                Step::AddKeys(n) => {
                    let (pubkeys, signatures) = crate::tests::keys(keys_total, n);
                    pool.sender(admin).add_signing_keys(U256::from(n), pubkeys.into(), signatures.into()).motsu_unwrap();
                    keys_total += n;
                }
                Step::Deposit(max) => {
                    let n = pool.sender(admin).deposit_buffered_ether(U256::from(max)).motsu_unwrap();
                    deposited += n.as_limbs()[0];
                }
                Step::Report { appear, delta_gwei, withdraw_pct, lock_pct } => {
                    let appeared = u64::from(appear).min(deposited - seen);
                    let gwei = U256::from(1_000_000_000_u64) * U256::from(delta_gwei.unsigned_abs());
                    let pre_cl = cl + DEPOSIT_SIZE * U256::from(appeared);
                    let moved = if delta_gwei >= 0 { pre_cl + gwei } else { pre_cl.saturating_sub(gwei) };
                    let withdrawn = moved * U256::from(withdraw_pct) / U256::from(100);
                    let post_cl = moved - withdrawn;
                    pool.address().fund(withdrawn);
                    let buffered = pool.sender(alice).get_buffered_ether();
                    let lock = (buffered + withdrawn) * U256::from(lock_pct) / U256::from(100);
                    let pre_total = token.sender(alice).get_total_pooled_ether();
                    pool.sender(oracle)
                        .handle_oracle_report(U256::from(1), U256::from(seen + appeared), post_cl, withdrawn, U256::from(1), lock, U256::ZERO)
                        .motsu_unwrap();
                    let post_total = pre_total + post_cl + withdrawn - pre_cl - lock;
                    token.sender(oracle)
                        .rebase(U256::from(1), U256::from(86_400), post_total, U256::ZERO, Address::ZERO, U256::ZERO, Address::ZERO, U256::ZERO)
                        .motsu_unwrap();
                    seen += appeared;
                    cl = post_cl;
                }
            }
            let p = pool.sender(alice);
            prop_assert_eq!(token.sender(alice).get_total_pooled_ether(), p.get_total_pooled_ether());
            prop_assert_eq!(p.get_beacon_stat(), (U256::from(deposited), U256::from(seen), cl));
            prop_assert!(p.get_buffered_ether() <= pool.balance());
        }
    }
}
