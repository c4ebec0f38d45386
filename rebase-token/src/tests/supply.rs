//! Supply changes: the bootstrap, `mintShares` (deposit pool), `rebase`
//! (oracle), and staking through `submit` / plain ether.

use alloy_primitives::{Bytes, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use motsu::prelude::*;
use staking_common::{
    errors::{
        AmountTooLarge, ContractStopped, InsufficientBalance, InvalidRecipient, NotInitialized,
        TotalOverflow, ZeroAddress, ZeroAmount, ZeroShares,
    },
    events::{SharesBurnt, TokenRebased},
    math::MAX_AMOUNT,
};

use super::{
    erc20::{last_events, stop, transfer_logs},
    mocks::{AbiProbe, StakingPaused},
    *,
};
use crate::MAX_TOTAL_ETHER;

/// The `rebase` arguments after the report timestamp and time elapsed.
struct Report {
    post: U256,
    burn: U256,
    treasury: (Address, U256),
    operator: (Address, U256),
}

impl Report {
    fn neutral(world: &World) -> Self {
        Report {
            post: world.totals().1,
            burn: U256::ZERO,
            treasury: (TREASURY, U256::ZERO),
            operator: (OPERATOR, U256::ZERO),
        }
    }

    fn apply(&self, world: &World, caller: Address) -> Result<U256, Error> {
        world.token.sender(caller).rebase(
            U256::from(1_700_000_000),
            U256::from(86_400),
            self.post,
            self.burn,
            self.treasury.0,
            self.treasury.1,
            self.operator.0,
            self.operator.1,
        )
    }
}

#[motsu::test]
fn mint_shares_bootstraps_one_to_one_to_the_dead_address() {
    // Given an empty token.
    let world = World::empty();
    // When the deposit pool mints the seed to 0x…dEaD.
    let shares = world.mint(DEAD, SEED);
    // Then S = P = seed, all held by 0x…dEaD, and the mint logs were emitted.
    assert_eq!(shares, SEED);
    assert_eq!(world.totals(), (SEED, SEED, false));
    assert_eq!(world.shares(DEAD), SEED);
    assert_eq!(last_events(&world, 2), transfer_logs(Address::ZERO, DEAD, SEED, SEED));
}

#[motsu::test]
fn mint_shares_reverts_before_the_bootstrap_for_anyone_but_the_dead_address() {
    // Given an empty token.
    let world = World::empty();
    let before = world.snapshot();
    // When the pool mints to Alice first.
    let err =
        world.token.sender(world.pool.address()).mint_shares(ALICE, eth(1)).motsu_unwrap_err();
    // Then it reverts NotInitialized.
    world.assert_reverted(err, NotInitialized {}.into(), &before);
}

#[motsu::test]
fn mint_shares_mints_floor_shares_at_the_pre_deposit_rate() {
    for pct in REBASES {
        // Given a rate after a rebase.
        let world = World::funded(pct);
        let (s, p, _) = world.totals();
        let ether = eth(3) + U256::from(11);
        // When the pool mints for Carol.
        let shares = world.mint(CAROL, ether);
        // Then she got floor(ether * S / P) shares, both totals grew.
        assert_eq!(shares, mul_div_down(ether, s, p));
        assert_eq!(world.shares(CAROL), shares);
        assert_eq!(world.totals(), (s + shares, p + ether, false));
        // And her balance never exceeds the deposit.
        assert!(world.balance(CAROL) <= ether);
        // And the logs are Transfer(0, Carol, value at the new rate) + TransferShares.
        let value = mul_div_down(shares, p + ether, s + shares);
        assert_eq!(last_events(&world, 2), transfer_logs(Address::ZERO, CAROL, value, shares));
    }
}

#[motsu::test]
fn mint_shares_reverts_on_bad_input() {
    // Given a funded token at a rate above 1 (+5 %).
    let world = World::funded(5);
    let pool = world.pool.address();
    let token = world.token.address();
    let cases: [(Address, U256, Error); 5] = [
        (CAROL, U256::ZERO, ZeroAmount {}.into()),
        (Address::ZERO, eth(1), ZeroAddress {}.into()),
        (token, eth(1), InvalidRecipient { recipient: token }.into()),
        // 1 wei buys floor(1 * S / P) = 0 shares.
        (CAROL, U256::from(1), ZeroShares {}.into()),
        (
            CAROL,
            MAX_AMOUNT + U256::from(1),
            AmountTooLarge { amount: MAX_AMOUNT + U256::from(1) }.into(),
        ),
    ];
    for (to, ether, expected) in cases {
        let before = world.snapshot();
        // When the pool mints it.
        let err = world.token.sender(pool).mint_shares(to, ether).motsu_unwrap_err();
        // Then it reverts with the named error and nothing changed.
        world.assert_reverted(err, expected, &before);
    }
}

#[motsu::test]
fn mint_shares_reverts_when_total_ether_would_overflow_its_field() {
    // Given a funded token.
    let world = World::funded(0);
    let before = world.snapshot();
    // When the pool mints more than 2^120 - 1 wei in total.
    let err = world
        .token
        .sender(world.pool.address())
        .mint_shares(CAROL, MAX_TOTAL_ETHER)
        .motsu_unwrap_err();
    // Then it reverts TotalOverflow.
    world.assert_reverted(err, TotalOverflow {}.into(), &before);
}

#[motsu::test]
fn mint_shares_reverts_when_stopped() {
    // Given a stopped token.
    let world = World::funded(0);
    stop(&world);
    let before = world.snapshot();
    // When the pool mints.
    let err =
        world.token.sender(world.pool.address()).mint_shares(CAROL, eth(1)).motsu_unwrap_err();
    // Then it reverts ContractStopped.
    world.assert_reverted(err, ContractStopped {}.into(), &before);
}

#[motsu::test]
fn rebase_sets_total_pooled_ether_and_emits_token_rebased() {
    // Given a funded token.
    let world = World::funded(0);
    let (s, p, _) = world.totals();
    // When the oracle reports +1 ETH, no burn, no fee.
    let mut report = Report::neutral(&world);
    report.post = p + eth(1);
    let post_shares = report.apply(&world, ORACLE).motsu_unwrap();
    // Then P moved, S did not, and TokenRebased is the only log.
    assert_eq!(post_shares, s);
    assert_eq!(world.totals(), (s, p + eth(1), false));
    let expected = TokenRebased {
        reportTimestamp: U256::from(1_700_000_000),
        timeElapsed: U256::from(86_400),
        preTotalShares: s,
        preTotalEther: p,
        postTotalShares: s,
        postTotalEther: p + eth(1),
        sharesMintedAsFees: U256::ZERO,
    };
    assert_eq!(last_events(&world, 1), vec![expected.encode_log_data()]);
}

#[motsu::test]
fn rebase_burns_the_queue_shares_and_mints_fees_with_logs_in_order() {
    // Given the withdrawal queue holds 2 ETH of shares.
    let world = World::funded(0);
    world.token.sender(ALICE).transfer_shares(QUEUE, eth(2)).motsu_unwrap();
    let (s, p, _) = world.totals();
    // When the oracle burns them (2 ETH left the pool) with +1.1 ETH of rewards and fees.
    let report = Report {
        post: p - eth(2) + eth(1) + U256::from(100_000_000_000_000_000u64),
        burn: eth(2),
        treasury: (TREASURY, U256::from(50_000_000_000_000_000u64)),
        operator: (OPERATOR, U256::from(40_000_000_000_000_000u64)),
    };
    let post_shares = report.apply(&world, ORACLE).motsu_unwrap();
    // Then the queue has no share, the fee holders have theirs, totals are the report's.
    let fees = report.treasury.1 + report.operator.1;
    let expected_s = s - eth(2) + fees;
    assert_eq!(post_shares, expected_s);
    assert_eq!(world.totals(), (expected_s, report.post, false));
    assert_eq!(world.shares(QUEUE), U256::ZERO);
    assert_eq!(world.shares(TREASURY), report.treasury.1);
    assert_eq!(world.shares(OPERATOR), report.operator.1);
    // And the logs: SharesBurnt, the two mint pairs, TokenRebased.
    let value = |shares: U256| mul_div_down(shares, report.post, expected_s);
    let mut expected = vec![SharesBurnt {
        account: QUEUE,
        preRebaseTokenAmount: mul_div_down(eth(2), p, s),
        postRebaseTokenAmount: value(eth(2)),
        sharesAmount: eth(2),
    }
    .encode_log_data()];
    expected.extend(transfer_logs(
        Address::ZERO,
        TREASURY,
        value(report.treasury.1),
        report.treasury.1,
    ));
    expected.extend(transfer_logs(
        Address::ZERO,
        OPERATOR,
        value(report.operator.1),
        report.operator.1,
    ));
    expected.push(
        TokenRebased {
            reportTimestamp: U256::from(1_700_000_000),
            timeElapsed: U256::from(86_400),
            preTotalShares: s,
            preTotalEther: p,
            postTotalShares: expected_s,
            postTotalEther: report.post,
            sharesMintedAsFees: fees,
        }
        .encode_log_data(),
    );
    assert_eq!(last_events(&world, 6), expected);
}

#[motsu::test]
fn rebase_changes_balances_but_no_share_count() {
    // Given Alice's and Bob's shares.
    let world = World::funded(0);
    let before = (world.shares(ALICE), world.shares(BOB));
    // When the oracle reports −5 % then +5 %.
    world.rebase_pct(-5);
    let low = world.balance(ALICE);
    world.rebase_pct(5);
    // Then balances followed P while share counts stayed.
    assert_eq!((world.shares(ALICE), world.shares(BOB)), before);
    assert_eq!(low, eth(10) * U256::from(95) / U256::from(100));
    assert!(world.balance(ALICE) > low);
}

#[motsu::test]
fn rebase_reverts_on_bad_reports() {
    // Given the queue holds 1 ETH of shares.
    let world = World::funded(0);
    world.token.sender(ALICE).transfer_shares(QUEUE, eth(1)).motsu_unwrap();
    let token = world.token.address();
    let neutral = Report::neutral(&world);
    let with = |f: &dyn Fn(&mut Report)| {
        let mut r = Report::neutral(&world);
        f(&mut r);
        r
    };
    let cases: Vec<(Report, Error)> = vec![
        (with(&|r| r.post = U256::ZERO), ZeroAmount {}.into()),
        (
            with(&|r| r.burn = eth(1) + U256::from(1)),
            InsufficientBalance { account: QUEUE, balance: eth(1), needed: eth(1) + U256::from(1) }
                .into(),
        ),
        (with(&|r| r.treasury = (Address::ZERO, U256::from(1))), ZeroAddress {}.into()),
        (
            with(&|r| r.operator = (token, U256::from(1))),
            InvalidRecipient { recipient: token }.into(),
        ),
        (with(&|r| r.treasury.1 = MAX_AMOUNT), TotalOverflow {}.into()),
        (with(&|r| r.post = MAX_TOTAL_ETHER + U256::from(1)), TotalOverflow {}.into()),
    ];
    assert_eq!(neutral.burn, U256::ZERO);
    for (report, expected) in cases {
        let before = world.snapshot();
        // When the oracle applies it.
        let err = report.apply(&world, ORACLE).motsu_unwrap_err();
        // Then it reverts with the named error and nothing changed.
        world.assert_reverted(err, expected, &before);
    }
}

#[motsu::test]
fn rebase_accepts_zero_fees_to_the_zero_address() {
    // Given a funded token.
    let world = World::funded(0);
    let (s, p, _) = world.totals();
    // When the oracle reports no fee with zero recipients.
    let mut report = Report::neutral(&world);
    report.treasury = (Address::ZERO, U256::ZERO);
    report.operator = (Address::ZERO, U256::ZERO);
    report.apply(&world, ORACLE).motsu_unwrap();
    // Then the rebase applied and only TokenRebased was logged.
    assert_eq!(world.totals(), (s, p, false));
    assert_eq!(last_events(&world, 1)[0].topics()[0], TokenRebased::SIGNATURE_HASH);
}

#[motsu::test]
fn rebase_reverts_before_the_bootstrap() {
    // Given an empty token.
    let world = World::empty();
    let before = world.snapshot();
    // When the oracle reports.
    let mut report = Report::neutral(&world);
    report.post = eth(1);
    let err = report.apply(&world, ORACLE).motsu_unwrap_err();
    // Then it reverts NotInitialized.
    world.assert_reverted(err, NotInitialized {}.into(), &before);
}

#[motsu::test]
fn rebase_reverts_when_stopped() {
    // Given a stopped token.
    let world = World::funded(0);
    stop(&world);
    let before = world.snapshot();
    // When the oracle reports.
    let err = Report::neutral(&world).apply(&world, ORACLE).motsu_unwrap_err();
    // Then it reverts ContractStopped.
    world.assert_reverted(err, ContractStopped {}.into(), &before);
}

#[motsu::test]
fn submit_stakes_through_the_pool_and_mints_at_the_pre_deposit_rate() {
    for pct in REBASES {
        // Given a rate after a rebase and Carol with 5 ETH.
        let world = World::funded(pct);
        let (s, p, _) = world.totals();
        CAROL.fund(eth(5));
        let carol_ether = ether_of(CAROL);
        let value = eth(2) + U256::from(5);
        // When she submits 2 ETH with a referral.
        let shares = world.token.sender_and_value(CAROL, value).submit(ALICE).motsu_unwrap();
        // Then the pool got the ether and the stake, the token holds none.
        assert_eq!(
            world.pool.sender(ALICE).last_stake(),
            (world.token.address(), CAROL, ALICE, value, U256::from(1))
        );
        assert_eq!(world.pool.balance(), value);
        assert_eq!(world.token.balance(), U256::ZERO);
        assert_eq!(ether_of(CAROL), carol_ether - value);
        // And she got floor(value * S / P) shares as mintShares would give.
        assert_eq!(shares, mul_div_down(value, s, p));
        assert_eq!(world.shares(CAROL), shares);
        assert_eq!(world.totals(), (s + shares, p + value, false));
        let minted = mul_div_down(shares, p + value, s + shares);
        assert_eq!(last_events(&world, 2), transfer_logs(Address::ZERO, CAROL, minted, shares));
    }
}

#[motsu::test]
fn receive_stakes_plain_ether_with_no_referral() {
    // Given Carol with ether.
    let world = World::funded(0);
    CAROL.fund(eth(1));
    // When she sends plain ether (the receive entry).
    world.token.sender_and_value(CAROL, eth(1)).receive().motsu_unwrap();
    // Then it was staked with a zero referral.
    assert_eq!(
        world.pool.sender(ALICE).last_stake(),
        (world.token.address(), CAROL, Address::ZERO, eth(1), U256::from(1))
    );
    assert_eq!(world.shares(CAROL), eth(1));
}

#[motsu::test]
fn plain_ether_through_the_router_is_staked(probe: Contract<AbiProbe>) {
    // Given a probe contract with ether.
    let world = World::funded(0);
    let caller = Address::from([0x11; 20]);
    caller.fund(eth(1));
    // When it sends ether with empty calldata.
    probe
        .sender_and_value(caller, eth(1))
        .forward(world.token.address(), Bytes::new().into())
        .motsu_unwrap();
    // Then the router's receive entry staked it for the probe.
    assert_eq!(world.shares(probe.address()), eth(1));
    assert_eq!(world.pool.balance(), eth(1));
}

#[motsu::test]
fn submit_reverts_with_the_pool_s_error_when_the_pool_rejects(probe: Contract<AbiProbe>) {
    // Given a paused pool.
    let world = World::funded(0);
    world.pool.sender(ADMIN).set_paused(true);
    CAROL.fund(eth(1));
    let before = world.snapshot();
    // When Carol submits.
    let err = world.token.sender_and_value(CAROL, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    // Then the pool's own revert data comes back unchanged and nothing moved.
    world.assert_reverted_data(err, StakingPaused {}.abi_encode(), &before);
    assert_eq!(ether_of(CAROL), eth(1));
    // And through the router the caller sees exactly the pool's error.
    let data = crate::tests::abi::IStETH::submitCall { _referral: Address::ZERO }.abi_encode();
    let caller = Address::from([0x12; 20]);
    caller.fund(eth(1));
    let raw = probe
        .sender_and_value(caller, eth(1))
        .forward(world.token.address(), data.into())
        .motsu_unwrap_err();
    assert_eq!(raw, StakingPaused {}.abi_encode());
}

#[motsu::test]
fn submit_reverts_on_zero_value() {
    // Given a funded token.
    let world = World::funded(0);
    let before = world.snapshot();
    // When Carol submits nothing.
    let err = world.token.sender(CAROL).submit(Address::ZERO).motsu_unwrap_err();
    // Then it reverts ZeroAmount without calling the pool.
    world.assert_reverted_data(err, data(ZeroAmount {}), &before);
    assert_eq!(world.pool.sender(ALICE).last_stake().4, U256::ZERO);
}

#[motsu::test]
fn submit_reverts_when_stopped() {
    // Given a stopped token.
    let world = World::funded(0);
    stop(&world);
    CAROL.fund(eth(1));
    let before = world.snapshot();
    // When Carol submits.
    let err = world.token.sender_and_value(CAROL, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    // Then it reverts ContractStopped.
    world.assert_reverted_data(err, data(ContractStopped {}), &before);
}

#[motsu::test]
fn submit_reverts_before_the_bootstrap_and_rolls_back_the_pool() {
    // Given an empty token.
    let world = World::empty();
    CAROL.fund(eth(1));
    let before = world.snapshot();
    // When Carol submits.
    let err = world.token.sender_and_value(CAROL, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    // Then the mint's NotInitialized reverts the whole stake, pool included.
    world.assert_reverted_data(err, data(NotInitialized {}), &before);
    assert_eq!(world.pool.sender(ALICE).last_stake().4, U256::ZERO);
    assert_eq!(world.pool.balance(), U256::ZERO);
}

#[motsu::test]
fn submit_reverts_when_the_deposit_pool_is_not_set(token: Contract<RebaseToken>) {
    // Given a token whose programs were never set.
    token.sender(ADMIN).constructor(NAME.into(), SYMBOL.into(), ADMIN).motsu_unwrap();
    CAROL.fund(eth(1));
    // When Carol submits.
    let err = token.sender_and_value(CAROL, eth(1)).submit(Address::ZERO).motsu_unwrap_err();
    // Then it reverts NotInitialized and her ether is back.
    assert_eq!(err, data(NotInitialized {}));
    assert_eq!(ether_of(CAROL), eth(1));
    assert_eq!(token.balance(), U256::ZERO);
}

#[motsu::test]
fn rebase_reverts_when_it_would_leave_no_shares() {
    // Given only the seed exists and governance (mis)set 0x…dEaD as the queue.
    let world = World::empty();
    world.mint(DEAD, SEED);
    world
        .token
        .sender(ADMIN)
        .set_protocol_contracts(world.pool.address(), ORACLE, DEAD)
        .motsu_unwrap();
    let before = world.snapshot();
    // When the oracle burns every share.
    let mut report = Report::neutral(&world);
    report.burn = SEED;
    let err = report.apply(&world, ORACLE).motsu_unwrap_err();
    // Then it reverts ZeroShares: the rate must stay defined.
    world.assert_reverted(err, ZeroShares {}.into(), &before);
}

#[motsu::test]
fn rebase_credits_both_fees_to_one_recipient() {
    // Given a funded token.
    let world = World::funded(0);
    let (s, _, _) = world.totals();
    // When the treasury is also the operator recipient.
    let mut report = Report::neutral(&world);
    report.treasury = (TREASURY, U256::from(3));
    report.operator = (TREASURY, U256::from(4));
    report.apply(&world, ORACLE).motsu_unwrap();
    // Then it holds both fees and the total grew by their sum.
    assert_eq!(world.shares(TREASURY), U256::from(7));
    assert_eq!(world.totals().0, s + U256::from(7));
}
