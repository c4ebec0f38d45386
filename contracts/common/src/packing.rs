//! Bit packing of several values into one storage slot, so values read
//! together cost one slot access (a cold read is 2,100 gas, a write
//! 2,900–20,000).
//!
//! A packed word stores fields at fixed bit offsets; each helper takes the
//! offset and width. Writers must check the value fits its width first
//! ([`fits`]) and revert with a named error otherwise.

use alloy_primitives::U256;

/// A mask of `bits` ones.
#[must_use]
pub fn mask(bits: usize) -> U256 {
    if bits >= 256 {
        U256::MAX
    } else {
        (U256::from(1) << bits) - U256::from(1)
    }
}

/// Whether `value` fits in `bits` bits.
#[must_use]
pub fn fits(value: U256, bits: usize) -> bool {
    value <= mask(bits)
}

/// The field of `bits` bits at `offset` in `word`.
#[must_use]
pub fn get(word: U256, offset: usize, bits: usize) -> U256 {
    (word >> offset) & mask(bits)
}

/// `word` with the field of `bits` bits at `offset` replaced by `value`
/// (which must fit: its higher bits are dropped).
#[must_use]
pub fn set(word: U256, offset: usize, bits: usize, value: U256) -> U256 {
    let m = mask(bits) << offset;
    (word & !m) | ((value & mask(bits)) << offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn set_then_get_round_trips_and_keeps_other_fields(
            a in any::<u128>(), b in any::<u64>(), c in any::<u64>()
        ) {
            let w = set(set(U256::ZERO, 0, 128, U256::from(a)), 128, 64, U256::from(b));
            let w = set(w, 192, 64, U256::from(c));
            prop_assert_eq!(get(w, 0, 128), U256::from(a));
            prop_assert_eq!(get(w, 128, 64), U256::from(b));
            prop_assert_eq!(get(w, 192, 64), U256::from(c));
            prop_assert!(fits(U256::from(a), 128));
            prop_assert!(!fits(U256::from(a) + (U256::from(1) << 128), 128));
        }
    }
}
