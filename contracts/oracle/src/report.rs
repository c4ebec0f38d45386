//! The report math: from the protocol's state before a report and the
//! agreed report, the numbers that apply it (or the named error that rejects
//! it). Pure functions, no storage and no calls, so they are unit- and
//! property-tested natively (`report::tests`, `simulation`).
//!
//! # Terms
//! Before the report: total pooled ether `P` and total shares `S` (rebase
//! token); buffered ether, deposited validators `D`, validators seen by the
//! last report `V` and their accounted balance `B` (deposit pool). The
//! report: validators seen `N`, their balance `C = clBalanceGwei * 1e9` and
//! the withdrawal vault's balance `W`.
//!
//! ```text
//! appeared = N - V                      (newly seen validators)
//! preCL    = B + 32 ETH * appeared      (their deposits were "transient")
//! Rraw     = C + W - preCL              (signed growth of the CL side)
//! ```
//! **Growth** (`Rraw > 0`): the annualised increase of the CL balance
//! (`C - preCL`, as Lido: not the vault) must stay within its limit; at
//! most `cap = floor(P * maxPositiveTokenRebase / 1e9)` is distributed now, `R = min(Rraw, cap)`; the rest, `deferred = Rraw - R`, is
//! held back: first in the vault (`W' = W - min(W, deferred)` is collected,
//! the rest stays there and is reported again), then by accounting the CL
//! balance lower (`B' = C - (deferred - min(W, deferred))`), so the next
//! report sees it again as growth. The fee is minted as
//! `x = floor(R * f * S / ((P + R) * 10^4 - R * f))` shares, split
//! `floor(x * operatorBp / f)` to the operator recipient and the rest to the
//! treasury. **Loss** (`Rraw <= 0`): no fee; the drop must stay within the
//! one-off limit; `B' = C`, `W' = W`.
//!
//! Then `P1 = P + R` (or `P - loss`), `S1 = S + x` and the withdrawal queue
//! may finalize at `maxShareRate = floor(P1 * 1e27 / S1)`; the rebase sets
//! `P1 - ethToLock` as the new total pooled ether.
//!
//! Worked example (defaults): `P = S = 3_200 ETH` all on the CL side
//! (`B = 3_200`, `V = N = D = 100`); a day later `C = 3_200.3` and `W = 0`.
//! `Rraw = 0.3 ETH`, all of it CL growth, annualised `0.3 * 365 / 3_200 =
//! 3.4 % <= 10 %`; `cap = 3_200 * 750_000 / 1e9 = 2.4 ETH`, so `R = 0.3`; the fee
//! is `x = 0.3 * 1000 * 3200 / (3200.3 * 1e4 - 0.3 * 1000) ≈ 0.029998`
//! shares, worth `0.03 ETH` (10 % of `R`), half to each recipient.
//!
//! # Invariants (property-tested)
//! - If `P == buffered + B + 32 ETH * (D - V)` before, then
//!   `P1 == buffered + W' + B' + 32 ETH * (D - N)` after.
//! - `R + deferred == Rraw` on growth; `R <= cap`; `W' <= W`; `B' <= C`;
//!   `B' >= 0` (proof at the computation).
//! - The share rate grows by at most `maxPositiveTokenRebase / 1e9` and the
//!   fee holders own at most `f / 10^4` of `R`.
//! - No loop depends on the state (the only loop is [`mul_div`]'s long
//!   division, at most 512 steps): the cost of a report does not depend on
//!   the number of holders.

use alloy_primitives::{uint, U256, U512};
use staking_common::{errors::AmountTooLarge, math::MAX_AMOUNT, DEPOSIT_SIZE, TOTAL_BASIS_POINTS};

use crate::errors::{
    EtherToLockExceedsAvailable, IncorrectCLBalanceDecrease, IncorrectCLBalanceIncrease,
    IncorrectTimeElapsed, InvalidReportTimestamp, LossExceedsPooledEther, ReportedLessValidators,
    ReportedMoreDeposited,
};
use crate::Error;

/// 365 days, the year of the annualised increase limit (Lido's).
pub const SECONDS_PER_YEAR: u64 = 365 * 24 * 60 * 60;
/// 100 % for `maxPositiveTokenRebase` (Lido's `LIMITER_PRECISION_BASE`).
pub const LIMITER_PRECISION_BASE: u64 = 1_000_000_000;
/// Precision of share rates (Lido's `SHARE_RATE_PRECISION_E27`).
pub const SHARE_RATE_PRECISION: U256 = uint!(1_000_000_000_000_000_000_000_000_000_U256);
/// Wei per gwei.
pub const GWEI: U256 = uint!(1_000_000_000_U256);

/// The largest `clBalanceGwei` whose wei value is at most `2^128 - 1`:
/// `floor((2^128 - 1) / 1e9)`.
pub const MAX_CL_BALANCE_GWEI: U256 = uint!(340_282_366_920_938_463_463_374_607_431_U256);

/// `SECONDS_PER_YEAR * 10^4`: a year in basis-point seconds.
fn year_bp() -> U256 {
    U256::from(SECONDS_PER_YEAR * TOTAL_BASIS_POINTS)
}

/// `a * b` (wrapping; callers prove it fits), kept out of line: ruint's
/// 256-bit multiplication is large, and inlined at every use it would cost
/// more WASM than the call.
#[inline(never)]
fn mul(a: U256, b: U256) -> U256 {
    a * b
}

/// `a * b / d` rounded down (`up == false`) or up, with the product in 512
/// bits; `None` when `d == 0` or the quotient does not fit 256 bits.
///
/// The only division in the program: a binary long division (at most 512
/// shift-and-subtract steps, a few dozen gas of Stylus compute) instead of
/// ruint's general Knuth division, which costs about 4 KB of WASM for each
/// width it is instantiated at.
#[must_use]
pub fn mul_div(a: U256, b: U256, d: U256, up: bool) -> Option<U256> {
    if d.is_zero() {
        return None;
    }
    let n: U512 = a.widening_mul(b);
    let mut quotient = U256::ZERO;
    let mut remainder = U256::ZERO;
    let mut i = n.bit_len();
    while i > 0 {
        i -= 1;
        // Invariant: remainder < d. Shifting in the next bit gives at most
        // 2d - 1, which exceeds 2^256 - 1 only when the top bit was set; then
        // it is certainly >= d and the wrapping subtraction is exact.
        let carry = remainder.bit(255);
        remainder = (remainder << 1usize) | U256::from(u8::from(n.bit(i)));
        if carry || remainder >= d {
            remainder = remainder.wrapping_sub(d);
            if i >= 256 {
                return None;
            }
            quotient.set_bit(i, true);
        }
    }
    if up && !remainder.is_zero() {
        quotient.checked_add(U256::from(1))
    } else {
        Some(quotient)
    }
}

/// The protocol fee on `rewards` as `(treasury_shares, operator_shares)`:
/// `x = floor(R * f * S / ((P + R) * 10^4 - R * f))` shares in all (so the
/// fee holders own exactly `f / 10^4` of `R` up to rounding down, Lido's
/// formula), of which the operator recipient gets `floor(x * operatorBp /
/// f)` and the treasury the rest (and so the rounding remainder).
///
/// The same numbers as `staking_common::math::fee_shares` and `split_fee`
/// (property-tested), computed with [`mul_div`] instead of a 512-bit `/`.
/// Zero when there is nothing to distribute.
#[must_use]
pub fn fee_split(rewards: U256, fee: &Fee, pre_shares: U256, pre_ether: U256) -> (U256, U256) {
    let f = U256::from(fee.total_bp);
    if rewards.is_zero() || f.is_zero() || pre_shares.is_zero() {
        return (U256::ZERO, U256::ZERO);
    }
    // Cannot overflow for amounts below 2^128 and f <= 10^4: (P + R) * 10^4
    // < 2^143, and R * f <= (P + R) * 10^4.
    let denominator = mul(pre_ether + rewards, U256::from(TOTAL_BASIS_POINTS)) - mul(rewards, f);
    // R * f < 2^142 and S < 2^128, so the product fits 512 bits; the quotient
    // is at most R * S / P < 2^256 when P > 0, and with P == 0 the
    // denominator is R * (10^4 - f) (zero only for a 100 % fee: no shares).
    let total = mul_div(mul(rewards, f), pre_shares, denominator, false).unwrap_or_default();
    let operator =
        mul_div(total, U256::from(fee.operator_bp.min(fee.total_bp)), f, false).unwrap_or_default();
    (total - operator, operator)
}

/// The sanity limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest annualised CL balance increase, basis points (≤ 10,000).
    pub annual_balance_increase_bp: u64,
    /// Largest one-off CL balance decrease, basis points (≤ 10,000).
    pub one_off_cl_balance_decrease_bp: u64,
    /// Largest share-rate increase per report, 1e9 = 100 % (≥ 1).
    pub max_positive_token_rebase: u64,
}

impl Limits {
    /// Lido's mainnet defaults: 10 % a year, 5 % at once, 0.075 % a report.
    pub const DEFAULT: Limits = Limits {
        annual_balance_increase_bp: 1_000,
        one_off_cl_balance_decrease_bp: 500,
        max_positive_token_rebase: 750_000,
    };
}

/// The protocol fee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fee {
    /// Share of the rewards taken as fee, basis points (≤ 10,000).
    pub total_bp: u64,
    /// The part of `total_bp` that goes to the operator recipient (≤ `total_bp`).
    pub operator_bp: u64,
}

impl Fee {
    /// 10 %, half of it to the node-operator recipient.
    pub const DEFAULT: Fee = Fee { total_bp: 1_000, operator_bp: 500 };

    /// Whether the fee is at most 100 % and the operator part at most the total.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.total_bp <= TOTAL_BASIS_POINTS && self.operator_bp <= self.total_bp
    }
}

/// The protocol's state before the report (read from the other programs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PreState {
    /// `P`: the rebase token's total pooled ether.
    pub total_pooled_ether: U256,
    /// `S`: the rebase token's total shares.
    pub total_shares: U256,
    /// The deposit pool's buffered ether.
    pub buffered_ether: U256,
    /// `D`: validators the deposit pool ever deposited.
    pub deposited_validators: U256,
    /// `V`: validators seen by the last report.
    pub beacon_validators: U256,
    /// `B`: their accounted balance, wei.
    pub beacon_balance: U256,
}

/// The report as the accounting needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ReportInput {
    /// Time of the reference slot.
    pub report_timestamp: U256,
    /// Current block time.
    pub now: U256,
    /// Seconds between the last processed reference slot and this one.
    pub time_elapsed: U256,
    /// `N`: validators seen on the consensus layer.
    pub num_validators: U256,
    /// Their total balance, gwei.
    pub cl_balance_gwei: U256,
    /// `W`: the withdrawal vault's balance, wei.
    pub withdrawal_vault_balance: U256,
}

/// What applying the report does (before the withdrawal queue's part).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Outcome {
    /// `preCL = B + 32 ETH * (N - V)`.
    pub pre_cl_balance: U256,
    /// `B'`: the CL balance the deposit pool accounts from now on.
    pub post_cl_balance: U256,
    /// `W'`: what the deposit pool collects from the withdrawal vault.
    pub withdrawals_to_collect: U256,
    /// `R`: rewards distributed now (zero on a loss).
    pub rewards: U256,
    /// Growth held back for later reports (`Rraw - R`).
    pub deferred: U256,
    /// The drop (`preCL - C - W`, zero on growth).
    pub loss: U256,
    /// Fee shares minted to the treasury.
    pub treasury_shares: U256,
    /// Fee shares minted to the operator recipient.
    pub operator_shares: U256,
    /// `P1`: total pooled ether after the rewards or loss.
    pub post_total_pooled_ether: U256,
    /// `S1`: total shares after the fee mint.
    pub post_total_shares: U256,
    /// `floor(P1 * 1e27 / S1)` (zero when `S1 == 0`): the best rate at which
    /// withdrawal requests may be finalized.
    pub max_share_rate: U256,
}

impl Outcome {
    /// All fee shares (`x`).
    #[must_use]
    pub fn fee_shares(&self) -> U256 {
        self.treasury_shares + self.operator_shares
    }
}

/// `x` when it is at most `2^128 - 1`.
fn bounded(x: U256) -> Result<U256, Error> {
    if x > MAX_AMOUNT {
        return Err(AmountTooLarge { amount: x }.into());
    }
    Ok(x)
}

/// Computes how the report is applied, or the sanity check it fails.
///
/// # Errors
/// In this order: `InvalidReportTimestamp` (reference slot in the future),
/// `IncorrectTimeElapsed` (zero), `AmountTooLarge` (an amount, `preCL`,
/// `C + W` or `P1` above `2^128 - 1`, or a validator count above
/// `2^64 - 1`),
/// `ReportedLessValidators`, `ReportedMoreDeposited`,
/// `IncorrectCLBalanceIncrease` (annualised CL growth above the limit),
/// `IncorrectCLBalanceDecrease` (drop of CL + vault above the one-off limit),
/// `LossExceedsPooledEther` (the pool's and the token's accounting disagree).
pub fn compute(
    pre: &PreState,
    report: &ReportInput,
    limits: &Limits,
    fee: &Fee,
) -> Result<Outcome, Error> {
    if report.report_timestamp > report.now {
        return Err(InvalidReportTimestamp {
            reportTimestamp: report.report_timestamp,
            currentTime: report.now,
        }
        .into());
    }
    if report.time_elapsed.is_zero() || report.time_elapsed > U256::from(u64::MAX) {
        return Err(IncorrectTimeElapsed { timeElapsed: report.time_elapsed }.into());
    }
    let p = bounded(pre.total_pooled_ether)?;
    let s = bounded(pre.total_shares)?;
    let b = bounded(pre.beacon_balance)?;
    bounded(pre.buffered_ether)?;
    let w = bounded(report.withdrawal_vault_balance)?;
    if report.cl_balance_gwei > MAX_CL_BALANCE_GWEI {
        return Err(AmountTooLarge { amount: report.cl_balance_gwei }.into());
    }
    let c = mul(report.cl_balance_gwei, GWEI);
    let max_validators = U256::from(u64::MAX);
    for count in [pre.deposited_validators, pre.beacon_validators, report.num_validators] {
        if count > max_validators {
            return Err(AmountTooLarge { amount: count }.into());
        }
    }
    let (n, v, d) = (report.num_validators, pre.beacon_validators, pre.deposited_validators);
    if n < v {
        return Err(ReportedLessValidators { reported: n, previous: v }.into());
    }
    if n > d {
        return Err(ReportedMoreDeposited { reported: n, deposited: d }.into());
    }
    // Cannot overflow: b < 2^128 and (n - v) * 32 ETH < 2^64 * 2^65.
    let pre_cl = bounded(b + mul(DEPOSIT_SIZE, n - v))?;
    // Cannot overflow: both are below 2^128.
    let post_cl = bounded(c + w)?;

    let mut out = Outcome { pre_cl_balance: pre_cl, ..Outcome::default() };
    if post_cl > pre_cl {
        let raw = post_cl - pre_cl;
        // Annualised increase of the CL balance alone (as Lido: the vault
        // holds withdrawals, and exits move balance from the CL to it), in
        // basis points rounded up, so that it exceeds the limit exactly when
        // (C - preCL) / preCL * YEAR / elapsed > limit / 10^4. A zero preCL
        // makes any increase infinite. Cannot overflow: preCL < 2^128,
        // elapsed < 2^64.
        if c > pre_cl {
            let annual = mul_div(c - pre_cl, year_bp(), mul(pre_cl, report.time_elapsed), true)
                .unwrap_or(U256::MAX);
            if annual > U256::from(limits.annual_balance_increase_bp) {
                return Err(IncorrectCLBalanceIncrease { annualBalanceDiff: annual }.into());
            }
        }
        // Rounded down: never more than the limit is distributed.
        // Cannot fail: the divisor is non-zero and the quotient < p * 2^34.
        let cap = mul_div(
            p,
            U256::from(limits.max_positive_token_rebase),
            U256::from(LIMITER_PRECISION_BASE),
            false,
        )
        .unwrap_or_default();
        let rewards = raw.min(cap);
        let deferred = raw - rewards;
        let from_vault = w.min(deferred);
        out.withdrawals_to_collect = w - from_vault;
        // B' >= 0: deferred <= raw = c + w - preCL, so if deferred > w then
        // deferred - w <= c - preCL <= c, hence B' = c - (deferred - w) >= preCL >= 0;
        // otherwise deferred - from_vault == 0 and B' = c.
        out.post_cl_balance = c - (deferred - from_vault);
        out.rewards = rewards;
        out.deferred = deferred;
        (out.treasury_shares, out.operator_shares) = fee_split(rewards, fee, s, p);
        // Cannot overflow: p < 2^128 and rewards <= raw < 2^128.
        out.post_total_pooled_ether = bounded(p + rewards)?;
    } else {
        let loss = pre_cl - post_cl;
        // The drop in basis points, rounded up so that it exceeds the limit
        // exactly when loss / preCL > limit / 10^4 (preCL > 0 when loss > 0).
        // No loss is a 0 bp drop, also when preCL is 0 (every ether still
        // buffered, or every validator exited and collected).
        let bp = if loss.is_zero() {
            U256::ZERO
        } else {
            mul_div(loss, U256::from(TOTAL_BASIS_POINTS), pre_cl, true).unwrap_or(U256::MAX)
        };
        if bp > U256::from(limits.one_off_cl_balance_decrease_bp) {
            return Err(IncorrectCLBalanceDecrease { oneOffCLBalanceDecreaseBP: bp }.into());
        }
        out.post_cl_balance = c;
        out.withdrawals_to_collect = w;
        out.loss = loss;
        out.post_total_pooled_ether =
            p.checked_sub(loss).ok_or(LossExceedsPooledEther { pooledEther: p, loss })?;
    }
    // Cannot overflow: for a fee of at most 100 % the denominator of
    // `fee_split` is at least P * 10^4, so x <= R * S / P; and
    // R <= cap <= P * (2^64 - 1) / 1e9 < P * 2^34, so x < S * 2^34 < 2^162
    // (and x == 0 when P == 0, since then cap == 0).
    out.post_total_shares = s + out.fee_shares();
    // Rounded down: requests are finalized at a rate no better than the
    // pool's. P1 <= 2^128 - 1 (checked above); `None` only when S1 == 0.
    out.max_share_rate =
        mul_div(out.post_total_pooled_ether, SHARE_RATE_PRECISION, out.post_total_shares, false)
            .unwrap_or_default();
    Ok(out)
}

/// The state after the withdrawal queue's part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Settlement {
    /// Total pooled ether the rebase sets: `P1 - ethToLock`.
    pub post_total_pooled_ether: U256,
    /// The deposit pool's buffer after collecting and locking:
    /// `buffered + W' - ethToLock`.
    pub post_buffered_ether: U256,
}

/// Accounts `eth_to_lock` leaving the pool for the withdrawal queue.
///
/// # Errors
/// `EtherToLockExceedsAvailable` when it is more than the buffer plus the
/// collected withdrawals (or than `P1`).
pub fn settle(pre: &PreState, out: &Outcome, eth_to_lock: U256) -> Result<Settlement, Error> {
    // Saturating: both are below 2^128 when they come from `compute`.
    let available = pre.buffered_ether.saturating_add(out.withdrawals_to_collect);
    let too_much = EtherToLockExceedsAvailable { etherToLock: eth_to_lock, available };
    if eth_to_lock > available {
        return Err(too_much.into());
    }
    let post_total_pooled_ether =
        out.post_total_pooled_ether.checked_sub(eth_to_lock).ok_or(too_much)?;
    Ok(Settlement { post_total_pooled_ether, post_buffered_ether: available - eth_to_lock })
}

#[cfg(test)]
mod tests;
