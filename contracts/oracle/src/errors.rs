//! Every error the oracle reverts with.
//!
//! Names and arguments follow Lido's `HashConsensus`, `BaseOracle`,
//! `AccountingOracle` and `OracleReportSanityChecker` where Lido has the
//! case; errors Lido has no name for are marked *(ours)*. Shared errors
//! (`ZeroAddress`, `AmountTooLarge`, the access-control pair) come from
//! `staking_common::errors`.
//!
//! [`Error`] is the revert data itself, encoded when the error is created
//! (the selector, then one word per argument: `abi.encode` of these
//! all-static errors). Why not an enum with the `SolidityError` derive: its
//! per-error generic encoders cost several kilobytes of WASM, and a
//! 100-byte enum moved through every `Result` costs more. Tests compare
//! errors by value (`assert_eq!(err, NonMember {}.into())`), and a test
//! checks the encoding of every error against alloy's.
#![allow(missing_docs)]

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolError;
use staking_common::errors::{
    AccessControlBadConfirmation, AccessControlUnauthorizedAccount, AmountTooLarge,
    ExternalCallFailed, ZeroAddress,
};

pub use sol::*;

mod sol {
    #![allow(missing_docs)]
    use alloy_sol_types::sol;

    sol! {
        // ---- committee (HashConsensus) ----
        /// The caller is not a committee member.
        #[derive(Debug, PartialEq, Eq)]
        error NonMember();
        /// `addMember` for an address that already is a member.
        #[derive(Debug, PartialEq, Eq)]
        error DuplicateMember();
        /// `addMember(0, …)`.
        #[derive(Debug, PartialEq, Eq)]
        error AddressCannotBeZero();
        /// The quorum must be more than half the members.
        #[derive(Debug, PartialEq, Eq)]
        error QuorumTooSmall(uint256 minQuorum, uint256 receivedQuorum);
        /// *(ours)* The committee already has the maximum number of members.
        #[derive(Debug, PartialEq, Eq)]
        error TooManyMembers(uint256 maxMembers);
        /// A value does not fit its storage field.
        #[derive(Debug, PartialEq, Eq)]
        error NumericOverflow();
        /// `secondsPerSlot == 0`.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidChainConfig();
        /// *(ours; Lido: `EpochsPerFrameCannotBeZero`)* `slotsPerFrame == 0`.
        #[derive(Debug, PartialEq, Eq)]
        error SlotsPerFrameCannotBeZero();
        /// There is no frame with a reference slot yet (before genesis, or
        /// the first frame, whose reference slot would precede slot 1).
        #[derive(Debug, PartialEq, Eq)]
        error InitialEpochIsYetToArrive();
        /// A vote for a slot other than the current frame's reference slot.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidSlot();
        /// A vote after the frame's deadline slot (unreachable while the
        /// deadline is the frame's last slot, as in Lido; kept as a guard).
        #[derive(Debug, PartialEq, Eq)]
        error StaleReport();
        /// A vote for the zero hash.
        #[derive(Debug, PartialEq, Eq)]
        error EmptyReport();
        /// A vote or report data for another consensus version.
        #[derive(Debug, PartialEq, Eq)]
        error UnexpectedConsensusVersion(uint256 expectedVersion, uint256 receivedVersion);
        /// The member already voted for this hash in this frame.
        #[derive(Debug, PartialEq, Eq)]
        error DuplicateReport();
        /// The frame's report is already being (or has been) processed.
        #[derive(Debug, PartialEq, Eq)]
        error ConsensusReportAlreadyProcessing();

        // ---- report processing (BaseOracle / AccountingOracle) ----
        /// `submitReportData` from neither a member nor a `SUBMIT_DATA_ROLE` holder.
        #[derive(Debug, PartialEq, Eq)]
        error SenderNotAllowed();
        /// `submitReportData` for another contract version.
        #[derive(Debug, PartialEq, Eq)]
        error UnexpectedContractVersion(uint256 expectedVersion, uint256 receivedVersion);
        /// No consensus on a report for the current frame.
        #[derive(Debug, PartialEq, Eq)]
        error NoConsensusReportToProcess();
        /// Report data for another reference slot than the agreed one.
        #[derive(Debug, PartialEq, Eq)]
        error UnexpectedRefSlot(uint256 consensusRefSlot, uint256 dataRefSlot);
        /// `keccak256(abi.encode(data))` is not the agreed hash.
        #[derive(Debug, PartialEq, Eq)]
        error UnexpectedDataHash(bytes32 consensusHash, bytes32 receivedHash);
        /// The agreed report's processing deadline has passed.
        #[derive(Debug, PartialEq, Eq)]
        error ProcessingDeadlineMissed(uint256 deadline);
        /// The frame's report was already processed.
        #[derive(Debug, PartialEq, Eq)]
        error RefSlotAlreadyProcessing();
        /// `setConsensusVersion` to the current version.
        #[derive(Debug, PartialEq, Eq)]
        error VersionCannotBeSame();

        // ---- sanity limits (OracleReportSanityChecker, Lido.sol) ----
        /// A limit outside its allowed range.
        #[derive(Debug, PartialEq, Eq)]
        error IncorrectLimitValue(uint256 value, uint256 minAllowedValue, uint256 maxAllowedValue);
        /// The consensus-layer balance grew faster than the annualised limit;
        /// `annualBalanceDiff` is the annualised growth in basis points,
        /// rounded up.
        #[derive(Debug, PartialEq, Eq)]
        error IncorrectCLBalanceIncrease(uint256 annualBalanceDiff);
        /// The consensus-layer balance dropped more than the one-off limit;
        /// the argument is the drop in basis points, rounded up.
        #[derive(Debug, PartialEq, Eq)]
        error IncorrectCLBalanceDecrease(uint256 oneOffCLBalanceDecreaseBP);
        /// Fewer validators than the previous report (Lido: `REPORTED_LESS_VALIDATORS`).
        #[derive(Debug, PartialEq, Eq)]
        error ReportedLessValidators(uint256 reported, uint256 previous);
        /// More validators than were ever deposited (Lido: `REPORTED_MORE_DEPOSITED`).
        #[derive(Debug, PartialEq, Eq)]
        error ReportedMoreDeposited(uint256 reported, uint256 deposited);
        /// A report timestamp in the future (Lido: `INVALID_REPORT_TIMESTAMP`).
        #[derive(Debug, PartialEq, Eq)]
        error InvalidReportTimestamp(uint256 reportTimestamp, uint256 currentTime);
        /// *(ours)* No time elapsed since the last processed report.
        #[derive(Debug, PartialEq, Eq)]
        error IncorrectTimeElapsed(uint256 timeElapsed);
        /// *(ours)* A loss larger than the whole pooled ether (the token and
        /// the deposit pool disagree; never happens while the accounting
        /// invariant holds).
        #[derive(Debug, PartialEq, Eq)]
        error LossExceedsPooledEther(uint256 pooledEther, uint256 loss);
        /// *(ours)* The withdrawal queue asks for more ether than the buffer
        /// plus the collected withdrawals hold.
        #[derive(Debug, PartialEq, Eq)]
        error EtherToLockExceedsAvailable(uint256 etherToLock, uint256 available);

        // ---- fee ----
        /// *(ours)* A fee above 100 % or an operator part above the total.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidFee(uint256 totalBasisPoints, uint256 operatorBasisPoints);
    }
}

/// The revert data of a failed call: a custom error's selector and its
/// ABI-encoded arguments, or another program's revert data unchanged.
#[derive(Debug, PartialEq, Eq, Clone)]
pub struct Error(pub Vec<u8>);

/// For the SDK's ABI export (the constructor returns `Result<(), Error>`):
/// the errors are listed in `abi.sol`, not derived from this type.
#[cfg(feature = "export-abi")]
impl stylus_sdk::abi::export::internal::InnerTypes for Error {}

impl From<Error> for Vec<u8> {
    fn from(err: Error) -> Vec<u8> {
        err.0
    }
}

/// `selector ‖ args` (each argument one big-endian word).
#[inline(never)]
fn revert(selector: [u8; 4], args: &[U256]) -> Error {
    let mut data = Vec::with_capacity(4 + 32 * args.len());
    data.extend_from_slice(&selector);
    for arg in args {
        data.extend_from_slice(&arg.to_be_bytes::<32>());
    }
    Error(data)
}

/// A value as an ABI word.
trait Word {
    /// The value as one ABI word.
    fn word(self) -> U256;
}

impl Word for U256 {
    fn word(self) -> U256 {
        self
    }
}

impl Word for B256 {
    fn word(self) -> U256 {
        U256::from_be_bytes(self.0)
    }
}

impl Word for Address {
    fn word(self) -> U256 {
        U256::from_be_slice(self.as_slice())
    }
}

/// `From<E> for Error` for each `sol!` error type, naming its fields in
/// order.
macro_rules! encode_errors {
    ($($name:ident($($field:ident),*);)*) => {
        $(impl From<$name> for Error {
            #[allow(unused_variables)]
            fn from(err: $name) -> Self {
                revert(<$name as SolError>::SELECTOR, &[$(err.$field.word()),*])
            }
        })*
    };
}

encode_errors! {
    ZeroAddress();
    AmountTooLarge(amount);
    AccessControlUnauthorizedAccount(account, neededRole);
    AccessControlBadConfirmation();
    ExternalCallFailed(target);
    NonMember();
    DuplicateMember();
    AddressCannotBeZero();
    QuorumTooSmall(minQuorum, receivedQuorum);
    TooManyMembers(maxMembers);
    NumericOverflow();
    InvalidChainConfig();
    SlotsPerFrameCannotBeZero();
    InitialEpochIsYetToArrive();
    InvalidSlot();
    StaleReport();
    EmptyReport();
    UnexpectedConsensusVersion(expectedVersion, receivedVersion);
    DuplicateReport();
    ConsensusReportAlreadyProcessing();
    SenderNotAllowed();
    UnexpectedContractVersion(expectedVersion, receivedVersion);
    NoConsensusReportToProcess();
    UnexpectedRefSlot(consensusRefSlot, dataRefSlot);
    UnexpectedDataHash(consensusHash, receivedHash);
    ProcessingDeadlineMissed(deadline);
    RefSlotAlreadyProcessing();
    VersionCannotBeSame();
    IncorrectLimitValue(value, minAllowedValue, maxAllowedValue);
    IncorrectCLBalanceIncrease(annualBalanceDiff);
    IncorrectCLBalanceDecrease(oneOffCLBalanceDecreaseBP);
    ReportedLessValidators(reported, previous);
    ReportedMoreDeposited(reported, deposited);
    InvalidReportTimestamp(reportTimestamp, currentTime);
    IncorrectTimeElapsed(timeElapsed);
    LossExceedsPooledEther(pooledEther, loss);
    EtherToLockExceedsAvailable(etherToLock, available);
    InvalidFee(totalBasisPoints, operatorBasisPoints);
}
