//! The program's Solidity ABI and a compact codec for it.
//!
//! [`IWithdrawalQueue`], its errors and events are compiled from the
//! checked-in Solidity interface `IWithdrawalQueue.sol` (Lido's
//! `WithdrawalQueueERC721` signatures, `../shared/reference/lido-abi/`, plus
//! `getDepositPool()`). The entry point dispatches on its selectors
//! (`<fn>Call::SELECTOR`, computed at compile time), the unit tests call the
//! program only by encoding these same calls, and `export-abi` prints the
//! file: the ABI is written in one place.
//!
//! Why a hand-written codec: stylus-sdk 0.9's `#[public]` router
//! instantiates alloy's generic decoder and encoder once per function
//! signature; for this program's 51 functions that alone took the program
//! above the 24,576-byte deploy limit. `Args` reads exactly the types the
//! interface uses (`uint256`, `uint8`, `address`, `bool`, `bytes32`,
//! `bytes4`, `uint256[]`, `bytes`) with Solidity's strictness: a word past the
//! end of the calldata, an out-of-range offset or length, an address or
//! `bool`/`uint8`/`bytes4` with dirty bits reverts with empty data, as a
//! Solidity contract does. The writers produce standard ABI encodings.
#![allow(missing_docs, clippy::too_many_arguments)]

use alloc::vec::Vec;
use core::cell::Cell;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::sol;

sol!(
    #[sol(all_derives)]
    "IWithdrawalQueue.sol"
);

sol! {
    /// The functions of other programs the queue calls (for their selectors).
    interface ICallees {
        function transferFromReturningShares(address from, address to, uint256 amount) external returns (uint256);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
        function unwrap(uint256 wstETHAmount) external returns (uint256);
        function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
        function onERC721Received(address operator, address from, uint256 tokenId, bytes data) external returns (bytes4);
    }
}

/// Malformed calldata: revert with empty data, as Solidity's decoder does.
pub(crate) type Malformed = Vec<u8>;

/// The arguments of a call (the calldata after the selector). A read that
/// finds malformed data returns zero and marks the arguments bad; the
/// dispatcher checks [`Args::check`] once per function, before acting.
pub(crate) struct Args<'a> {
    data: &'a [u8],
    bad: Cell<bool>,
}

impl<'a> Args<'a> {
    /// The arguments `data` (the calldata after the selector).
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self { data, bad: Cell::new(false) }
    }

    /// `Ok` unless a read found malformed data.
    pub(crate) fn check(&self) -> Result<(), Malformed> {
        if self.bad.get() {
            Err(Vec::new())
        } else {
            Ok(())
        }
    }

    /// Marks the arguments bad; returns `T`'s zero.
    fn fail<T: Default>(&self) -> T {
        self.bad.set(true);
        T::default()
    }

    /// The 32-byte word at byte `offset` (zero and bad past the end).
    fn word_at(&self, offset: usize) -> [u8; 32] {
        let bytes = offset.checked_add(32).and_then(|end| self.data.get(offset..end));
        let mut word = [0u8; 32];
        match bytes {
            Some(bytes) => word.copy_from_slice(bytes),
            None => self.bad.set(true),
        }
        word
    }

    /// Head word `index` (the `index`-th argument).
    pub(crate) fn word(&self, index: usize) -> [u8; 32] {
        self.word_at(index.saturating_mul(32))
    }

    /// A `uint256` argument.
    pub(crate) fn uint(&self, index: usize) -> U256 {
        U256::from_be_bytes(self.word(index))
    }

    /// A `bytes32` argument.
    pub(crate) fn b256(&self, index: usize) -> B256 {
        B256::new(self.word(index))
    }

    /// An `address` argument (the 12 high bytes must be zero).
    pub(crate) fn address(&self, index: usize) -> Address {
        let word = self.word(index);
        if word[..12].iter().any(|b| *b != 0) {
            return self.fail();
        }
        Address::from_slice(&word[12..])
    }

    /// A `bool` argument (0 or 1).
    pub(crate) fn boolean(&self, index: usize) -> bool {
        let value = self.uint(index);
        if value > U256::from(1) {
            return self.fail();
        }
        value == U256::from(1)
    }

    /// A `uint8` argument.
    pub(crate) fn uint8(&self, index: usize) -> u8 {
        u8::try_from(self.uint(index)).unwrap_or_else(|_| self.fail())
    }

    /// A `bytes4` argument (the 28 low bytes must be zero).
    pub(crate) fn bytes4(&self, index: usize) -> [u8; 4] {
        let word = self.word(index);
        if word[4..].iter().any(|b| *b != 0) {
            return self.fail();
        }
        [word[0], word[1], word[2], word[3]]
    }

    /// The start and length of the dynamic value whose offset is head word
    /// `index`, with `unit` bytes per element, when it lies in the calldata.
    fn tail(&self, index: usize, unit: usize) -> Option<(usize, usize)> {
        let offset = usize::try_from(self.uint(index)).ok()?;
        let length = usize::try_from(U256::from_be_bytes(self.word_at(offset))).ok()?;
        let start = offset.checked_add(32)?;
        let end = start.checked_add(length.checked_mul(unit)?)?;
        (end <= self.data.len()).then_some((start, length))
    }

    /// A `uint256[]` argument.
    pub(crate) fn uint_array(&self, index: usize) -> Vec<U256> {
        let Some((start, length)) = self.tail(index, 32) else {
            return self.fail();
        };
        (0..length).map(|i| U256::from_be_bytes(self.word_at(start + 32 * i))).collect()
    }

    /// A `bytes` argument.
    pub(crate) fn bytes(&self, index: usize) -> Vec<u8> {
        let Some((start, length)) = self.tail(index, 1) else {
            return self.fail();
        };
        self.data.get(start..start + length).map(<[u8]>::to_vec).unwrap_or_default()
    }
}

/// Something that is one ABI word.
pub(crate) trait Word {
    /// The 32-byte encoding.
    fn word(&self) -> B256;
}

impl Word for U256 {
    fn word(&self) -> B256 {
        B256::from(*self)
    }
}

impl Word for Address {
    fn word(&self) -> B256 {
        self.into_word()
    }
}

impl Word for B256 {
    fn word(&self) -> B256 {
        *self
    }
}

impl Word for bool {
    fn word(&self) -> B256 {
        B256::with_last_byte(u8::from(*self))
    }
}

impl Word for u8 {
    fn word(&self) -> B256 {
        B256::with_last_byte(*self)
    }
}

/// `prefix` (a selector, or nothing) followed by the words.
pub(crate) fn encode(prefix: &[u8], words: &[B256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(prefix.len() + 32 * words.len());
    out.extend_from_slice(prefix);
    for word in words {
        out.extend_from_slice(word.as_slice());
    }
    out
}

/// A returned `uint256[]`.
pub(crate) fn ret_uint_array(values: &[U256]) -> Vec<u8> {
    let mut out = encode(&[], &[U256::from(32).word(), U256::from(values.len()).word()]);
    for value in values {
        out.extend_from_slice(value.word().as_slice());
    }
    out
}

/// A returned `string` (or `bytes`).
pub(crate) fn ret_string(value: &str) -> Vec<u8> {
    let mut out = encode(&[], &[U256::from(32).word(), U256::from(value.len()).word()]);
    out.extend_from_slice(value.as_bytes());
    out.resize(out.len().next_multiple_of(32), 0);
    out
}

/// Calldata `selector ‖ words ‖ bytes` for a callee whose last parameter is
/// `bytes` (its offset is the word after `words`).
pub(crate) fn encode_with_bytes(selector: [u8; 4], words: &[B256], data: &[u8]) -> Vec<u8> {
    let offset = U256::from(32 * (words.len() + 1));
    let mut out = encode(&selector, words);
    out.extend_from_slice(offset.word().as_slice());
    out.extend_from_slice(U256::from(data.len()).word().as_slice());
    out.extend_from_slice(data);
    // Pad the payload (not the selector-prefixed buffer) to whole words.
    out.resize(out.len() + data.len().next_multiple_of(32) - data.len(), 0);
    out
}

/// The `uint256` a callee returned (its first word), if it returned one.
pub(crate) fn returned_uint(output: &[u8]) -> Option<U256> {
    output.get(..32).map(|word| U256::from_be_slice(word))
}
