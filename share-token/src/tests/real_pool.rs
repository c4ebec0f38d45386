//! `receive()` through the real deposit pool (`deposit-pool` crate) and the
//! real rebase token: stake and wrap in one call, as a dapp sees it.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolError};
use deposit_pool::DepositPool;
use motsu::prelude::*;
use rebase_token::RebaseToken;
use staking_common::{
    events::{Submitted, Transfer, TransferShares},
    roles::{RESUME_ROLE, STAKING_PAUSE_ROLE},
};

use super::{ether, NAME, SEED, SYMBOL};
use crate::ShareToken;

sol! {
    /// The deposit pool's error for a stake while staking is paused.
    error StakingIsPaused();
}

/// The three programs, wired and running: the pool bootstrapped with
/// [`SEED`] and resumed, the share token staking through it.
struct Protocol {
    token: Contract<RebaseToken>,
    pool: Contract<DepositPool>,
    share: Contract<ShareToken>,
    admin: Address,
}

impl Protocol {
    fn new() -> Self {
        let p = Self {
            token: Contract::new(),
            pool: Contract::new(),
            share: Contract::new(),
            admin: Address::from_tag("admin"),
        };
        let admin = p.admin;
        p.token
            .sender(admin)
            .constructor("Liquid staked Ether 2.0".into(), "stETH".into(), admin)
            .motsu_unwrap();
        p.pool.sender(admin).constructor(admin, p.token.address()).motsu_unwrap();
        p.token
            .sender(admin)
            .set_protocol_contracts(
                p.pool.address(),
                Address::from_tag("oracle"),
                Address::from_tag("queue"),
            )
            .motsu_unwrap();
        admin.fund(SEED);
        p.pool.sender_and_value(admin, SEED).initialize().motsu_unwrap();
        p.pool.sender(admin).grant_role(RESUME_ROLE, admin).motsu_unwrap();
        p.pool.sender(admin).grant_role(STAKING_PAUSE_ROLE, admin).motsu_unwrap();
        p.pool.sender(admin).resume().motsu_unwrap();
        p.share
            .sender(admin)
            .constructor(NAME.into(), SYMBOL.into(), p.token.address(), p.pool.address())
            .motsu_unwrap();
        p
    }
}

#[motsu::test]
fn receive_stakes_through_the_real_pool_and_wraps(alice: Address) {
    // Given the running protocol at rate 1
    let p = Protocol::new();
    let share = p.share.address();
    // When alice sends 5 ether to the share token
    alice.fund(ether(5));
    p.share.sender_and_value(alice, ether(5)).receive().motsu_unwrap();
    // Then the pool buffered it, staked for the share token, which holds the
    // new shares, and alice holds as many units
    assert_eq!(p.pool.sender(alice).get_buffered_ether(), SEED + ether(5));
    assert_eq!(p.token.sender(alice).shares_of(share), ether(5));
    assert_eq!(p.share.sender(alice).balance_of(alice), ether(5));
    assert_eq!(p.share.sender(alice).total_supply(), ether(5));
    p.pool.assert_emitted(&Submitted { sender: share, amount: ether(5), referral: Address::ZERO });
    p.token.assert_emitted(&TransferShares {
        from: Address::ZERO,
        to: share,
        sharesValue: ether(5),
    });
    p.share.assert_emitted(&Transfer { from: Address::ZERO, to: alice, value: ether(5) });
}

#[motsu::test]
fn receive_then_unwrap_gives_the_staker_the_shares(alice: Address) {
    // Given alice staked and wrapped through receive()
    let p = Protocol::new();
    alice.fund(ether(3));
    p.share.sender_and_value(alice, ether(3)).receive().motsu_unwrap();
    // When she unwraps everything
    let value = p.share.sender(alice).unwrap(ether(3)).motsu_unwrap();
    // Then she holds the 3 ether of shares directly
    assert_eq!(value, ether(3));
    assert_eq!(p.token.sender(alice).shares_of(alice), ether(3));
    assert_eq!(p.share.sender(alice).total_supply(), U256::ZERO);
}

#[motsu::test]
fn receive_reverts_with_the_pool_error_when_staking_is_paused(alice: Address) {
    // Given staking is paused in the real pool
    let p = Protocol::new();
    p.pool.sender(p.admin).pause_staking().motsu_unwrap();
    alice.fund(ether(1));
    // When alice sends ether to the share token
    let err = p.share.sender_and_value(alice, ether(1)).receive().motsu_unwrap_err();
    // Then StakingIsPaused() reaches her, her ether is back and nothing moved
    assert_eq!(err, StakingIsPaused {}.abi_encode());
    #[allow(deprecated)] // motsu reads ether balances through this hostio
    let refunded = stylus_sdk::prelude::AddressVM::balance(&alice);
    assert_eq!(refunded, ether(1));
    assert_eq!(p.pool.sender(alice).get_buffered_ether(), SEED);
    assert_eq!(p.share.sender(alice).total_supply(), U256::ZERO);
}
