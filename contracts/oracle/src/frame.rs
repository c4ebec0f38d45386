//! Frames: how wall-clock time maps to consensus-layer slots and report
//! frames (pure arithmetic, no storage).
//!
//! Slot `n` starts at `genesis_time + n * seconds_per_slot`. Frames are runs
//! of `slots_per_frame` slots starting at `initial_slot` (slot 0 at
//! deployment; when the frame length changes, the current frame's first
//! slot, as Lido's `setFrameConfig` moves `initialEpoch`). The report of a
//! frame describes the chain at its **reference slot**, the slot right before
//! the frame starts, and must be agreed and processed by the frame's
//! **deadline slot**, its last slot (Lido's `DEADLINE_SLOT_OFFSET = 0`).
//!
//! Worked example (defaults: 12 s slots, 225 × 32 = 7,200 slots = 24 h):
//! at `t = genesis + 100_000` the slot is `floor(100_000 / 12) = 8_333`, the
//! frame is `floor(8_333 / 7_200) = 1` (slots 7,200..=14,399), its
//! reference slot 7,199 and its deadline slot 14,399, which starts at
//! `genesis + 172_788`.
//!
//! # Invariants
//! - `ref_slot < slot_at(now) <= deadline_slot` for the frame at `now`, and
//!   `slot_time(ref_slot) < now`: a reference slot is always in the past.
//! - A frame whose reference slot would be slot 0 or earlier has no report
//!   (`frame_at` is `None`), so 0 is free to mean "none" in storage.

use alloy_primitives::U256;

/// The chain and frame parameters (all in slots and seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameConfig {
    /// Unix time at which slot 0 starts.
    pub genesis_time: u64,
    /// Length of a slot, seconds (non-zero).
    pub seconds_per_slot: u64,
    /// Length of a frame, slots (non-zero).
    pub slots_per_frame: u64,
    /// First slot of frame 0.
    pub initial_slot: u64,
}

/// A report frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The slot the frame's report describes: the one before the frame.
    pub ref_slot: u64,
    /// The frame's last slot: votes and data are accepted until it ends.
    pub deadline_slot: u64,
}

impl FrameConfig {
    /// The slot at `timestamp` (rounded down: the slot that contains it);
    /// `None` before genesis or with a zero slot length.
    #[must_use]
    pub fn slot_at(&self, timestamp: u64) -> Option<u64> {
        timestamp.checked_sub(self.genesis_time)?.checked_div(self.seconds_per_slot)
    }

    /// The first slot of the frame that contains `slot`; `None` before the
    /// initial slot or with a zero frame length.
    #[must_use]
    pub fn frame_start(&self, slot: u64) -> Option<u64> {
        let since = slot.checked_sub(self.initial_slot)?;
        // Rounds down: the index of the frame that contains `slot`.
        let index = since.checked_div(self.slots_per_frame)?;
        // Cannot overflow: index * slots_per_frame <= since and
        // initial_slot + since == slot.
        Some(self.initial_slot + index * self.slots_per_frame)
    }

    /// The frame at `timestamp`, or `None` when there is none yet (see the
    /// module invariants).
    #[must_use]
    pub fn frame_at(&self, timestamp: u64) -> Option<Frame> {
        let start = self.frame_start(self.slot_at(timestamp)?)?;
        let ref_slot = start.checked_sub(1).filter(|r| *r > 0)?;
        // `frame_start` returned, so slots_per_frame >= 1.
        let deadline_slot = start.checked_add(self.slots_per_frame - 1)?;
        Some(Frame { ref_slot, deadline_slot })
    }

    /// The time at which `slot` starts. Cannot overflow: `u64 + u64 * u64 <
    /// 2^129`, computed in 128 bits with saturation (never reached for
    /// seconds per slot below 2^63).
    #[must_use]
    pub fn slot_time(&self, slot: u64) -> U256 {
        let offset = u128::from(slot).saturating_mul(u128::from(self.seconds_per_slot));
        U256::from(offset.saturating_add(u128::from(self.genesis_time)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MAINNET_GENESIS: u64 = 1_606_824_023;

    fn mainnet() -> FrameConfig {
        FrameConfig {
            genesis_time: MAINNET_GENESIS,
            seconds_per_slot: 12,
            slots_per_frame: 7_200,
            initial_slot: 0,
        }
    }

    #[test]
    fn frame_at_matches_the_worked_example() {
        // Given the default config, when asked at genesis + 100_000 s.
        let frame = mainnet().frame_at(MAINNET_GENESIS + 100_000).unwrap();
        // Then the frame is slots 7_200..=14_399.
        assert_eq!(frame, Frame { ref_slot: 7_199, deadline_slot: 14_399 });
        assert_eq!(mainnet().slot_time(14_399), U256::from(MAINNET_GENESIS + 172_788));
    }

    #[test]
    fn frame_at_is_none_before_genesis_and_in_the_first_frame() {
        // Given the default config.
        let cfg = mainnet();
        // Then before genesis and throughout frame 0 there is no reference slot.
        assert_eq!(cfg.frame_at(MAINNET_GENESIS - 1), None);
        assert_eq!(cfg.frame_at(MAINNET_GENESIS), None);
        assert_eq!(cfg.frame_at(MAINNET_GENESIS + 7_200 * 12 - 1), None);
        // And the first second of frame 1 has one.
        assert_eq!(
            cfg.frame_at(MAINNET_GENESIS + 7_200 * 12),
            Some(Frame { ref_slot: 7_199, deadline_slot: 14_399 })
        );
    }

    #[test]
    fn frame_at_is_none_when_the_reference_slot_would_be_slot_zero() {
        // Given one-slot frames, frame 1 starts at slot 1 and would refer to slot 0.
        let cfg = FrameConfig { slots_per_frame: 1, ..mainnet() };
        assert_eq!(cfg.frame_at(MAINNET_GENESIS + 12), None);
        // Then frame 2 refers to slot 1.
        assert_eq!(
            cfg.frame_at(MAINNET_GENESIS + 24),
            Some(Frame { ref_slot: 1, deadline_slot: 2 })
        );
    }

    #[test]
    fn frame_at_counts_from_the_initial_slot() {
        // Given frames re-anchored at slot 10_000 with 100 slots each.
        let cfg = FrameConfig { slots_per_frame: 100, initial_slot: 10_000, ..mainnet() };
        // Then slot 10_250 is in the frame starting at 10_200.
        let frame = cfg.frame_at(MAINNET_GENESIS + 10_250 * 12).unwrap();
        assert_eq!(frame, Frame { ref_slot: 10_199, deadline_slot: 10_299 });
        // And before the initial slot there is no frame.
        assert_eq!(cfg.frame_at(MAINNET_GENESIS + 9_999 * 12), None);
    }

    #[test]
    fn zero_lengths_give_no_frame_instead_of_panicking() {
        assert_eq!(FrameConfig { seconds_per_slot: 0, ..mainnet() }.slot_at(MAINNET_GENESIS), None);
        assert_eq!(FrameConfig { slots_per_frame: 0, ..mainnet() }.frame_start(5), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// The reference slot is before now and now is within the frame.
        #[test]
        fn reference_slot_is_in_the_past_and_now_within_the_frame(
            genesis in 0u64..2_000_000_000, sps in 1u64..100, spf in 1u64..20_000,
            initial in 0u64..1_000, dt in 0u64..1_000_000_000
        ) {
            let cfg = FrameConfig { genesis_time: genesis, seconds_per_slot: sps,
                slots_per_frame: spf, initial_slot: initial };
            let now = genesis + dt;
            if let Some(frame) = cfg.frame_at(now) {
                let slot = cfg.slot_at(now).unwrap();
                prop_assert!(frame.ref_slot < slot);
                prop_assert!(slot <= frame.deadline_slot);
                prop_assert_eq!(frame.deadline_slot - frame.ref_slot, spf);
                prop_assert!(cfg.slot_time(frame.ref_slot) < U256::from(now));
                prop_assert!(frame.ref_slot > 0);
                prop_assert_eq!((frame.ref_slot + 1 - initial) % spf, 0);
            }
        }

        /// The frame changes exactly when a deadline slot ends, and the next
        /// frame's reference slot is the previous deadline slot.
        #[test]
        fn consecutive_frames_are_contiguous(
            sps in 1u64..30, spf in 2u64..5_000, dt in 0u64..100_000_000
        ) {
            let cfg = FrameConfig { genesis_time: 0, seconds_per_slot: sps,
                slots_per_frame: spf, initial_slot: 0 };
            if let Some(frame) = cfg.frame_at(dt) {
                let end = (frame.deadline_slot + 1) * sps; // first second of the next frame
                prop_assert_eq!(cfg.frame_at(end - 1), Some(frame));
                let next = cfg.frame_at(end).unwrap();
                prop_assert_eq!(next.ref_slot, frame.deadline_slot);
            }
        }
    }
}
