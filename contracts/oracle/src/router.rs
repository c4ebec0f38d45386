//! The oracle's Solidity ABI, decoded and encoded by hand.
//!
//! Why: stylus-sdk 0.9's `#[public]` router instantiates alloy's decoder and
//! encoder for every method signature, about 400 bytes of WASM per method;
//! with ~45 entry points that alone kept the program over the 24,576-byte
//! deploy limit. Every argument of this ABI is a static word (`uint256`,
//! `bytes32`, `address`, a static tuple), and every return value is static
//! words except two pairs of dynamic arrays, so a `match` on the selector
//! with one word reader and one word writer does the same job in a fraction
//! of the code. The SDK still provides the entry point, the re-entrancy
//! guard, the constructor and value rejection (the `#[fallback]` that calls
//! `route` is not payable).
//!
//! Solidity semantics kept: calldata shorter than the arguments, or an
//! `address` argument with non-zero upper bits, reverts with empty data (as
//! Solidity's ABI decoder); extra calldata is ignored; an unknown selector
//! reverts with empty data. The signatures below are Lido's where Lido has
//! the function; a test encodes every call with alloy from a `sol!`
//! interface and decodes every answer, so this table is pinned.
//!
//! | signature | returns |
//! |---|---|
//! | `addMember(address,uint256)`, `removeMember(address,uint256)`, `setQuorum(uint256)` | – |
//! | `getMembers()` | `(address[] addresses, uint256[] lastReportedRefSlots)` |
//! | `getQuorum()` / `getIsMember(address)` | `uint256` / `bool` |
//! | `getChainConfig()` | `(uint256 slotsPerEpoch, uint256 secondsPerSlot, uint256 genesisTime)` |
//! | `getFrameConfig()` | `(uint256 initialEpoch, uint256 epochsPerFrame, uint256 fastLaneLengthSlots)` |
//! | `setFrameConfig(uint256 slotsPerFrame)` | – |
//! | `getCurrentFrame()` | `(uint256 refSlot, uint256 reportProcessingDeadlineSlot)` |
//! | `submitReport(uint256 slot, bytes32 report, uint256 consensusVersion)` | – |
//! | `getConsensusState()` | `(uint256 refSlot, bytes32 consensusReport, bool isReportProcessing)` |
//! | `getReportVariants()` | `(bytes32[] variants, uint256[] support)` |
//! | `getConsensusStateForMember(address)` | `(uint256,bytes32,bool,bool,bool,uint256,bytes32)` (Lido's `MemberConsensusState`) |
//! | `getConsensusVersion()`, `getContractVersion()`, `getLastProcessingRefSlot()` | `uint256` |
//! | `setConsensusVersion(uint256)` | – |
//! | `getConsensusReport()` | `(bytes32 hash, uint256 refSlot, uint256 processingDeadlineTime, bool processingStarted)` |
//! | `submitReportData((uint256,uint256,uint256,uint256,uint256,uint256) data, uint256 contractVersion)` | – |
//! | `getOracleReportLimits()` | `(uint256 annualBalanceIncreaseBPLimit, uint256 oneOffCLBalanceDecreaseBPLimit, uint256 maxPositiveTokenRebase)` |
//! | `setOracleReportLimits(uint256,uint256,uint256)`, `setAnnualBalanceIncreaseBPLimit(uint256)`, `setOneOffCLBalanceDecreaseBPLimit(uint256)`, `setMaxPositiveTokenRebase(uint256)` | – |
//! | `getFee()` / `setFee(uint256 totalBasisPoints, uint256 operatorBasisPoints)` | `(uint256, uint256)` / – |
//! | `getFeeRecipients()` / `setFeeRecipients(address treasury, address operatorRecipient)` | `(address, address)` / – |
//! | `getProtocolContracts()` | `(address rebaseToken, address depositPool, address withdrawalQueue)` |
//! | `hasRole(bytes32,address)` / `getRoleAdmin(bytes32)` | `bool` / `bytes32` |
//! | `grantRole(bytes32,address)`, `revokeRole(bytes32,address)`, `renounceRole(bytes32,address)` | – |
//! | `supportsInterface(bytes4)` | `bool` (ERC-165 and `IAccessControl`) |
//! | `DEFAULT_ADMIN_ROLE()` and each role id getter (`MANAGE_MEMBERS_AND_QUORUM_ROLE()`, …) | `bytes32` |

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes, B256, U256};
use stylus_sdk::{function_selector, ArbResult};

use crate::{roles::*, AccountingOracle, ReportDataTuple};

/// A selector as the `u32` the `match` compares.
macro_rules! selector {
    ($name:literal $(, $ty:ty)*) => {
        u32::from_be_bytes(function_selector!($name $(, $ty)*))
    };
}

/// A tuple of six `uint256`, for `submitReportData`'s selector.
type Six = (U256, U256, U256, U256, U256, U256);

const ADD_MEMBER: u32 = selector!("addMember", Address, U256);
const REMOVE_MEMBER: u32 = selector!("removeMember", Address, U256);
const SET_QUORUM: u32 = selector!("setQuorum", U256);
const GET_MEMBERS: u32 = selector!("getMembers");
const GET_QUORUM: u32 = selector!("getQuorum");
const GET_IS_MEMBER: u32 = selector!("getIsMember", Address);
const GET_CHAIN_CONFIG: u32 = selector!("getChainConfig");
const GET_FRAME_CONFIG: u32 = selector!("getFrameConfig");
const SET_FRAME_CONFIG: u32 = selector!("setFrameConfig", U256);
const GET_CURRENT_FRAME: u32 = selector!("getCurrentFrame");
const SUBMIT_REPORT: u32 = selector!("submitReport", U256, B256, U256);
const GET_CONSENSUS_STATE: u32 = selector!("getConsensusState");
const GET_REPORT_VARIANTS: u32 = selector!("getReportVariants");
const GET_CONSENSUS_STATE_FOR_MEMBER: u32 = selector!("getConsensusStateForMember", Address);
const GET_CONSENSUS_VERSION: u32 = selector!("getConsensusVersion");
const SET_CONSENSUS_VERSION: u32 = selector!("setConsensusVersion", U256);
const GET_CONTRACT_VERSION: u32 = selector!("getContractVersion");
const GET_LAST_PROCESSING_REF_SLOT: u32 = selector!("getLastProcessingRefSlot");
const GET_CONSENSUS_REPORT: u32 = selector!("getConsensusReport");
const SUBMIT_REPORT_DATA: u32 = selector!("submitReportData", Six, U256);
const GET_ORACLE_REPORT_LIMITS: u32 = selector!("getOracleReportLimits");
const SET_ORACLE_REPORT_LIMITS: u32 = selector!("setOracleReportLimits", U256, U256, U256);
const SET_ANNUAL_BALANCE_INCREASE_BP_LIMIT: u32 =
    selector!("setAnnualBalanceIncreaseBPLimit", U256);
const SET_ONE_OFF_CL_BALANCE_DECREASE_BP_LIMIT: u32 =
    selector!("setOneOffCLBalanceDecreaseBPLimit", U256);
const SET_MAX_POSITIVE_TOKEN_REBASE: u32 = selector!("setMaxPositiveTokenRebase", U256);
const GET_FEE: u32 = selector!("getFee");
const SET_FEE: u32 = selector!("setFee", U256, U256);
const GET_FEE_RECIPIENTS: u32 = selector!("getFeeRecipients");
const SET_FEE_RECIPIENTS: u32 = selector!("setFeeRecipients", Address, Address);
const GET_PROTOCOL_CONTRACTS: u32 = selector!("getProtocolContracts");
const HAS_ROLE: u32 = selector!("hasRole", B256, Address);
const GET_ROLE_ADMIN: u32 = selector!("getRoleAdmin", B256);
const GRANT_ROLE: u32 = selector!("grantRole", B256, Address);
const REVOKE_ROLE: u32 = selector!("revokeRole", B256, Address);
const RENOUNCE_ROLE: u32 = selector!("renounceRole", B256, Address);
const SUPPORTS_INTERFACE: u32 = selector!("supportsInterface", FixedBytes<4>);

/// Every selector the `match` in [`route`] serves (the role id getters are
/// in [`ROLE_GETTERS`]), for the test that pins them against `abi.sol`.
#[cfg(test)]
pub(crate) const SELECTORS: [u32; 36] = [
    ADD_MEMBER,
    REMOVE_MEMBER,
    SET_QUORUM,
    GET_MEMBERS,
    GET_QUORUM,
    GET_IS_MEMBER,
    GET_CHAIN_CONFIG,
    GET_FRAME_CONFIG,
    SET_FRAME_CONFIG,
    GET_CURRENT_FRAME,
    SUBMIT_REPORT,
    GET_CONSENSUS_STATE,
    GET_REPORT_VARIANTS,
    GET_CONSENSUS_STATE_FOR_MEMBER,
    GET_CONSENSUS_VERSION,
    SET_CONSENSUS_VERSION,
    GET_CONTRACT_VERSION,
    GET_LAST_PROCESSING_REF_SLOT,
    GET_CONSENSUS_REPORT,
    SUBMIT_REPORT_DATA,
    GET_ORACLE_REPORT_LIMITS,
    SET_ORACLE_REPORT_LIMITS,
    SET_ANNUAL_BALANCE_INCREASE_BP_LIMIT,
    SET_ONE_OFF_CL_BALANCE_DECREASE_BP_LIMIT,
    SET_MAX_POSITIVE_TOKEN_REBASE,
    GET_FEE,
    SET_FEE,
    GET_FEE_RECIPIENTS,
    SET_FEE_RECIPIENTS,
    GET_PROTOCOL_CONTRACTS,
    HAS_ROLE,
    GET_ROLE_ADMIN,
    GRANT_ROLE,
    REVOKE_ROLE,
    RENOUNCE_ROLE,
    SUPPORTS_INTERFACE,
];

/// `(selector of the getter, role id)` for each role id getter.
pub(crate) const ROLE_GETTERS: [(u32, B256); 10] = [
    (selector!("DEFAULT_ADMIN_ROLE"), DEFAULT_ADMIN_ROLE),
    (selector!("MANAGE_MEMBERS_AND_QUORUM_ROLE"), MANAGE_MEMBERS_AND_QUORUM_ROLE),
    (selector!("MANAGE_FRAME_CONFIG_ROLE"), MANAGE_FRAME_CONFIG_ROLE),
    (selector!("MANAGE_CONSENSUS_VERSION_ROLE"), MANAGE_CONSENSUS_VERSION_ROLE),
    (selector!("SUBMIT_DATA_ROLE"), SUBMIT_DATA_ROLE),
    (selector!("ALL_LIMITS_MANAGER_ROLE"), ALL_LIMITS_MANAGER_ROLE),
    (
        selector!("ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE"),
        ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE,
    ),
    (
        selector!("ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE"),
        ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE,
    ),
    (selector!("MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE"), MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE),
    (selector!("MANAGE_FEE_ROLE"), MANAGE_FEE_ROLE),
];

/// ERC-165's own interface id.
const IERC165_ID: u32 = 0x01ff_c9a7;
/// OpenZeppelin `IAccessControl`'s interface id.
const IACCESS_CONTROL_ID: u32 = 0x7965_db0b;

/// The argument words after the selector.
struct Args<'a>(&'a [u8]);

impl Args<'_> {
    /// Argument word `i`; empty revert data when the calldata is too short.
    fn word(&self, i: usize) -> Result<U256, Vec<u8>> {
        self.0.get(32 * i..32 * i + 32).map(U256::from_be_slice).ok_or_else(Vec::new)
    }

    /// Argument `i` as an `address`; empty revert data when its upper 96
    /// bits are not zero (Solidity's decoder rejects such calldata).
    fn address(&self, i: usize) -> Result<Address, Vec<u8>> {
        let w = self.word(i)?;
        if w.bit_len() > 160 {
            return Err(Vec::new());
        }
        Ok(Address::from_word(B256::from(w)))
    }

    /// Argument `i` as a `bytes32`.
    fn bytes32(&self, i: usize) -> Result<B256, Vec<u8>> {
        self.word(i).map(B256::from)
    }
}

/// An address as a word.
fn a(x: Address) -> U256 {
    crate::host::word(x)
}

/// A hash as a word.
fn h(x: B256) -> U256 {
    U256::from_be_bytes(x.0)
}

/// A bool as a word.
fn b(x: bool) -> U256 {
    U256::from(u8::from(x))
}

/// `abi.encode` of two dynamic arrays of words: two offsets, then each
/// array as its length and its words.
fn two_arrays(first: &[U256], second: &[U256]) -> Vec<U256> {
    let mut out = Vec::with_capacity(4 + first.len() + second.len());
    out.push(U256::from(64));
    out.push(U256::from(96 + 32 * first.len()));
    for array in [first, second] {
        out.push(U256::from(array.len()));
        out.extend_from_slice(array);
    }
    out
}

/// Decodes `calldata`, calls the typed method and encodes its answer.
///
/// # Errors
/// Empty revert data for calldata shorter than a selector or than the
/// arguments, an unknown selector or a dirty `address`; otherwise the
/// method's error, encoded.
pub(crate) fn route(oracle: &mut AccountingOracle, calldata: &[u8]) -> ArbResult {
    let Some((selector, rest)) = calldata.split_first_chunk::<4>() else {
        return Err(Vec::new());
    };
    let selector = u32::from_be_bytes(*selector);
    let x = Args(rest);
    let mut out = [U256::ZERO; 7];
    let n = match selector {
        ADD_MEMBER => {
            oracle.add_member(x.address(0)?, x.word(1)?)?;
            0
        }
        REMOVE_MEMBER => {
            oracle.remove_member(x.address(0)?, x.word(1)?)?;
            0
        }
        SET_QUORUM => {
            oracle.set_quorum(x.word(0)?)?;
            0
        }
        GET_MEMBERS => {
            let (members, slots) = oracle.get_members();
            let members: Vec<U256> = members.into_iter().map(a).collect();
            return Ok(encode(&two_arrays(&members, &slots)));
        }
        GET_QUORUM => ret(&mut out, &[oracle.get_quorum()]),
        GET_IS_MEMBER => ret(&mut out, &[b(oracle.get_is_member(x.address(0)?))]),
        GET_CHAIN_CONFIG => {
            let (s, t, g) = oracle.get_chain_config();
            ret(&mut out, &[s, t, g])
        }
        GET_FRAME_CONFIG => {
            let (i, e, f) = oracle.get_frame_config();
            ret(&mut out, &[i, e, f])
        }
        SET_FRAME_CONFIG => {
            oracle.set_frame_config(x.word(0)?)?;
            0
        }
        GET_CURRENT_FRAME => {
            let (r, d) = oracle.get_current_frame()?;
            ret(&mut out, &[r, d])
        }
        SUBMIT_REPORT => {
            oracle.submit_report(x.word(0)?, x.bytes32(1)?, x.word(2)?)?;
            0
        }
        GET_CONSENSUS_STATE => {
            let (r, c, p) = oracle.get_consensus_state()?;
            ret(&mut out, &[r, h(c), b(p)])
        }
        GET_REPORT_VARIANTS => {
            let (variants, support) = oracle.get_report_variants()?;
            let variants: Vec<U256> = variants.into_iter().map(h).collect();
            return Ok(encode(&two_arrays(&variants, &support)));
        }
        GET_CONSENSUS_STATE_FOR_MEMBER => {
            let (r, c, m, f, can, last, own) =
                oracle.get_consensus_state_for_member(x.address(0)?)?;
            ret(&mut out, &[r, h(c), b(m), b(f), b(can), last, h(own)])
        }
        GET_CONSENSUS_VERSION => ret(&mut out, &[oracle.get_consensus_version()]),
        SET_CONSENSUS_VERSION => {
            oracle.set_consensus_version(x.word(0)?)?;
            0
        }
        GET_CONTRACT_VERSION => ret(&mut out, &[oracle.get_contract_version()]),
        GET_LAST_PROCESSING_REF_SLOT => ret(&mut out, &[oracle.get_last_processing_ref_slot()]),
        GET_CONSENSUS_REPORT => {
            let (hash, r, d, started) = oracle.get_consensus_report();
            ret(&mut out, &[h(hash), r, d, b(started)])
        }
        SUBMIT_REPORT_DATA => {
            let data: ReportDataTuple =
                (x.word(0)?, x.word(1)?, x.word(2)?, x.word(3)?, x.word(4)?, x.word(5)?);
            oracle.submit_report_data(data, x.word(6)?)?;
            0
        }
        GET_ORACLE_REPORT_LIMITS => {
            let (annual, one_off, rebase) = oracle.get_oracle_report_limits();
            ret(&mut out, &[annual, one_off, rebase])
        }
        SET_ORACLE_REPORT_LIMITS => {
            oracle.set_oracle_report_limits(x.word(0)?, x.word(1)?, x.word(2)?)?;
            0
        }
        SET_ANNUAL_BALANCE_INCREASE_BP_LIMIT => {
            oracle.set_annual_balance_increase_bp_limit(x.word(0)?)?;
            0
        }
        SET_ONE_OFF_CL_BALANCE_DECREASE_BP_LIMIT => {
            oracle.set_one_off_cl_balance_decrease_bp_limit(x.word(0)?)?;
            0
        }
        SET_MAX_POSITIVE_TOKEN_REBASE => {
            oracle.set_max_positive_token_rebase(x.word(0)?)?;
            0
        }
        GET_FEE => {
            let (total, operator) = oracle.get_fee();
            ret(&mut out, &[total, operator])
        }
        SET_FEE => {
            oracle.set_fee(x.word(0)?, x.word(1)?)?;
            0
        }
        GET_FEE_RECIPIENTS => {
            let (treasury, operator) = oracle.get_fee_recipients();
            ret(&mut out, &[a(treasury), a(operator)])
        }
        SET_FEE_RECIPIENTS => {
            oracle.set_fee_recipients(x.address(0)?, x.address(1)?)?;
            0
        }
        GET_PROTOCOL_CONTRACTS => {
            let (token, pool, queue) = oracle.get_protocol_contracts();
            ret(&mut out, &[a(token), a(pool), a(queue)])
        }
        HAS_ROLE => ret(&mut out, &[b(oracle.has_role(x.bytes32(0)?, x.address(1)?))]),
        GET_ROLE_ADMIN => ret(&mut out, &[h(oracle.get_role_admin(x.bytes32(0)?))]),
        GRANT_ROLE => {
            oracle.grant_role(x.bytes32(0)?, x.address(1)?)?;
            0
        }
        REVOKE_ROLE => {
            oracle.revoke_role(x.bytes32(0)?, x.address(1)?)?;
            0
        }
        RENOUNCE_ROLE => {
            oracle.renounce_role(x.bytes32(0)?, x.address(1)?)?;
            0
        }
        SUPPORTS_INTERFACE => {
            // `bytes4` is left-aligned in its word; the rest must be zero.
            let w = x.bytes32(0)?;
            if w[4..] != [0u8; 28] {
                return Err(Vec::new());
            }
            let id = u32::from_be_bytes([w[0], w[1], w[2], w[3]]);
            ret(&mut out, &[b(id == IERC165_ID || id == IACCESS_CONTROL_ID)])
        }
        other => match ROLE_GETTERS.iter().find(|(s, _)| *s == other) {
            Some((_, role)) => ret(&mut out, &[h(*role)]),
            None => return Err(Vec::new()),
        },
    };
    Ok(encode(&out[..n]))
}

/// The words as return data.
fn encode(words: &[U256]) -> Vec<u8> {
    let mut encoded = Vec::with_capacity(32 * words.len());
    for w in words {
        encoded.extend_from_slice(&w.to_be_bytes::<32>());
    }
    encoded
}

/// Copies `words` into the start of `out`; returns how many.
fn ret(out: &mut [U256; 7], words: &[U256]) -> usize {
    out[..words.len()].copy_from_slice(words);
    words.len()
}
