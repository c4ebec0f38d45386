//! Fuzzing the share math of `staking_common::math` against independent
//! 512-bit arithmetic.
//!
//! Every case draws its inputs from [`amount`], a generator biased towards
//! the places where fixed-width arithmetic breaks (0, 1, powers of two and
//! their neighbours, `2^128 - 1` = [`MAX_AMOUNT`] and one above it,
//! `2^256 - 1`) mixed with uniformly random bit lengths, and checks every
//! claim the module documents:
//!
//! | property | claim |
//! |---|---|
//! | [`check_mul_div`] | `mul_div` is `floor`/`ceil` of the exact quotient; `None` exactly when an input is above `2^128 - 1` or the divisor is 0 |
//! | [`check_conversions`] | both conversions equal `mul_div` with the totals in the right places, 1:1 on an empty pool, `None` above the bound; `Up` is `Down` or `Down + 1` |
//! | [`check_round_trips`] | ether → shares → ether and shares → ether → shares (both down) never create value; the allowance spent for `k` shares (up) always buys `k` shares back; a transfer by amount never moves more value than the amount |
//! | [`check_monotonic`] | conversions grow with the amount, shares fall as the rate rises |
//! | [`check_fee_shares`] | `fee_shares` is Lido's formula exactly (recomputed here); the fee holders own at most their fraction of the rewards and one share more would give them more than it (the result is the largest such count) |
//! | [`check_split_fee`] | the parts add up to the total, the operator gets the rounded-down weight, the remainder goes to the treasury |
//!
//! [`run_for`] runs proptest's runner over these properties in batches of
//! fresh seeds until the time budget is used and reports the count and the
//! (shrunk) failures.

use alloy_primitives::{U256, U512};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use staking_common::math::{
    ether_for_shares, fee_shares, mul_div, shares_for_ether, split_fee, Rounding, MAX_AMOUNT,
};
use staking_common::TOTAL_BASIS_POINTS;
use std::time::{Duration, Instant};

/// One fuzz case: the inputs every property draws from.
#[derive(Clone, Debug)]
pub struct Case {
    /// First factor / amount.
    pub a: U256,
    /// Second factor / amount.
    pub b: U256,
    /// Divisor / total shares.
    pub d: U256,
    /// Total pooled ether.
    pub p: U256,
    /// An increment.
    pub dx: U256,
    /// Fee, basis points (may exceed 10,000 to probe the documented domain's edge).
    pub fee_bp: u64,
    /// Operator part of the fee, basis points.
    pub operator_bp: u64,
}

/// Values where fixed-width arithmetic breaks.
fn edges() -> Vec<U256> {
    let one = U256::from(1);
    let mut v =
        vec![U256::ZERO, one, U256::from(2), U256::from(3), U256::from(10u64).pow(U256::from(18))];
    for bits in [32usize, 64, 96, 120, 127, 128, 129, 192, 255] {
        let p = one << bits;
        v.extend([p - one, p, p + one]);
    }
    v.extend([MAX_AMOUNT - one, MAX_AMOUNT, MAX_AMOUNT + one, U256::MAX - one, U256::MAX]);
    v
}

/// A `U256` biased towards [`edges`], otherwise of a random bit length
/// (so small, 64-, 128- and 256-bit values are all common).
pub fn amount() -> impl Strategy<Value = U256> {
    let edges = edges();
    prop_oneof![
        2 => proptest::sample::select(edges),
        5 => (any::<[u64; 4]>(), 0usize..=256).prop_map(|(limbs, bits)| {
            let x = U256::from_limbs(limbs);
            if bits == 0 { U256::ZERO } else { x >> (256 - bits) }
        }),
        2 => (any::<[u64; 4]>(), 0usize..=128).prop_map(|(limbs, bits)| {
            // Within the documented domain (at most 2^128 - 1).
            let x = U256::from_limbs(limbs) & MAX_AMOUNT;
            if bits == 0 { U256::ZERO } else { x >> (128 - bits) }
        }),
    ]
}

/// A whole [`Case`].
pub fn case() -> impl Strategy<Value = Case> {
    (
        amount(),
        amount(),
        amount(),
        amount(),
        amount(),
        prop_oneof![
            Just(0u64),
            Just(1),
            Just(10_000),
            Just(9_999),
            0u64..=10_000,
            10_001u64..20_000
        ],
        prop_oneof![Just(0u64), 0u64..=10_000, 10_001u64..20_000],
    )
        .prop_map(|(a, b, d, p, dx, fee_bp, operator_bp)| Case {
            a,
            b,
            d,
            p,
            dx,
            fee_bp,
            operator_bp,
        })
}

fn wide(x: U256) -> U512 {
    U512::from(x)
}

fn in_domain(x: U256) -> bool {
    x <= MAX_AMOUNT
}

/// Exact floor and ceiling of `a * b / d` (d > 0).
fn exact(a: U256, b: U256, d: U256) -> (U512, U512) {
    let n = wide(a) * wide(b);
    let (q, r) = (n / wide(d), n % wide(d));
    (q, if r.is_zero() { q } else { q + U512::from(1u8) })
}

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(TestCaseError::fail(format!($($fmt)+)));
        }
    };
}

/// `mul_div` against 512-bit arithmetic, on both rounding modes.
///
/// # Errors
/// The first claim that does not hold, with the inputs.
pub fn check_mul_div(c: &Case) -> Result<(), TestCaseError> {
    for rounding in [Rounding::Down, Rounding::Up] {
        let got = mul_div(c.a, c.b, c.d, rounding);
        if !in_domain(c.a) || !in_domain(c.b) || c.d.is_zero() {
            ensure!(
                got.is_none(),
                "mul_div({}, {}, {}, {rounding:?}) = {got:?}, not None",
                c.a,
                c.b,
                c.d
            );
            continue;
        }
        let (down, up) = exact(c.a, c.b, c.d);
        let want = if rounding == Rounding::Down { down } else { up };
        ensure!(
            got.map(wide) == Some(want),
            "mul_div({}, {}, {}, {rounding:?}) = {got:?}, exact {want}",
            c.a,
            c.b,
            c.d
        );
    }
    Ok(())
}

/// Both conversions against `mul_div` and the empty-pool rule.
///
/// # Errors
/// The first claim that does not hold.
pub fn check_conversions(c: &Case) -> Result<(), TestCaseError> {
    let (x, s, p) = (c.a, c.d, c.p);
    for rounding in [Rounding::Down, Rounding::Up] {
        let to_shares = shares_for_ether(x, s, p, rounding);
        let to_ether = ether_for_shares(x, s, p, rounding);
        if s.is_zero() || p.is_zero() {
            let one_to_one = in_domain(x).then_some(x);
            ensure!(to_shares == one_to_one, "empty pool: shares_for_ether({x}) = {to_shares:?}");
            ensure!(to_ether == one_to_one, "empty pool: ether_for_shares({x}) = {to_ether:?}");
            continue;
        }
        ensure!(
            to_shares == mul_div(x, s, p, rounding),
            "shares_for_ether({x}, S={s}, P={p}, {rounding:?}) = {to_shares:?} != mul_div"
        );
        ensure!(
            to_ether == mul_div(x, p, s, rounding),
            "ether_for_shares({x}, S={s}, P={p}, {rounding:?}) = {to_ether:?} != mul_div"
        );
    }
    if !s.is_zero() && !p.is_zero() && in_domain(x) && in_domain(s) && in_domain(p) {
        for f in [shares_for_ether, ether_for_shares] {
            let (down, up) = (f(x, s, p, Rounding::Down), f(x, s, p, Rounding::Up));
            let (Some(down), Some(up)) = (down, up) else {
                return Err(TestCaseError::fail(format!("in-domain conversion of {x} is None")));
            };
            ensure!(up == down || up == down + U256::from(1), "up {up} vs down {down} for {x}");
        }
    }
    Ok(())
}

/// Round trips never create value, in the directions the programs use.
///
/// # Errors
/// The first claim that does not hold.
pub fn check_round_trips(c: &Case) -> Result<(), TestCaseError> {
    // Totals of a live pool: S, P in 1..=2^128 - 1; amounts within them.
    let s = (c.d & MAX_AMOUNT).max(U256::from(1));
    let p = (c.p & MAX_AMOUNT).max(U256::from(1));
    let x = c.a & MAX_AMOUNT;
    // Deposit / wrap / transfer by amount: shares down, worth at most x.
    let shares = shares_for_ether(x, s, p, Rounding::Down).expect("in domain");
    ensure!(
        wide(shares) * wide(p) <= wide(x) * wide(s),
        "{shares} shares for {x} wei are worth more (S={s}, P={p})"
    );
    if in_domain(shares) {
        let back = ether_for_shares(shares, s, p, Rounding::Down).expect("in domain");
        ensure!(back <= x, "ether {x} -> shares {shares} -> ether {back} grew (S={s}, P={p})");
    }
    // Unwrap / payout / balanceOf: ether down; buying the shares back at the
    // same rate gives no more shares than were sold.
    let k = c.b & MAX_AMOUNT;
    let value = ether_for_shares(k, s, p, Rounding::Down).expect("in domain");
    if in_domain(value) {
        let again = shares_for_ether(value, s, p, Rounding::Down).expect("in domain");
        ensure!(again <= k, "shares {k} -> ether {value} -> shares {again} grew (S={s}, P={p})");
    }
    // transferSharesFrom: the allowance spent (up) covers the shares' exact
    // value, and converting it back (down) gives at least the shares moved.
    let spent = ether_for_shares(k, s, p, Rounding::Up).expect("in domain");
    ensure!(
        wide(spent) * wide(s) >= wide(k) * wide(p),
        "allowance {spent} is below the value of {k} shares"
    );
    ensure!(k.is_zero() || !spent.is_zero(), "{k} shares spent no allowance (S={s}, P={p})");
    if in_domain(spent) {
        let bought = shares_for_ether(spent, s, p, Rounding::Down).expect("in domain");
        ensure!(bought >= k, "allowance {spent} for {k} shares converts back to {bought} shares");
    }
    Ok(())
}

/// Conversions are monotonic in the amount and in the rate.
///
/// # Errors
/// The first claim that does not hold.
pub fn check_monotonic(c: &Case) -> Result<(), TestCaseError> {
    let s = (c.d & MAX_AMOUNT).max(U256::from(1));
    let p = (c.p & MAX_AMOUNT).max(U256::from(1));
    let x = (c.a & MAX_AMOUNT) >> 1;
    let y = x + ((c.dx & MAX_AMOUNT) >> 1);
    for r in [Rounding::Down, Rounding::Up] {
        ensure!(
            shares_for_ether(x, s, p, r) <= shares_for_ether(y, s, p, r),
            "shares_for_ether not monotonic in the amount"
        );
        ensure!(
            ether_for_shares(x, s, p, r) <= ether_for_shares(y, s, p, r),
            "ether_for_shares not monotonic in the amount"
        );
        // A higher rate (more ether per share) mints fewer shares and values shares more.
        let p2 = p.saturating_add((c.dx & MAX_AMOUNT) >> 1).min(MAX_AMOUNT);
        ensure!(
            shares_for_ether(x, s, p2, r) <= shares_for_ether(x, s, p, r),
            "more ether per share minted more shares"
        );
        ensure!(
            ether_for_shares(x, s, p2, r) >= ether_for_shares(x, s, p, r),
            "more ether per share valued shares less"
        );
    }
    Ok(())
}

/// `fee_shares` is Lido's formula and the largest count within the fee.
///
/// # Errors
/// The first claim that does not hold.
pub fn check_fee_shares(c: &Case) -> Result<(), TestCaseError> {
    // The documented domain: amounts below 2^128, a fee of at most 100 %.
    let (r, s, p) = (c.a & MAX_AMOUNT, c.d & MAX_AMOUNT, c.p & MAX_AMOUNT);
    let f = c.fee_bp.min(TOTAL_BASIS_POINTS);
    let x = fee_shares(r, f, s, p);
    let bp = U512::from(TOTAL_BASIS_POINTS);
    let (rw, fw, sw, pw) = (wide(r), U512::from(f), wide(s), wide(p));
    let denominator = (pw + rw) * bp - rw * fw;
    if r.is_zero() || f == 0 || s.is_zero() || denominator.is_zero() {
        ensure!(x.is_zero(), "fee_shares(R={r}, f={f}, S={s}, P={p}) = {x}, expected 0");
        return Ok(());
    }
    let want = rw * fw * sw / denominator;
    ensure!(wide(x) == want, "fee_shares(R={r}, f={f}, S={s}, P={p}) = {x}, formula {want}");
    // x shares of (S + x) over P + R are worth at most R * f / 10^4 ...
    let xw = wide(x);
    ensure!(
        xw * (pw + rw) * bp <= rw * fw * (sw + xw),
        "fee holders own more than {f} bp of {r} (x = {x}, S={s}, P={p})"
    );
    // ... and x + 1 shares would be worth more (x is the largest such count).
    let x1 = xw + U512::from(1u8);
    ensure!(
        x1 * (pw + rw) * bp > rw * fw * (sw + x1),
        "fee_shares(R={r}, f={f}, S={s}, P={p}) = {x} is not the largest count within the fee"
    );
    Ok(())
}

/// `split_fee` adds up and rounds the operator's part down.
///
/// # Errors
/// The first claim that does not hold.
pub fn check_split_fee(c: &Case) -> Result<(), TestCaseError> {
    let total = c.b & MAX_AMOUNT;
    let (treasury, operator) = split_fee(total, c.fee_bp, c.operator_bp);
    if c.fee_bp == 0 || total.is_zero() {
        ensure!(
            treasury.is_zero() && operator.is_zero(),
            "split_fee of nothing gave ({treasury}, {operator})"
        );
        return Ok(());
    }
    ensure!(
        treasury + operator == total,
        "split_fee({total}) = ({treasury}, {operator}) does not add up"
    );
    let weight = c.operator_bp.min(c.fee_bp);
    let want = wide(total) * U512::from(weight) / U512::from(c.fee_bp);
    ensure!(
        wide(operator) == want,
        "operator part {operator} != floor({total} * {weight} / {})",
        c.fee_bp
    );
    Ok(())
}

/// Every property on one case.
///
/// # Errors
/// The first claim that does not hold.
pub fn check_all(c: &Case) -> Result<(), TestCaseError> {
    check_mul_div(c)?;
    check_conversions(c)?;
    check_round_trips(c)?;
    check_monotonic(c)?;
    check_fee_shares(c)?;
    check_split_fee(c)
}

/// The result of a fuzz run.
#[derive(Clone, Debug, Default)]
pub struct FuzzReport {
    /// Cases run.
    pub cases: u64,
    /// Batches (one proptest runner with a fresh seed each).
    pub batches: u64,
    /// Shrunk failing cases with their message.
    pub failures: Vec<String>,
    /// Wall time used.
    pub elapsed: Duration,
}

/// Runs [`check_all`] on random cases in batches of `batch` (one proptest
/// runner with a fresh random seed per batch) until `budget` has passed, or
/// for exactly one batch when `budget` is zero.
pub fn run_for(budget: Duration, batch: u32) -> FuzzReport {
    let start = Instant::now();
    let mut report = FuzzReport::default();
    loop {
        let config = Config {
            cases: batch,
            failure_persistence: None,
            max_shrink_iters: 4_096,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        match runner.run(&case(), |c| check_all(&c)) {
            Ok(()) => {}
            Err(TestError::Fail(reason, case)) => {
                report.failures.push(format!("{reason}\n    minimal case: {case:?}"));
            }
            Err(TestError::Abort(reason)) => report.failures.push(format!("aborted: {reason}")),
        }
        report.cases += u64::from(batch);
        report.batches += 1;
        if start.elapsed() >= budget || !report.failures.is_empty() {
            break;
        }
    }
    report.elapsed = start.elapsed();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_include_both_sides_of_the_bound() {
        let e = edges();
        assert!(e.contains(&MAX_AMOUNT) && e.contains(&(MAX_AMOUNT + U256::from(1))));
        assert!(e.contains(&U256::MAX) && e.contains(&U256::ZERO));
    }

    #[test]
    fn a_short_run_finds_nothing() {
        let report = run_for(Duration::ZERO, 2_000);
        assert_eq!(report.cases, 2_000);
        assert!(report.failures.is_empty(), "{:#?}", report.failures);
    }

    #[test]
    fn a_wrong_claim_is_reported_with_a_minimal_case() {
        // Given a property that is false (mul_div never rounds up),
        let mut runner =
            TestRunner::new(Config { cases: 500, failure_persistence: None, ..Config::default() });
        let result = runner.run(&case(), |c| {
            let (a, b, d) = (c.a & MAX_AMOUNT, c.b & MAX_AMOUNT, c.d.max(U256::from(1)));
            let up = mul_div(a, b, d, Rounding::Up).unwrap();
            prop_assert_eq!(up, mul_div(a, b, d, Rounding::Down).unwrap());
            Ok(())
        });
        // then the runner finds a counterexample.
        assert!(matches!(result, Err(TestError::Fail(..))));
    }
}
