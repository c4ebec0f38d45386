//! Shares API: totals, conversions and share transfers, re-run after a
//! neutral, a +5 % and a −5 % rebase.

use alloy_primitives::U256;
use alloy_sol_types::SolEvent;
use motsu::prelude::*;
use staking_common::{
    errors::{
        AmountTooLarge, ContractStopped, InsufficientAllowance, InsufficientBalance,
        InvalidRecipient, ZeroAddress,
    },
    events::Approval,
    math::MAX_AMOUNT,
};

use super::{
    erc20::{last_events, stop, transfer_logs},
    *,
};

#[motsu::test]
fn totals_and_shares_of_reflect_mints_and_rebases() {
    for pct in REBASES {
        // Given 1 + 10 + 5 ETH minted at rate 1, then a rebase.
        let world = World::funded(pct);
        // Then S is 16 ETH of shares, P moved by the rebase, shares did not.
        assert_eq!(world.token.sender(ALICE).get_total_shares(), eth(16));
        let p = eth(16) * U256::from(100 + pct) / U256::from(100);
        assert_eq!(world.token.sender(ALICE).get_total_pooled_ether(), p);
        assert_eq!(world.token.sender(ALICE).shares_of(ALICE), eth(10));
        assert_eq!(world.token.sender(ALICE).shares_of(BOB), eth(5));
        assert_eq!(world.token.sender(ALICE).shares_of(DEAD), SEED);
        assert_eq!(world.token.sender(ALICE).shares_of(CAROL), U256::ZERO);
    }
}

#[motsu::test]
fn conversions_round_as_named() {
    for pct in REBASES {
        // Given a rate after a rebase.
        let world = World::funded(pct);
        let (s, p, _) = world.totals();
        let t = &world.token;
        for x in [U256::ZERO, U256::from(1), U256::from(7), eth(3) + U256::from(1), MAX_AMOUNT] {
            // Then ether → shares and shares → ether round down, RoundUp up.
            assert_eq!(
                t.sender(ALICE).get_shares_by_pooled_eth(x).motsu_unwrap(),
                mul_div_down(x, s, p)
            );
            assert_eq!(
                t.sender(ALICE).get_pooled_eth_by_shares(x).motsu_unwrap(),
                mul_div_down(x, p, s)
            );
            assert_eq!(
                t.sender(ALICE).get_pooled_eth_by_shares_round_up(x).motsu_unwrap(),
                mul_div_up(x, p, s)
            );
        }
    }
}

#[motsu::test]
fn conversions_revert_above_2_pow_128_minus_1() {
    // Given a funded token.
    let world = World::funded(5);
    let t = &world.token;
    for x in [MAX_AMOUNT + U256::from(1), U256::MAX] {
        let before = world.snapshot();
        // When a conversion gets an input above the bound.
        let a = t.sender(ALICE).get_shares_by_pooled_eth(x).motsu_unwrap_err();
        let b = t.sender(ALICE).get_pooled_eth_by_shares(x).motsu_unwrap_err();
        let c = t.sender(ALICE).get_pooled_eth_by_shares_round_up(x).motsu_unwrap_err();
        // Then each reverts AmountTooLarge(x).
        world.assert_reverted(a, AmountTooLarge { amount: x }.into(), &before);
        world.assert_reverted(b, AmountTooLarge { amount: x }.into(), &before);
        world.assert_reverted(c, AmountTooLarge { amount: x }.into(), &before);
    }
}

#[motsu::test]
fn conversions_are_one_to_one_before_the_bootstrap() {
    // Given nothing minted.
    let world = World::empty();
    let t = &world.token;
    // Then every conversion is the identity and totals are zero.
    assert_eq!(t.sender(ALICE).get_shares_by_pooled_eth(eth(2)).motsu_unwrap(), eth(2));
    assert_eq!(t.sender(ALICE).get_pooled_eth_by_shares(eth(2)).motsu_unwrap(), eth(2));
    assert_eq!(t.sender(ALICE).get_pooled_eth_by_shares_round_up(eth(2)).motsu_unwrap(), eth(2));
    assert_eq!(world.totals(), (U256::ZERO, U256::ZERO, false));
}

#[motsu::test]
fn transfer_shares_moves_exact_shares_and_returns_their_value() {
    for pct in REBASES {
        // Given shares after a rebase.
        let world = World::funded(pct);
        let (s, p, _) = world.totals();
        let shares = eth(2) + U256::from(3);
        let (alice, carol) = (world.shares(ALICE), world.shares(CAROL));
        // When Alice transfers shares to Carol.
        let value = world.token.sender(ALICE).transfer_shares(CAROL, shares).motsu_unwrap();
        // Then exactly those shares moved and their floor value is returned and logged.
        assert_eq!(value, mul_div_down(shares, p, s));
        assert_eq!(world.shares(ALICE), alice - shares);
        assert_eq!(world.shares(CAROL), carol + shares);
        assert_eq!(world.balance(CAROL), value);
        assert_eq!(world.totals(), (s, p, false));
        assert_eq!(last_events(&world, 2), transfer_logs(ALICE, CAROL, value, shares));
    }
}

#[motsu::test]
fn transfer_shares_reverts_when_shares_exceed_the_balance() {
    for pct in REBASES {
        // Given Alice's shares.
        let world = World::funded(pct);
        let held = world.shares(ALICE);
        for shares in [held + U256::from(1), U256::MAX] {
            let before = world.snapshot();
            // When she transfers more shares than she holds.
            let err = world.token.sender(ALICE).transfer_shares(BOB, shares).motsu_unwrap_err();
            // Then it reverts InsufficientBalance in shares.
            let expected = InsufficientBalance { account: ALICE, balance: held, needed: shares };
            world.assert_reverted(err, expected.into(), &before);
        }
    }
}

#[motsu::test]
fn transfer_shares_reverts_when_recipient_is_zero() {
    // Given a funded token.
    let world = World::funded(0);
    let before = world.snapshot();
    // When Alice sends shares to the zero address.
    let err = world.token.sender(ALICE).transfer_shares(Address::ZERO, eth(1)).motsu_unwrap_err();
    // Then it reverts ZeroAddress.
    world.assert_reverted(err, ZeroAddress {}.into(), &before);
}

#[motsu::test]
fn transfer_shares_reverts_when_recipient_is_the_token() {
    // Given a funded token.
    let world = World::funded(0);
    let token = world.token.address();
    let before = world.snapshot();
    // When Alice sends shares to the token.
    let err = world.token.sender(ALICE).transfer_shares(token, eth(1)).motsu_unwrap_err();
    // Then it reverts InvalidRecipient.
    world.assert_reverted(err, InvalidRecipient { recipient: token }.into(), &before);
}

#[motsu::test]
fn transfer_shares_reverts_when_stopped() {
    // Given a stopped token.
    let world = World::funded(0);
    stop(&world);
    let before = world.snapshot();
    // When Alice sends shares.
    let err = world.token.sender(ALICE).transfer_shares(BOB, eth(1)).motsu_unwrap_err();
    // Then it reverts ContractStopped.
    world.assert_reverted(err, ContractStopped {}.into(), &before);
}

#[motsu::test]
fn transfer_shares_from_spends_the_value_rounded_up() {
    for pct in REBASES {
        // Given an allowance.
        let world = World::funded(pct);
        let (s, p, _) = world.totals();
        world.token.sender(ALICE).approve(SPENDER, eth(5)).motsu_unwrap();
        let shares = eth(1) + U256::from(1);
        // When the spender moves shares.
        let value =
            world.token.sender(SPENDER).transfer_shares_from(ALICE, BOB, shares).motsu_unwrap();
        // Then the allowance dropped by ceil(shares * P / S), the floor value is returned.
        let spent = mul_div_up(shares, p, s);
        assert_eq!(value, mul_div_down(shares, p, s));
        assert_eq!(world.token.sender(ALICE).allowance(ALICE, SPENDER), eth(5) - spent);
        let mut expected =
            vec![Approval { owner: ALICE, spender: SPENDER, value: eth(5) - spent }
                .encode_log_data()];
        expected.extend(transfer_logs(ALICE, BOB, value, shares));
        assert_eq!(last_events(&world, 3), expected);
    }
}

#[motsu::test]
fn transfer_shares_from_never_spends_zero_allowance_when_the_rate_is_below_one() {
    // Given a rate below 1 (−5 %): one share is worth 0.95 wei, floor 0.
    let world = World::funded(-5);
    assert_eq!(
        world.token.sender(ALICE).get_pooled_eth_by_shares(U256::from(1)).motsu_unwrap(),
        U256::ZERO
    );
    let before = world.snapshot();
    // When a spender without allowance moves one share (stETH's bypass).
    let err = world
        .token
        .sender(SPENDER)
        .transfer_shares_from(ALICE, SPENDER, U256::from(1))
        .motsu_unwrap_err();
    // Then it reverts: one wei of allowance is needed.
    let expected = InsufficientAllowance {
        owner: ALICE,
        spender: SPENDER,
        allowance: U256::ZERO,
        needed: U256::from(1),
    };
    world.assert_reverted(err, expected.into(), &before);
}

#[motsu::test]
fn transfer_shares_from_with_infinite_allowance_keeps_it() {
    // Given an infinite allowance.
    let world = World::funded(5);
    world.token.sender(ALICE).approve(SPENDER, U256::MAX).motsu_unwrap();
    // When the spender moves shares.
    world.token.sender(SPENDER).transfer_shares_from(ALICE, BOB, eth(1)).motsu_unwrap();
    // Then the allowance is unchanged and no Approval followed the approve.
    assert_eq!(world.token.sender(ALICE).allowance(ALICE, SPENDER), U256::MAX);
    assert_eq!(world.shares(BOB), eth(6));
    let last = last_events(&world, 3);
    assert_eq!(last[0].topics()[0], Approval::SIGNATURE_HASH);
    assert_eq!(
        last[0],
        Approval { owner: ALICE, spender: SPENDER, value: U256::MAX }.encode_log_data()
    );
}

#[motsu::test]
fn transfer_shares_from_reverts_when_allowance_is_insufficient() {
    // Given an allowance just below the rounded-up value.
    let world = World::funded(5);
    let needed = world.token.sender(ALICE).get_pooled_eth_by_shares_round_up(eth(1)).motsu_unwrap();
    world.token.sender(ALICE).approve(SPENDER, needed - U256::from(1)).motsu_unwrap();
    let before = world.snapshot();
    // When the spender moves the shares.
    let err =
        world.token.sender(SPENDER).transfer_shares_from(ALICE, BOB, eth(1)).motsu_unwrap_err();
    // Then it reverts InsufficientAllowance(needed).
    let expected = InsufficientAllowance {
        owner: ALICE,
        spender: SPENDER,
        allowance: needed - U256::from(1),
        needed,
    };
    world.assert_reverted(err, expected.into(), &before);
}

#[motsu::test]
fn transfer_shares_from_reverts_when_shares_exceed_the_balance() {
    // Given an infinite allowance.
    let world = World::funded(0);
    world.token.sender(ALICE).approve(SPENDER, U256::MAX).motsu_unwrap();
    let held = world.shares(ALICE);
    for shares in [held + U256::from(1), MAX_AMOUNT + U256::from(1), U256::MAX] {
        let before = world.snapshot();
        // When the spender moves more shares than Alice holds.
        let err =
            world.token.sender(SPENDER).transfer_shares_from(ALICE, BOB, shares).motsu_unwrap_err();
        // Then it reverts InsufficientBalance in shares.
        let expected = InsufficientBalance { account: ALICE, balance: held, needed: shares };
        world.assert_reverted(err, expected.into(), &before);
    }
}

#[motsu::test]
fn transfer_shares_from_reverts_when_recipient_is_the_token() {
    // Given an allowance.
    let world = World::funded(0);
    world.token.sender(ALICE).approve(SPENDER, U256::MAX).motsu_unwrap();
    let token = world.token.address();
    let before = world.snapshot();
    // When the spender moves shares to the token.
    let err =
        world.token.sender(SPENDER).transfer_shares_from(ALICE, token, eth(1)).motsu_unwrap_err();
    // Then it reverts InvalidRecipient.
    world.assert_reverted(err, InvalidRecipient { recipient: token }.into(), &before);
}

#[motsu::test]
fn transfer_shares_from_reverts_when_stopped() {
    // Given an allowance on a stopped token.
    let world = World::funded(0);
    world.token.sender(ALICE).approve(SPENDER, U256::MAX).motsu_unwrap();
    stop(&world);
    let before = world.snapshot();
    // When the spender moves shares.
    let err =
        world.token.sender(SPENDER).transfer_shares_from(ALICE, BOB, eth(1)).motsu_unwrap_err();
    // Then it reverts ContractStopped.
    world.assert_reverted(err, ContractStopped {}.into(), &before);
}
