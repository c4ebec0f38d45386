//! Conversion views: they are the rebase token's conversions, before and
//! after neutral, +5 % and −5 % rebases.

use alloy_primitives::{Address, U256};
use motsu::prelude::*;
use staking_common::{errors::AmountTooLarge, math::MAX_AMOUNT};

use super::{ether, Env, ETHER};

/// Checks every view against the rebase token at the current rate.
fn assert_views_match_the_rebase_token(env: &Env, reader: Address) {
    let share = env.share.sender(reader);
    let token = env.token.sender(reader);
    for x in [U256::ZERO, U256::from(1), U256::from(999), ether(1), ether(12_345) + U256::from(7)] {
        assert_eq!(
            share.get_wst_eth_by_st_eth(x).motsu_unwrap(),
            token.get_shares_by_pooled_eth(x).motsu_unwrap()
        );
        assert_eq!(
            share.get_st_eth_by_wst_eth(x).motsu_unwrap(),
            token.get_pooled_eth_by_shares(x).motsu_unwrap()
        );
    }
    assert_eq!(
        share.st_eth_per_token().motsu_unwrap(),
        token.get_pooled_eth_by_shares(ETHER).motsu_unwrap()
    );
    assert_eq!(
        share.tokens_per_st_eth().motsu_unwrap(),
        token.get_shares_by_pooled_eth(ETHER).motsu_unwrap()
    );
}

#[motsu::test]
fn st_eth_is_the_rebase_token(alice: Address) {
    // Given a constructed share token
    let env = Env::new();
    // Then stETH() returns the rebase token
    assert_eq!(env.share.sender(alice).st_eth(), env.token.address());
}

#[motsu::test]
fn views_are_one_to_one_at_rate_one(alice: Address) {
    // Given the bootstrap rate (P == S)
    let env = Env::new();
    // Then one unit is worth one stETH both ways
    assert_eq!(env.share.sender(alice).st_eth_per_token().motsu_unwrap(), ETHER);
    assert_eq!(env.share.sender(alice).tokens_per_st_eth().motsu_unwrap(), ETHER);
    assert_views_match_the_rebase_token(&env, alice);
}

#[motsu::test]
fn views_follow_neutral_positive_and_negative_rebases(alice: Address) {
    // Given holders staked and wrapped
    let env = Env::new();
    env.stake_and_wrap(alice, ether(10));
    for delta_bp in [0, 500, -500] {
        // When the oracle moves the rate by delta_bp
        let before = env.share.sender(alice).st_eth_per_token().motsu_unwrap();
        env.rebase_bp(delta_bp);
        let after = env.share.sender(alice).st_eth_per_token().motsu_unwrap();
        // Then every view is the rebase token's conversion at the new rate
        assert_views_match_the_rebase_token(&env, alice);
        // And the price of a unit moved with the rate
        match delta_bp.signum() {
            0 => assert_eq!(after, before),
            1 => assert!(after > before),
            _ => assert!(after < before),
        }
    }
}

#[motsu::test]
fn views_match_after_a_plus_5_percent_rebase_exactly(alice: Address) {
    // Given P = S = 1 ether (bootstrap) and a +5 % rebase: P = 1.05 ether
    let env = Env::new();
    env.rebase_bp(500);
    // Then stEthPerToken = 1.05e18 and tokensPerStEth = floor(1e36 / 1.05e18)
    let share = env.share.sender(alice);
    assert_eq!(share.st_eth_per_token().motsu_unwrap(), U256::from(1_050_000_000_000_000_000u128));
    assert_eq!(share.tokens_per_st_eth().motsu_unwrap(), U256::from(952_380_952_380_952_380u128));
}

#[motsu::test]
fn views_revert_with_the_rebase_token_error_above_2_pow_128(alice: Address) {
    // Given a constructed share token
    let env = Env::new();
    let too_large = MAX_AMOUNT + U256::from(1);
    // When a view converts more than 2^128 - 1
    let wst = env.share.sender(alice).get_wst_eth_by_st_eth(too_large).motsu_unwrap_err();
    let st = env.share.sender(alice).get_st_eth_by_wst_eth(too_large).motsu_unwrap_err();
    // Then the rebase token's AmountTooLarge reaches the caller
    let expected = Vec::<u8>::from(rebase_token::Error::from(AmountTooLarge { amount: too_large }));
    assert_eq!(wst, expected);
    assert_eq!(st, expected);
}
