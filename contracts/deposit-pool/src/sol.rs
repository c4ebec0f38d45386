//! The deposit pool's own Solidity errors and events (shared ones come from
//! `staking_common::{errors, events}`), and its flat [`Error`] enum.
//!
//! Events keep Lido's signatures (`Unbuffered`, `DepositedValidatorsChanged`,
//! `CLValidatorsUpdated`, `WithdrawalsReceived`, `StakingPaused`, ...). The
//! staking-paused *error* is `StakingIsPaused()` because Solidity does not
//! allow an error and an event of the same name (`StakingPaused`) in one
//! contract.
#![allow(missing_docs)]

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolError};
use staking_common::errors::{
    AccessControlBadConfirmation, AccessControlUnauthorizedAccount, AlreadyInitialized,
    AmountTooLarge, ContractNotStopped, ContractStopped, ExternalCallFailed, NotInitialized,
    TotalOverflow, Unauthorized, ZeroAddress, ZeroAmount,
};

sol! {
    /// Staking is paused (Lido's `STAKING_PAUSED`).
    #[derive(Debug, PartialEq, Eq)]
    error StakingIsPaused();
    /// A stake of `amount` above the current staking limit `limit` (`STAKE_LIMIT`).
    #[derive(Debug, PartialEq, Eq)]
    error StakeLimitExceeded(uint256 limit, uint256 amount);
    /// `setStakingLimit` with a zero maximum (`ZERO_MAX_STAKE_LIMIT`).
    #[derive(Debug, PartialEq, Eq)]
    error ZeroMaxStakeLimit();
    /// `setStakingLimit` with a maximum above `2^96 - 1` (`TOO_LARGE_MAX_STAKE_LIMIT`).
    #[derive(Debug, PartialEq, Eq)]
    error TooLargeMaxStakeLimit();
    /// `setStakingLimit` with an increase per second above the maximum (`TOO_LARGE_LIMIT_INCREASE`).
    #[derive(Debug, PartialEq, Eq)]
    error TooLargeLimitIncrease();
    /// `setStakingLimit` whose refill would take more than `2^32 - 1` seconds (`TOO_SMALL_LIMIT_INCREASE`).
    #[derive(Debug, PartialEq, Eq)]
    error TooSmallLimitIncrease();
    /// `addSigningKeys` with a count of 0 or above `2^32 - 1`.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidSigningKeysCount(uint256 count);
    /// `pubkeys` is not `48 * count` bytes long.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidPubkeysLength(uint256 expected, uint256 actual);
    /// `signatures` is not `96 * count` bytes long.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidSignaturesLength(uint256 expected, uint256 actual);
    /// The key at `index` of the batch is all zero bytes (Lido's `EMPTY_KEY`).
    #[derive(Debug, PartialEq, Eq)]
    error EmptySigningKey(uint256 index);
    /// No signing key at `index` (there are `total`).
    #[derive(Debug, PartialEq, Eq)]
    error SigningKeyIndexOutOfRange(uint256 index, uint256 total);
    /// `removeSigningKeys` range empty, beyond the keys, or touching used keys.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidSigningKeysRange(uint256 fromIndex, uint256 count);
    /// Withdrawal credentials other than `0x01 ‖ 11 zero bytes ‖ this program's address`.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidWithdrawalCredentials(bytes32 withdrawalCredentials);
    /// A deposit before governance set the withdrawal credentials.
    #[derive(Debug, PartialEq, Eq)]
    error WithdrawalCredentialsNotSet();
    /// A deposit before governance set the beacon deposit contract.
    #[derive(Debug, PartialEq, Eq)]
    error BeaconDepositContractNotSet();
    /// A report locking ether for withdrawals before governance set the queue.
    #[derive(Debug, PartialEq, Eq)]
    error WithdrawalQueueNotSet();
    /// A report with fewer beacon validators than the previous report.
    #[derive(Debug, PartialEq, Eq)]
    error BeaconValidatorsDecreased(uint256 previous, uint256 reported);
    /// A report with more beacon validators than were ever deposited.
    #[derive(Debug, PartialEq, Eq)]
    error BeaconValidatorsExceedDeposited(uint256 deposited, uint256 reported);
    /// A report collecting more withdrawals than the ether the program holds
    /// beyond its buffer.
    #[derive(Debug, PartialEq, Eq)]
    error WithdrawalsExceedUnaccountedEther(uint256 unaccounted, uint256 withdrawals);
    /// A report locking more ether for withdrawals than the buffer holds.
    #[derive(Debug, PartialEq, Eq)]
    error EtherToLockExceedsBuffer(uint256 buffered, uint256 ethToLock);
    /// A report locking ether without naming the requests it finalizes.
    #[derive(Debug, PartialEq, Eq)]
    error EtherToLockWithoutRequests(uint256 ethToLock);
}

sol! {
    /// Staking paused (by `pauseStaking` or `stop`).
    #[derive(Debug, PartialEq, Eq)]
    event StakingPaused();
    /// Staking resumed (by `resumeStaking` or `resume`).
    #[derive(Debug, PartialEq, Eq)]
    event StakingResumed();
    /// A staking limit was set (the increase is per second here, per block in Lido).
    #[derive(Debug, PartialEq, Eq)]
    event StakingLimitSet(uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock);
    /// Staking became unlimited.
    #[derive(Debug, PartialEq, Eq)]
    event StakingLimitRemoved();
    /// `amount` left the buffer for validator deposits.
    #[derive(Debug, PartialEq, Eq)]
    event Unbuffered(uint256 amount);
    /// The count of validators ever deposited changed.
    #[derive(Debug, PartialEq, Eq)]
    event DepositedValidatorsChanged(uint256 depositedValidators);
    /// A report saw new validators on the consensus layer.
    #[derive(Debug, PartialEq, Eq)]
    event CLValidatorsUpdated(uint256 indexed reportTimestamp, uint256 preCLValidators, uint256 postCLValidators);
    /// A report collected `amount` of consensus-layer withdrawals into the buffer.
    #[derive(Debug, PartialEq, Eq)]
    event WithdrawalsReceived(uint256 amount);
    /// Governance set the withdrawal credentials (Lido's StakingRouter event).
    #[derive(Debug, PartialEq, Eq)]
    event WithdrawalCredentialsSet(bytes32 withdrawalCredentials, address setBy);
    /// Governance set the beacon deposit contract.
    #[derive(Debug, PartialEq, Eq)]
    event BeaconDepositContractSet(address beaconDepositContract);
    /// Governance set the oracle (the only caller of `handleOracleReport`).
    #[derive(Debug, PartialEq, Eq)]
    event OracleSet(address oracle);
    /// Governance set the withdrawal queue.
    #[derive(Debug, PartialEq, Eq)]
    event WithdrawalQueueSet(address withdrawalQueue);
    /// A signing key was added (Lido's NodeOperatorsRegistry event; this pool
    /// has one operator set, id 0).
    #[derive(Debug, PartialEq, Eq)]
    event SigningKeyAdded(uint256 indexed nodeOperatorId, bytes pubkey);
    /// An unused signing key was removed (operator id 0).
    #[derive(Debug, PartialEq, Eq)]
    event SigningKeyRemoved(uint256 indexed nodeOperatorId, bytes pubkey);
    /// The number of signing keys changed (operator id 0).
    #[derive(Debug, PartialEq, Eq)]
    event TotalSigningKeysCountChanged(uint256 indexed nodeOperatorId, uint256 totalValidatorsCount);
}

/// A value that is one ABI word (the parameters of every error here).
trait Word {
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

/// `selector ‖ words`: the ABI encoding of an error whose parameters are
/// all static words. One shared function instead of one encoder per error
/// type keeps the program small; `tests::errors_encode_as_alloy_does` checks
/// it against `SolError::abi_encode` for every variant.
fn encode_error(selector: [u8; 4], words: &[B256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 32 * words.len());
    out.extend_from_slice(&selector);
    for word in words {
        out.extend_from_slice(word.as_slice());
    }
    out
}

/// Declares [`Error`] with one variant per error type, the `From`
/// conversions, and its ABI encoding (`From<Error> for Vec<u8>`, what the
/// router returns as revert data).
macro_rules! errors {
    ($($name:ident { $($field:ident),* }),* $(,)?) => {
        /// Every way a deposit-pool call can fail.
        #[derive(Debug, PartialEq)]
        pub enum Error {
            $($name($name),)*
            /// A call to another program reverted: its revert data, bubbled up as is.
            Revert(RevertData),
        }

        $(impl From<$name> for Error {
            fn from(e: $name) -> Self {
                Error::$name(e)
            }
        })*

        impl From<RevertData> for Error {
            fn from(e: RevertData) -> Self {
                Error::Revert(e)
            }
        }

        /// The errors listed by `export-abi` (what `#[derive(SolidityError)]` generates).
        #[cfg(feature = "export-abi")]
        impl stylus_sdk::abi::export::internal::InnerTypes for Error {
            fn inner_types() -> Vec<stylus_sdk::abi::export::internal::InnerType> {
                use alloc::format;
                alloc::vec![$(
                    stylus_sdk::abi::export::internal::InnerType {
                        name: format!("error {};", <$name as SolError>::SIGNATURE.replace(',', ", ")),
                        id: core::any::TypeId::of::<$name>(),
                    },
                )*]
            }
        }

        impl From<Error> for Vec<u8> {
            #[allow(unused_variables)]
            fn from(e: Error) -> Vec<u8> {
                match e {
                    $(Error::$name(e) => encode_error(<$name as SolError>::SELECTOR, &[$(e.$field.word()),*]),)*
                    Error::Revert(data) => data.0,
                }
            }
        }
    };
}

errors! {
    ZeroAmount {},
    ZeroAddress {},
    AmountTooLarge { amount },
    TotalOverflow {},
    Unauthorized { caller },
    AccessControlUnauthorizedAccount { account, neededRole },
    AccessControlBadConfirmation {},
    ContractStopped {},
    ContractNotStopped {},
    AlreadyInitialized {},
    NotInitialized {},
    ExternalCallFailed { target },
    StakingIsPaused {},
    StakeLimitExceeded { limit, amount },
    ZeroMaxStakeLimit {},
    TooLargeMaxStakeLimit {},
    TooLargeLimitIncrease {},
    TooSmallLimitIncrease {},
    InvalidSigningKeysCount { count },
    InvalidPubkeysLength { expected, actual },
    InvalidSignaturesLength { expected, actual },
    EmptySigningKey { index },
    SigningKeyIndexOutOfRange { index, total },
    InvalidSigningKeysRange { fromIndex, count },
    InvalidWithdrawalCredentials { withdrawalCredentials },
    WithdrawalCredentialsNotSet {},
    BeaconDepositContractNotSet {},
    WithdrawalQueueNotSet {},
    BeaconValidatorsDecreased { previous, reported },
    BeaconValidatorsExceedDeposited { deposited, reported },
    WithdrawalsExceedUnaccountedEther { unaccounted, withdrawals },
    EtherToLockExceedsBuffer { buffered, ethToLock },
    EtherToLockWithoutRequests { ethToLock },
}

/// The revert data of a failed call to another program; returned unchanged
/// so the caller sees the callee's own error (as Solidity bubbles reverts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevertData(pub Vec<u8>);

impl From<crate::stake_limit::LimitError> for Error {
    fn from(e: crate::stake_limit::LimitError) -> Self {
        use crate::stake_limit::LimitError as L;
        match e {
            L::ZeroMax => ZeroMaxStakeLimit {}.into(),
            L::TooLargeMax => TooLargeMaxStakeLimit {}.into(),
            L::TooLargeIncrease => TooLargeLimitIncrease {}.into(),
            L::TooSmallIncrease => TooSmallLimitIncrease {}.into(),
        }
    }
}
