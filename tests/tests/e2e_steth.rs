//! End-to-end tests of the rebase token (stETH) on the embedded Stylus host:
//! the deployed artifact of every program, called only through the Solidity
//! ABI (`e2e::abi`). Every revert is decoded with its `sol!` error type and
//! checked to change no view of any program; the accounting invariant
//! (`Protocol::check_invariants`) is checked after every step.

use alloy_primitives::{keccak256, Address, FixedBytes, B256, U256};
use alloy_sol_types::{SolCall, SolValue};
use anyhow::{ensure, Result};
use e2e::abi::{IDepositPool, IStETH};
use e2e::support::*;

/// The token name the protocol deploys with (also the EIP-712 domain name).
const NAME: &str = "Liquid staked Ether 2.0";

/// A deployed protocol where Alice staked 10 ETH and Bob 5 ETH through the
/// deposit pool; Carol (a spender) holds nothing.
struct World {
    p: Lease,
    alice: Address,
    bob: Address,
    carol: Address,
}

fn world() -> Result<World> {
    let mut p = deploy()?;
    let alice = p.new_user("alice", ether(1_000));
    let bob = p.new_user("bob", ether(1_000));
    let carol = p.new_user("carol", ether(1_000));
    p.submit_via_pool(alice, ether(10))?;
    p.submit_via_pool(bob, ether(5))?;
    p.check_invariants()?;
    Ok(World { p, alice, bob, carol })
}

/// [`world`] with two validators seen by the oracle and then `r` applied
/// by an oracle frame (so the share rate is no longer 1).
fn rebased_world(r: Rebase) -> Result<World> {
    let mut w = world()?;
    with_validators(&mut w.p, 2)?;
    rebase(&mut w.p, r)?;
    Ok(w)
}

fn shares(p: &mut Protocol, account: Address) -> Result<U256> {
    p.shares_of(account)
}

fn balance(p: &mut Protocol, account: Address) -> Result<U256> {
    p.steth_balance(account)
}

fn allowance(p: &mut Protocol, owner: Address, spender: Address) -> Result<U256> {
    let token = p.addrs.token;
    Ok(p.view(token, &IStETH::allowanceCall { owner, spender })?._0)
}

fn approve(p: &mut Protocol, owner: Address, spender: Address, amount: U256) -> Result<()> {
    p.approve_steth(owner, spender, amount)?;
    Ok(())
}

/// An amount with every digit set, so that conversions at a rate other than
/// 1 round.
fn odd_amount() -> U256 {
    ether(1) + U256::from(234_567_890_123_456_789u64)
}

/// The ERC-20 and shares assertions re-run at the current rate (Lido's
/// pattern: the same suite after neutral, positive and negative rebases).
fn erc20_suite(w: &mut World) -> Result<()> {
    let World { p, alice, bob, carol } = w;
    let (alice, bob, carol) = (*alice, *bob, *carol);
    let token = p.addrs.token;
    let rate = Rate::read(p)?;

    // balanceOf is the shares at the rate, rounded down; totalSupply is P.
    for who in [alice, bob] {
        let s = shares(p, who)?;
        ensure!(balance(p, who)? == rate.to_ether(s), "balanceOf != floor(shares * P / S)");
    }
    let supply = p.view(token, &IStETH::totalSupplyCall {})?._0;
    ensure!(supply == rate.pooled, "totalSupply != total pooled ether");

    // transfer moves floor(amount * S / P) shares, logs Transfer then TransferShares.
    let amount = odd_amount();
    let moved = rate.to_shares(amount);
    let (a0, b0) = (shares(p, alice)?, shares(p, bob)?);
    let (ret, out) = p.exec(alice, token, &IStETH::transferCall { to: bob, amount }, U256::ZERO)?;
    ensure!(ret._0, "transfer returned false");
    ensure!(
        events(p, &out)?
            == vec![steth_transfer(alice, bob, amount), steth_transfer_shares(alice, bob, moved)],
        "transfer events"
    );
    ensure!(shares(p, alice)? == a0 - moved && shares(p, bob)? == b0 + moved, "shares moved");
    ensure!(balance(p, bob)? == rate.to_ether(b0 + moved), "recipient balance");
    p.check_invariants()?;

    // transferFrom spends exactly the amount: Approval(remaining) first.
    approve(p, alice, carol, ether(3))?;
    let (a0, b0) = (shares(p, alice)?, shares(p, bob)?);
    let (_, out) = p.exec(
        carol,
        token,
        &IStETH::transferFromCall { from: alice, to: bob, amount },
        U256::ZERO,
    )?;
    ensure!(
        events(p, &out)?
            == vec![
                steth_approval(alice, carol, ether(3) - amount),
                steth_transfer(alice, bob, amount),
                steth_transfer_shares(alice, bob, moved),
            ],
        "transferFrom events"
    );
    ensure!(allowance(p, alice, carol)? == ether(3) - amount, "allowance spent");
    ensure!(shares(p, alice)? == a0 - moved && shares(p, bob)? == b0 + moved, "shares moved");
    p.check_invariants()?;

    // transferShares moves exactly the shares and returns their value, rounded down.
    let k = U256::from(777_777_777_777_777_777u64);
    let (ret, out) =
        p.exec(bob, token, &IStETH::transferSharesCall { to: alice, sharesAmount: k }, U256::ZERO)?;
    ensure!(ret._0 == rate.to_ether(k), "transferShares return");
    ensure!(
        events(p, &out)?
            == vec![
                steth_transfer(bob, alice, rate.to_ether(k)),
                steth_transfer_shares(bob, alice, k)
            ],
        "transferShares events"
    );
    p.check_invariants()?;

    // transferSharesFrom spends ceil(k * P / S) of the allowance.
    approve(p, alice, carol, ether(2))?;
    let (ret, out) = p.exec(
        carol,
        token,
        &IStETH::transferSharesFromCall { from: alice, to: bob, sharesAmount: k },
        U256::ZERO,
    )?;
    let spent = rate.to_ether_up(k);
    ensure!(ret._0 == rate.to_ether(k), "transferSharesFrom return");
    ensure!(allowance(p, alice, carol)? == ether(2) - spent, "allowance spent rounded up");
    ensure!(
        events(p, &out)?
            == vec![
                steth_approval(alice, carol, ether(2) - spent),
                steth_transfer(alice, bob, rate.to_ether(k)),
                steth_transfer_shares(alice, bob, k),
            ],
        "transferSharesFrom events"
    );
    p.check_invariants()?;

    // A whole-balance transfer moves every share: nothing is left behind.
    let whole = balance(p, bob)?;
    let bob_shares = shares(p, bob)?;
    let (_, out) =
        p.exec(bob, token, &IStETH::transferCall { to: carol, amount: whole }, U256::ZERO)?;
    p.track(carol);
    ensure!(shares(p, bob)?.is_zero() && balance(p, bob)?.is_zero(), "dust left behind");
    ensure!(shares(p, carol)? == bob_shares, "the recipient got every share");
    ensure!(
        events(p, &out)?
            == vec![
                steth_transfer(bob, carol, whole),
                steth_transfer_shares(bob, carol, bob_shares)
            ],
        "whole-balance transfer events"
    );
    p.check_invariants()?;

    // One wei more than the balance reverts with the balance in the error.
    let balance_now = balance(p, alice)?;
    assert_revert(
        p,
        alice,
        token,
        &IStETH::transferCall { to: bob, amount: balance_now + U256::from(1) },
        U256::ZERO,
        &IStETH::InsufficientBalance {
            account: alice,
            balance: balance_now,
            needed: balance_now + U256::from(1),
        },
    )?;
    p.check_invariants()?;
    Ok(())
}

mod metadata {
    use super::*;

    #[test]
    fn name_symbol_and_decimals_are_the_deployed_ones() -> Result<()> {
        // Given the deployed token, when its metadata is read, then it is stETH's.
        let mut w = world()?;
        let token = w.p.addrs.token;
        assert_eq!(w.p.view(token, &IStETH::nameCall {})?._0, NAME);
        assert_eq!(w.p.view(token, &IStETH::symbolCall {})?._0, "stETH");
        assert_eq!(w.p.view(token, &IStETH::decimalsCall {})?._0, 18);
        Ok(())
    }

    #[test]
    fn total_supply_is_the_seed_plus_the_stakes_and_balances_follow_shares() -> Result<()> {
        // Given a 1 ETH seed, 10 ETH from Alice and 5 ETH from Bob at rate 1,
        let mut w = world()?;
        let token = w.p.addrs.token;
        // then the supply is 16 ETH, shares equal ether and the seed is 0x…dEaD's.
        assert_eq!(w.p.view(token, &IStETH::totalSupplyCall {})?._0, ether(16));
        assert_eq!(w.p.view(token, &IStETH::getTotalSharesCall {})?._0, ether(16));
        assert_eq!(shares(&mut w.p, w.alice)?, ether(10));
        assert_eq!(balance(&mut w.p, w.bob)?, ether(5));
        assert_eq!(shares(&mut w.p, DEAD)?, ether(1));
        Ok(())
    }

    #[test]
    fn wiring_views_name_the_protocol_programs() -> Result<()> {
        // Given the wired protocol, when the token's wiring is read,
        let mut w = world()?;
        let a = w.p.addrs;
        // then it names the pool, the oracle and the queue.
        assert_eq!(w.p.view(a.token, &IStETH::getDepositPoolCall {})?._0, a.pool);
        assert_eq!(w.p.view(a.token, &IStETH::getOracleCall {})?._0, a.oracle);
        assert_eq!(w.p.view(a.token, &IStETH::getWithdrawalQueueCall {})?._0, a.queue);
        Ok(())
    }

    #[test]
    fn conversions_round_down_and_up_at_a_fractional_rate() -> Result<()> {
        // Given a rate other than 1 (after a +5 % rebase with the fee minted),
        let mut w = rebased_world(Rebase::Up5)?;
        let token = w.p.addrs.token;
        let rate = Rate::read(&mut w.p)?;
        assert_ne!(rate.pooled, rate.shares);
        // then each conversion is the formula with its stated rounding.
        let x = odd_amount();
        let got = w.p.view(token, &IStETH::getSharesByPooledEthCall { ethAmount: x })?._0;
        assert_eq!(got, rate.to_shares(x));
        let got = w.p.view(token, &IStETH::getPooledEthBySharesCall { sharesAmount: x })?._0;
        assert_eq!(got, rate.to_ether(x));
        let up = w.p.view(token, &IStETH::getPooledEthBySharesRoundUpCall { sharesAmount: x })?._0;
        assert_eq!(up, rate.to_ether_up(x));
        assert_eq!(up, rate.to_ether(x) + U256::from(1), "this amount does not divide evenly");
        Ok(())
    }

    #[test]
    fn conversions_revert_amount_too_large_above_2_pow_128() -> Result<()> {
        // Given the token, when a conversion gets 2^128,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let big = U256::from(1) << 128;
        // then it reverts AmountTooLarge(2^128).
        let error: IStETH::AmountTooLarge = expect_revert(
            &mut w.p,
            w.alice,
            token,
            &IStETH::getSharesByPooledEthCall { ethAmount: big },
            U256::ZERO,
        )?;
        assert_eq!(error.amount, big);
        Ok(())
    }
}

mod transfer {
    use super::*;

    #[test]
    fn moves_shares_and_logs_transfer_then_transfer_shares() -> Result<()> {
        // Given Alice with 10 ETH at rate 1, when she sends Bob 2 ETH,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let (ret, out) = w.p.exec(
            w.alice,
            token,
            &IStETH::transferCall { to: w.bob, amount: ether(2) },
            U256::ZERO,
        )?;
        // then it returns true, 2 ETH of shares moved, and stETH's two events are logged in order.
        assert!(ret._0);
        assert_eq!(balance(&mut w.p, w.alice)?, ether(8));
        assert_eq!(balance(&mut w.p, w.bob)?, ether(7));
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                steth_transfer(w.alice, w.bob, ether(2)),
                steth_transfer_shares(w.alice, w.bob, ether(2))
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn of_the_whole_balance_leaves_zero_at_a_fractional_rate() -> Result<()> {
        // Given a fractional rate (after −5 %) and Carol holding an odd stake,
        let mut w = rebased_world(Rebase::Down5)?;
        let token = w.p.addrs.token;
        w.p.submit_via_steth(w.carol, odd_amount())?;
        let whole = balance(&mut w.p, w.carol)?;
        let all = shares(&mut w.p, w.carol)?;
        // (a transfer of floor(balance * S / P) shares would leave dust behind),
        assert_ne!(Rate::read(&mut w.p)?.to_shares(whole), all, "rounding would leave dust");
        // when she sends her whole balance to Bob,
        let (_, out) = w.p.exec(
            w.carol,
            token,
            &IStETH::transferCall { to: w.bob, amount: whole },
            U256::ZERO,
        )?;
        // then she keeps no share and no wei; the events report every share.
        assert_eq!(shares(&mut w.p, w.carol)?, U256::ZERO);
        assert_eq!(balance(&mut w.p, w.carol)?, U256::ZERO);
        assert_eq!(
            events(&w.p, &out)?,
            vec![steth_transfer(w.carol, w.bob, whole), steth_transfer_shares(w.carol, w.bob, all)]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_insufficient_balance_above_the_balance() -> Result<()> {
        // Given Alice with 10 ETH, when she sends 10 ETH + 1 wei,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let needed = ether(10) + U256::from(1);
        // then InsufficientBalance(alice, 10 ETH, needed) and nothing changed.
        assert_revert(
            &mut w.p,
            w.alice,
            token,
            &IStETH::transferCall { to: w.bob, amount: needed },
            U256::ZERO,
            &IStETH::InsufficientBalance { account: w.alice, balance: ether(10), needed },
        )?;
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_zero_address_for_the_zero_recipient() -> Result<()> {
        // Given Alice, when she sends to address 0, then ZeroAddress().
        let mut w = world()?;
        let token = w.p.addrs.token;
        assert_revert(
            &mut w.p,
            w.alice,
            token,
            &IStETH::transferCall { to: Address::ZERO, amount: ether(1) },
            U256::ZERO,
            &IStETH::ZeroAddress {},
        )
    }

    #[test]
    fn reverts_invalid_recipient_for_the_token_itself() -> Result<()> {
        // Given Alice, when she sends stETH to the stETH program, then InvalidRecipient(token).
        let mut w = world()?;
        let token = w.p.addrs.token;
        assert_revert(
            &mut w.p,
            w.alice,
            token,
            &IStETH::transferCall { to: token, amount: ether(1) },
            U256::ZERO,
            &IStETH::InvalidRecipient { recipient: token },
        )
    }
}

mod transfer_from {
    use super::*;

    #[test]
    fn spends_the_allowance_and_logs_approval_first() -> Result<()> {
        // Given Alice approved Carol 5 ETH, when Carol moves 2 ETH to Bob,
        let mut w = world()?;
        let token = w.p.addrs.token;
        approve(&mut w.p, w.alice, w.carol, ether(5))?;
        let (ret, out) = w.p.exec(
            w.carol,
            token,
            &IStETH::transferFromCall { from: w.alice, to: w.bob, amount: ether(2) },
            U256::ZERO,
        )?;
        // then 3 ETH of allowance is left and Approval, Transfer, TransferShares are logged.
        assert!(ret._0);
        assert_eq!(allowance(&mut w.p, w.alice, w.carol)?, ether(3));
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                steth_approval(w.alice, w.carol, ether(3)),
                steth_transfer(w.alice, w.bob, ether(2)),
                steth_transfer_shares(w.alice, w.bob, ether(2)),
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn leaves_an_infinite_allowance_unchanged_and_logs_no_approval() -> Result<()> {
        // Given an infinite allowance, when Carol moves 2 ETH,
        let mut w = world()?;
        let token = w.p.addrs.token;
        approve(&mut w.p, w.alice, w.carol, INFINITE)?;
        let (_, out) = w.p.exec(
            w.carol,
            token,
            &IStETH::transferFromCall { from: w.alice, to: w.bob, amount: ether(2) },
            U256::ZERO,
        )?;
        // then the allowance is still infinite and no Approval is logged.
        assert_eq!(allowance(&mut w.p, w.alice, w.carol)?, INFINITE);
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                steth_transfer(w.alice, w.bob, ether(2)),
                steth_transfer_shares(w.alice, w.bob, ether(2))
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_insufficient_allowance_above_the_allowance() -> Result<()> {
        // Given an allowance of 1 ETH, when Carol moves 1 ETH + 1 wei,
        let mut w = world()?;
        let token = w.p.addrs.token;
        approve(&mut w.p, w.alice, w.carol, ether(1))?;
        let needed = ether(1) + U256::from(1);
        // then InsufficientAllowance(alice, carol, 1 ETH, needed), nothing changed.
        assert_revert(
            &mut w.p,
            w.carol,
            token,
            &IStETH::transferFromCall { from: w.alice, to: w.bob, amount: needed },
            U256::ZERO,
            &IStETH::InsufficientAllowance {
                owner: w.alice,
                spender: w.carol,
                allowance: ether(1),
                needed,
            },
        )
    }

    #[test]
    fn reverts_insufficient_balance_with_enough_allowance() -> Result<()> {
        // Given an infinite allowance, when Carol moves more than Alice has,
        let mut w = world()?;
        let token = w.p.addrs.token;
        approve(&mut w.p, w.alice, w.carol, INFINITE)?;
        // then InsufficientBalance(alice, 10 ETH, 11 ETH).
        assert_revert(
            &mut w.p,
            w.carol,
            token,
            &IStETH::transferFromCall { from: w.alice, to: w.bob, amount: ether(11) },
            U256::ZERO,
            &IStETH::InsufficientBalance {
                account: w.alice,
                balance: ether(10),
                needed: ether(11),
            },
        )
    }
}

mod approve {
    use super::*;

    #[test]
    fn sets_the_allowance_and_logs_approval() -> Result<()> {
        // Given Alice, when she approves Carol 7 ETH,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let (ret, out) = w.p.exec(
            w.alice,
            token,
            &IStETH::approveCall { spender: w.carol, amount: ether(7) },
            U256::ZERO,
        )?;
        // then the allowance is 7 ETH and Approval(alice, carol, 7 ETH) is the only log.
        assert!(ret._0);
        assert_eq!(allowance(&mut w.p, w.alice, w.carol)?, ether(7));
        assert_eq!(events(&w.p, &out)?, vec![steth_approval(w.alice, w.carol, ether(7))]);
        Ok(())
    }

    #[test]
    fn reverts_zero_address_for_the_zero_spender() -> Result<()> {
        // Given Alice, when she approves address 0, then ZeroAddress().
        let mut w = world()?;
        let token = w.p.addrs.token;
        assert_revert(
            &mut w.p,
            w.alice,
            token,
            &IStETH::approveCall { spender: Address::ZERO, amount: ether(1) },
            U256::ZERO,
            &IStETH::ZeroAddress {},
        )
    }

    #[test]
    fn increase_allowance_adds_and_logs_the_new_allowance() -> Result<()> {
        // Given an allowance of 1 ETH, when Alice increases it by 2 ETH,
        let mut w = world()?;
        let token = w.p.addrs.token;
        approve(&mut w.p, w.alice, w.carol, ether(1))?;
        let (_, out) = w.p.exec(
            w.alice,
            token,
            &IStETH::increaseAllowanceCall { spender: w.carol, addedValue: ether(2) },
            U256::ZERO,
        )?;
        // then it is 3 ETH and Approval logs 3 ETH.
        assert_eq!(allowance(&mut w.p, w.alice, w.carol)?, ether(3));
        assert_eq!(events(&w.p, &out)?, vec![steth_approval(w.alice, w.carol, ether(3))]);
        Ok(())
    }

    #[test]
    fn increase_allowance_reverts_amount_too_large_past_2_pow_256() -> Result<()> {
        // Given an infinite allowance, when Alice increases it by 1,
        let mut w = world()?;
        let token = w.p.addrs.token;
        approve(&mut w.p, w.alice, w.carol, INFINITE)?;
        // then AmountTooLarge(1).
        assert_revert(
            &mut w.p,
            w.alice,
            token,
            &IStETH::increaseAllowanceCall { spender: w.carol, addedValue: U256::from(1) },
            U256::ZERO,
            &IStETH::AmountTooLarge { amount: U256::from(1) },
        )
    }

    #[test]
    fn decrease_allowance_subtracts_and_logs_the_new_allowance() -> Result<()> {
        // Given an allowance of 3 ETH, when Alice decreases it by 1 ETH,
        let mut w = world()?;
        let token = w.p.addrs.token;
        approve(&mut w.p, w.alice, w.carol, ether(3))?;
        let (_, out) = w.p.exec(
            w.alice,
            token,
            &IStETH::decreaseAllowanceCall { spender: w.carol, subtractedValue: ether(1) },
            U256::ZERO,
        )?;
        // then it is 2 ETH and Approval logs 2 ETH.
        assert_eq!(allowance(&mut w.p, w.alice, w.carol)?, ether(2));
        assert_eq!(events(&w.p, &out)?, vec![steth_approval(w.alice, w.carol, ether(2))]);
        Ok(())
    }

    #[test]
    fn decrease_allowance_reverts_allowance_below_zero() -> Result<()> {
        // Given an allowance of 1 ETH, when Alice decreases it by 2 ETH,
        let mut w = world()?;
        let token = w.p.addrs.token;
        approve(&mut w.p, w.alice, w.carol, ether(1))?;
        // then AllowanceBelowZero(alice, carol, 1 ETH, 2 ETH).
        assert_revert(
            &mut w.p,
            w.alice,
            token,
            &IStETH::decreaseAllowanceCall { spender: w.carol, subtractedValue: ether(2) },
            U256::ZERO,
            &IStETH::AllowanceBelowZero {
                owner: w.alice,
                spender: w.carol,
                allowance: ether(1),
                decrease: ether(2),
            },
        )
    }
}

mod transfer_shares {
    use super::*;

    #[test]
    fn moves_exact_shares_and_returns_their_value_rounded_down() -> Result<()> {
        // Given a fractional rate (after +5 %), when Alice sends Bob k shares,
        let mut w = rebased_world(Rebase::Up5)?;
        let token = w.p.addrs.token;
        let rate = Rate::read(&mut w.p)?;
        let k = odd_amount();
        let (a0, b0) = (shares(&mut w.p, w.alice)?, shares(&mut w.p, w.bob)?);
        let (ret, out) = w.p.exec(
            w.alice,
            token,
            &IStETH::transferSharesCall { to: w.bob, sharesAmount: k },
            U256::ZERO,
        )?;
        // then exactly k shares moved, it returned floor(k * P / S), and both events say so.
        assert_eq!(ret._0, rate.to_ether(k));
        assert_eq!(shares(&mut w.p, w.alice)?, a0 - k);
        assert_eq!(shares(&mut w.p, w.bob)?, b0 + k);
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                steth_transfer(w.alice, w.bob, rate.to_ether(k)),
                steth_transfer_shares(w.alice, w.bob, k)
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_insufficient_balance_in_shares() -> Result<()> {
        // Given Bob with 5 ETH of shares, when he sends one share more,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let needed = ether(5) + U256::from(1);
        // then InsufficientBalance(bob, shares held, shares asked).
        assert_revert(
            &mut w.p,
            w.bob,
            token,
            &IStETH::transferSharesCall { to: w.alice, sharesAmount: needed },
            U256::ZERO,
            &IStETH::InsufficientBalance { account: w.bob, balance: ether(5), needed },
        )
    }
}

mod transfer_shares_from {
    use super::*;

    #[test]
    fn spends_the_allowance_rounded_up() -> Result<()> {
        // Given a fractional rate and an allowance of exactly ceil(k * P / S),
        let mut w = rebased_world(Rebase::Up5)?;
        let token = w.p.addrs.token;
        let rate = Rate::read(&mut w.p)?;
        let k = odd_amount();
        let ceil = rate.to_ether_up(k);
        assert_eq!(ceil, rate.to_ether(k) + U256::from(1));
        approve(&mut w.p, w.alice, w.carol, ceil)?;
        // when Carol moves k shares of Alice's to Bob,
        let (ret, out) = w.p.exec(
            w.carol,
            token,
            &IStETH::transferSharesFromCall { from: w.alice, to: w.bob, sharesAmount: k },
            U256::ZERO,
        )?;
        // then the whole allowance is spent and the value returned is rounded down.
        assert_eq!(ret._0, rate.to_ether(k));
        assert_eq!(allowance(&mut w.p, w.alice, w.carol)?, U256::ZERO);
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                steth_approval(w.alice, w.carol, U256::ZERO),
                steth_transfer(w.alice, w.bob, rate.to_ether(k)),
                steth_transfer_shares(w.alice, w.bob, k),
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_when_the_allowance_covers_only_the_value_rounded_down() -> Result<()> {
        // Given a fractional rate and an allowance of floor(k * P / S),
        let mut w = rebased_world(Rebase::Up5)?;
        let token = w.p.addrs.token;
        let rate = Rate::read(&mut w.p)?;
        let k = odd_amount();
        approve(&mut w.p, w.alice, w.carol, rate.to_ether(k))?;
        // when Carol moves k shares, then InsufficientAllowance needs the rounded-up value.
        assert_revert(
            &mut w.p,
            w.carol,
            token,
            &IStETH::transferSharesFromCall { from: w.alice, to: w.bob, sharesAmount: k },
            U256::ZERO,
            &IStETH::InsufficientAllowance {
                owner: w.alice,
                spender: w.carol,
                allowance: rate.to_ether(k),
                needed: rate.to_ether_up(k),
            },
        )
    }

    #[test]
    fn one_share_needs_a_non_zero_allowance_below_rate_one() -> Result<()> {
        // Given a rate below 1 (after −5 %) and no allowance,
        let mut w = rebased_world(Rebase::Down5)?;
        let token = w.p.addrs.token;
        let rate = Rate::read(&mut w.p)?;
        assert!(rate.pooled < rate.shares);
        assert_eq!(rate.to_ether(U256::from(1)), U256::ZERO);
        // when Carol moves one share of Alice's, then she needs 1 wei of allowance.
        assert_revert(
            &mut w.p,
            w.carol,
            token,
            &IStETH::transferSharesFromCall {
                from: w.alice,
                to: w.bob,
                sharesAmount: U256::from(1),
            },
            U256::ZERO,
            &IStETH::InsufficientAllowance {
                owner: w.alice,
                spender: w.carol,
                allowance: U256::ZERO,
                needed: U256::from(1),
            },
        )
    }

    #[test]
    fn leaves_an_infinite_allowance_unchanged_and_logs_no_approval() -> Result<()> {
        // Given an infinite allowance, when Carol moves 1 ETH of shares,
        let mut w = world()?;
        let token = w.p.addrs.token;
        approve(&mut w.p, w.alice, w.carol, INFINITE)?;
        let (_, out) = w.p.exec(
            w.carol,
            token,
            &IStETH::transferSharesFromCall { from: w.alice, to: w.bob, sharesAmount: ether(1) },
            U256::ZERO,
        )?;
        // then the allowance is unchanged and only the transfer events are logged.
        assert_eq!(allowance(&mut w.p, w.alice, w.carol)?, INFINITE);
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                steth_transfer(w.alice, w.bob, ether(1)),
                steth_transfer_shares(w.alice, w.bob, ether(1))
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }
}

mod permit {
    use super::*;

    /// A wallet holding 1 ETH of stETH, Carol as spender, a deadline an hour
    /// ahead, and the wallet's signature of `permit(wallet, carol, value)`
    /// at its current nonce in the domain with `chain_id`.
    fn signed(w: &mut World, value: U256, chain_id: u64) -> Result<(Wallet, U256, Sig)> {
        let wallet = Wallet::new("steth permit owner");
        w.p.host.fund(wallet.address, ether(2));
        w.p.submit_via_pool(wallet.address, ether(1))?;
        let deadline = U256::from(w.p.host.timestamp() + 3_600);
        let token = w.p.addrs.token;
        let nonce = w.p.view(token, &IStETH::noncesCall { owner: wallet.address })?._0;
        let d = domain(NAME, "2", chain_id, token);
        let sig = wallet.sign(permit_digest(&d, wallet.address, w.carol, value, nonce, deadline));
        Ok((wallet, deadline, sig))
    }

    fn permit_call(
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        sig: Sig,
    ) -> IStETH::permitCall {
        IStETH::permitCall { owner, spender, value, deadline, v: sig.v, r: sig.r, s: sig.s }
    }

    #[test]
    fn domain_separator_and_eip712_domain_match_an_independent_computation() -> Result<()> {
        // Given the token, when its EIP-712 domain is read,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let separator = w.p.view(token, &IStETH::DOMAIN_SEPARATORCall {})?._0;
        let d = w.p.view(token, &IStETH::eip712DomainCall {})?;
        // then it is (name, "2", 42161, token), hashed as alloy hashes it.
        assert_eq!(separator, domain(NAME, "2", CHAIN_ID, token).separator());
        assert_eq!(d.fields, FixedBytes([0x0f]));
        assert_eq!((d.name.as_str(), d.version.as_str()), (NAME, "2"));
        assert_eq!((d.chainId, d.verifyingContract), (U256::from(CHAIN_ID), token));
        assert_eq!((d.salt, d.extensions.len()), (B256::ZERO, 0));
        assert_eq!(w.p.view(token, &IStETH::getEIP712StETHCall {})?._0, token);
        Ok(())
    }

    #[test]
    fn sets_the_allowance_consumes_the_nonce_and_logs_approval() -> Result<()> {
        // Given a wallet's valid signature, when anyone (Bob) submits it,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let (wallet, deadline, sig) = signed(&mut w, ether(3), CHAIN_ID)?;
        let call = permit_call(wallet.address, w.carol, ether(3), deadline, sig);
        let (_, out) = w.p.exec(w.bob, token, &call, U256::ZERO)?;
        // then Carol may spend 3 ETH, the nonce is 1 and Approval is logged.
        assert_eq!(allowance(&mut w.p, wallet.address, w.carol)?, ether(3));
        assert_eq!(
            w.p.view(token, &IStETH::noncesCall { owner: wallet.address })?._0,
            U256::from(1)
        );
        assert_eq!(events(&w.p, &out)?, vec![steth_approval(wallet.address, w.carol, ether(3))]);
        // and the allowance is usable.
        w.p.exec(
            w.carol,
            token,
            &IStETH::transferFromCall { from: wallet.address, to: w.carol, amount: ether(1) },
            U256::ZERO,
        )?;
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_permit_expired_after_the_deadline() -> Result<()> {
        // Given a valid signature, when submitted one second after its deadline,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let (wallet, deadline, sig) = signed(&mut w, ether(3), CHAIN_ID)?;
        w.p.host.advance_time(3_601);
        // then PermitExpired(deadline), nothing changed.
        assert_revert(
            &mut w.p,
            w.bob,
            token,
            &permit_call(wallet.address, w.carol, ether(3), deadline, sig),
            U256::ZERO,
            &IStETH::PermitExpired { deadline },
        )
    }

    #[test]
    fn reverts_invalid_signature_when_replayed() -> Result<()> {
        // Given a permit already used once,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let (wallet, deadline, sig) = signed(&mut w, ether(3), CHAIN_ID)?;
        let call = permit_call(wallet.address, w.carol, ether(3), deadline, sig);
        w.p.exec(w.bob, token, &call, U256::ZERO)?;
        approve(&mut w.p, wallet.address, w.carol, U256::ZERO)?;
        // when it is submitted again, then InvalidSignature() (the nonce moved).
        assert_revert(&mut w.p, w.bob, token, &call, U256::ZERO, &IStETH::InvalidSignature {})
    }

    #[test]
    fn reverts_invalid_signature_for_the_high_s_twin() -> Result<()> {
        // Given the high-s twin of a valid signature, which ecrecover still maps to the owner,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let (wallet, deadline, sig) = signed(&mut w, ether(3), CHAIN_ID)?;
        let high = sig.high_s();
        let nonce = U256::ZERO;
        let digest = permit_digest(
            &domain(NAME, "2", CHAIN_ID, token),
            wallet.address,
            w.carol,
            ether(3),
            nonce,
            deadline,
        );
        let input = (digest, U256::from(high.v), high.r, high.s).abi_encode();
        let ecrecover = Address::with_last_byte(1);
        let recovered = w.p.host.static_call(w.bob, ecrecover, &input);
        assert_eq!(Address::from_word(B256::from_slice(&recovered.return_data)), wallet.address);
        // when it is submitted, then InvalidSignature() (EIP-2).
        assert_revert(
            &mut w.p,
            w.bob,
            token,
            &permit_call(wallet.address, w.carol, ether(3), deadline, high),
            U256::ZERO,
            &IStETH::InvalidSignature {},
        )
    }

    #[test]
    fn reverts_invalid_signature_when_signed_for_another_chain() -> Result<()> {
        // Given a signature over the domain of chain 1, when submitted on 42161,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let (wallet, deadline, sig) = signed(&mut w, ether(3), 1)?;
        // then InvalidSignature().
        assert_revert(
            &mut w.p,
            w.bob,
            token,
            &permit_call(wallet.address, w.carol, ether(3), deadline, sig),
            U256::ZERO,
            &IStETH::InvalidSignature {},
        )
    }

    #[test]
    fn reverts_invalid_signature_for_another_value_than_signed() -> Result<()> {
        // Given a signature for 3 ETH, when submitted for 4 ETH, then InvalidSignature().
        let mut w = world()?;
        let token = w.p.addrs.token;
        let (wallet, deadline, sig) = signed(&mut w, ether(3), CHAIN_ID)?;
        assert_revert(
            &mut w.p,
            w.bob,
            token,
            &permit_call(wallet.address, w.carol, ether(4), deadline, sig),
            U256::ZERO,
            &IStETH::InvalidSignature {},
        )
    }
}

mod stop_and_resume {
    use super::*;

    fn stop(w: &mut World) -> Result<()> {
        let token = w.p.addrs.token;
        let (_, out) = w.p.exec(GOVERNANCE, token, &IStETH::stopCall {}, U256::ZERO)?;
        ensure!(
            events(&w.p, &out)?
                == vec![Event::StEth(IStETH::IStETHEvents::Stopped(IStETH::Stopped {}))],
            "Stopped() logged"
        );
        Ok(())
    }

    #[test]
    fn stop_blocks_every_share_movement_with_contract_stopped() -> Result<()> {
        // Given a stopped token and allowances for Carol,
        let mut w = world()?;
        let token = w.p.addrs.token;
        approve(&mut w.p, w.alice, w.carol, INFINITE)?;
        stop(&mut w)?;
        assert!(w.p.view(token, &IStETH::isStoppedCall {})?._0);
        let (alice, bob, carol) = (w.alice, w.bob, w.carol);
        let p = &mut w.p;
        // then every share movement reverts ContractStopped() and changes nothing.
        let stopped = IStETH::ContractStopped {};
        assert_revert(
            p,
            alice,
            token,
            &IStETH::transferCall { to: bob, amount: ether(1) },
            U256::ZERO,
            &stopped,
        )?;
        assert_revert(
            p,
            carol,
            token,
            &IStETH::transferFromCall { from: alice, to: bob, amount: ether(1) },
            U256::ZERO,
            &stopped,
        )?;
        assert_revert(
            p,
            alice,
            token,
            &IStETH::transferSharesCall { to: bob, sharesAmount: ether(1) },
            U256::ZERO,
            &stopped,
        )?;
        assert_revert(
            p,
            carol,
            token,
            &IStETH::transferSharesFromCall { from: alice, to: bob, sharesAmount: ether(1) },
            U256::ZERO,
            &stopped,
        )?;
        assert_revert(
            p,
            alice,
            token,
            &IStETH::submitCall { referral: Address::ZERO },
            ether(1),
            &stopped,
        )?;
        // (the deposit pool's own submit mints through the token, so it stops too).
        let pool = p.addrs.pool;
        assert_revert(
            p,
            alice,
            pool,
            &IDepositPool::submitCall { referral: Address::ZERO },
            ether(1),
            &IDepositPool::ContractStopped {},
        )?;
        p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn approve_and_permit_still_work_while_stopped() -> Result<()> {
        // Given a stopped token,
        let mut w = world()?;
        let token = w.p.addrs.token;
        let wallet = Wallet::new("stopped permit");
        stop(&mut w)?;
        // when Alice approves and a wallet's permit is submitted,
        approve(&mut w.p, w.alice, w.carol, ether(4))?;
        let deadline = U256::from(w.p.host.timestamp() + 60);
        let d = domain(NAME, "2", CHAIN_ID, token);
        let sig =
            wallet.sign(permit_digest(&d, wallet.address, w.carol, ether(1), U256::ZERO, deadline));
        w.p.exec(
            w.bob,
            token,
            &IStETH::permitCall {
                owner: wallet.address,
                spender: w.carol,
                value: ether(1),
                deadline,
                v: sig.v,
                r: sig.r,
                s: sig.s,
            },
            U256::ZERO,
        )?;
        // then both allowances are set.
        assert_eq!(allowance(&mut w.p, w.alice, w.carol)?, ether(4));
        assert_eq!(allowance(&mut w.p, wallet.address, w.carol)?, ether(1));
        Ok(())
    }

    #[test]
    fn resume_restores_transfers_and_logs_resumed() -> Result<()> {
        // Given a stopped token, when governance resumes it,
        let mut w = world()?;
        let token = w.p.addrs.token;
        stop(&mut w)?;
        let (_, out) = w.p.exec(GOVERNANCE, token, &IStETH::resumeCall {}, U256::ZERO)?;
        // then Resumed() is logged and transfers work again.
        assert_eq!(
            events(&w.p, &out)?,
            vec![Event::StEth(IStETH::IStETHEvents::Resumed(IStETH::Resumed {}))]
        );
        assert!(!w.p.view(token, &IStETH::isStoppedCall {})?._0);
        w.p.transfer(w.alice, w.bob, ether(1))?;
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn stop_reverts_for_an_account_without_pause_role() -> Result<()> {
        // Given Alice without PAUSE_ROLE, when she stops the token,
        let mut w = world()?;
        let token = w.p.addrs.token;
        // then AccessControlUnauthorizedAccount(alice, PAUSE_ROLE).
        assert_revert(
            &mut w.p,
            w.alice,
            token,
            &IStETH::stopCall {},
            U256::ZERO,
            &IStETH::AccessControlUnauthorizedAccount {
                account: w.alice,
                neededRole: keccak256("PAUSE_ROLE"),
            },
        )
    }

    #[test]
    fn resume_reverts_for_an_account_without_resume_role() -> Result<()> {
        // Given a stopped token, when Alice resumes it,
        let mut w = world()?;
        let token = w.p.addrs.token;
        stop(&mut w)?;
        // then AccessControlUnauthorizedAccount(alice, RESUME_ROLE).
        assert_revert(
            &mut w.p,
            w.alice,
            token,
            &IStETH::resumeCall {},
            U256::ZERO,
            &IStETH::AccessControlUnauthorizedAccount {
                account: w.alice,
                neededRole: keccak256("RESUME_ROLE"),
            },
        )
    }

    #[test]
    fn stop_reverts_contract_stopped_when_already_stopped() -> Result<()> {
        // Given a stopped token, when governance stops it again, then ContractStopped().
        let mut w = world()?;
        let token = w.p.addrs.token;
        stop(&mut w)?;
        assert_revert(
            &mut w.p,
            GOVERNANCE,
            token,
            &IStETH::stopCall {},
            U256::ZERO,
            &IStETH::ContractStopped {},
        )
    }

    #[test]
    fn resume_reverts_contract_not_stopped_while_running() -> Result<()> {
        // Given a running token, when governance resumes it, then ContractNotStopped().
        let mut w = world()?;
        let token = w.p.addrs.token;
        assert_revert(
            &mut w.p,
            GOVERNANCE,
            token,
            &IStETH::resumeCall {},
            U256::ZERO,
            &IStETH::ContractNotStopped {},
        )
    }
}

mod privileged {
    use super::*;

    #[test]
    fn mint_shares_reverts_unauthorized_for_anyone_but_the_deposit_pool() -> Result<()> {
        // Given the wired token, when Alice, governance or the oracle mints,
        let mut w = world()?;
        let a = w.p.addrs;
        for caller in [w.alice, GOVERNANCE, a.oracle] {
            // then Unauthorized(caller) and nothing changed.
            assert_revert(
                &mut w.p,
                caller,
                a.token,
                &IStETH::mintSharesCall { recipient: caller, etherAmount: ether(1) },
                U256::ZERO,
                &IStETH::Unauthorized { caller },
            )?;
        }
        Ok(())
    }

    #[test]
    fn rebase_reverts_unauthorized_for_anyone_but_the_oracle() -> Result<()> {
        // Given the wired token, when Alice or the deposit pool rebases,
        let mut w = world()?;
        let a = w.p.addrs;
        for caller in [w.alice, a.pool] {
            let call = IStETH::rebaseCall {
                reportTimestamp: U256::from(1),
                timeElapsed: U256::from(1),
                postTotalPooledEther: ether(1_000),
                sharesToBurn: U256::ZERO,
                treasury: caller,
                treasuryShares: ether(1_000),
                operatorRecipient: caller,
                operatorShares: U256::ZERO,
            };
            // then Unauthorized(caller) and nothing changed.
            assert_revert(
                &mut w.p,
                caller,
                a.token,
                &call,
                U256::ZERO,
                &IStETH::Unauthorized { caller },
            )?;
        }
        Ok(())
    }

    #[test]
    fn set_protocol_contracts_reverts_for_a_non_admin() -> Result<()> {
        // Given Alice without DEFAULT_ADMIN_ROLE, when she rewires the token,
        let mut w = world()?;
        let token = w.p.addrs.token;
        // then AccessControlUnauthorizedAccount(alice, 0x00).
        assert_revert(
            &mut w.p,
            w.alice,
            token,
            &IStETH::setProtocolContractsCall {
                depositPool: w.alice,
                oracle: w.alice,
                withdrawalQueue: w.alice,
            },
            U256::ZERO,
            &IStETH::AccessControlUnauthorizedAccount { account: w.alice, neededRole: B256::ZERO },
        )
    }

    #[test]
    fn grant_role_reverts_for_a_non_admin() -> Result<()> {
        // Given Alice without DEFAULT_ADMIN_ROLE, when she grants herself PAUSE_ROLE,
        let mut w = world()?;
        let token = w.p.addrs.token;
        // then AccessControlUnauthorizedAccount(alice, 0x00).
        assert_revert(
            &mut w.p,
            w.alice,
            token,
            &IStETH::grantRoleCall { role: keccak256("PAUSE_ROLE"), account: w.alice },
            U256::ZERO,
            &IStETH::AccessControlUnauthorizedAccount { account: w.alice, neededRole: B256::ZERO },
        )
    }
}

mod submit {
    use super::*;

    #[test]
    fn mints_shares_at_the_pre_deposit_rate_with_events_in_order() -> Result<()> {
        // Given a fractional rate (after +5 %), when Carol stakes an odd amount with a referral,
        let mut w = rebased_world(Rebase::Up5)?;
        let a = w.p.addrs;
        let pre = Rate::read(&mut w.p)?;
        let value = odd_amount();
        let referral = w.bob;
        w.p.track(w.carol);
        let (ret, out) = w.p.exec(w.carol, a.token, &IStETH::submitCall { referral }, value)?;
        // then floor(v * S / P) shares are minted and returned,
        let minted = pre.to_shares(value);
        assert_eq!(ret._0, minted);
        assert_eq!(shares(&mut w.p, w.carol)?, minted);
        // the pool logs Submitted, the token Transfer(0, carol, value of the shares) and TransferShares.
        let post = Rate::read(&mut w.p)?;
        assert_eq!(post.pooled, pre.pooled + value);
        assert_eq!(post.shares, pre.shares + minted);
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                submitted(w.carol, value, referral),
                steth_transfer(Address::ZERO, w.carol, post.to_ether(minted)),
                steth_transfer_shares(Address::ZERO, w.carol, minted),
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn plain_ether_stakes_as_submit_with_no_referral() -> Result<()> {
        // Given Carol, when she sends 2 ETH to the token with empty calldata,
        let mut w = world()?;
        let token = w.p.addrs.token;
        w.p.track(w.carol);
        let out = w.p.host.call(w.carol, token, &[], ether(2));
        // then she holds 2 ETH of stETH and the pool logged Submitted(carol, 2 ETH, 0).
        assert!(out.success, "{:?}", scripts::protocol::revert_of(&out));
        assert_eq!(balance(&mut w.p, w.carol)?, ether(2));
        assert_eq!(events(&w.p, &out)?[0], submitted(w.carol, ether(2), Address::ZERO));
        assert_eq!(w.p.host.balance(w.p.addrs.pool), ether(18));
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_zero_amount_without_value() -> Result<()> {
        // Given Carol, when she submits without ether, then ZeroAmount().
        let mut w = world()?;
        let token = w.p.addrs.token;
        assert_revert(
            &mut w.p,
            w.carol,
            token,
            &IStETH::submitCall { referral: Address::ZERO },
            U256::ZERO,
            &IStETH::ZeroAmount {},
        )
    }
}

mod malformed_calls {
    use super::*;

    #[test]
    fn unknown_selector_short_calldata_and_value_to_non_payable_revert() -> Result<()> {
        // Given the token, when called with an unknown selector, 3 bytes, or
        // ether with approve(),
        let mut w = world()?;
        let token = w.p.addrs.token;
        let approve = IStETH::approveCall { spender: w.bob, amount: ether(1) }.abi_encode();
        // then each reverts with no data and changes nothing.
        let reverts = expect_malformed_calls_revert(&mut w.p, token, &approve)?;
        assert!(reverts.iter().all(Vec::is_empty), "{reverts:?}");
        Ok(())
    }
}

mod after_rebases {
    use super::*;

    #[test]
    fn erc20_and_shares_api_hold_after_a_neutral_rebase() -> Result<()> {
        // Given a neutral oracle report, then the whole ERC-20/shares suite holds.
        let mut w = rebased_world(Rebase::Neutral)?;
        erc20_suite(&mut w)
    }

    #[test]
    fn erc20_and_shares_api_hold_after_a_positive_rebase() -> Result<()> {
        // Given +5 % of rewards (fee minted), then the whole suite holds at the new rate.
        let mut w = rebased_world(Rebase::Up5)?;
        erc20_suite(&mut w)
    }

    #[test]
    fn erc20_and_shares_api_hold_after_a_negative_rebase() -> Result<()> {
        // Given a −5 % penalty, then the whole suite holds at the new rate.
        let mut w = rebased_world(Rebase::Down5)?;
        erc20_suite(&mut w)
    }

    #[test]
    fn a_rebase_moves_every_balance_and_no_share() -> Result<()> {
        // Given Alice's shares and balance, when +5 % is reported,
        let mut w = world()?;
        with_validators(&mut w.p, 2)?;
        let s0 = shares(&mut w.p, w.alice)?;
        let b0 = balance(&mut w.p, w.alice)?;
        rebase(&mut w.p, Rebase::Up5)?;
        // then her shares are the same and her balance is the shares at the new rate.
        assert_eq!(shares(&mut w.p, w.alice)?, s0);
        let b1 = balance(&mut w.p, w.alice)?;
        assert_eq!(b1, Rate::read(&mut w.p)?.to_ether(s0));
        assert!(b1 > b0);
        Ok(())
    }
}
