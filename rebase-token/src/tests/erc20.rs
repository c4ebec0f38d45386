//! ERC-20 surface: metadata, balances, transfers, allowances. Balance and
//! transfer assertions run after a neutral, a +5 % and a −5 % rebase.

use alloy_primitives::{LogData, U256};
use alloy_sol_types::SolEvent;
use motsu::prelude::*;
use staking_common::{
    errors::{
        AllowanceBelowZero, AmountTooLarge, ContractStopped, InsufficientAllowance,
        InsufficientBalance, InvalidRecipient, ZeroAddress,
    },
    events::{Approval, Transfer, TransferShares},
    roles::PAUSE_ROLE,
};

use super::*;

/// The last `n` logs of the token, oldest first.
pub(crate) fn last_events(world: &World, n: usize) -> Vec<LogData> {
    let all = world.token.all_events();
    all[all.len() - n..].to_vec()
}

/// The logs of a share movement, in stETH's order.
pub(crate) fn transfer_logs(from: Address, to: Address, value: U256, shares: U256) -> Vec<LogData> {
    vec![
        Transfer { from, to, value }.encode_log_data(),
        TransferShares { from, to, sharesValue: shares }.encode_log_data(),
    ]
}

/// Stops the token (the admin grants itself `PAUSE_ROLE`).
pub(crate) fn stop(world: &World) {
    world.token.sender(ADMIN).grant_role(PAUSE_ROLE, ADMIN).motsu_unwrap();
    world.token.sender(ADMIN).stop().motsu_unwrap();
}

#[motsu::test]
fn name_symbol_and_decimals_are_steth_s() {
    // Given a deployed token.
    let world = World::empty();
    // Then its metadata is as constructed, 18 decimals.
    assert_eq!(world.token.sender(ALICE).name(), NAME);
    assert_eq!(world.token.sender(ALICE).symbol(), SYMBOL);
    assert_eq!(RebaseToken::decimals(), 18);
}

#[motsu::test]
fn total_supply_is_total_pooled_ether() {
    for pct in REBASES {
        // Given a funded token after a rebase.
        let world = World::funded(pct);
        // Then totalSupply is P, which moved by the rebase.
        let expected = eth(16) * U256::from(100 + pct) / U256::from(100);
        assert_eq!(world.token.sender(ALICE).total_supply(), expected);
        assert_eq!(world.token.sender(ALICE).get_total_pooled_ether(), expected);
    }
}

#[motsu::test]
fn balance_of_is_shares_times_rate_rounded_down() {
    for pct in REBASES {
        // Given a funded token after a rebase.
        let world = World::funded(pct);
        let (s, p, _) = world.totals();
        for account in [DEAD, ALICE, BOB, CAROL] {
            // Then every balance is floor(shares * P / S).
            let shares = world.shares(account);
            assert_eq!(world.balance(account), mul_div_down(shares, p, s));
        }
        // And a rebase changed no share count.
        assert_eq!(world.shares(ALICE), eth(10));
        assert_eq!(world.balance(CAROL), U256::ZERO);
    }
}

#[motsu::test]
fn transfer_moves_floor_shares_and_emits_transfer_then_transfer_shares() {
    for pct in REBASES {
        // Given Alice's balance after a rebase.
        let world = World::funded(pct);
        let (s, p, _) = world.totals();
        let amount = eth(3) + U256::from(7);
        let (alice, bob) = (world.shares(ALICE), world.shares(BOB));
        let bob_balance = world.balance(BOB);
        // When she transfers an amount below her balance.
        let ok = world.token.sender(ALICE).transfer(BOB, amount).motsu_unwrap();
        // Then floor(amount * S / P) shares moved, totals unchanged.
        let moved = mul_div_down(amount, s, p);
        assert!(ok);
        assert_eq!(world.shares(ALICE), alice - moved);
        assert_eq!(world.shares(BOB), bob + moved);
        assert_eq!(world.totals(), (s, p, false));
        // And Bob gained the amount or at most 2 wei less (stETH's rounding).
        let gained = world.balance(BOB) - bob_balance;
        assert!(gained <= amount && amount - gained <= U256::from(2));
        // And the logs are Transfer(amount) then TransferShares(moved).
        assert_eq!(last_events(&world, 2), transfer_logs(ALICE, BOB, amount, moved));
    }
}

#[motsu::test]
fn transfer_of_the_whole_balance_moves_every_share() {
    for pct in REBASES {
        // Given Alice's whole balance (shares worth a fraction of a wei more).
        let world = World::funded(pct);
        world.mint(ALICE, U256::from(3)); // an odd share count
        let (alice, bob) = (world.shares(ALICE), world.shares(BOB));
        let balance = world.balance(ALICE);
        // When she transfers exactly her balance.
        world.token.sender(ALICE).transfer(BOB, balance).motsu_unwrap();
        // Then she keeps no share at all (no dust) and Bob got them all.
        assert_eq!(world.shares(ALICE), U256::ZERO);
        assert_eq!(world.shares(BOB), bob + alice);
        assert_eq!(last_events(&world, 2), transfer_logs(ALICE, BOB, balance, alice));
    }
}

#[motsu::test]
fn transfer_of_zero_moves_nothing_and_emits_zero_logs() {
    // Given a funded token.
    let world = World::funded(5);
    let before = (world.shares(ALICE), world.shares(BOB));
    // When Alice transfers 0.
    world.token.sender(ALICE).transfer(BOB, U256::ZERO).motsu_unwrap();
    // Then no share moved and zero-value logs were emitted (ERC-20 allows it).
    assert_eq!((world.shares(ALICE), world.shares(BOB)), before);
    assert_eq!(last_events(&world, 2), transfer_logs(ALICE, BOB, U256::ZERO, U256::ZERO));
}

#[motsu::test]
fn transfer_reverts_when_amount_exceeds_balance() {
    for pct in REBASES {
        // Given Alice's balance.
        let world = World::funded(pct);
        let balance = world.balance(ALICE);
        for amount in [balance + U256::from(1), U256::MAX] {
            let before = world.snapshot();
            // When she transfers more than it.
            let err = world.token.sender(ALICE).transfer(BOB, amount).motsu_unwrap_err();
            // Then it reverts InsufficientBalance and nothing changed.
            let expected = InsufficientBalance { account: ALICE, balance, needed: amount };
            world.assert_reverted(err, expected.into(), &before);
        }
    }
}

#[motsu::test]
fn transfer_reverts_when_recipient_is_zero() {
    // Given a funded token.
    let world = World::funded(0);
    let before = world.snapshot();
    // When Alice transfers to the zero address.
    let err = world.token.sender(ALICE).transfer(Address::ZERO, eth(1)).motsu_unwrap_err();
    // Then it reverts ZeroAddress.
    world.assert_reverted(err, ZeroAddress {}.into(), &before);
}

#[motsu::test]
fn transfer_reverts_when_recipient_is_the_token() {
    // Given a funded token.
    let world = World::funded(0);
    let before = world.snapshot();
    let token = world.token.address();
    // When Alice transfers to the token itself.
    let err = world.token.sender(ALICE).transfer(token, eth(1)).motsu_unwrap_err();
    // Then it reverts InvalidRecipient.
    world.assert_reverted(err, InvalidRecipient { recipient: token }.into(), &before);
}

#[motsu::test]
fn transfer_reverts_when_stopped() {
    // Given a stopped token.
    let world = World::funded(0);
    stop(&world);
    let before = world.snapshot();
    // When Alice transfers.
    let err = world.token.sender(ALICE).transfer(BOB, eth(1)).motsu_unwrap_err();
    // Then it reverts ContractStopped.
    world.assert_reverted(err, ContractStopped {}.into(), &before);
}

#[motsu::test]
fn approve_sets_the_allowance_and_emits_approval() {
    // Given no allowance.
    let world = World::funded(0);
    assert_eq!(world.token.sender(ALICE).allowance(ALICE, SPENDER), U256::ZERO);
    // When Alice approves a spender (twice: the second overwrites).
    assert!(world.token.sender(ALICE).approve(SPENDER, eth(2)).motsu_unwrap());
    world.token.sender(ALICE).approve(SPENDER, eth(1)).motsu_unwrap();
    // Then the allowance is the last value and Approval was emitted.
    assert_eq!(world.token.sender(ALICE).allowance(ALICE, SPENDER), eth(1));
    assert_eq!(
        last_events(&world, 1),
        vec![Approval { owner: ALICE, spender: SPENDER, value: eth(1) }.encode_log_data()]
    );
}

#[motsu::test]
fn approve_reverts_when_spender_is_zero() {
    // Given a token.
    let world = World::funded(0);
    let before = world.snapshot();
    // When Alice approves the zero address.
    let err = world.token.sender(ALICE).approve(Address::ZERO, eth(1)).motsu_unwrap_err();
    // Then it reverts ZeroAddress.
    world.assert_reverted(err, ZeroAddress {}.into(), &before);
}

#[motsu::test]
fn approvals_work_while_stopped() {
    // Given a stopped token.
    let world = World::funded(0);
    stop(&world);
    // When Alice approves, increases and decreases an allowance.
    world.token.sender(ALICE).approve(SPENDER, eth(2)).motsu_unwrap();
    world.token.sender(ALICE).increase_allowance(SPENDER, eth(3)).motsu_unwrap();
    world.token.sender(ALICE).decrease_allowance(SPENDER, eth(1)).motsu_unwrap();
    // Then all three applied.
    assert_eq!(world.token.sender(ALICE).allowance(ALICE, SPENDER), eth(4));
}

#[motsu::test]
fn transfer_from_spends_the_allowance_and_emits_approval_transfer_transfer_shares() {
    for pct in REBASES {
        // Given Alice approved a spender.
        let world = World::funded(pct);
        let (s, p, _) = world.totals();
        world.token.sender(ALICE).approve(SPENDER, eth(5)).motsu_unwrap();
        let (alice, carol) = (world.shares(ALICE), world.shares(CAROL));
        let amount = eth(2) + U256::from(1);
        // When the spender moves some of her tokens to Carol.
        let ok = world.token.sender(SPENDER).transfer_from(ALICE, CAROL, amount).motsu_unwrap();
        // Then the allowance dropped by the amount and floor(amount*S/P) shares moved.
        let moved = mul_div_down(amount, s, p);
        assert!(ok);
        assert_eq!(world.token.sender(ALICE).allowance(ALICE, SPENDER), eth(5) - amount);
        assert_eq!(world.shares(ALICE), alice - moved);
        assert_eq!(world.shares(CAROL), carol + moved);
        // And the logs are Approval(remaining), Transfer, TransferShares.
        let mut expected =
            vec![Approval { owner: ALICE, spender: SPENDER, value: eth(5) - amount }
                .encode_log_data()];
        expected.extend(transfer_logs(ALICE, CAROL, amount, moved));
        assert_eq!(last_events(&world, 3), expected);
    }
}

#[motsu::test]
fn transfer_from_with_infinite_allowance_keeps_it_and_emits_no_approval() {
    // Given an infinite allowance.
    let world = World::funded(5);
    world.token.sender(ALICE).approve(SPENDER, U256::MAX).motsu_unwrap();
    let (s, p, _) = world.totals();
    // When the spender moves tokens.
    world.token.sender(SPENDER).transfer_from(ALICE, BOB, eth(1)).motsu_unwrap();
    // Then the allowance is still infinite and only the transfer logs follow.
    assert_eq!(world.token.sender(ALICE).allowance(ALICE, SPENDER), U256::MAX);
    let moved = mul_div_down(eth(1), s, p);
    assert_eq!(last_events(&world, 2), transfer_logs(ALICE, BOB, eth(1), moved));
    let approvals = world
        .token
        .all_events()
        .iter()
        .filter(|log| log.topics()[0] == Approval::SIGNATURE_HASH)
        .count();
    assert_eq!(approvals, 1);
}

#[motsu::test]
fn transfer_from_of_the_whole_balance_moves_every_share() {
    for pct in REBASES {
        // Given an allowance for Alice's whole balance.
        let world = World::funded(pct);
        world.mint(ALICE, U256::from(3));
        let balance = world.balance(ALICE);
        let alice = world.shares(ALICE);
        world.token.sender(ALICE).approve(SPENDER, balance).motsu_unwrap();
        // When the spender moves exactly that balance.
        world.token.sender(SPENDER).transfer_from(ALICE, BOB, balance).motsu_unwrap();
        // Then Alice has no share left and the allowance is used up.
        assert_eq!(world.shares(ALICE), U256::ZERO);
        assert_eq!(world.token.sender(ALICE).allowance(ALICE, SPENDER), U256::ZERO);
        assert_eq!(last_events(&world, 2), transfer_logs(ALICE, BOB, balance, alice));
    }
}

#[motsu::test]
fn transfer_from_reverts_when_allowance_is_insufficient() {
    // Given a small allowance.
    let world = World::funded(0);
    world.token.sender(ALICE).approve(SPENDER, eth(1)).motsu_unwrap();
    let before = world.snapshot();
    // When the spender moves more.
    let err = world.token.sender(SPENDER).transfer_from(ALICE, BOB, eth(2)).motsu_unwrap_err();
    // Then it reverts InsufficientAllowance and nothing changed.
    let expected =
        InsufficientAllowance { owner: ALICE, spender: SPENDER, allowance: eth(1), needed: eth(2) };
    world.assert_reverted(err, expected.into(), &before);
}

#[motsu::test]
fn transfer_from_reverts_when_balance_is_insufficient() {
    // Given an infinite allowance on Alice's account.
    let world = World::funded(-5);
    world.token.sender(ALICE).approve(SPENDER, U256::MAX).motsu_unwrap();
    let balance = world.balance(ALICE);
    let before = world.snapshot();
    // When the spender moves more than her balance.
    let amount = balance + U256::from(1);
    let err = world.token.sender(SPENDER).transfer_from(ALICE, BOB, amount).motsu_unwrap_err();
    // Then it reverts InsufficientBalance.
    let expected = InsufficientBalance { account: ALICE, balance, needed: amount };
    world.assert_reverted(err, expected.into(), &before);
}

#[motsu::test]
fn transfer_from_reverts_when_from_is_zero() {
    // Given a token.
    let world = World::funded(0);
    let before = world.snapshot();
    // When a spender moves 0 tokens from the zero address.
    let err = world
        .token
        .sender(SPENDER)
        .transfer_from(Address::ZERO, BOB, U256::ZERO)
        .motsu_unwrap_err();
    // Then it reverts ZeroAddress.
    world.assert_reverted(err, ZeroAddress {}.into(), &before);
}

#[motsu::test]
fn transfer_from_reverts_when_recipient_is_the_token() {
    // Given an allowance.
    let world = World::funded(0);
    world.token.sender(ALICE).approve(SPENDER, eth(1)).motsu_unwrap();
    let token = world.token.address();
    let before = world.snapshot();
    // When the spender sends to the token.
    let err = world.token.sender(SPENDER).transfer_from(ALICE, token, eth(1)).motsu_unwrap_err();
    // Then it reverts InvalidRecipient.
    world.assert_reverted(err, InvalidRecipient { recipient: token }.into(), &before);
}

#[motsu::test]
fn transfer_from_reverts_when_stopped() {
    // Given an allowance on a stopped token.
    let world = World::funded(0);
    world.token.sender(ALICE).approve(SPENDER, eth(1)).motsu_unwrap();
    stop(&world);
    let before = world.snapshot();
    // When the spender moves tokens.
    let err = world.token.sender(SPENDER).transfer_from(ALICE, BOB, eth(1)).motsu_unwrap_err();
    // Then it reverts ContractStopped.
    world.assert_reverted(err, ContractStopped {}.into(), &before);
}

#[motsu::test]
fn transfer_from_returning_shares_returns_the_shares_moved() {
    for pct in REBASES {
        // Given an allowance.
        let world = World::funded(pct);
        let (s, p, _) = world.totals();
        world.token.sender(ALICE).approve(SPENDER, eth(4)).motsu_unwrap();
        let alice = world.shares(ALICE);
        // When the spender pulls 3 ETH, then the rest of the whole balance.
        let moved = world
            .token
            .sender(SPENDER)
            .transfer_from_returning_shares(ALICE, SPENDER, eth(3))
            .motsu_unwrap();
        // Then it returns floor(amount * S / P) and spent the allowance.
        assert_eq!(moved, mul_div_down(eth(3), s, p));
        assert_eq!(world.shares(SPENDER), moved);
        assert_eq!(world.token.sender(ALICE).allowance(ALICE, SPENDER), eth(1));
        let mut expected =
            vec![Approval { owner: ALICE, spender: SPENDER, value: eth(1) }.encode_log_data()];
        expected.extend(transfer_logs(ALICE, SPENDER, eth(3), moved));
        assert_eq!(last_events(&world, 3), expected);
        // And a whole-balance pull returns every remaining share.
        world.token.sender(ALICE).approve(SPENDER, U256::MAX).motsu_unwrap();
        let rest = world.balance(ALICE);
        let moved_rest = world
            .token
            .sender(SPENDER)
            .transfer_from_returning_shares(ALICE, SPENDER, rest)
            .motsu_unwrap();
        assert_eq!(moved_rest, alice - moved);
        assert_eq!(world.shares(ALICE), U256::ZERO);
    }
}

#[motsu::test]
fn transfer_from_returning_shares_reverts_when_allowance_is_insufficient() {
    // Given no allowance.
    let world = World::funded(0);
    let before = world.snapshot();
    // When a spender pulls tokens.
    let err = world
        .token
        .sender(SPENDER)
        .transfer_from_returning_shares(ALICE, SPENDER, eth(1))
        .motsu_unwrap_err();
    // Then it reverts InsufficientAllowance.
    let expected = InsufficientAllowance {
        owner: ALICE,
        spender: SPENDER,
        allowance: U256::ZERO,
        needed: eth(1),
    };
    world.assert_reverted(err, expected.into(), &before);
}

#[motsu::test]
fn transfer_from_returning_shares_reverts_when_stopped() {
    // Given an allowance on a stopped token.
    let world = World::funded(0);
    world.token.sender(ALICE).approve(SPENDER, eth(1)).motsu_unwrap();
    stop(&world);
    let before = world.snapshot();
    // When the spender pulls tokens.
    let err = world
        .token
        .sender(SPENDER)
        .transfer_from_returning_shares(ALICE, SPENDER, eth(1))
        .motsu_unwrap_err();
    // Then it reverts ContractStopped.
    world.assert_reverted(err, ContractStopped {}.into(), &before);
}

#[motsu::test]
fn increase_allowance_adds_and_emits_approval() {
    // Given an allowance of 1 ETH.
    let world = World::funded(0);
    world.token.sender(ALICE).approve(SPENDER, eth(1)).motsu_unwrap();
    // When Alice increases it by 2 ETH.
    assert!(world.token.sender(ALICE).increase_allowance(SPENDER, eth(2)).motsu_unwrap());
    // Then it is 3 ETH and Approval(3 ETH) was emitted.
    assert_eq!(world.token.sender(ALICE).allowance(ALICE, SPENDER), eth(3));
    assert_eq!(
        last_events(&world, 1),
        vec![Approval { owner: ALICE, spender: SPENDER, value: eth(3) }.encode_log_data()]
    );
}

#[motsu::test]
fn increase_allowance_reverts_when_the_sum_overflows() {
    // Given an infinite allowance.
    let world = World::funded(0);
    world.token.sender(ALICE).approve(SPENDER, U256::MAX).motsu_unwrap();
    let before = world.snapshot();
    // When Alice increases it by 1.
    let err =
        world.token.sender(ALICE).increase_allowance(SPENDER, U256::from(1)).motsu_unwrap_err();
    // Then it reverts AmountTooLarge(1).
    world.assert_reverted(err, AmountTooLarge { amount: U256::from(1) }.into(), &before);
}

#[motsu::test]
fn increase_allowance_reverts_when_spender_is_zero() {
    // Given a token.
    let world = World::funded(0);
    let before = world.snapshot();
    // When Alice increases the zero address's allowance.
    let err =
        world.token.sender(ALICE).increase_allowance(Address::ZERO, eth(1)).motsu_unwrap_err();
    // Then it reverts ZeroAddress.
    world.assert_reverted(err, ZeroAddress {}.into(), &before);
}

#[motsu::test]
fn decrease_allowance_subtracts_and_emits_approval() {
    // Given an allowance of 3 ETH.
    let world = World::funded(0);
    world.token.sender(ALICE).approve(SPENDER, eth(3)).motsu_unwrap();
    // When Alice decreases it by 1 ETH.
    assert!(world.token.sender(ALICE).decrease_allowance(SPENDER, eth(1)).motsu_unwrap());
    // Then it is 2 ETH and Approval(2 ETH) was emitted.
    assert_eq!(world.token.sender(ALICE).allowance(ALICE, SPENDER), eth(2));
    assert_eq!(
        last_events(&world, 1),
        vec![Approval { owner: ALICE, spender: SPENDER, value: eth(2) }.encode_log_data()]
    );
}

#[motsu::test]
fn decrease_allowance_reverts_below_zero() {
    // Given an allowance of 1 ETH.
    let world = World::funded(0);
    world.token.sender(ALICE).approve(SPENDER, eth(1)).motsu_unwrap();
    let before = world.snapshot();
    // When Alice decreases it by 2 ETH.
    let err = world.token.sender(ALICE).decrease_allowance(SPENDER, eth(2)).motsu_unwrap_err();
    // Then it reverts AllowanceBelowZero.
    let expected =
        AllowanceBelowZero { owner: ALICE, spender: SPENDER, allowance: eth(1), decrease: eth(2) };
    world.assert_reverted(err, expected.into(), &before);
}

#[motsu::test]
fn decrease_allowance_reverts_when_spender_is_zero() {
    // Given a token.
    let world = World::funded(0);
    let before = world.snapshot();
    // When Alice decreases the zero address's (zero) allowance by 0.
    let err =
        world.token.sender(ALICE).decrease_allowance(Address::ZERO, U256::ZERO).motsu_unwrap_err();
    // Then it reverts ZeroAddress.
    world.assert_reverted(err, ZeroAddress {}.into(), &before);
}
