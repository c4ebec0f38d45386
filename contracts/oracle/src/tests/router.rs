//! The hand-written ABI router, pinned against the checked-in Solidity
//! interface `abi.sol` (Lido's signatures): every call is encoded with alloy
//! from it, routed through the `#[fallback]`, and its answer decoded with
//! alloy; every event and error in it is the program's. Also
//! the SDK's routing into the fallback (through a cross-program call), the
//! Solidity decoder's rejections, and the encoding of every custom error.

use alloc::vec::Vec;

use alloy_primitives::{Address, FixedBytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use motsu::prelude::*;
use stylus_sdk::{abi::Bytes, call::RawCall, prelude::*, ArbResult};

use super::*;
use crate::{errors::*, roles::*};

sol!(
    #[sol(all_derives)]
    "abi.sol"
);

use IAccountingOracle as I;

/// Calls the oracle's fallback with `call`'s calldata as `sender`.
fn raw<C: SolCall>(oracle: &Contract<AccountingOracle>, sender: Address, call: &C) -> ArbResult {
    oracle.sender(sender).fallback(&call.abi_encode())
}

/// Calls through the router and decodes the answer.
fn call<C: SolCall>(oracle: &Contract<AccountingOracle>, sender: Address, call: &C) -> C::Return {
    let out = raw(oracle, sender, call).expect("the call should succeed");
    C::abi_decode_returns(&out, true).expect("the answer should decode")
}

/// A program that forwards calldata to another (the SDK's router path).
#[storage]
pub(crate) struct Forwarder {}

unsafe impl TopLevelStorage for Forwarder {}

#[public]
impl Forwarder {
    pub(crate) fn forward(&mut self, target: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
        // SAFETY: a test double; the oracle does not call back.
        #[allow(deprecated)]
        unsafe { RawCall::new().call(target, &data) }.map(Bytes::from)
    }
}

#[motsu::test]
fn every_view_answers_through_the_abi_as_the_typed_method(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    // Given members a, b, c with a vote and a consensus in frame 2.
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    let m = [1, 2, 3].map(Address::repeat_byte);
    w.members(&m, 2);
    at(2, 1);
    w.vote(2, &m[..2], hash(4));
    w.vote(2, &m[2..], hash(5));
    let t = || oracle.sender(admin);
    // Then each answer decodes to the typed method's values.
    let members = call(&oracle, admin, &I::getMembersCall {});
    assert_eq!((members.addresses, members.lastReportedRefSlots), t().get_members());
    assert_eq!(call(&oracle, admin, &I::getQuorumCall {})._0, u(2));
    assert!(call(&oracle, admin, &I::getIsMemberCall { addr: m[0] })._0);
    assert!(!call(&oracle, admin, &I::getIsMemberCall { addr: admin })._0);
    let c = call(&oracle, admin, &I::getChainConfigCall {});
    assert_eq!((c.slotsPerEpoch, c.secondsPerSlot, c.genesisTime), t().get_chain_config());
    let f = call(&oracle, admin, &I::getFrameConfigCall {});
    assert_eq!((f.initialEpoch, f.epochsPerFrame, f.fastLaneLengthSlots), t().get_frame_config());
    let f = call(&oracle, admin, &I::getCurrentFrameCall {});
    assert_eq!(Ok((f.refSlot, f.reportProcessingDeadlineSlot)), t().get_current_frame());
    let s = call(&oracle, admin, &I::getConsensusStateCall {});
    assert_eq!(Ok((s.refSlot, s.consensusReport, s.isReportProcessing)), t().get_consensus_state());
    assert_eq!(s.consensusReport, hash(4));
    let v = call(&oracle, admin, &I::getReportVariantsCall {});
    assert_eq!(Ok((v.variants.clone(), v.support.clone())), t().get_report_variants());
    assert_eq!(v.variants, vec![hash(4), hash(5)]);
    let r = call(&oracle, admin, &I::getConsensusStateForMemberCall { addr: m[2] }).result;
    assert_eq!(
        Ok((
            r.currentFrameRefSlot,
            r.currentFrameConsensusReport,
            r.isMember,
            r.isFastLane,
            r.canReport,
            r.lastMemberReportRefSlot,
            r.currentFrameMemberReport
        )),
        t().get_consensus_state_for_member(m[2])
    );
    assert_eq!(call(&oracle, admin, &I::getConsensusVersionCall {})._0, u(1));
    assert_eq!(call(&oracle, admin, &I::getContractVersionCall {})._0, u(1));
    assert_eq!(call(&oracle, admin, &I::getLastProcessingRefSlotCall {})._0, ref_slot(1));
    let r = call(&oracle, admin, &I::getConsensusReportCall {});
    assert_eq!(
        (r.hash, r.refSlot, r.processingDeadlineTime, r.processingStarted),
        t().get_consensus_report()
    );
    assert_eq!(r.hash, hash(4));
    // Lido's deadline time: the start of the frame's last slot (29).
    assert_eq!(
        (r.refSlot, r.processingDeadlineTime),
        (ref_slot(2), U256::from(GENESIS + 29 * SPS))
    );
    assert!(!r.processingStarted);
    let l = call(&oracle, admin, &I::getOracleReportLimitsCall {});
    assert_eq!(
        (
            l.annualBalanceIncreaseBPLimit,
            l.oneOffCLBalanceDecreaseBPLimit,
            l.maxPositiveTokenRebase
        ),
        t().get_oracle_report_limits()
    );
    let f = call(&oracle, admin, &I::getFeeCall {});
    assert_eq!((f.totalBasisPoints, f.operatorBasisPoints), t().get_fee());
    let f = call(&oracle, admin, &I::getFeeRecipientsCall {});
    assert_eq!((f.treasury, f.operatorRecipient), (treasury(), operator()));
    let p = call(&oracle, admin, &I::getProtocolContractsCall {});
    assert_eq!((p.rebaseToken, p.depositPool, p.withdrawalQueue), t().get_protocol_contracts());
    assert!(call(&oracle, admin, &I::hasRoleCall { role: MANAGE_FEE_ROLE, account: admin })._0);
    assert_eq!(call(&oracle, admin, &I::getRoleAdminCall { role: MANAGE_FEE_ROLE })._0, B256::ZERO);
}

#[motsu::test]
fn role_id_getters_and_supports_interface_answer(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    let o = &oracle;
    assert_eq!(call(o, admin, &I::DEFAULT_ADMIN_ROLECall {})._0, DEFAULT_ADMIN_ROLE);
    assert_eq!(
        call(o, admin, &I::MANAGE_MEMBERS_AND_QUORUM_ROLECall {})._0,
        MANAGE_MEMBERS_AND_QUORUM_ROLE
    );
    assert_eq!(call(o, admin, &I::MANAGE_FRAME_CONFIG_ROLECall {})._0, MANAGE_FRAME_CONFIG_ROLE);
    assert_eq!(
        call(o, admin, &I::MANAGE_CONSENSUS_VERSION_ROLECall {})._0,
        MANAGE_CONSENSUS_VERSION_ROLE
    );
    assert_eq!(call(o, admin, &I::SUBMIT_DATA_ROLECall {})._0, SUBMIT_DATA_ROLE);
    assert_eq!(call(o, admin, &I::ALL_LIMITS_MANAGER_ROLECall {})._0, ALL_LIMITS_MANAGER_ROLE);
    assert_eq!(
        call(o, admin, &I::ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLECall {})._0,
        ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE
    );
    assert_eq!(
        call(o, admin, &I::ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLECall {})._0,
        ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE
    );
    assert_eq!(
        call(o, admin, &I::MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLECall {})._0,
        MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE
    );
    assert_eq!(call(o, admin, &I::MANAGE_FEE_ROLECall {})._0, MANAGE_FEE_ROLE);
    let supports =
        |id: [u8; 4]| call(o, admin, &I::supportsInterfaceCall { interfaceId: FixedBytes(id) })._0;
    assert!(supports([0x01, 0xff, 0xc9, 0xa7]));
    assert!(supports([0x79, 0x65, 0xdb, 0x0b]));
    assert!(!supports([0xff, 0xff, 0xff, 0xff]));
}

#[motsu::test]
fn every_setter_works_through_the_abi(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    let o = &oracle;
    let t = || oracle.sender(admin);
    call(o, admin, &I::addMemberCall { addr: alice, quorum: u(1) });
    call(o, admin, &I::addMemberCall { addr: Address::repeat_byte(2), quorum: u(2) });
    call(o, admin, &I::setQuorumCall { quorum: u(2) });
    call(o, admin, &I::removeMemberCall { addr: Address::repeat_byte(2), quorum: u(1) });
    assert_eq!(t().get_members().0, vec![alice]);
    call(o, admin, &I::setFrameConfigCall { slotsPerFrame: u(20) });
    assert_eq!(t().get_frame_config().1, u(20));
    call(o, admin, &I::setConsensusVersionCall { version: u(2) });
    assert_eq!(t().get_consensus_version(), u(2));
    call(
        o,
        admin,
        &I::setOracleReportLimitsCall {
            annualBalanceIncreaseBPLimit: u(900),
            oneOffCLBalanceDecreaseBPLimit: u(400),
            maxPositiveTokenRebase: u(1_000_000),
        },
    );
    call(
        o,
        admin,
        &I::setAnnualBalanceIncreaseBPLimitCall { annualBalanceIncreaseBPLimit: u(800) },
    );
    call(
        o,
        admin,
        &I::setOneOffCLBalanceDecreaseBPLimitCall { oneOffCLBalanceDecreaseBPLimit: u(300) },
    );
    call(o, admin, &I::setMaxPositiveTokenRebaseCall { maxPositiveTokenRebase: u(900_000) });
    assert_eq!(t().get_oracle_report_limits(), (u(800), u(300), u(900_000)));
    call(o, admin, &I::setFeeCall { totalBasisPoints: u(800), operatorBasisPoints: u(200) });
    assert_eq!(t().get_fee(), (u(800), u(200)));
    call(o, admin, &I::setFeeRecipientsCall { treasury: alice, operatorRecipient: alice });
    assert_eq!(t().get_fee_recipients(), (alice, alice));
    call(o, admin, &I::grantRoleCall { role: MANAGE_FEE_ROLE, account: alice });
    assert!(t().has_role(MANAGE_FEE_ROLE, alice));
    call(o, admin, &I::revokeRoleCall { role: MANAGE_FEE_ROLE, account: alice });
    assert!(!t().has_role(MANAGE_FEE_ROLE, alice));
    call(o, admin, &I::renounceRoleCall { role: MANAGE_FEE_ROLE, account: admin });
    assert!(!t().has_role(MANAGE_FEE_ROLE, admin));
}

#[motsu::test]
fn votes_and_report_data_work_through_the_abi(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
) {
    let w = deploy(&oracle, &token, &pool, &queue, admin);
    let m = [1, 2, 3].map(Address::repeat_byte);
    w.members(&m, 2);
    at(2, 1);
    let data = w.data(2, 100, eth(3_200), u(ETH / 10), 0);
    // The hash members vote for is alloy's keccak256(abi.encode(data)).
    let sol_data = I::ReportData {
        consensusVersion: data.consensus_version,
        refSlot: data.ref_slot,
        numValidators: data.num_validators,
        clBalanceGwei: data.cl_balance_gwei,
        withdrawalVaultBalance: data.withdrawal_vault_balance,
        lastRequestIdToFinalize: data.last_request_id_to_finalize,
    };
    let encoded = alloy_sol_types::SolValue::abi_encode(&sol_data);
    assert_eq!(encoded, data.abi_encode());
    assert_eq!(alloy_primitives::keccak256(&encoded), data.hash());
    for member in &m[..2] {
        call(
            &oracle,
            *member,
            &I::submitReportCall { slot: ref_slot(2), report: data.hash(), consensusVersion: u(1) },
        );
    }
    call(&oracle, m[0], &I::submitReportDataCall { data: sol_data, contractVersion: u(1) });
    assert_eq!(oracle.sender(admin).get_last_processing_ref_slot(), ref_slot(2));
    assert_eq!(token.sender(admin).last_rebase().0, u(1));
}

#[motsu::test]
fn errors_come_back_as_their_solidity_encoding(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    let err =
        raw(&oracle, alice, &I::addMemberCall { addr: alice, quorum: u(1) }).motsu_unwrap_err();
    let expected = staking_common::errors::AccessControlUnauthorizedAccount {
        account: alice,
        neededRole: MANAGE_MEMBERS_AND_QUORUM_ROLE,
    };
    assert_eq!(err, expected.abi_encode());
    assert!(!oracle.sender(admin).get_is_member(alice));
    let err = raw(&oracle, admin, &I::setQuorumCall { quorum: U256::ZERO }).motsu_unwrap_err();
    assert_eq!(err, QuorumTooSmall { minQuorum: u(1), receivedQuorum: U256::ZERO }.abi_encode());
}

#[motsu::test]
fn malformed_calldata_reverts_with_empty_data(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    admin: Address,
    alice: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    let o = || oracle.sender(admin);
    // Shorter than a selector; an unknown selector.
    assert_eq!(o().fallback(&[]), Err(Vec::new()));
    assert_eq!(o().fallback(&[0x12, 0x34, 0x56]), Err(Vec::new()));
    assert_eq!(o().fallback(&[0xde, 0xad, 0xbe, 0xef]), Err(Vec::new()));
    // An argument missing.
    let mut data = I::addMemberCall { addr: alice, quorum: u(1) }.abi_encode();
    data.truncate(4 + 32 + 31);
    assert_eq!(o().fallback(&data), Err(Vec::new()));
    // An address with dirty upper bits.
    let mut data = I::addMemberCall { addr: alice, quorum: u(1) }.abi_encode();
    data[4] = 1;
    assert_eq!(o().fallback(&data), Err(Vec::new()));
    // A bytes4 with dirty lower bytes.
    let mut data = I::supportsInterfaceCall { interfaceId: FixedBytes([1, 2, 3, 4]) }.abi_encode();
    data[4 + 31] = 1;
    assert_eq!(o().fallback(&data), Err(Vec::new()));
    assert!(!o().get_is_member(alice));
    // Extra calldata is ignored (as Solidity does).
    let mut data = I::addMemberCall { addr: alice, quorum: u(1) }.abi_encode();
    data.extend_from_slice(&[0u8; 7]);
    assert_eq!(o().fallback(&data), Ok(Vec::new()));
    assert!(o().get_is_member(alice));
}

#[motsu::test]
fn the_sdk_routes_calls_from_other_programs_into_the_router(
    oracle: Contract<AccountingOracle>,
    token: Contract<MockToken>,
    pool: Contract<MockPool>,
    queue: Contract<MockQueue>,
    forwarder: Contract<Forwarder>,
    admin: Address,
) {
    deploy(&oracle, &token, &pool, &queue, admin);
    // A call from another program reaches the router through the entry point.
    let data = Bytes::from(I::getFeeCall {}.abi_encode());
    let out = forwarder.sender(admin).forward(oracle.address(), data).motsu_unwrap();
    let fee = I::getFeeCall::abi_decode_returns(&out, true).unwrap();
    assert_eq!((fee.totalBasisPoints, fee.operatorBasisPoints), (u(1_000), u(500)));
    // And its reverts come back as revert data.
    let data = Bytes::from(I::setQuorumCall { quorum: u(1) }.abi_encode());
    let err = forwarder.sender(admin).forward(oracle.address(), data).motsu_unwrap_err();
    let expected = staking_common::errors::AccessControlUnauthorizedAccount {
        account: forwarder.address(),
        neededRole: MANAGE_MEMBERS_AND_QUORUM_ROLE,
    };
    assert_eq!(err, expected.abi_encode());
}

/// `Error::from(e)` is alloy's `abi_encode` of `e` for every error type.
macro_rules! check_errors {
    ($($e:expr),* $(,)?) => {{
        $(
            let e = $e;
            assert_eq!(crate::Error::from(e.clone()).0, e.abi_encode(), "{}", stringify!($e));
        )*
    }};
}

#[test]
fn every_error_encodes_as_alloy_does() {
    let (a, h, x, y, z) = (Address::repeat_byte(7), B256::repeat_byte(8), u(1), u(2), u(3));
    use staking_common::errors as c;
    check_errors!(
        c::ZeroAddress {},
        c::AmountTooLarge { amount: x },
        c::AccessControlUnauthorizedAccount { account: a, neededRole: h },
        c::AccessControlBadConfirmation {},
        c::ExternalCallFailed { target: a },
        NonMember {},
        DuplicateMember {},
        AddressCannotBeZero {},
        QuorumTooSmall { minQuorum: x, receivedQuorum: y },
        TooManyMembers { maxMembers: x },
        NumericOverflow {},
        InvalidChainConfig {},
        SlotsPerFrameCannotBeZero {},
        InitialEpochIsYetToArrive {},
        InvalidSlot {},
        StaleReport {},
        EmptyReport {},
        UnexpectedConsensusVersion { expectedVersion: x, receivedVersion: y },
        DuplicateReport {},
        ConsensusReportAlreadyProcessing {},
        SenderNotAllowed {},
        UnexpectedContractVersion { expectedVersion: x, receivedVersion: y },
        NoConsensusReportToProcess {},
        UnexpectedRefSlot { consensusRefSlot: x, dataRefSlot: y },
        UnexpectedDataHash { consensusHash: h, receivedHash: B256::repeat_byte(9) },
        ProcessingDeadlineMissed { deadline: x },
        RefSlotAlreadyProcessing {},
        VersionCannotBeSame {},
        IncorrectLimitValue { value: x, minAllowedValue: y, maxAllowedValue: z },
        IncorrectCLBalanceIncrease { annualBalanceDiff: x },
        IncorrectCLBalanceDecrease { oneOffCLBalanceDecreaseBP: x },
        ReportedLessValidators { reported: x, previous: y },
        ReportedMoreDeposited { reported: x, deposited: y },
        InvalidReportTimestamp { reportTimestamp: x, currentTime: y },
        IncorrectTimeElapsed { timeElapsed: x },
        LossExceedsPooledEther { pooledEther: x, loss: y },
        EtherToLockExceedsAvailable { etherToLock: x, available: y },
        InvalidFee { totalBasisPoints: x, operatorBasisPoints: y },
    );
}

#[test]
fn the_selectors_the_oracle_calls_are_the_shared_interfaces() {
    let sel = |s: &str| -> [u8; 4] { alloy_primitives::keccak256(s)[..4].try_into().unwrap() };
    assert_eq!(crate::GET_TOTAL_POOLED_ETHER, sel("getTotalPooledEther()"));
    assert_eq!(crate::GET_TOTAL_SHARES, sel("getTotalShares()"));
    assert_eq!(
        crate::REBASE,
        sel("rebase(uint256,uint256,uint256,uint256,address,uint256,address,uint256)")
    );
    assert_eq!(crate::GET_BEACON_STAT, sel("getBeaconStat()"));
    assert_eq!(crate::GET_BUFFERED_ETHER, sel("getBufferedEther()"));
    assert_eq!(
        crate::HANDLE_ORACLE_REPORT,
        sel("handleOracleReport(uint256,uint256,uint256,uint256,uint256,uint256,uint256)")
    );
    assert_eq!(crate::GET_LAST_FINALIZED_REQUEST_ID, sel("getLastFinalizedRequestId()"));
    assert_eq!(crate::PREFINALIZE, sel("prefinalize(uint256,uint256)"));
    // The submitReportData selector includes the tuple type.
    assert_eq!(
        I::submitReportDataCall::SELECTOR,
        sel("submitReportData((uint256,uint256,uint256,uint256,uint256,uint256),uint256)")
    );
}

#[test]
fn abi_sol_declares_exactly_the_programs_events() {
    use crate::events as e;
    use alloy_sol_types::SolEvent;
    use staking_common::events as c;
    macro_rules! same {
        ($($a:ty => $b:ty),* $(,)?) => {{
            $(assert_eq!(<$a>::SIGNATURE_HASH, <$b>::SIGNATURE_HASH, "{}", stringify!($b));)*
            [$(<$a>::SIGNATURE_HASH),*].len()
        }};
    }
    let n = same!(
        I::MemberAdded => e::MemberAdded,
        I::MemberRemoved => e::MemberRemoved,
        I::QuorumSet => e::QuorumSet,
        I::ReportReceived => e::ReportReceived,
        I::ConsensusReached => e::ConsensusReached,
        I::ConsensusLost => e::ConsensusLost,
        I::FrameConfigSet => e::FrameConfigSet,
        I::ProcessingStarted => e::ProcessingStarted,
        I::WarnProcessingMissed => e::WarnProcessingMissed,
        I::ConsensusVersionSet => e::ConsensusVersionSet,
        I::ReportApplied => e::ReportApplied,
        I::AnnualBalanceIncreaseBPLimitSet => e::AnnualBalanceIncreaseBPLimitSet,
        I::OneOffCLBalanceDecreaseBPLimitSet => e::OneOffCLBalanceDecreaseBPLimitSet,
        I::MaxPositiveTokenRebaseSet => e::MaxPositiveTokenRebaseSet,
        I::FeeSet => e::FeeSet,
        I::FeeRecipientsSet => e::FeeRecipientsSet,
        I::RoleGranted => c::RoleGranted,
        I::RoleRevoked => c::RoleRevoked,
    );
    assert_eq!(n, I::IAccountingOracleEvents::SELECTORS.len());
}

#[test]
fn abi_sol_declares_exactly_the_programs_errors() {
    use staking_common::errors as c;
    macro_rules! same {
        ($($a:ty => $b:ty),* $(,)?) => {{
            $(assert_eq!(<$a>::SELECTOR, <$b>::SELECTOR, "{}", stringify!($b));)*
            [$(<$a>::SELECTOR),*].len()
        }};
    }
    let n = same!(
        I::NonMember => NonMember,
        I::DuplicateMember => DuplicateMember,
        I::AddressCannotBeZero => AddressCannotBeZero,
        I::QuorumTooSmall => QuorumTooSmall,
        I::TooManyMembers => TooManyMembers,
        I::NumericOverflow => NumericOverflow,
        I::InvalidChainConfig => InvalidChainConfig,
        I::SlotsPerFrameCannotBeZero => SlotsPerFrameCannotBeZero,
        I::InitialEpochIsYetToArrive => InitialEpochIsYetToArrive,
        I::InvalidSlot => InvalidSlot,
        I::StaleReport => StaleReport,
        I::EmptyReport => EmptyReport,
        I::UnexpectedConsensusVersion => UnexpectedConsensusVersion,
        I::DuplicateReport => DuplicateReport,
        I::ConsensusReportAlreadyProcessing => ConsensusReportAlreadyProcessing,
        I::SenderNotAllowed => SenderNotAllowed,
        I::UnexpectedContractVersion => UnexpectedContractVersion,
        I::NoConsensusReportToProcess => NoConsensusReportToProcess,
        I::UnexpectedRefSlot => UnexpectedRefSlot,
        I::UnexpectedDataHash => UnexpectedDataHash,
        I::ProcessingDeadlineMissed => ProcessingDeadlineMissed,
        I::RefSlotAlreadyProcessing => RefSlotAlreadyProcessing,
        I::VersionCannotBeSame => VersionCannotBeSame,
        I::IncorrectLimitValue => IncorrectLimitValue,
        I::IncorrectCLBalanceIncrease => IncorrectCLBalanceIncrease,
        I::IncorrectCLBalanceDecrease => IncorrectCLBalanceDecrease,
        I::ReportedLessValidators => ReportedLessValidators,
        I::ReportedMoreDeposited => ReportedMoreDeposited,
        I::InvalidReportTimestamp => InvalidReportTimestamp,
        I::IncorrectTimeElapsed => IncorrectTimeElapsed,
        I::LossExceedsPooledEther => LossExceedsPooledEther,
        I::EtherToLockExceedsAvailable => EtherToLockExceedsAvailable,
        I::InvalidFee => InvalidFee,
        I::ZeroAddress => c::ZeroAddress,
        I::AmountTooLarge => c::AmountTooLarge,
        I::AccessControlUnauthorizedAccount => c::AccessControlUnauthorizedAccount,
        I::AccessControlBadConfirmation => c::AccessControlBadConfirmation,
        I::ExternalCallFailed => c::ExternalCallFailed,
    );
    assert_eq!(n, I::IAccountingOracleErrors::SELECTORS.len());
}

#[test]
fn abi_sol_lists_exactly_the_routed_functions() {
    // Every function of the file is routed (the tests above call each), and
    // the router knows no selector the file does not declare.
    let declared: Vec<[u8; 4]> = I::IAccountingOracleCalls::SELECTORS.to_vec();
    let routed: Vec<u32> = crate::router::SELECTORS
        .into_iter()
        .chain(crate::router::ROLE_GETTERS.map(|(s, _)| s))
        .collect();
    assert_eq!(routed.len(), declared.len());
    for s in routed {
        assert!(declared.contains(&s.to_be_bytes()), "{s:08x}");
    }
}
