//! Share math: conversions between ether and shares, and the protocol fee.
//!
//! `P` is total pooled ether and `S` total shares. A holder with `s` shares
//! owns `s * P / S` ether. Every conversion names its rounding, and the
//! rounding always favours the pool (the remaining holders), never the caller:
//!
//! | conversion | rounding | used by |
//! |---|---|---|
//! | [`shares_for_ether`] `Down` | ether → shares | deposits, wrap, transfer by amount |
//! | [`ether_for_shares`] `Down` | shares → ether | `balanceOf`, unwrap, payouts |
//! | [`ether_for_shares`] `Up` | shares → ether | allowance spent by `transferSharesFrom` |
//! | [`shares_for_ether`] `Up` | ether → shares | burning shares to pay out an exact amount |
//!
//! Worked example: `P = 110`, `S = 100` (rate 1.1). Depositing 10 wei mints
//! `floor(10 * 100 / 110) = 9` shares (worth `floor(9 * 110 / 100) = 9` wei,
//! the 1 wei remainder stays with the pool). Spending allowance for 9 shares
//! costs `ceil(9 * 110 / 100) = 10` wei of allowance.
//!
//! # Bounds
//! Totals are stored in 128 bits and every amount entering a conversion must
//! be at most [`MAX_AMOUNT`] (`2^128 - 1`, Lido V3's bound), so each product
//! is below `2^256` and no conversion can overflow. Callers get `None` for an
//! input above the bound and turn it into a named error.

use alloy_primitives::{U256, U512};

/// The largest amount (ether or shares) a conversion accepts: `2^128 - 1`.
pub const MAX_AMOUNT: U256 = U256::from_limbs([u64::MAX, u64::MAX, 0, 0]);

/// Which way a division rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Towards zero (floor).
    Down,
    /// Away from zero (ceiling).
    Up,
}

/// `a * b / d` with the given rounding, for `a, b <= MAX_AMOUNT`.
///
/// Returns `None` when an input is above [`MAX_AMOUNT`] or `d` is zero.
///
/// Computed without ruint's general 256-bit division (about 4 KB of WASM in
/// every program): the product is formed from 64-bit halves and divided by
/// binary long division on 128-bit registers, one step per quotient bit when
/// `d < 2^128` (every share conversion: `d` is a total; about one gas of
/// Stylus compute per step), 256 steps otherwise.
#[must_use]
pub fn mul_div(a: U256, b: U256, d: U256, rounding: Rounding) -> Option<U256> {
    if a > MAX_AMOUNT || b > MAX_AMOUNT || d.is_zero() {
        return None;
    }
    let (hi, lo) = mul_u128(low_u128(a), low_u128(b));
    let d_limbs = d.as_limbs();
    let d_hi = u128::from(d_limbs[2]) | (u128::from(d_limbs[3]) << 64);
    let (q_hi, q_lo, exact) = if d_hi == 0 {
        let (q_hi, q_lo, r) = div_rem_u128(hi, lo, low_u128(d));
        (q_hi, q_lo, r == 0)
    } else {
        // d >= 2^128 and a * b < 2^256: the quotient is below 2^128.
        let (q, exact) = div_wide(hi, lo, d_hi, low_u128(d));
        (0, q, exact)
    };
    // Truncating casts: the 64-bit limbs of the quotient.
    let quotient =
        U256::from_limbs([q_lo as u64, (q_lo >> 64) as u64, q_hi as u64, (q_hi >> 64) as u64]);
    if rounding == Rounding::Up && !exact {
        // Cannot overflow: quotient <= product < 2^256 - 1 when d >= 2, and
        // with d == 1 the remainder is zero.
        Some(quotient + U256::from(1))
    } else {
        Some(quotient)
    }
}

/// The low 128 bits of `x`.
fn low_u128(x: U256) -> u128 {
    let limbs = x.as_limbs();
    u128::from(limbs[0]) | (u128::from(limbs[1]) << 64)
}

/// `a * b` as its `(high, low)` 128-bit halves (schoolbook on 64-bit halves).
fn mul_u128(a: u128, b: u128) -> (u128, u128) {
    const LOW: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & LOW);
    let (b1, b0) = (b >> 64, b & LOW);
    // Cannot overflow: each factor is below 2^64, so each product is below 2^128.
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    // Cannot overflow: three terms below 2^64 each.
    let mid = (p00 >> 64) + (p01 & LOW) + (p10 & LOW);
    let lo = (p00 & LOW) | (mid << 64);
    // Cannot overflow: the full product is below 2^256.
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (hi, lo)
}

/// `(n / d, n % d)` for `n = hi * 2^128 + lo` and `0 < d < 2^128`, as
/// `(quotient high, quotient low, remainder)`: binary long division on
/// 128-bit registers, one step per quotient bit (the first `bitlen(d) - 1`
/// bits of `n` go into the remainder at once: they are below `d`).
fn div_rem_u128(hi: u128, lo: u128, d: u128) -> (u128, u128, u128) {
    // Align the dividend so its highest set bit is bit 255 of (n_hi, n_lo).
    let (mut n_hi, mut n_lo, mut steps) = if hi != 0 {
        let z = hi.leading_zeros();
        let carried = if z == 0 { 0 } else { lo >> (128 - z) };
        ((hi << z) | carried, lo << z, 256 - z)
    } else {
        let z = lo.leading_zeros();
        // `lo << 128` would overflow: the whole value is lo.
        (if z == 128 { 0 } else { lo << z }, 0, 128 - z)
    };
    // The top k = bitlen(d) - 1 bits of n are below 2^k <= d: preload them.
    let k = 127 - d.leading_zeros();
    if steps <= k {
        // n < 2^k <= d (so n < 2^127 fits in lo): the quotient is 0.
        return (0, 0, lo);
    }
    let mut r = if k == 0 { 0 } else { n_hi >> (128 - k) };
    if k != 0 {
        n_hi = (n_hi << k) | (n_lo >> (128 - k));
        n_lo <<= k;
    }
    steps -= k;
    let (mut q_hi, mut q_lo) = (0u128, 0u128);
    while steps > 0 {
        steps -= 1;
        // Invariant: r < d. Shifting in the next bit gives at most 2d - 1,
        // which may exceed 2^128 - 1 only when r's top bit was set; then it
        // is certainly >= d and the wrapping subtraction is exact.
        let carry = r >> 127;
        r = (r << 1) | (n_hi >> 127);
        n_hi = (n_hi << 1) | (n_lo >> 127);
        n_lo <<= 1;
        q_hi = (q_hi << 1) | (q_lo >> 127);
        q_lo <<= 1;
        if carry != 0 || r >= d {
            r = r.wrapping_sub(d);
            q_lo |= 1;
        }
    }
    (q_hi, q_lo, r)
}

/// `(floor(n / d), n % d == 0)` for `n = n_hi * 2^128 + n_lo` and
/// `d = d_hi * 2^128 + d_lo >= 2^128` (so the quotient is below `2^128`):
/// binary long division over all 256 bits of `n`, remainder in two 128-bit
/// registers. Only divisors of `2^128` and more take this path.
fn div_wide(mut n_hi: u128, mut n_lo: u128, d_hi: u128, d_lo: u128) -> (u128, bool) {
    let (mut r_hi, mut r_lo, mut q) = (0u128, 0u128, 0u128);
    for _ in 0..256 {
        // Invariant: r < d. Shifting in the next bit of n gives at most
        // 2d - 1; when r's top bit was set it is certainly >= d and the
        // wrapping subtraction is exact.
        let carry = r_hi >> 127;
        r_hi = (r_hi << 1) | (r_lo >> 127);
        r_lo = (r_lo << 1) | (n_hi >> 127);
        n_hi = (n_hi << 1) | (n_lo >> 127);
        n_lo <<= 1;
        // The quotient has at most 128 bits, so nothing is lost here.
        q <<= 1;
        if carry != 0 || (r_hi, r_lo) >= (d_hi, d_lo) {
            let (low, borrow) = r_lo.overflowing_sub(d_lo);
            r_hi = r_hi.wrapping_sub(d_hi).wrapping_sub(u128::from(borrow));
            r_lo = low;
            q |= 1;
        }
    }
    (q, r_hi == 0 && r_lo == 0)
}

/// Shares worth `ether` at the rate `total_ether / total_shares`.
///
/// An empty pool (`total_shares == 0` or `total_ether == 0`) converts 1:1,
/// which only the bootstrap deposit ever sees.
/// Returns `None` when `ether > MAX_AMOUNT`.
#[must_use]
pub fn shares_for_ether(
    ether: U256,
    total_shares: U256,
    total_ether: U256,
    rounding: Rounding,
) -> Option<U256> {
    if total_shares.is_zero() || total_ether.is_zero() {
        return (ether <= MAX_AMOUNT).then_some(ether);
    }
    mul_div(ether, total_shares, total_ether, rounding)
}

/// Ether that `shares` are worth at the rate `total_ether / total_shares`.
///
/// An empty pool converts 1:1. Returns `None` when `shares > MAX_AMOUNT`.
#[must_use]
pub fn ether_for_shares(
    shares: U256,
    total_shares: U256,
    total_ether: U256,
    rounding: Rounding,
) -> Option<U256> {
    if total_shares.is_zero() || total_ether.is_zero() {
        return (shares <= MAX_AMOUNT).then_some(shares);
    }
    mul_div(shares, total_ether, total_shares, rounding)
}

/// Shares to mint as the protocol fee so that the fee holders own exactly
/// `fee_bp / 10_000` of `rewards` after the rebase:
///
/// `shares = R * f * S / ((P + R) * 10^4 - R * f)`, rounded down (the
/// remainder stays with the holders, so the fee never exceeds its fraction).
///
/// `pre_shares` and `pre_ether` are the totals before the rewards; `rewards`
/// is the ether the rebase adds. Computed in 512 bits, so no input below
/// `2^128` can overflow. Returns zero when there is nothing to distribute.
///
/// Derivation: after minting `x` shares the fee holders own
/// `x * (P + R) / (S + x)`, which must equal `R * f / 10^4`; solving for `x`
/// gives the formula above.
#[must_use]
pub fn fee_shares(rewards: U256, fee_bp: u64, pre_shares: U256, pre_ether: U256) -> U256 {
    if rewards.is_zero() || fee_bp == 0 || pre_shares.is_zero() {
        return U256::ZERO;
    }
    let r = U512::from(rewards);
    let f = U512::from(fee_bp);
    let numerator = r * f * U512::from(pre_shares);
    let denominator = (U512::from(pre_ether) + r) * U512::from(crate::TOTAL_BASIS_POINTS) - r * f;
    if denominator.is_zero() {
        return U256::ZERO;
    }
    U256::from(numerator / denominator)
}

/// Splits `total` fee shares between a node-operator recipient (weight
/// `operator_bp`) and the treasury (the rest of `fee_bp`): the operator gets
/// `floor(total * operator_bp / fee_bp)`, the treasury the remainder, so the
/// rounding remainder always lands with the treasury (as Lido).
///
/// Returns `(treasury_shares, operator_shares)`.
#[must_use]
pub fn split_fee(total: U256, fee_bp: u64, operator_bp: u64) -> (U256, U256) {
    if fee_bp == 0 || total.is_zero() {
        return (U256::ZERO, U256::ZERO);
    }
    let operator =
        U256::from(U512::from(total) * U512::from(operator_bp.min(fee_bp)) / U512::from(fee_bp));
    (total - operator, operator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    #[test]
    fn mul_div_rounds_as_named() {
        assert_eq!(mul_div(u(10), u(100), u(110), Rounding::Down), Some(u(9)));
        assert_eq!(mul_div(u(10), u(100), u(110), Rounding::Up), Some(u(10)));
        assert_eq!(mul_div(u(11), u(10), u(110), Rounding::Up), Some(u(1)));
    }

    #[test]
    fn mul_div_handles_the_edges_of_both_division_paths() {
        let max = MAX_AMOUNT;
        // d < 2^128: the 128-bit path, including a zero product and d = 1.
        assert_eq!(mul_div(U256::ZERO, max, u(7), Rounding::Up), Some(U256::ZERO));
        assert_eq!(mul_div(max, max, U256::from(1), Rounding::Down), Some(max * max));
        assert_eq!(mul_div(max, max, max, Rounding::Down), Some(max));
        assert_eq!(mul_div(u(1), u(1), max, Rounding::Up), Some(u(1)));
        // d >= 2^128: the 256-bit path.
        let big = max + u(1);
        assert_eq!(mul_div(max, max, big, Rounding::Down), Some(max - u(1)));
        assert_eq!(mul_div(max, max, big, Rounding::Up), Some(max));
        assert_eq!(mul_div(max, max, U256::MAX, Rounding::Up), Some(u(1)));
        assert_eq!(mul_div(max, max, U256::MAX, Rounding::Down), Some(U256::ZERO));
    }

    #[test]
    fn mul_div_rejects_out_of_bound_inputs_and_zero_divisor() {
        assert_eq!(mul_div(MAX_AMOUNT + u(1), u(1), u(1), Rounding::Down), None);
        assert_eq!(mul_div(u(1), MAX_AMOUNT + u(1), u(1), Rounding::Down), None);
        assert_eq!(mul_div(u(1), u(1), U256::ZERO, Rounding::Down), None);
        assert_eq!(
            mul_div(MAX_AMOUNT, MAX_AMOUNT, u(1), Rounding::Up),
            Some(MAX_AMOUNT * MAX_AMOUNT)
        );
    }

    #[test]
    fn empty_pool_converts_one_to_one() {
        assert_eq!(shares_for_ether(u(7), U256::ZERO, U256::ZERO, Rounding::Down), Some(u(7)));
        assert_eq!(ether_for_shares(u(7), U256::ZERO, U256::ZERO, Rounding::Up), Some(u(7)));
    }

    #[test]
    fn fee_shares_match_a_hand_computed_table() {
        // P = 100 ETH, S = 100 ETH of shares, R = 1 ETH, f = 10 %:
        // x = 1 * 1000 * 100 / (101 * 10^4 - 1 * 1000) ETH = 100_000 / 1_009_000 ETH.
        let e = |x: u128| u(x * 1_000_000_000_000_000_000);
        let x = fee_shares(e(1), 1_000, e(100), e(100));
        assert_eq!(x, u(99_108_027_750_247_770)); // floor(1e20 / 1009)
                                                  // Holders of x own 0.1 ETH of the 101 ETH pool, to within one wei.
        let owned = ether_for_shares(x, e(100) + x, e(101), Rounding::Down).unwrap();
        assert!(owned <= u(100_000_000_000_000_000));
        assert!(u(100_000_000_000_000_000) - owned <= u(1));
        // No rewards, no fee.
        assert_eq!(fee_shares(U256::ZERO, 1_000, e(100), e(100)), U256::ZERO);
        assert_eq!(fee_shares(e(1), 0, e(100), e(100)), U256::ZERO);
    }

    #[test]
    fn split_fee_gives_the_remainder_to_the_treasury() {
        assert_eq!(split_fee(u(101), 1_000, 500), (u(51), u(50)));
        assert_eq!(split_fee(u(101), 1_000, 0), (u(101), u(0)));
        assert_eq!(split_fee(u(101), 0, 0), (u(0), u(0)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// The product and the 128-bit division agree with ruint's.
        #[test]
        fn mul_u128_and_div_rem_u128_match_ruint(
            a in any::<u128>(), b in any::<u128>(), d in 1u128..=u128::MAX, shift in 0u32..128
        ) {
            let d = (d >> shift).max(1);
            let (hi, lo) = mul_u128(a, b);
            let product = u(a) * u(b);
            prop_assert_eq!((U256::from(hi) << 128) | U256::from(lo), product);
            let (q_hi, q_lo, r) = div_rem_u128(hi, lo, d);
            prop_assert_eq!((U256::from(q_hi) << 128) | U256::from(q_lo), product / u(d));
            prop_assert_eq!(U256::from(r), product % u(d));
        }

        /// `mul_div` is floor/ceil of the exact quotient for any divisor.
        #[test]
        fn mul_div_matches_512_bit_arithmetic(
            a in 0u128..=u128::MAX, b in 0u128..=u128::MAX, d in any::<[u64; 4]>(), shift in 0usize..256
        ) {
            let d = (U256::from_limbs(d) >> shift).max(U256::from(1));
            let exact = U512::from(a) * U512::from(b);
            let (q, r) = (exact / U512::from(d), exact % U512::from(d));
            let down = mul_div(u(a), u(b), d, Rounding::Down).unwrap();
            let up = mul_div(u(a), u(b), d, Rounding::Up).unwrap();
            prop_assert_eq!(U512::from(down), q);
            prop_assert_eq!(U512::from(up), if r.is_zero() { q } else { q + U512::from(1u8) });
        }

        /// The wide division agrees with ruint's for divisors of 2^128 and more.
        #[test]
        fn div_wide_matches_ruint(
            n in any::<[u64; 4]>(), d in any::<[u64; 4]>(), shift in 0usize..128
        ) {
            let n = U256::from_limbs(n);
            let d = (U256::from_limbs(d) >> shift) | (U256::from(1) << 128);
            let (n_hi, n_lo) = (low_u128(n >> 128), low_u128(n));
            let (q, exact) = div_wide(n_hi, n_lo, low_u128(d >> 128), low_u128(d));
            prop_assert_eq!(U256::from(q), n / d);
            prop_assert_eq!(exact, (n % d).is_zero());
        }

        /// Round trip ether → shares → ether (both down) never creates ether.
        #[test]
        fn round_trip_never_creates_ether(
            ether in 0u128..u128::MAX, s in 1u128..u128::MAX, p in 1u128..u128::MAX
        ) {
            let shares = shares_for_ether(u(ether), u(s), u(p), Rounding::Down).unwrap();
            if shares <= MAX_AMOUNT {
                let back = ether_for_shares(shares, u(s), u(p), Rounding::Down).unwrap();
                prop_assert!(back <= u(ether));
            }
        }

        /// Up is Down or Down + 1, and Down * d <= a * b <= Up * d.
        #[test]
        fn up_and_down_bracket_the_exact_value(
            a in 0u128..u128::MAX, b in 0u128..u128::MAX, d in 1u128..u128::MAX
        ) {
            let down = mul_div(u(a), u(b), u(d), Rounding::Down).unwrap();
            let up = mul_div(u(a), u(b), u(d), Rounding::Up).unwrap();
            prop_assert!(up == down || up == down + u(1));
            let exact = U512::from(a) * U512::from(b);
            prop_assert!(U512::from(down) * U512::from(d) <= exact);
            prop_assert!(U512::from(up) * U512::from(d) >= exact);
        }

        /// Conversions are monotonic in the amount.
        #[test]
        fn conversions_are_monotonic(
            x in 0u128..u128::MAX / 2, dx in 0u128..u128::MAX / 2,
            s in 1u128..u128::MAX, p in 1u128..u128::MAX
        ) {
            for r in [Rounding::Down, Rounding::Up] {
                prop_assert!(shares_for_ether(u(x), u(s), u(p), r) <= shares_for_ether(u(x + dx), u(s), u(p), r));
                prop_assert!(ether_for_shares(u(x), u(s), u(p), r) <= ether_for_shares(u(x + dx), u(s), u(p), r));
            }
        }

        /// The fee holders never get more than their fraction of the rewards.
        #[test]
        fn fee_never_exceeds_its_fraction(
            p in 1u128..(1u128 << 100), s in 1u128..(1u128 << 100),
            r in 0u128..(1u128 << 96), fee_bp in 0u64..=10_000
        ) {
            let x = fee_shares(u(r), fee_bp, u(s), u(p));
            let owned = ether_for_shares(x, u(s) + x, u(p) + u(r), Rounding::Down).unwrap();
            let due = U512::from(r) * U512::from(fee_bp) / U512::from(10_000u64);
            prop_assert!(U512::from(owned) <= due);
        }
    }
}
