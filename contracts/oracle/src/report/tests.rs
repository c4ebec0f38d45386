//! Unit and property tests of the report math: the fee against a
//! hand-computed table, every limit at its bound and one unit past it,
//! deferral, negative reports and the accounting identities.

use alloy_primitives::{uint, U256, U512};
use proptest::prelude::*;
use staking_common::{
    errors::AmountTooLarge,
    math::{fee_shares, split_fee, MAX_AMOUNT},
    DEPOSIT_SIZE,
};

use super::*;
use crate::errors::{
    EtherToLockExceedsAvailable, IncorrectCLBalanceDecrease, IncorrectCLBalanceIncrease,
    IncorrectTimeElapsed, InvalidReportTimestamp, LossExceedsPooledEther, ReportedLessValidators,
    ReportedMoreDeposited,
};

const E: u128 = 1_000_000_000_000_000_000;
const DAY: u64 = 86_400;

fn u(x: u128) -> U256 {
    U256::from(x)
}

fn eth(x: u128) -> U256 {
    u(x * E)
}

/// `wei` as the report's gwei field (must be a whole number of gwei).
fn gwei(wei: U256) -> U256 {
    assert!((wei % GWEI).is_zero(), "test balances are whole gwei");
    wei / GWEI
}

/// A pool of `validators` validators with 32 ETH each on the consensus
/// layer, all seen, nothing buffered: `P = S = 32 * validators` ETH.
fn pool(validators: u128) -> PreState {
    PreState {
        total_pooled_ether: eth(32 * validators),
        total_shares: eth(32 * validators),
        buffered_ether: U256::ZERO,
        deposited_validators: u(validators),
        beacon_validators: u(validators),
        beacon_balance: eth(32 * validators),
    }
}

/// A report one day after the last, `cl` wei on the consensus layer and
/// `vault` wei in the withdrawal vault, the same validators.
fn day(pre: &PreState, cl: U256, vault: U256) -> ReportInput {
    ReportInput {
        report_timestamp: U256::from(1_700_000_000u64),
        now: U256::from(1_700_000_100u64),
        time_elapsed: U256::from(DAY),
        num_validators: pre.beacon_validators,
        cl_balance_gwei: gwei(cl),
        withdrawal_vault_balance: vault,
    }
}

fn run(pre: &PreState, report: &ReportInput) -> Result<Outcome, Error> {
    compute(pre, report, &Limits::DEFAULT, &Fee::DEFAULT)
}

/// The pool's side of the accounting: buffered + B + 32 ETH × (D − V).
fn pool_side(buffered: U256, beacon_balance: U256, deposited: U256, seen: U256) -> U256 {
    buffered + beacon_balance + DEPOSIT_SIZE * (deposited - seen)
}

// ---------------------------------------------------------------------
// mul_div and the fee
// ---------------------------------------------------------------------

#[test]
fn mul_div_rounds_down_and_up() {
    assert_eq!(mul_div(u(10), u(100), u(110), false), Some(u(9)));
    assert_eq!(mul_div(u(10), u(100), u(110), true), Some(u(10)));
    assert_eq!(mul_div(u(11), u(10), u(110), true), Some(u(1)));
    assert_eq!(mul_div(u(0), u(10), u(7), true), Some(u(0)));
}

#[test]
fn mul_div_handles_512_bit_products_and_rejects_overflow_and_zero() {
    // (2^256 - 1) * (2^256 - 1) / (2^256 - 1) = 2^256 - 1.
    assert_eq!(mul_div(U256::MAX, U256::MAX, U256::MAX, false), Some(U256::MAX));
    // A quotient of 2^256 does not fit.
    assert_eq!(mul_div(U256::MAX, u(2), u(1), false), None);
    assert_eq!(mul_div(U256::MAX, U256::MAX, U256::MAX, true), Some(U256::MAX));
    assert_eq!(mul_div(u(1), u(1), U256::ZERO, false), None);
    // Rounding up past 2^256 - 1 does not fit either.
    assert_eq!(mul_div(U256::MAX, u(3), u(2), false), None);
}

/// `(R, f, S, P, operatorBp)` → `(treasury, operator)` shares, computed by
/// hand from `x = floor(R f S / ((P + R) 10^4 − R f))`,
/// `operator = floor(x · operatorBp / f)`, `treasury = x − operator`.
#[test]
fn fee_split_matches_a_hand_computed_table() {
    let table: [(U256, u64, U256, U256, u64, u128, u128); 6] = [
        // 1 ETH on 100/100: x = 1e41 / 1.009e24 = 99_108_027_750_247_770.07.
        (eth(1), 1_000, eth(100), eth(100), 500, 49_554_013_875_123_885, 49_554_013_875_123_885),
        // Rate 2: 2 ETH on P = 200, S = 100: x = 4e41 / (2.02e24·... ) = same shares.
        (eth(2), 1_000, eth(100), eth(200), 500, 49_554_013_875_123_885, 49_554_013_875_123_885),
        // 0.5 ETH, P = 1000, S = 900, a quarter to the operator:
        // x = 4.5e41 / 1.00045e25 = 44_979_759_108_401_219.4, operator x/4 = …304.75.
        (
            u(E / 2),
            1_000,
            eth(900),
            eth(1_000),
            250,
            33_734_819_331_300_915,
            11_244_939_777_100_304,
        ),
        // A 100 % fee all to the operator: x = R·S/P = 3 · 1000 / 1500 = 2 ETH.
        (eth(3), 10_000, eth(1_000), eth(1_500), 10_000, 0, 2 * E),
        // Dust: 7·1000·3 / (12·10^4 − 7000) = 0.18 → nothing.
        (u(7), 1_000, u(3), u(5), 500, 0, 0),
        // 5 %, nothing to the operator: 5e17 / 1.000950007e13 = 49_952.5.
        (u(1_000_000), 500, u(1_000_000_000), u(1_000_000_007), 0, 49_952, 0),
    ];
    for (r, f, s, p, op, treasury, operator) in table {
        let fee = Fee { total_bp: f, operator_bp: op };
        assert_eq!(fee_split(r, &fee, s, p), (u(treasury), u(operator)), "R = {r}");
    }
}

#[test]
fn fee_split_is_zero_without_rewards_fee_or_shares() {
    assert_eq!(fee_split(U256::ZERO, &Fee::DEFAULT, eth(1), eth(1)), (U256::ZERO, U256::ZERO));
    let no_fee = Fee { total_bp: 0, operator_bp: 0 };
    assert_eq!(fee_split(eth(1), &no_fee, eth(1), eth(1)), (U256::ZERO, U256::ZERO));
    assert_eq!(fee_split(eth(1), &Fee::DEFAULT, U256::ZERO, eth(1)), (U256::ZERO, U256::ZERO));
}

#[test]
fn fee_is_valid_only_up_to_100_percent_with_the_operator_part_within() {
    assert!(Fee { total_bp: 10_000, operator_bp: 10_000 }.is_valid());
    assert!(!Fee { total_bp: 10_001, operator_bp: 0 }.is_valid());
    assert!(!Fee { total_bp: 1_000, operator_bp: 1_001 }.is_valid());
    assert!(Fee::DEFAULT.is_valid());
}

#[test]
fn max_cl_balance_gwei_is_the_largest_gwei_amount_below_the_bound() {
    assert_eq!(MAX_CL_BALANCE_GWEI, MAX_AMOUNT / GWEI);
}

// ---------------------------------------------------------------------
// compute: the worked example, growth, loss
// ---------------------------------------------------------------------

#[test]
fn compute_matches_the_module_worked_example() {
    // Given 100 validators, P = S = 3_200 ETH; a day later 0.3 ETH more on the CL.
    let pre = pool(100);
    let out = run(&pre, &day(&pre, eth(3_200) + u(3 * E / 10), U256::ZERO)).unwrap();
    // Then all of it is distributed, the fee is 10 % of it, half each.
    assert_eq!(out.rewards, u(3 * E / 10));
    assert_eq!(out.deferred, U256::ZERO);
    assert_eq!(out.treasury_shares, u(14_998_734_481_778_100));
    assert_eq!(out.operator_shares, u(14_998_734_481_778_099));
    assert_eq!(out.post_total_pooled_ether, eth(3_200) + u(3 * E / 10));
    assert_eq!(out.post_total_shares, eth(3_200) + out.fee_shares());
    // The fee holders own 0.03 ETH, to within a wei (rounded down).
    let owned = out.fee_shares() * out.post_total_pooled_ether / out.post_total_shares;
    assert_eq!(owned, u(3 * E / 100 - 1));
    assert_eq!(
        out.max_share_rate,
        out.post_total_pooled_ether * SHARE_RATE_PRECISION / out.post_total_shares
    );
}

#[test]
fn compute_counts_32_eth_for_each_newly_seen_validator() {
    // Given 100 seen validators and 2 more deposited (64 ETH transient).
    let mut pre = pool(100);
    pre.deposited_validators = u(102);
    pre.total_pooled_ether += eth(64);
    // When the report sees them with exactly 32 ETH each.
    let mut report = day(&pre, eth(3_264), U256::ZERO);
    report.num_validators = u(102);
    let out = run(&pre, &report).unwrap();
    // Then that is neither reward nor loss.
    assert_eq!(out.pre_cl_balance, eth(3_264));
    assert_eq!((out.rewards, out.loss, out.fee_shares()), (U256::ZERO, U256::ZERO, U256::ZERO));
    assert_eq!(out.post_total_pooled_ether, pre.total_pooled_ether);
}

#[test]
fn compute_collects_the_vault_and_counts_it_as_growth() {
    // Given 0.2 ETH skimmed to the vault and the CL balance unchanged.
    let pre = pool(100);
    let out = run(&pre, &day(&pre, eth(3_200), u(E / 5))).unwrap();
    // Then it is collected in full and distributed.
    assert_eq!(out.withdrawals_to_collect, u(E / 5));
    assert_eq!(out.post_cl_balance, eth(3_200));
    assert_eq!(out.rewards, u(E / 5));
}

#[test]
fn compute_applies_a_negative_report_without_fee() {
    // Given a 10 ETH drop (0.3125 %).
    let pre = pool(100);
    let out = run(&pre, &day(&pre, eth(3_190), U256::ZERO)).unwrap();
    // Then every holder loses it: no fee, B' = C, P1 = P − loss.
    assert_eq!(out.loss, eth(10));
    assert_eq!(out.rewards, U256::ZERO);
    assert_eq!(out.fee_shares(), U256::ZERO);
    assert_eq!(out.post_cl_balance, eth(3_190));
    assert_eq!(out.post_total_pooled_ether, eth(3_190));
    assert_eq!(out.post_total_shares, pre.total_shares);
}

#[test]
fn compute_applies_a_neutral_report_while_every_ether_is_buffered() {
    // Given 10 ETH buffered and no validator deposited or seen (preCL = 0).
    let pre = PreState {
        total_pooled_ether: eth(10),
        total_shares: eth(10),
        buffered_ether: eth(10),
        deposited_validators: U256::ZERO,
        beacon_validators: U256::ZERO,
        beacon_balance: U256::ZERO,
    };
    // When the members report nothing on the consensus layer.
    let out = run(&pre, &day(&pre, U256::ZERO, U256::ZERO)).unwrap();
    // Then the report is applied as neutral (a zero drop is not an infinite one).
    assert_eq!((out.rewards, out.loss, out.fee_shares()), (U256::ZERO, U256::ZERO, U256::ZERO));
    assert_eq!(out.post_total_pooled_ether, eth(10));
    assert_eq!(out.post_total_shares, eth(10));
}

#[test]
fn compute_charges_no_fee_when_vault_income_only_offsets_a_cl_drop() {
    // Given the CL down 1 ETH and 1 ETH in the vault: no growth at all.
    let pre = pool(100);
    let out = run(&pre, &day(&pre, eth(3_199), eth(1))).unwrap();
    assert_eq!((out.rewards, out.loss, out.fee_shares()), (U256::ZERO, U256::ZERO, U256::ZERO));
    assert_eq!(out.withdrawals_to_collect, eth(1));
    assert_eq!(out.post_cl_balance, eth(3_199));
}

// ---------------------------------------------------------------------
// Limits at the bound and one unit past it
// ---------------------------------------------------------------------

/// The largest growth the annual limit allows: floor(limit · preCL ·
/// elapsed / (YEAR · 10^4)).
fn max_annual_growth(pre_cl: U256, elapsed: u64, limit_bp: u64) -> U256 {
    pre_cl * U256::from(limit_bp) * U256::from(elapsed)
        / U256::from(SECONDS_PER_YEAR * staking_common::TOTAL_BASIS_POINTS)
}

#[test]
fn annual_increase_passes_at_the_limit_and_reverts_one_gwei_past() {
    // Given 3_200 ETH and one day: the largest CL growth is
    // 876_712_328_767_123_287 wei, so 876_712_328.767… gwei: the report
    // (in gwei) may show 876_712_328 gwei more.
    let pre = pool(100);
    let max = max_annual_growth(eth(3_200), DAY, 1_000);
    assert_eq!(max, u(876_712_328_767_123_287));
    let max_gwei = max / GWEI * GWEI;
    // Lift the rebase cap out of the way.
    let limits = Limits { max_positive_token_rebase: u64::MAX, ..Limits::DEFAULT };
    let at = day(&pre, eth(3_200) + max_gwei, U256::ZERO);
    assert!(compute(&pre, &at, &limits, &Fee::DEFAULT).is_ok());
    // One gwei more (the report's unit) is above 10 % a year (1_001 bp rounded up).
    let past = day(&pre, eth(3_200) + max_gwei + GWEI, U256::ZERO);
    assert_eq!(
        compute(&pre, &past, &limits, &Fee::DEFAULT),
        Err(IncorrectCLBalanceIncrease { annualBalanceDiff: u(1_001) }.into())
    );
}

#[test]
fn annual_increase_ignores_the_vault() {
    // Given 3_200 ETH and one day, and 2 ETH (23 % a year) arriving in the vault.
    let pre = pool(100);
    let limits = Limits { max_positive_token_rebase: u64::MAX, ..Limits::DEFAULT };
    let report = day(&pre, eth(3_200), eth(2));
    // Then the annual limit does not apply to it (the cap does).
    assert_eq!(compute(&pre, &report, &limits, &Fee::DEFAULT).unwrap().rewards, eth(2));
}

#[test]
fn annual_increase_is_infinite_from_an_empty_cl_side() {
    // Given nothing on the CL side (no validator seen) and a report of 1 gwei there.
    let pre = PreState {
        total_pooled_ether: eth(1),
        total_shares: eth(1),
        buffered_ether: eth(1),
        ..PreState::default()
    };
    let report = day(&pre, GWEI, U256::ZERO);
    assert_eq!(
        run(&pre, &report),
        Err(IncorrectCLBalanceIncrease { annualBalanceDiff: U256::MAX }.into())
    );
}

#[test]
fn one_off_decrease_passes_at_5_percent_and_reverts_one_wei_past() {
    // Given 3_200 ETH: 5 % is exactly 160 ETH.
    let pre = pool(100);
    let at = day(&pre, eth(3_040), U256::ZERO);
    assert_eq!(run(&pre, &at).unwrap().loss, eth(160));
    // One wei more (reported through a vault balance one wei short of zero
    // is impossible, so drop one more gwei and add back gwei − 1 wei).
    let past = day(&pre, eth(3_040) - GWEI, GWEI - u(1));
    assert_eq!(
        run(&pre, &past),
        Err(IncorrectCLBalanceDecrease { oneOffCLBalanceDecreaseBP: u(501) }.into())
    );
}

#[test]
fn positive_rebase_cap_distributes_up_to_the_cap_and_defers_one_wei_past() {
    // Given 3_200 ETH: the cap is 3_200 · 750_000 / 1e9 = 2.4 ETH, and a
    // 30-day gap so the annual limit allows it.
    let pre = pool(100);
    let cap = eth(3_200) * U256::from(750_000u64) / U256::from(LIMITER_PRECISION_BASE);
    assert_eq!(cap, u(24 * E / 10));
    let mut at = day(&pre, eth(3_200), cap);
    at.time_elapsed = U256::from(30 * DAY);
    let out = run(&pre, &at).unwrap();
    assert_eq!((out.rewards, out.deferred), (cap, U256::ZERO));
    assert_eq!(out.withdrawals_to_collect, cap);
    // One wei past the cap is deferred, not lost: it stays in the vault.
    let mut past = at;
    past.withdrawal_vault_balance = cap + u(1);
    let out = run(&pre, &past).unwrap();
    assert_eq!((out.rewards, out.deferred), (cap, u(1)));
    assert_eq!(out.withdrawals_to_collect, cap);
    assert_eq!(out.post_total_pooled_ether, pre.total_pooled_ether + cap);
}

#[test]
fn deferral_beyond_the_vault_lowers_the_accounted_cl_balance() {
    // Given 3 ETH of CL growth, 0.5 ETH in the vault and a 2.4 ETH cap.
    let pre = pool(100);
    let mut report = day(&pre, eth(3_203), u(E / 2));
    report.time_elapsed = U256::from(30 * DAY);
    let out = run(&pre, &report).unwrap();
    // Then 3.5 − 2.4 = 1.1 ETH is deferred: the whole vault first, then 0.6 ETH of CL.
    assert_eq!(out.deferred, u(11 * E / 10));
    assert_eq!(out.withdrawals_to_collect, U256::ZERO);
    assert_eq!(out.post_cl_balance, eth(3_203) - u(6 * E / 10));
}

#[test]
fn deferred_rewards_come_back_in_the_next_report() {
    // Given a report whose growth (3.5 ETH) exceeds the 2.4 ETH cap.
    let pre = pool(100);
    let mut first = day(&pre, eth(3_203), u(E / 2));
    first.time_elapsed = U256::from(30 * DAY);
    let out = run(&pre, &first).unwrap();
    // When the state is applied and the next report sees the same balances
    // (CL 3_203 ETH, the vault still holding its 0.5 ETH).
    let next_pre = PreState {
        total_pooled_ether: out.post_total_pooled_ether,
        total_shares: out.post_total_shares,
        beacon_balance: out.post_cl_balance,
        buffered_ether: pre.buffered_ether + out.withdrawals_to_collect,
        ..pre
    };
    let mut second = day(&next_pre, eth(3_203), u(E / 2));
    second.time_elapsed = U256::from(30 * DAY);
    let out2 = run(&next_pre, &second).unwrap();
    // Then the 1.1 ETH held back is distributed now, and nothing was lost.
    assert_eq!(out2.rewards, u(11 * E / 10));
    assert_eq!(out2.deferred, U256::ZERO);
    assert_eq!(out.rewards + out2.rewards, u(35 * E / 10));
    assert_eq!(out2.post_cl_balance, eth(3_203));
    assert_eq!(out2.withdrawals_to_collect, u(E / 2));
}

#[test]
fn validators_may_stay_equal_and_reverts_when_fewer() {
    let pre = pool(100);
    assert!(run(&pre, &day(&pre, eth(3_200), U256::ZERO)).is_ok());
    let mut fewer = day(&pre, eth(3_168), U256::ZERO);
    fewer.num_validators = u(99);
    assert_eq!(
        run(&pre, &fewer),
        Err(ReportedLessValidators { reported: u(99), previous: u(100) }.into())
    );
}

#[test]
fn validators_may_reach_the_deposited_count_and_reverts_one_past() {
    let mut pre = pool(100);
    pre.deposited_validators = u(101);
    pre.total_pooled_ether += eth(32);
    let mut all = day(&pre, eth(3_232), U256::ZERO);
    all.num_validators = u(101);
    assert!(run(&pre, &all).is_ok());
    let mut more = all;
    more.num_validators = u(102);
    assert_eq!(
        run(&pre, &more),
        Err(ReportedMoreDeposited { reported: u(102), deposited: u(101) }.into())
    );
}

#[test]
fn report_timestamp_may_be_now_and_reverts_one_second_later() {
    let pre = pool(100);
    let mut report = day(&pre, eth(3_200), U256::ZERO);
    report.report_timestamp = report.now;
    assert!(run(&pre, &report).is_ok());
    report.report_timestamp = report.now + u(1);
    assert_eq!(
        run(&pre, &report),
        Err(InvalidReportTimestamp { reportTimestamp: report.now + u(1), currentTime: report.now }
            .into())
    );
}

#[test]
fn time_elapsed_may_be_one_second_and_reverts_at_zero() {
    let pre = pool(100);
    let mut report = day(&pre, eth(3_200), U256::ZERO);
    report.time_elapsed = u(1);
    assert!(run(&pre, &report).is_ok());
    report.time_elapsed = U256::ZERO;
    assert_eq!(run(&pre, &report), Err(IncorrectTimeElapsed { timeElapsed: U256::ZERO }.into()));
}

#[test]
fn amounts_above_2_pow_128_revert_amount_too_large() {
    let pre = pool(100);
    // One gwei above the largest CL balance the bound allows.
    let mut report = day(&pre, eth(3_200), U256::ZERO);
    report.cl_balance_gwei = MAX_CL_BALANCE_GWEI + u(1);
    assert_eq!(run(&pre, &report), Err(AmountTooLarge { amount: report.cl_balance_gwei }.into()));
    let mut report = day(&pre, eth(3_200), U256::ZERO);
    report.withdrawal_vault_balance = MAX_AMOUNT + u(1);
    assert_eq!(run(&pre, &report), Err(AmountTooLarge { amount: MAX_AMOUNT + u(1) }.into()));
    let mut big = pre;
    big.total_shares = MAX_AMOUNT + u(1);
    let report = day(&pre, eth(3_200), U256::ZERO);
    assert_eq!(run(&big, &report), Err(AmountTooLarge { amount: MAX_AMOUNT + u(1) }.into()));
    let mut many = pre;
    many.deposited_validators = U256::from(u64::MAX) + u(1);
    assert_eq!(
        run(&many, &report),
        Err(AmountTooLarge { amount: many.deposited_validators }.into())
    );
}

#[test]
fn a_loss_larger_than_the_pooled_ether_reverts() {
    // Given a token that (wrongly) accounts less than the pool's CL side.
    let mut pre = pool(100);
    pre.total_pooled_ether = eth(100);
    let report = day(&pre, eth(3_040), U256::ZERO);
    assert_eq!(
        run(&pre, &report),
        Err(LossExceedsPooledEther { pooledEther: eth(100), loss: eth(160) }.into())
    );
}

#[test]
fn settle_locks_up_to_the_buffer_plus_collected_withdrawals_and_reverts_one_wei_past() {
    // Given 5 ETH buffered and 1 ETH collected.
    let mut pre = pool(100);
    pre.buffered_ether = eth(5);
    pre.total_pooled_ether += eth(5);
    let out = run(&pre, &day(&pre, eth(3_200), eth(1))).unwrap();
    let s = settle(&pre, &out, eth(6)).unwrap();
    assert_eq!(s.post_buffered_ether, U256::ZERO);
    assert_eq!(s.post_total_pooled_ether, out.post_total_pooled_ether - eth(6));
    assert_eq!(
        settle(&pre, &out, eth(6) + u(1)),
        Err(EtherToLockExceedsAvailable { etherToLock: eth(6) + u(1), available: eth(6) }.into())
    );
}

// ---------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------

prop_compose! {
    /// A consistent pre-state (the token's P equals the pool's side) with a
    /// share rate between 0.5 and 2.
    fn consistent_pre()(
        seen in 1u64..200_000,
        pending in 0u64..1_000,
        cl_per_validator in (31 * E)..(34 * E),
        buffered in 0u128..(10_000 * E),
        rate_bp in 5_000u64..20_000,
    ) -> PreState {
        let beacon_balance = u(cl_per_validator) * U256::from(seen);
        let deposited = U256::from(seen + pending);
        let p = pool_side(u(buffered), beacon_balance, deposited, U256::from(seen));
        PreState {
            total_pooled_ether: p,
            total_shares: p * U256::from(10_000u64) / U256::from(rate_bp),
            buffered_ether: u(buffered),
            deposited_validators: deposited,
            beacon_validators: U256::from(seen),
            beacon_balance,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// `fee_split` gives exactly the shared library's `fee_shares` + `split_fee`.
    #[test]
    fn fee_split_equals_the_shared_formula(
        r in 0u128..(1u128 << 127), p in 0u128..(1u128 << 127), s in 0u128..(1u128 << 127),
        f in 0u64..=10_000, op in 0u64..=10_000,
    ) {
        let fee = Fee { total_bp: f, operator_bp: op.min(f) };
        let expected = split_fee(fee_shares(u(r), f, u(s), u(p)), f, op.min(f));
        prop_assert_eq!(fee_split(u(r), &fee, u(s), u(p)), expected);
    }

    /// The long division agrees with 512-bit arithmetic.
    #[test]
    fn mul_div_matches_512_bit_division(
        a in any::<[u64; 4]>(), b in any::<[u64; 4]>(), d in any::<[u64; 4]>(),
        shift in 0usize..256, up in any::<bool>(),
    ) {
        let (a, b) = (U256::from_limbs(a), U256::from_limbs(b));
        let d = (U256::from_limbs(d) >> shift).max(u(1));
        let n = U512::from(a) * U512::from(b);
        let (q, r) = (n / U512::from(d), n % U512::from(d));
        let q = if up && !r.is_zero() { q + U512::from(1u8) } else { q };
        let expected = (q <= U512::from(U256::MAX)).then(|| U256::from(q));
        prop_assert_eq!(mul_div(a, b, d, up), expected);
    }

    /// Every accepted report keeps the accounting identity, distributes at
    /// most the cap, never loses growth, never charges more than the fee and
    /// never raises the share rate by more than the limit.
    #[test]
    fn accepted_reports_keep_every_identity(
        pre in consistent_pre(),
        appeared in 0u64..1_000,
        cl_delta_bp in -520i64..30,
        vault in 0u128..(50 * E),
        days in 10u64..40,
        rebase_limit in 1u64..5_000_000,
        f in 0u64..=10_000,
    ) {
        let seen = pre.beacon_validators.to::<u64>();
        let deposited = pre.deposited_validators.to::<u64>();
        let n = seen + appeared.min(deposited - seen);
        let pre_cl = pre.beacon_balance + DEPOSIT_SIZE * U256::from(n - seen);
        // CL balance moved by cl_delta_bp basis points, rounded to gwei.
        let moved = pre_cl * U256::from(cl_delta_bp.unsigned_abs()) / U256::from(10_000u64);
        let cl = if cl_delta_bp >= 0 { pre_cl + moved } else { pre_cl - moved };
        let cl = cl / GWEI * GWEI;
        let report = ReportInput {
            report_timestamp: u(1), now: u(2), time_elapsed: U256::from(days * DAY),
            num_validators: U256::from(n), cl_balance_gwei: cl / GWEI,
            withdrawal_vault_balance: u(vault),
        };
        let limits = Limits { max_positive_token_rebase: rebase_limit, ..Limits::DEFAULT };
        let fee = Fee { total_bp: f, operator_bp: f / 2 };
        let result = compute(&pre, &report, &limits, &fee);
        // Most generated reports are within the limits; rejected ones are
        // discarded (proptest fails the test if too many are).
        prop_assume!(result.is_ok());
        let out = result.unwrap();
        let w = u(vault);
        // The identity: P1 = buffered + W' + B' + 32 ETH × (D − N).
        prop_assert_eq!(
            out.post_total_pooled_ether,
            pool_side(pre.buffered_ether + out.withdrawals_to_collect, out.post_cl_balance,
                pre.deposited_validators, U256::from(n))
        );
        prop_assert!(out.withdrawals_to_collect <= w);
        prop_assert!(out.post_cl_balance <= cl);
        let raw_positive = cl + w > pre_cl;
        if raw_positive {
            // Nothing lost: distributed + deferred is the whole growth.
            prop_assert_eq!(out.rewards + out.deferred, cl + w - pre_cl);
            let cap = pre.total_pooled_ether * U256::from(rebase_limit)
                / U256::from(LIMITER_PRECISION_BASE);
            prop_assert!(out.rewards <= cap);
            // Held back exactly: (C − B') + (W − W') = deferred.
            prop_assert_eq!(
                (cl - out.post_cl_balance) + (w - out.withdrawals_to_collect), out.deferred);
            prop_assert_eq!(out.loss, U256::ZERO);
        } else {
            prop_assert_eq!(out.fee_shares(), U256::ZERO);
            prop_assert_eq!(out.loss, pre_cl - cl - w);
            prop_assert_eq!(out.post_cl_balance, cl);
        }
        // Share rate increase ≤ limit: P1 · S · 1e9 ≤ P · S1 · (1e9 + limit).
        let lhs = U512::from(out.post_total_pooled_ether) * U512::from(pre.total_shares)
            * U512::from(LIMITER_PRECISION_BASE);
        let rhs = U512::from(pre.total_pooled_ether) * U512::from(out.post_total_shares)
            * U512::from(LIMITER_PRECISION_BASE + rebase_limit);
        prop_assert!(lhs <= rhs);
        // The fee holders own at most f / 10^4 of R (rounded down).
        let owned = U512::from(out.fee_shares()) * U512::from(out.post_total_pooled_ether)
            / U512::from(out.post_total_shares);
        prop_assert!(owned <= U512::from(out.rewards) * U512::from(f) / U512::from(10_000u64));
        // And the rate the queue may use is the post-report rate, rounded down.
        prop_assert_eq!(
            out.max_share_rate,
            out.post_total_pooled_ether * SHARE_RATE_PRECISION / out.post_total_shares
        );
    }

    /// The annual check agrees with its exact statement for any CL growth.
    #[test]
    fn annual_limit_is_exact(
        pre_cl_eth in 1u128..1_000_000, growth_gwei in 0u128..(10_000 * 1_000_000_000),
        days in 1u64..400, limit in 0u64..=10_000,
    ) {
        let mut pre = pool(1);
        pre.beacon_balance = eth(pre_cl_eth);
        pre.total_pooled_ether = eth(pre_cl_eth);
        pre.total_shares = eth(pre_cl_eth);
        let growth = u(growth_gwei) * GWEI;
        let report = ReportInput {
            report_timestamp: u(1), now: u(1), time_elapsed: U256::from(days * DAY),
            num_validators: u(1), cl_balance_gwei: gwei(eth(pre_cl_eth) + growth),
            withdrawal_vault_balance: U256::ZERO,
        };
        let limits = Limits { annual_balance_increase_bp: limit, ..Limits::DEFAULT };
        let allowed = growth <= max_annual_growth(eth(pre_cl_eth), days * DAY, limit);
        let result = compute(&pre, &report, &limits, &Fee::DEFAULT);
        prop_assert_eq!(result.is_ok(), allowed);
    }

    /// The one-off check agrees with its exact statement for any drop.
    #[test]
    fn one_off_limit_is_exact(
        pre_cl_eth in 1u128..1_000_000, drop_gwei in 0u128..(100_000 * 1_000_000_000),
        limit in 0u64..=10_000,
    ) {
        let pre = PreState { beacon_balance: eth(pre_cl_eth), total_pooled_ether: eth(pre_cl_eth),
            total_shares: eth(pre_cl_eth), ..pool(1) };
        let drop = u(drop_gwei) * GWEI;
        prop_assume!(drop <= eth(pre_cl_eth));
        let report = ReportInput {
            report_timestamp: u(1), now: u(1), time_elapsed: U256::from(DAY),
            num_validators: u(1), cl_balance_gwei: gwei(eth(pre_cl_eth) - drop),
            withdrawal_vault_balance: U256::ZERO,
        };
        let limits = Limits { one_off_cl_balance_decrease_bp: limit, ..Limits::DEFAULT };
        let allowed = drop * U256::from(10_000u64) <= eth(pre_cl_eth) * U256::from(limit);
        prop_assert_eq!(compute(&pre, &report, &limits, &Fee::DEFAULT).is_ok(), allowed);
    }
}

#[test]
fn uint_macro_constants_are_what_they_say() {
    assert_eq!(SHARE_RATE_PRECISION, U256::from(10u64).pow(u(27)));
    assert_eq!(GWEI, uint!(1_000_000_000_U256));
    assert_eq!(SECONDS_PER_YEAR, 31_536_000);
}
