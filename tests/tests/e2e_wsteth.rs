//! End-to-end tests of the share token (wstETH) on the embedded Stylus host,
//! through the Solidity ABI only: wrap/unwrap of exact shares, views,
//! `receive()` stake-and-wrap, the ERC-20 API, permit with real signatures,
//! and the round trip after rebases. Every revert is decoded with its `sol!`
//! type and changes no view; the accounting invariant is checked after every
//! step (including "wstETH supply == stETH shares held by wstETH").

use alloy_primitives::{Address, FixedBytes, B256, U256};
use alloy_sol_types::SolCall;
use anyhow::Result;
use e2e::abi::{IDepositPool, IStETH, IWstETH};
use e2e::support::*;

/// The share token's name (also its EIP-712 domain name).
const NAME: &str = "Wrapped liquid staked Ether 2.0";

/// Alice staked 10 ETH and approved wstETH for all of it; Bob staked 5 ETH;
/// Carol holds ether only.
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
    let wsteth = p.addrs.wsteth;
    p.approve_steth(alice, wsteth, ether(10))?;
    p.check_invariants()?;
    Ok(World { p, alice, bob, carol })
}

/// [`world`] after two validators and the rebase `r` (a fractional rate).
fn rebased_world(r: Rebase) -> Result<World> {
    let mut w = world()?;
    with_validators(&mut w.p, 2)?;
    rebase(&mut w.p, r)?;
    Ok(w)
}

fn wst_balance(p: &mut Protocol, who: Address) -> Result<U256> {
    p.wsteth_balance(who)
}

fn wst_allowance(p: &mut Protocol, owner: Address, spender: Address) -> Result<U256> {
    let wsteth = p.addrs.wsteth;
    Ok(p.view(wsteth, &IWstETH::allowanceCall { owner, spender })?._0)
}

/// Wraps `amount` of `who`'s stETH and returns the units minted.
fn wrap(p: &mut Protocol, who: Address, amount: U256) -> Result<U256> {
    let wsteth = p.addrs.wsteth;
    Ok(p.exec(who, wsteth, &IWstETH::wrapCall { stETHAmount: amount }, U256::ZERO)?.0._0)
}

/// An amount with every digit set (rounds at a fractional rate).
fn odd_amount() -> U256 {
    ether(1) + U256::from(234_567_890_123_456_789u64)
}

mod metadata_and_views {
    use super::*;

    #[test]
    fn name_symbol_decimals_and_steth_are_the_deployed_ones() -> Result<()> {
        // Given the deployed share token, when its metadata is read, then it is wstETH's.
        let mut w = world()?;
        let a = w.p.addrs;
        assert_eq!(w.p.view(a.wsteth, &IWstETH::nameCall {})?._0, NAME);
        assert_eq!(w.p.view(a.wsteth, &IWstETH::symbolCall {})?._0, "wstETH");
        assert_eq!(w.p.view(a.wsteth, &IWstETH::decimalsCall {})?._0, 18);
        assert_eq!(w.p.view(a.wsteth, &IWstETH::stETHCall {})?._0, a.token);
        Ok(())
    }

    #[test]
    fn conversions_are_the_rebase_tokens_rounded_down() -> Result<()> {
        // Given a fractional rate (after +5 %),
        let mut w = rebased_world(Rebase::Up5)?;
        let wsteth = w.p.addrs.wsteth;
        let rate = Rate::read(&mut w.p)?;
        let x = odd_amount();
        // then each view is the stETH conversion, rounded down.
        let by_steth = w.p.view(wsteth, &IWstETH::getWstETHByStETHCall { stETHAmount: x })?._0;
        assert_eq!(by_steth, rate.to_shares(x));
        let by_wst = w.p.view(wsteth, &IWstETH::getStETHByWstETHCall { wstETHAmount: x })?._0;
        assert_eq!(by_wst, rate.to_ether(x));
        assert_eq!(w.p.view(wsteth, &IWstETH::stEthPerTokenCall {})?._0, rate.to_ether(ether(1)));
        assert_eq!(w.p.view(wsteth, &IWstETH::tokensPerStEthCall {})?._0, rate.to_shares(ether(1)));
        Ok(())
    }

    #[test]
    fn conversion_views_pass_through_the_rebase_tokens_amount_too_large() -> Result<()> {
        // Given the share token, when a conversion gets 2^128,
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        let big = U256::from(1) << 128;
        // then the rebase token's AmountTooLarge(2^128) comes back unchanged.
        assert_revert(
            &mut w.p,
            w.alice,
            wsteth,
            &IWstETH::getWstETHByStETHCall { stETHAmount: big },
            U256::ZERO,
            &IStETH::AmountTooLarge { amount: big },
        )
    }
}

mod wrap {
    use super::*;

    #[test]
    fn mints_exactly_the_shares_moved_with_events_in_order() -> Result<()> {
        // Given a fractional rate, when Alice wraps an odd amount,
        let mut w = rebased_world(Rebase::Up5)?;
        let a = w.p.addrs;
        let rate = Rate::read(&mut w.p)?;
        let x = odd_amount();
        let s = rate.to_shares(x);
        let alice_shares = w.p.shares_of(w.alice)?;
        let (ret, out) =
            w.p.exec(w.alice, a.wsteth, &IWstETH::wrapCall { stETHAmount: x }, U256::ZERO)?;
        // then floor(x * S / P) shares moved and exactly that many units were minted,
        assert_eq!(ret._0, s);
        assert_eq!(wst_balance(&mut w.p, w.alice)?, s);
        assert_eq!(w.p.shares_of(w.alice)?, alice_shares - s);
        assert_eq!(w.p.view(a.wsteth, &IWstETH::totalSupplyCall {})?._0, s);
        // with stETH's Approval/Transfer/TransferShares first, then wstETH's mint.
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                steth_approval(w.alice, a.wsteth, ether(10) - x),
                steth_transfer(w.alice, a.wsteth, x),
                steth_transfer_shares(w.alice, a.wsteth, s),
                wsteth_transfer(Address::ZERO, w.alice, s),
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn with_an_infinite_steth_allowance_logs_no_approval() -> Result<()> {
        // Given an infinite stETH allowance to wstETH, when Bob wraps 1 ETH,
        let mut w = world()?;
        let a = w.p.addrs;
        w.p.approve_steth(w.bob, a.wsteth, INFINITE)?;
        let (_, out) =
            w.p.exec(w.bob, a.wsteth, &IWstETH::wrapCall { stETHAmount: ether(1) }, U256::ZERO)?;
        // then the allowance stays infinite and no Approval is logged.
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                steth_transfer(w.bob, a.wsteth, ether(1)),
                steth_transfer_shares(w.bob, a.wsteth, ether(1)),
                wsteth_transfer(Address::ZERO, w.bob, ether(1)),
            ]
        );
        let left = w.p.view(a.token, &IStETH::allowanceCall { owner: w.bob, spender: a.wsteth })?;
        assert_eq!(left._0, INFINITE);
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn of_the_whole_steth_balance_moves_every_share() -> Result<()> {
        // Given a fractional rate (after −5 %), when Alice wraps her whole balance,
        let mut w = rebased_world(Rebase::Down5)?;
        let whole = w.p.steth_balance(w.alice)?;
        let all = w.p.shares_of(w.alice)?;
        let minted = wrap(&mut w.p, w.alice, whole)?;
        // then all her shares became units and no stETH dust is left.
        assert_eq!(minted, all);
        assert_eq!(w.p.shares_of(w.alice)?, U256::ZERO);
        assert_eq!(w.p.steth_balance(w.alice)?, U256::ZERO);
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_zero_amount_for_zero() -> Result<()> {
        // Given Alice, when she wraps 0, then ZeroAmount().
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        assert_revert(
            &mut w.p,
            w.alice,
            wsteth,
            &IWstETH::wrapCall { stETHAmount: U256::ZERO },
            U256::ZERO,
            &IWstETH::ZeroAmount {},
        )
    }

    #[test]
    fn passes_through_the_rebase_tokens_insufficient_allowance() -> Result<()> {
        // Given Bob without any stETH allowance to wstETH, when he wraps 1 ETH,
        let mut w = world()?;
        let a = w.p.addrs;
        // then the rebase token's InsufficientAllowance(bob, wstETH, 0, 1 ETH), nothing changed.
        assert_revert(
            &mut w.p,
            w.bob,
            a.wsteth,
            &IWstETH::wrapCall { stETHAmount: ether(1) },
            U256::ZERO,
            &IStETH::InsufficientAllowance {
                owner: w.bob,
                spender: a.wsteth,
                allowance: U256::ZERO,
                needed: ether(1),
            },
        )
    }

    #[test]
    fn passes_through_contract_stopped_when_the_rebase_token_is_stopped() -> Result<()> {
        // Given a stopped rebase token, when Alice wraps,
        let mut w = world()?;
        let a = w.p.addrs;
        w.p.exec(GOVERNANCE, a.token, &IStETH::stopCall {}, U256::ZERO)?;
        // then ContractStopped() from the rebase token.
        assert_revert(
            &mut w.p,
            w.alice,
            a.wsteth,
            &IWstETH::wrapCall { stETHAmount: ether(1) },
            U256::ZERO,
            &IStETH::ContractStopped {},
        )
    }
}

mod unwrap {
    use super::*;

    #[test]
    fn burns_and_returns_exactly_that_many_shares() -> Result<()> {
        // Given Alice's wrapped units at a fractional rate,
        let mut w = rebased_world(Rebase::Up5)?;
        let a = w.p.addrs;
        let units = wrap(&mut w.p, w.alice, ether(5))?;
        let rate = Rate::read(&mut w.p)?;
        let u = units / U256::from(3);
        let shares_before = w.p.shares_of(w.alice)?;
        // when she unwraps a third of them,
        let (ret, out) =
            w.p.exec(w.alice, a.wsteth, &IWstETH::unwrapCall { wstETHAmount: u }, U256::ZERO)?;
        // then exactly u shares come back, valued floor(u * P / S), with wstETH's burn logged first.
        assert_eq!(ret._0, rate.to_ether(u));
        assert_eq!(w.p.shares_of(w.alice)?, shares_before + u);
        assert_eq!(wst_balance(&mut w.p, w.alice)?, units - u);
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                wsteth_transfer(w.alice, Address::ZERO, u),
                steth_transfer(a.wsteth, w.alice, rate.to_ether(u)),
                steth_transfer_shares(a.wsteth, w.alice, u),
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_zero_amount_for_zero() -> Result<()> {
        // Given Alice, when she unwraps 0, then ZeroAmount().
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        wrap(&mut w.p, w.alice, ether(1))?;
        assert_revert(
            &mut w.p,
            w.alice,
            wsteth,
            &IWstETH::unwrapCall { wstETHAmount: U256::ZERO },
            U256::ZERO,
            &IWstETH::ZeroAmount {},
        )
    }

    #[test]
    fn reverts_insufficient_balance_above_the_units_held() -> Result<()> {
        // Given Alice with 1 ETH of units, when she unwraps one more,
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        wrap(&mut w.p, w.alice, ether(1))?;
        let needed = ether(1) + U256::from(1);
        // then InsufficientBalance(alice, 1 ETH, needed).
        assert_revert(
            &mut w.p,
            w.alice,
            wsteth,
            &IWstETH::unwrapCall { wstETHAmount: needed },
            U256::ZERO,
            &IWstETH::InsufficientBalance { account: w.alice, balance: ether(1), needed },
        )
    }
}

mod receive {
    use super::*;

    #[test]
    fn stakes_and_wraps_in_one_call_without_reentering_any_program() -> Result<()> {
        // Given a fractional rate, when Carol sends an odd amount of ether to wstETH,
        let mut w = rebased_world(Rebase::Up5)?;
        let a = w.p.addrs;
        let pre = Rate::read(&mut w.p)?;
        let value = odd_amount();
        w.p.track(w.carol);
        let out = w.p.host.call(w.carol, a.wsteth, &[], value);
        assert!(out.success, "receive(): {}", scripts::protocol::revert_of(&out));
        // then the pool minted floor(v * S / P) shares to wstETH and Carol got as many units:
        // wstETH → pool.submit → token.mintShares, each program entered once.
        let minted = pre.to_shares(value);
        let post = Rate::read(&mut w.p)?;
        assert_eq!(wst_balance(&mut w.p, w.carol)?, minted);
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                submitted(a.wsteth, value, Address::ZERO),
                steth_transfer(Address::ZERO, a.wsteth, post.to_ether(minted)),
                steth_transfer_shares(Address::ZERO, a.wsteth, minted),
                wsteth_transfer(Address::ZERO, w.carol, minted),
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn reverts_zero_amount_without_value() -> Result<()> {
        // Given Carol, when she calls wstETH with empty calldata and no ether, then ZeroAmount().
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        let data = expect_revert_raw(&mut w.p, w.carol, wsteth, &[], U256::ZERO)?;
        assert_eq!(data, alloy_sol_types::SolError::abi_encode(&IWstETH::ZeroAmount {}));
        Ok(())
    }

    #[test]
    fn passes_through_the_pools_staking_is_paused() -> Result<()> {
        // Given staking paused on the deposit pool, when Carol sends ether to wstETH,
        let mut w = world()?;
        let a = w.p.addrs;
        w.p.exec(GOVERNANCE, a.pool, &IDepositPool::pauseStakingCall {}, U256::ZERO)?;
        let data = expect_revert_raw(&mut w.p, w.carol, a.wsteth, &[], ether(1))?;
        // then the pool's StakingIsPaused() comes back unchanged and Carol keeps her ether.
        assert_eq!(data, alloy_sol_types::SolError::abi_encode(&IDepositPool::StakingIsPaused {}));
        assert_eq!(w.p.host.balance(w.carol), ether(1_000));
        Ok(())
    }
}

mod erc20 {
    use super::*;

    /// [`world`] where Alice wrapped 4 ETH (4e18 units at rate 1).
    fn wrapped() -> Result<World> {
        let mut w = world()?;
        wrap(&mut w.p, w.alice, ether(4))?;
        Ok(w)
    }

    #[test]
    fn transfer_moves_units_and_logs_transfer() -> Result<()> {
        // Given Alice's 4 units, when she sends Bob 1,
        let mut w = wrapped()?;
        let wsteth = w.p.addrs.wsteth;
        let (ret, out) = w.p.exec(
            w.alice,
            wsteth,
            &IWstETH::transferCall { to: w.bob, amount: ether(1) },
            U256::ZERO,
        )?;
        // then 3 and 1 units, one Transfer log.
        assert!(ret._0);
        assert_eq!(wst_balance(&mut w.p, w.alice)?, ether(3));
        assert_eq!(wst_balance(&mut w.p, w.bob)?, ether(1));
        assert_eq!(events(&w.p, &out)?, vec![wsteth_transfer(w.alice, w.bob, ether(1))]);
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn transfer_reverts_insufficient_balance() -> Result<()> {
        // Given Alice's 4 units, when she sends 5, then InsufficientBalance(alice, 4, 5).
        let mut w = wrapped()?;
        let wsteth = w.p.addrs.wsteth;
        assert_revert(
            &mut w.p,
            w.alice,
            wsteth,
            &IWstETH::transferCall { to: w.bob, amount: ether(5) },
            U256::ZERO,
            &IWstETH::InsufficientBalance { account: w.alice, balance: ether(4), needed: ether(5) },
        )
    }

    #[test]
    fn transfer_reverts_zero_address_for_the_zero_recipient() -> Result<()> {
        // Given Alice's units, when she sends to address 0, then ZeroAddress().
        let mut w = wrapped()?;
        let wsteth = w.p.addrs.wsteth;
        assert_revert(
            &mut w.p,
            w.alice,
            wsteth,
            &IWstETH::transferCall { to: Address::ZERO, amount: ether(1) },
            U256::ZERO,
            &IWstETH::ZeroAddress {},
        )
    }

    #[test]
    fn transfer_from_spends_a_finite_allowance_and_logs_approval_first() -> Result<()> {
        // Given Alice approved Carol 3 units, when Carol moves 2 to Bob,
        let mut w = wrapped()?;
        let wsteth = w.p.addrs.wsteth;
        w.p.exec(
            w.alice,
            wsteth,
            &IWstETH::approveCall { spender: w.carol, amount: ether(3) },
            U256::ZERO,
        )?;
        let (_, out) = w.p.exec(
            w.carol,
            wsteth,
            &IWstETH::transferFromCall { from: w.alice, to: w.bob, amount: ether(2) },
            U256::ZERO,
        )?;
        // then 1 unit of allowance is left: Approval(alice, carol, 1) then Transfer.
        assert_eq!(wst_allowance(&mut w.p, w.alice, w.carol)?, ether(1));
        assert_eq!(
            events(&w.p, &out)?,
            vec![
                wsteth_approval(w.alice, w.carol, ether(1)),
                wsteth_transfer(w.alice, w.bob, ether(2))
            ]
        );
        w.p.check_invariants()?;
        Ok(())
    }

    #[test]
    fn transfer_from_leaves_an_infinite_allowance_and_logs_no_approval() -> Result<()> {
        // Given an infinite allowance, when Carol moves 2 units,
        let mut w = wrapped()?;
        let wsteth = w.p.addrs.wsteth;
        w.p.exec(
            w.alice,
            wsteth,
            &IWstETH::approveCall { spender: w.carol, amount: INFINITE },
            U256::ZERO,
        )?;
        let (_, out) = w.p.exec(
            w.carol,
            wsteth,
            &IWstETH::transferFromCall { from: w.alice, to: w.bob, amount: ether(2) },
            U256::ZERO,
        )?;
        // then the allowance is unchanged and only Transfer is logged.
        assert_eq!(wst_allowance(&mut w.p, w.alice, w.carol)?, INFINITE);
        assert_eq!(events(&w.p, &out)?, vec![wsteth_transfer(w.alice, w.bob, ether(2))]);
        Ok(())
    }

    #[test]
    fn transfer_from_reverts_insufficient_allowance() -> Result<()> {
        // Given an allowance of 1 unit, when Carol moves 2,
        let mut w = wrapped()?;
        let wsteth = w.p.addrs.wsteth;
        w.p.exec(
            w.alice,
            wsteth,
            &IWstETH::approveCall { spender: w.carol, amount: ether(1) },
            U256::ZERO,
        )?;
        // then InsufficientAllowance(alice, carol, 1, 2).
        assert_revert(
            &mut w.p,
            w.carol,
            wsteth,
            &IWstETH::transferFromCall { from: w.alice, to: w.bob, amount: ether(2) },
            U256::ZERO,
            &IWstETH::InsufficientAllowance {
                owner: w.alice,
                spender: w.carol,
                allowance: ether(1),
                needed: ether(2),
            },
        )
    }

    #[test]
    fn approve_sets_and_logs_and_reverts_for_the_zero_spender() -> Result<()> {
        // Given Alice, when she approves Carol 9 units, then Approval; address 0 reverts ZeroAddress().
        let mut w = wrapped()?;
        let wsteth = w.p.addrs.wsteth;
        let (ret, out) = w.p.exec(
            w.alice,
            wsteth,
            &IWstETH::approveCall { spender: w.carol, amount: ether(9) },
            U256::ZERO,
        )?;
        assert!(ret._0);
        assert_eq!(events(&w.p, &out)?, vec![wsteth_approval(w.alice, w.carol, ether(9))]);
        assert_revert(
            &mut w.p,
            w.alice,
            wsteth,
            &IWstETH::approveCall { spender: Address::ZERO, amount: ether(1) },
            U256::ZERO,
            &IWstETH::ZeroAddress {},
        )
    }

    #[test]
    fn increase_allowance_reverts_allowance_overflow_past_2_pow_256() -> Result<()> {
        // Given an infinite allowance, when Alice increases it by 1,
        let mut w = wrapped()?;
        let wsteth = w.p.addrs.wsteth;
        w.p.exec(
            w.alice,
            wsteth,
            &IWstETH::approveCall { spender: w.carol, amount: INFINITE },
            U256::ZERO,
        )?;
        // then AllowanceOverflow(alice, carol, 2^256 - 1, 1).
        assert_revert(
            &mut w.p,
            w.alice,
            wsteth,
            &IWstETH::increaseAllowanceCall { spender: w.carol, addedValue: U256::from(1) },
            U256::ZERO,
            &IWstETH::AllowanceOverflow {
                owner: w.alice,
                spender: w.carol,
                allowance: INFINITE,
                increase: U256::from(1),
            },
        )
    }

    #[test]
    fn decrease_allowance_reverts_allowance_below_zero() -> Result<()> {
        // Given no allowance, when Alice decreases it by 1, then AllowanceBelowZero(alice, carol, 0, 1).
        let mut w = wrapped()?;
        let wsteth = w.p.addrs.wsteth;
        assert_revert(
            &mut w.p,
            w.alice,
            wsteth,
            &IWstETH::decreaseAllowanceCall { spender: w.carol, subtractedValue: U256::from(1) },
            U256::ZERO,
            &IWstETH::AllowanceBelowZero {
                owner: w.alice,
                spender: w.carol,
                allowance: U256::ZERO,
                decrease: U256::from(1),
            },
        )
    }
}

mod permit {
    use super::*;

    fn signed(w: &mut World, value: U256, chain_id: u64) -> Result<(Wallet, U256, Sig)> {
        let wallet = Wallet::new("wsteth permit owner");
        w.p.host.fund(wallet.address, ether(1));
        w.p.track(wallet.address);
        let deadline = U256::from(w.p.host.timestamp() + 3_600);
        let wsteth = w.p.addrs.wsteth;
        let nonce = w.p.view(wsteth, &IWstETH::noncesCall { owner: wallet.address })?._0;
        let d = domain(NAME, "1", chain_id, wsteth);
        let sig = wallet.sign(permit_digest(&d, wallet.address, w.carol, value, nonce, deadline));
        Ok((wallet, deadline, sig))
    }

    fn call(
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        sig: Sig,
    ) -> IWstETH::permitCall {
        IWstETH::permitCall { owner, spender, value, deadline, v: sig.v, r: sig.r, s: sig.s }
    }

    #[test]
    fn domain_separator_and_eip712_domain_match_an_independent_computation() -> Result<()> {
        // Given the share token, when its EIP-712 domain is read (eip712Domain via the fallback),
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        let separator = w.p.view(wsteth, &IWstETH::DOMAIN_SEPARATORCall {})?._0;
        let d = w.p.view(wsteth, &IWstETH::eip712DomainCall {})?;
        // then it is (name, "1", 42161, wstETH), hashed as alloy hashes it.
        assert_eq!(separator, domain(NAME, "1", CHAIN_ID, wsteth).separator());
        assert_eq!(d.fields, FixedBytes([0x0f]));
        assert_eq!((d.name.as_str(), d.version.as_str()), (NAME, "1"));
        assert_eq!((d.chainId, d.verifyingContract), (U256::from(CHAIN_ID), wsteth));
        assert_eq!((d.salt, d.extensions.len()), (B256::ZERO, 0));
        Ok(())
    }

    #[test]
    fn sets_the_allowance_consumes_the_nonce_and_logs_approval() -> Result<()> {
        // Given a valid signature, when Bob submits it,
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        let (wallet, deadline, sig) = signed(&mut w, ether(2), CHAIN_ID)?;
        let (_, out) = w.p.exec(
            w.bob,
            wsteth,
            &call(wallet.address, w.carol, ether(2), deadline, sig),
            U256::ZERO,
        )?;
        // then the allowance is set, the nonce is 1 and Approval is logged.
        assert_eq!(wst_allowance(&mut w.p, wallet.address, w.carol)?, ether(2));
        assert_eq!(
            w.p.view(wsteth, &IWstETH::noncesCall { owner: wallet.address })?._0,
            U256::from(1)
        );
        assert_eq!(events(&w.p, &out)?, vec![wsteth_approval(wallet.address, w.carol, ether(2))]);
        Ok(())
    }

    #[test]
    fn reverts_permit_expired_after_the_deadline() -> Result<()> {
        // Given a valid signature past its deadline, then PermitExpired(deadline).
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        let (wallet, deadline, sig) = signed(&mut w, ether(2), CHAIN_ID)?;
        w.p.host.advance_time(3_601);
        assert_revert(
            &mut w.p,
            w.bob,
            wsteth,
            &call(wallet.address, w.carol, ether(2), deadline, sig),
            U256::ZERO,
            &IWstETH::PermitExpired { deadline },
        )
    }

    #[test]
    fn reverts_invalid_signature_when_replayed() -> Result<()> {
        // Given a permit used once, when submitted again, then InvalidSignature().
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        let (wallet, deadline, sig) = signed(&mut w, ether(2), CHAIN_ID)?;
        let permit = call(wallet.address, w.carol, ether(2), deadline, sig);
        w.p.exec(w.bob, wsteth, &permit, U256::ZERO)?;
        assert_revert(&mut w.p, w.bob, wsteth, &permit, U256::ZERO, &IWstETH::InvalidSignature {})
    }

    #[test]
    fn reverts_invalid_signature_for_the_high_s_twin() -> Result<()> {
        // Given the high-s twin of a valid signature, then InvalidSignature().
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        let (wallet, deadline, sig) = signed(&mut w, ether(2), CHAIN_ID)?;
        assert_revert(
            &mut w.p,
            w.bob,
            wsteth,
            &call(wallet.address, w.carol, ether(2), deadline, sig.high_s()),
            U256::ZERO,
            &IWstETH::InvalidSignature {},
        )
    }

    #[test]
    fn reverts_invalid_signature_when_signed_for_another_chain() -> Result<()> {
        // Given a signature over chain 1's domain, then InvalidSignature() on 42161.
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        let (wallet, deadline, sig) = signed(&mut w, ether(2), 1)?;
        assert_revert(
            &mut w.p,
            w.bob,
            wsteth,
            &call(wallet.address, w.carol, ether(2), deadline, sig),
            U256::ZERO,
            &IWstETH::InvalidSignature {},
        )
    }
}

mod round_trip {
    use super::*;

    /// Wraps then unwraps several amounts at the current rate: each round
    /// trip returns at most the amount wrapped (and at most 2 wei less).
    fn round_trips_never_create_ether(w: &mut World) -> Result<()> {
        let wsteth = w.p.addrs.wsteth;
        w.p.approve_steth(w.alice, wsteth, INFINITE)?;
        for x in [U256::from(1), U256::from(3), U256::from(999_999_999u64), odd_amount(), ether(2)]
        {
            let before = w.p.steth_balance(w.alice)?;
            let units = wrap(&mut w.p, w.alice, x)?;
            if units.is_zero() {
                // Worth no whole share: nothing moved, nothing minted (as wstETH).
                assert_eq!(w.p.steth_balance(w.alice)?, before);
                continue;
            }
            let (back, _) = w.p.exec(
                w.alice,
                wsteth,
                &IWstETH::unwrapCall { wstETHAmount: units },
                U256::ZERO,
            )?;
            assert!(back._0 <= x, "unwrap(wrap({x})) = {} > {x}", back._0);
            assert!(
                x - back._0 <= U256::from(2),
                "unwrap(wrap({x})) = {} lost more than 2 wei",
                back._0
            );
            assert!(w.p.steth_balance(w.alice)? <= before);
            w.p.check_invariants()?;
        }
        Ok(())
    }

    #[test]
    fn unwrap_of_wrap_is_at_most_the_amount_after_a_neutral_rebase() -> Result<()> {
        let mut w = rebased_world(Rebase::Neutral)?;
        round_trips_never_create_ether(&mut w)
    }

    #[test]
    fn unwrap_of_wrap_is_at_most_the_amount_after_a_positive_rebase() -> Result<()> {
        let mut w = rebased_world(Rebase::Up5)?;
        round_trips_never_create_ether(&mut w)
    }

    #[test]
    fn unwrap_of_wrap_is_at_most_the_amount_after_a_negative_rebase() -> Result<()> {
        let mut w = rebased_world(Rebase::Down5)?;
        round_trips_never_create_ether(&mut w)
    }

    #[test]
    fn units_keep_their_count_and_gain_value_across_a_positive_rebase() -> Result<()> {
        // Given Alice's units, when +5 % is reported,
        let mut w = world()?;
        with_validators(&mut w.p, 2)?;
        let units = wrap(&mut w.p, w.alice, ether(4))?;
        rebase(&mut w.p, Rebase::Up5)?;
        // then she holds as many units, each worth more stETH, and unwrapping pays the new value.
        assert_eq!(wst_balance(&mut w.p, w.alice)?, units);
        let rate = Rate::read(&mut w.p)?;
        let wsteth = w.p.addrs.wsteth;
        let (back, _) =
            w.p.exec(w.alice, wsteth, &IWstETH::unwrapCall { wstETHAmount: units }, U256::ZERO)?;
        assert_eq!(back._0, rate.to_ether(units));
        assert!(back._0 > ether(4));
        w.p.check_invariants()?;
        Ok(())
    }
}

mod malformed_calls {
    use super::*;

    #[test]
    fn unknown_selector_short_calldata_and_value_to_non_payable_revert() -> Result<()> {
        // Given the share token, when called with an unknown selector, 3 bytes, or ether with approve(),
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        let approve = IWstETH::approveCall { spender: w.bob, amount: ether(1) }.abi_encode();
        // then each reverts with no data and changes nothing.
        let reverts = expect_malformed_calls_revert(&mut w.p, wsteth, &approve)?;
        assert!(reverts.iter().all(Vec::is_empty), "{reverts:?}");
        Ok(())
    }

    #[test]
    fn ether_with_unknown_calldata_reverts() -> Result<()> {
        // Given the share token (whose fallback answers only eip712Domain()),
        let mut w = world()?;
        let wsteth = w.p.addrs.wsteth;
        // when ether comes with calldata matching no function, then it reverts with no data.
        let data = expect_revert_raw(&mut w.p, w.carol, wsteth, &[1, 2, 3, 4], ether(1))?;
        assert!(data.is_empty());
        Ok(())
    }
}
