//! Calls to the other programs and event emission, hand-encoded.
//!
//! Every call this pool makes has static arguments (or, for the beacon
//! deposit, dynamic arguments of fixed lengths), so the calldata is written
//! into a fixed buffer instead of going through the generic `sol_interface!`
//! encoder: that keeps the program several kilobytes smaller. The
//! selectors come from the Solidity signatures (`function_selector!`), and
//! the unit tests call the same functions of the test doubles through their
//! `#[public]` ABI, so a wrong encoding fails the tests.
//!
//! A callee's revert is bubbled up unchanged ([`RevertData`]).

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes, B256, U256};
use staking_common::errors::ExternalCallFailed;
use stylus_sdk::{abi::Bytes, call::RawCall, function_selector, prelude::*};

use crate::{
    deposit_data::{deposit_data_root, DEPOSIT_SIZE_GWEI, PUBKEY_LENGTH, SIGNATURE_LENGTH},
    DepositPool, Error, RevertData,
};

/// `mintShares(address,uint256)` of the rebase token.
pub(crate) const MINT_SHARES: [u8; 4] = function_selector!("mintShares", Address, U256);
/// `unfinalizedStETH()` of the withdrawal queue.
pub(crate) const UNFINALIZED_STETH: [u8; 4] = function_selector!("unfinalizedStETH");
/// `finalize(uint256,uint256)` of the withdrawal queue.
pub(crate) const FINALIZE: [u8; 4] = function_selector!("finalize", U256, U256);
/// `deposit(bytes,bytes,bytes,bytes32)` of the beacon deposit contract.
pub(crate) const DEPOSIT: [u8; 4] =
    function_selector!("deposit", Bytes, Bytes, Bytes, FixedBytes<32>);

/// Length of the beacon deposit calldata: selector, four head words, then
/// the pubkey (length word + 64 padded bytes), the credentials (length word
/// + 32) and the signature (length word + 96).
const DEPOSIT_CALLDATA_LENGTH: usize = 4 + 4 * 32 + 96 + 64 + 128;

/// Emits a log whose data is static words: `topics[0]` is the event's
/// signature hash (`E::SIGNATURE_HASH` of the `sol!` event), then its indexed
/// fields; `data` its other fields in order. One shared function instead of
/// one encoder per event type keeps the program small; the unit tests check
/// every emitted event against its `sol!` type (`assert_emitted`).
pub(crate) fn log(vm: &dyn Host, topics: &[B256], data: &[B256]) {
    let mut bytes = Vec::with_capacity(32 * (topics.len() + data.len()));
    for word in topics.iter().chain(data) {
        bytes.extend_from_slice(word.as_slice());
    }
    vm.emit_log(&bytes, topics.len());
}

/// Emits `SigningKeyAdded`/`SigningKeyRemoved(uint256 indexed
/// nodeOperatorId = 0, bytes pubkey)` (`signature` is the event's topic 0).
pub(crate) fn emit_key_event(vm: &dyn Host, signature: B256, pubkey: &[u8]) {
    // topic 0, topic 1 (operator 0), then abi.encode(bytes): offset, length, 48 bytes + 16 padding.
    let mut log = [0u8; 2 * 32 + 2 * 32 + 64];
    log[..32].copy_from_slice(signature.as_slice());
    log[64 + 31] = 0x20;
    log[96 + 31] = 48;
    log[128..128 + PUBKEY_LENGTH].copy_from_slice(pubkey);
    vm.emit_log(&log, 2);
}

/// The first word of a call's return data as a uint256.
///
/// # Errors
/// `ExternalCallFailed(target)` if it returned fewer than 32 bytes.
fn first_word(out: &[u8], target: Address) -> Result<U256, Error> {
    match out.get(..32) {
        Some(word) => Ok(U256::from_be_slice(word)),
        None => Err(ExternalCallFailed { target }.into()),
    }
}

/// `selector ‖ a ‖ b` with two static 32-byte arguments.
fn two_words(selector: [u8; 4], a: B256, b: B256) -> [u8; 68] {
    let mut data = [0u8; 68];
    data[..4].copy_from_slice(&selector);
    data[4..36].copy_from_slice(a.as_slice());
    data[36..].copy_from_slice(b.as_slice());
    data
}

impl DepositPool {
    /// Calls `to` with `value`, after flushing this program's storage cache
    /// (state first, then calls).
    ///
    /// # Errors
    /// The callee's revert data, unchanged.
    fn call(&mut self, to: Address, value: U256, calldata: &[u8]) -> Result<Vec<u8>, Error> {
        // SAFETY: the cache is flushed first, and this program cannot be
        // re-entered (the SDK's entrypoint rejects re-entry), so no cached
        // storage value can go stale during the call.
        unsafe { RawCall::new_with_value(value).flush_storage_cache().call(to, calldata) }
            .map_err(|data| RevertData(data).into())
    }

    /// `IRebaseToken(token).mintShares(recipient, amount)`; returns the shares.
    ///
    /// # Errors
    /// The token's revert; `ExternalCallFailed(token)` if it returns no word.
    pub(crate) fn mint_shares(
        &mut self,
        token: Address,
        recipient: Address,
        amount: U256,
    ) -> Result<U256, Error> {
        let data = two_words(MINT_SHARES, recipient.into_word(), amount.into());
        let out = self.call(token, U256::ZERO, &data)?;
        first_word(&out, token)
    }

    /// `IWithdrawalQueue(queue).unfinalizedStETH()` (a static call).
    ///
    /// # Errors
    /// The queue's revert; `ExternalCallFailed(queue)` if it returns no word.
    pub(crate) fn unfinalized_steth(&self, queue: Address) -> Result<U256, Error> {
        // SAFETY: a static call changes no state and cannot re-enter.
        let out =
            unsafe { RawCall::new_static().call(queue, &UNFINALIZED_STETH) }.map_err(RevertData)?;
        first_word(&out, queue)
    }

    /// `IWithdrawalQueue(queue).finalize{value}(lastRequestId, maxShareRate)`.
    ///
    /// # Errors
    /// The queue's revert.
    pub(crate) fn finalize(
        &mut self,
        queue: Address,
        value: U256,
        last_request_id: U256,
        max_share_rate: U256,
    ) -> Result<(), Error> {
        let data = two_words(FINALIZE, last_request_id.into(), max_share_rate.into());
        self.call(queue, value, &data)?;
        Ok(())
    }

    /// `IBeaconDeposit(beacon).deposit{value: 32 ETH}(pubkey,
    /// withdrawal_credentials, signature, deposit_data_root)` for `key`
    /// (`pubkey ‖ signature ‖ padding`, as stored).
    ///
    /// # Errors
    /// The deposit contract's revert.
    pub(crate) fn beacon_deposit(
        &mut self,
        beacon: Address,
        key: &[u8; 160],
        withdrawal_credentials: &B256,
    ) -> Result<(), Error> {
        let pubkey = &key[..PUBKEY_LENGTH];
        let signature = &key[PUBKEY_LENGTH..PUBKEY_LENGTH + SIGNATURE_LENGTH];
        let root = deposit_data_root(pubkey, withdrawal_credentials, DEPOSIT_SIZE_GWEI, signature);

        let mut data = [0u8; DEPOSIT_CALLDATA_LENGTH];
        data[..4].copy_from_slice(&DEPOSIT);
        // Head (offsets from the start of the arguments): 0x80, 0xe0, 0x120, root.
        data[4 + 31] = 0x80;
        data[36 + 31] = 0xe0;
        data[68 + 30..68 + 32].copy_from_slice(&[0x01, 0x20]);
        data[100..132].copy_from_slice(root.as_slice());
        // pubkey: length 48, then 48 bytes padded to 64.
        data[132 + 31] = 48;
        data[164..164 + PUBKEY_LENGTH].copy_from_slice(pubkey);
        // withdrawal credentials: length 32, then 32 bytes.
        data[228 + 31] = 32;
        data[260..292].copy_from_slice(withdrawal_credentials.as_slice());
        // signature: length 96, then 96 bytes.
        data[292 + 31] = 96;
        data[324..420].copy_from_slice(signature);

        self.call(beacon, staking_common::DEPOSIT_SIZE, &data)?;
        Ok(())
    }
}
