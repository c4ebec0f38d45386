//! [`StorageText`]: a string in storage with Solidity's layout, written once
//! (in a constructor) and read by `name()`/`symbol()`, in far less code than
//! the SDK's `StorageString`.
//!
//! Measured on the share token (wasm32 release, brotli-11): the SDK's
//! `StorageString` costs about 4 KB compressed, because it keeps 256-bit
//! division for its length, UTF-8 re-validation and a general editing API;
//! this type needs none of them.
//!
//! # Layout (Solidity's `string` at slot `p`)
//! - up to 31 bytes: slot `p` holds the bytes left-aligned and `2 * len` in
//!   its lowest byte;
//! - 32 bytes or more: slot `p` holds `2 * len + 1`; the bytes fill the
//!   words at `keccak256(p)`, `keccak256(p) + 1`, … (the last one padded
//!   with zeros).
//!
//! So block explorers and storage readers decode it as a Solidity string.
//!
//! # Invariants
//! The stored bytes are always valid UTF-8: the only writer is
//! [`StorageText::set_str`], which takes a `&str`.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{keccak256, B256, U256};
use stylus_sdk::{
    host::VM,
    prelude::*,
    storage::{StorageB256, StorageGuard, StorageGuardMut},
};

/// A string stored with Solidity's layout; see the module documentation.
pub struct StorageText {
    /// The root slot `p`.
    slot: U256,
    /// The host, for the root and the data words.
    vm: VM,
}

impl StorageType for StorageText {
    type Wraps<'a>
        = StorageGuard<'a, StorageText>
    where
        Self: 'a;
    type WrapsMut<'a>
        = StorageGuardMut<'a, StorageText>
    where
        Self: 'a;

    unsafe fn new(slot: U256, offset: u8, host: VM) -> Self {
        debug_assert!(offset == 0, "a string starts a slot");
        Self { slot, vm: host }
    }

    fn load<'s>(self) -> Self::Wraps<'s> {
        StorageGuard::new(self)
    }

    fn load_mut<'s>(self) -> Self::WrapsMut<'s> {
        StorageGuardMut::new(self)
    }
}

impl StorageText {
    /// The root word.
    fn root(&self) -> StorageB256 {
        // SAFETY: the root slot belongs to this string alone, and no two
        // accessors are alive at once.
        unsafe { StorageB256::new(self.slot, 0, self.vm.clone()) }
    }

    /// The data word `index` of the long form.
    fn word(&self, index: usize) -> StorageB256 {
        let base = U256::from_be_bytes(keccak256(self.slot.to_be_bytes::<32>()).0);
        // Cannot overflow meaningfully: slot arithmetic wraps modulo 2^256, as
        // Solidity's does.
        let slot = base.wrapping_add(U256::from(index));
        // SAFETY: the data words of this string belong to it alone (they sit
        // at a hash of its root slot), and no two accessors are alive at once.
        unsafe { StorageB256::new(slot, 0, self.vm.clone()) }
    }

    /// Stores `text`. Meant to be written once, in a constructor: a longer
    /// previous value's data words beyond the new length are not cleared.
    pub fn set_str(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let len = bytes.len();
        if len < 32 {
            let mut word = [0u8; 32];
            word[..len].copy_from_slice(bytes);
            // Cannot overflow: len < 32, so 2 * len < 64.
            #[allow(clippy::cast_possible_truncation)]
            {
                word[31] = (len * 2) as u8;
            }
            self.root().set(B256::from(word));
            return;
        }
        // Cannot overflow: a string in memory is far below 2^255 bytes.
        self.root().set(B256::from(U256::from(len) * U256::from(2) + U256::from(1)));
        for (index, chunk) in bytes.chunks(32).enumerate() {
            let mut word = [0u8; 32];
            word[..chunk.len()].copy_from_slice(chunk);
            self.word(index).set(B256::from(word));
        }
    }

    /// The stored string (empty if never set).
    ///
    /// # Panics
    /// If the root slot holds a length above `usize::MAX`, which
    /// [`StorageText::set_str`] never writes.
    #[must_use]
    pub fn get_string(&self) -> String {
        let root = self.root().get();
        let bytes = if root[31] & 1 == 0 {
            // Short form: the length is the lowest byte halved.
            root[..usize::from(root[31] / 2)].to_vec()
        } else {
            // Long form: the slot holds 2 * len + 1.
            let limbs = (U256::from_be_bytes(root.0) >> 1usize).into_limbs();
            let len = usize::try_from(limbs[0])
                .ok()
                .filter(|_| limbs[1..].iter().all(|limb| *limb == 0))
                .expect("a stored length should fit in usize");
            let mut bytes = Vec::with_capacity(len + 32);
            // Rounding: up, so the last partial word is read too.
            for index in 0..len.div_ceil(32) {
                bytes.extend_from_slice(self.word(index).get().as_slice());
            }
            bytes.truncate(len);
            bytes
        };
        // SAFETY: the only writer, `set_str`, stores the bytes of a `&str`,
        // so they are valid UTF-8 (see the module invariants).
        unsafe { String::from_utf8_unchecked(bytes) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stylus_sdk::testing::TestVM;

    #[storage]
    struct Holder {
        text: StorageText,
        next: StorageB256,
    }

    fn holder(vm: &TestVM) -> Holder {
        Holder::from(vm)
    }

    #[test]
    fn short_and_long_strings_round_trip() {
        let vm = TestVM::default();
        let mut h = holder(&vm);
        for text in
            ["", "wstETH", "Wrapped liquid staked Ether 2.0", &"x".repeat(32), &"é".repeat(40)]
        {
            h.text.set_str(text);
            assert_eq!(h.text.get_string(), text);
        }
        // The next field is untouched.
        assert_eq!(h.next.get(), B256::ZERO);
    }

    #[test]
    fn layout_is_solidity_layout() {
        let vm = TestVM::default();
        let mut h = holder(&vm);
        h.text.set_str("abc");
        let root = vm.storage_load_bytes32(U256::ZERO);
        assert_eq!(&root[..3], b"abc");
        assert_eq!(root[31], 6);
        let long = "a".repeat(33);
        h.text.set_str(&long);
        let root = vm.storage_load_bytes32(U256::ZERO);
        assert_eq!(U256::from_be_bytes(root.0), U256::from(67));
        let base = U256::from_be_bytes(keccak256(U256::ZERO.to_be_bytes::<32>()).0);
        assert_eq!(vm.storage_load_bytes32(base).0, [b'a'; 32]);
        let mut last = [0u8; 32];
        last[0] = b'a';
        assert_eq!(vm.storage_load_bytes32(base + U256::from(1)).0, last);
    }
}
