//! The staking rate limit: Lido's `StakeLimitUtils`, with seconds instead of
//! blocks (Arbitrum's block number is only an estimate of L1's).
//!
//! One storage word holds the whole state, so `submit` reads and writes one
//! slot for it (Lido's layout, `prevStakeBlockNumber` → `prevStakeTimestamp`):
//!
//! ```text
//! bits 160..256  maxStakeLimit              uint96
//! bits 128..160  maxStakeLimitGrowthSeconds uint32
//! bits  32..128  prevStakeLimit             uint96
//! bits   0..32   prevStakeTimestamp         uint32
//! ```
//!
//! Encodings (as Lido): **paused ⇔ `prevStakeTimestamp == 0`**,
//! **unlimited ⇔ `maxStakeLimit == 0`**. An all-zero word is "paused,
//! unlimited": the state of a freshly deployed pool.
//!
//! The limit refills linearly: `current = min(prev + elapsed * (max /
//! growthSeconds), max)`. Worked example: `setStakingLimit(150_000 ETH,
//! 1.5 ETH/s)` stores `growthSeconds = floor(150_000 / 1.5) = 100_000`; a
//! 100 ETH stake at `t` leaves `prev = 149_900 ETH`; at `t + 40 s` the limit
//! is `min(149_900 + 40 * 1.5, 150_000) = 149_960 ETH`.
//!
//! # Invariants
//! - `maxStakeLimit < 2^96`, `prevStakeLimit <= maxStakeLimit` whenever a
//!   limit is set, and `current(now) <= maxStakeLimit` for every `now`.
//! - Pausing and resuming change only `prevStakeTimestamp`: the limit's
//!   parameters and its last value survive a pause (Lido's semantics: the
//!   refill does not accrue while paused).
//!
//! WARNING: timestamps are stored in 32 bits, as Lido stores block numbers;
//! this holds until the year 2106.

use alloy_primitives::U256;

/// The largest `maxStakeLimit`: `2^96 - 1`.
pub(crate) const MAX_STAKE_LIMIT: u128 = (1 << 96) - 1;

/// Why `setStakingLimit` rejected its arguments (Lido's revert reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LimitError {
    /// `maxStakeLimit == 0` (`ZERO_MAX_STAKE_LIMIT`).
    ZeroMax,
    /// `maxStakeLimit > 2^96 - 1` (`TOO_LARGE_MAX_STAKE_LIMIT`).
    TooLargeMax,
    /// `increasePerSecond > maxStakeLimit` (`TOO_LARGE_LIMIT_INCREASE`).
    TooLargeIncrease,
    /// `maxStakeLimit / increasePerSecond > 2^32 - 1`
    /// (`TOO_SMALL_LIMIT_INCREASE`): the growth time would not fit 32 bits.
    TooSmallIncrease,
}

/// The decoded stake-limit word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct StakeLimit {
    /// Timestamp of the last stake (or resume); 0 means paused.
    pub(crate) prev_timestamp: u32,
    /// The limit left after the last stake (< 2^96).
    pub(crate) prev_limit: u128,
    /// Seconds for the limit to refill from 0 to `max_limit`; 0 = no refill.
    pub(crate) growth_seconds: u32,
    /// The maximum limit (< 2^96); 0 means unlimited.
    pub(crate) max_limit: u128,
}

impl StakeLimit {
    /// Decodes the storage word (layout in the module docs).
    #[must_use]
    pub(crate) fn decode(word: U256) -> Self {
        let l = word.as_limbs();
        let low = u128::from(l[0]) | (u128::from(l[1]) << 64);
        let high = u128::from(l[2]) | (u128::from(l[3]) << 64);
        // Truncations are the field extractions of the layout.
        #[allow(clippy::cast_possible_truncation)]
        Self {
            prev_timestamp: low as u32,
            prev_limit: low >> 32,
            growth_seconds: high as u32,
            max_limit: high >> 32,
        }
    }

    /// Encodes into the storage word. Fields must fit their widths (every
    /// writer below keeps `prev_limit`, `max_limit` < 2^96).
    #[must_use]
    pub(crate) fn encode(self) -> U256 {
        let low = (self.prev_limit << 32) | u128::from(self.prev_timestamp);
        let high = (self.max_limit << 32) | u128::from(self.growth_seconds);
        // Truncations split each u128 into its two u64 limbs.
        #[allow(clippy::cast_possible_truncation)]
        U256::from_limbs([low as u64, (low >> 64) as u64, high as u64, (high >> 64) as u64])
    }

    /// Whether staking is paused.
    #[must_use]
    pub(crate) fn is_paused(self) -> bool {
        self.prev_timestamp == 0
    }

    /// Whether a limit is set (otherwise staking is unlimited).
    #[must_use]
    pub(crate) fn is_limit_set(self) -> bool {
        self.max_limit != 0
    }

    /// The limit at time `now` (Lido's `calculateCurrentStakeLimit`):
    /// `min(prev + (now - prevTimestamp) * floor(max / growthSeconds), max)`.
    /// The per-second increase rounds down, as Lido's per-block increase.
    #[must_use]
    pub(crate) fn current(self, now: u64) -> u128 {
        let per_second = if self.growth_seconds == 0 {
            0
        } else {
            self.max_limit / u128::from(self.growth_seconds)
        };
        let elapsed = u128::from(now.saturating_sub(u64::from(self.prev_timestamp)));
        // Saturating: any saturated value is above max_limit (< 2^96) and the min caps it.
        self.prev_limit.saturating_add(elapsed.saturating_mul(per_second)).min(self.max_limit)
    }

    /// The limit as `getCurrentStakeLimit` reports it: 0 when paused,
    /// `2^256 - 1` when unlimited.
    #[must_use]
    pub(crate) fn reported(self, now: u64) -> U256 {
        if self.is_paused() {
            U256::ZERO
        } else if !self.is_limit_set() {
            U256::MAX
        } else {
            U256::from(self.current(now))
        }
    }

    /// Lido's `setStakingLimit`: validates, stores the growth time
    /// `floor(max / increasePerSecond)` (0 when the increase is 0), resets
    /// `prevStakeLimit` to `max` if staking was paused, unlimited, or the new
    /// maximum is below the previous limit, and restarts the refill clock at
    /// `now` unless paused.
    ///
    /// # Errors
    /// A [`LimitError`] for arguments Lido rejects; `self` is unchanged then.
    pub(crate) fn set_limit(
        &mut self,
        max: U256,
        increase_per_second: U256,
        now: u32,
    ) -> Result<(), LimitError> {
        if max.is_zero() {
            return Err(LimitError::ZeroMax);
        }
        if max > U256::from(MAX_STAKE_LIMIT) {
            return Err(LimitError::TooLargeMax);
        }
        if increase_per_second > max {
            return Err(LimitError::TooLargeIncrease);
        }
        // Cannot truncate: increase <= max < 2^96 (checked above); u128
        // division keeps the program free of 256-bit division code.
        let (max, increase) =
            (max.saturating_to::<u128>(), increase_per_second.saturating_to::<u128>());
        // Rounding: floor, as Lido's growth blocks.
        let growth = max.checked_div(increase).unwrap_or(0);
        if growth > u128::from(u32::MAX) {
            return Err(LimitError::TooSmallIncrease);
        }
        if self.is_paused() || !self.is_limit_set() || max < self.prev_limit {
            self.prev_limit = max;
        }
        // Cannot truncate: growth <= 2^32 - 1 (checked above).
        #[allow(clippy::cast_possible_truncation)]
        let growth = growth as u32;
        self.growth_seconds = growth;
        self.max_limit = max;
        if !self.is_paused() {
            self.prev_timestamp = now;
        }
        Ok(())
    }

    /// Lido's `removeStakingLimit`: staking becomes unlimited (other fields
    /// are kept).
    pub(crate) fn remove_limit(&mut self) {
        self.max_limit = 0;
    }

    /// Pauses (`prevStakeTimestamp = 0`) or resumes (`= now`) staking.
    pub(crate) fn set_paused(&mut self, paused: bool, now: u32) {
        self.prev_timestamp = if paused { 0 } else { now };
    }

    /// Records a stake that left `remaining` of the limit at `now`.
    pub(crate) fn consume(&mut self, remaining: u128, now: u32) {
        self.prev_limit = remaining;
        self.prev_timestamp = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ETH: u128 = 1_000_000_000_000_000_000;

    fn active(max: u128, inc: u128, now: u32) -> StakeLimit {
        let mut s = StakeLimit { prev_timestamp: now, ..StakeLimit::default() };
        s.set_limit(U256::from(max), U256::from(inc), now).expect("valid limit");
        s
    }

    #[test]
    fn worked_example_of_the_module_docs_holds() {
        // Given 150,000 ETH max refilling 1.5 ETH/s, and a 100 ETH stake at t.
        let t = 1_700_000_000;
        let mut s = active(150_000 * ETH, 3 * ETH / 2, t);
        assert_eq!(s.growth_seconds, 100_000);
        s.consume(s.current(u64::from(t)) - 100 * ETH, t);
        // Then 40 s later the limit has grown by 60 ETH.
        assert_eq!(s.current(u64::from(t) + 40), 149_960 * ETH);
        // And after the full growth time it is capped at the maximum.
        assert_eq!(s.current(u64::from(t) + 1_000_000), 150_000 * ETH);
    }

    #[test]
    fn all_zero_word_is_paused_and_unlimited() {
        let s = StakeLimit::decode(U256::ZERO);
        assert!(s.is_paused());
        assert!(!s.is_limit_set());
        assert_eq!(s.reported(5), U256::ZERO);
    }

    #[test]
    fn reported_limit_is_max_uint_when_unlimited_and_running() {
        let s = StakeLimit { prev_timestamp: 7, ..StakeLimit::default() };
        assert_eq!(s.reported(9), U256::MAX);
    }

    #[test]
    fn set_limit_rejects_what_lido_rejects() {
        let mut s = StakeLimit::default();
        let max96 = U256::from(MAX_STAKE_LIMIT);
        assert_eq!(s.set_limit(U256::ZERO, U256::ZERO, 1), Err(LimitError::ZeroMax));
        assert_eq!(s.set_limit(max96 + U256::from(1), U256::ZERO, 1), Err(LimitError::TooLargeMax));
        assert_eq!(
            s.set_limit(U256::from(10), U256::from(11), 1),
            Err(LimitError::TooLargeIncrease)
        );
        // max / inc = 2^32 does not fit 32 bits; 2^32 - 1 does.
        let max = U256::from(u64::from(u32::MAX) + 1);
        assert_eq!(s.set_limit(max, U256::from(1), 1), Err(LimitError::TooSmallIncrease));
        assert_eq!(s, StakeLimit::default());
        assert_eq!(s.set_limit(max - U256::from(1), U256::from(1), 1), Ok(()));
        assert_eq!(s.growth_seconds, u32::MAX);
        // The bounds themselves are accepted.
        assert_eq!(s.set_limit(max96, max96, 1), Ok(()));
        assert_eq!(s.growth_seconds, 1);
    }

    #[test]
    fn set_limit_keeps_a_lower_prev_limit_and_restarts_the_clock() {
        // Given a running limit of 100 with 30 left at t=10.
        let mut s = active(100, 1, 10);
        s.consume(30, 10);
        // When the max is raised to 200 at t=20.
        s.set_limit(U256::from(200), U256::from(2), 20).unwrap();
        // Then prev stays 30 (not reset), and the clock restarts at 20.
        assert_eq!((s.prev_limit, s.prev_timestamp, s.max_limit), (30, 20, 200));
        // When the max is lowered below prev, prev is reset to the new max.
        s.set_limit(U256::from(20), U256::ZERO, 30).unwrap();
        assert_eq!((s.prev_limit, s.growth_seconds), (20, 0));
    }

    #[test]
    fn set_limit_while_paused_stays_paused_with_a_full_limit() {
        let mut s = StakeLimit::default();
        s.set_limit(U256::from(50), U256::from(5), 99).unwrap();
        assert!(s.is_paused());
        assert_eq!((s.prev_limit, s.max_limit, s.growth_seconds), (50, 50, 10));
    }

    #[test]
    fn pause_and_resume_keep_the_limit_fields() {
        let mut s = active(100, 1, 10);
        s.consume(40, 10);
        s.set_paused(true, 0);
        assert!(s.is_paused());
        s.set_paused(false, 50);
        assert_eq!(
            (s.prev_limit, s.max_limit, s.growth_seconds, s.prev_timestamp),
            (40, 100, 100, 50)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn encode_decode_round_trips(
            ts in any::<u32>(), prev in 0..=MAX_STAKE_LIMIT, growth in any::<u32>(), max in 0..=MAX_STAKE_LIMIT
        ) {
            let s = StakeLimit { prev_timestamp: ts, prev_limit: prev, growth_seconds: growth, max_limit: max };
            prop_assert_eq!(StakeLimit::decode(s.encode()), s);
        }

        #[test]
        fn current_never_exceeds_max_and_refills_linearly(
            max in 1..=MAX_STAKE_LIMIT,
            inc_frac in 1u128..=1_000_000,
            used_frac in 0u128..=1_000_000,
            t0 in 1u32..=u32::MAX / 2,
            dt in 0u64..=10_000_000,
        ) {
            // Given a valid limit (inc between max/2^32 and max) partly used at t0.
            let inc = (max * inc_frac / 1_000_000).max(max / u128::from(u32::MAX) + 1).min(max);
            let mut s = active(max, inc, t0);
            let used = s.current(u64::from(t0)) * used_frac / 1_000_000;
            let left = s.current(u64::from(t0)) - used;
            s.consume(left, t0);
            let now = u64::from(t0) + dt;
            let c = s.current(now);
            // Then it never exceeds the max, never drops below what was left,
            prop_assert!(c <= max);
            prop_assert!(c >= left);
            // and it is exactly left + dt * floor(max / growth), capped at max.
            let per_second = max / u128::from(s.growth_seconds);
            let expected = (left + u128::from(dt) * per_second).min(max);
            prop_assert_eq!(c, expected);
            // It is monotonic in time.
            prop_assert!(s.current(now + 1) >= c);
        }
    }
}
