//! The ABI pin (every signature as Lido's, plus this protocol's additions)
//! and the hand-written codec: malformed calldata, value on non-payable
//! functions, error encodings checked against alloy's.

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::{SolCall, SolError};
use motsu::prelude::*;

use super::{eth, u, Env};
use crate::{abi::IWithdrawalQueue as I, *};

/// Every function of the program with its Solidity signature. Lido's
/// `WithdrawalQueueERC721` has each of these (`../shared/reference/lido-abi/
/// withdrawalqueue.txt`) except `getDepositPool()` (ours) and
/// `prefinalize(uint256,uint256)` (Lido: `prefinalize(uint256[],uint256)`,
/// with off-chain batches).
const SIGNATURES: [(&str, [u8; 4]); 51] = [
    ("MIN_STETH_WITHDRAWAL_AMOUNT()", I::MIN_STETH_WITHDRAWAL_AMOUNTCall::SELECTOR),
    ("MAX_STETH_WITHDRAWAL_AMOUNT()", I::MAX_STETH_WITHDRAWAL_AMOUNTCall::SELECTOR),
    ("PAUSE_INFINITELY()", I::PAUSE_INFINITELYCall::SELECTOR),
    ("DEFAULT_ADMIN_ROLE()", I::DEFAULT_ADMIN_ROLECall::SELECTOR),
    ("PAUSE_ROLE()", I::PAUSE_ROLECall::SELECTOR),
    ("RESUME_ROLE()", I::RESUME_ROLECall::SELECTOR),
    ("STETH()", I::STETHCall::SELECTOR),
    ("WSTETH()", I::WSTETHCall::SELECTOR),
    ("getDepositPool()", I::getDepositPoolCall::SELECTOR),
    ("requestWithdrawals(uint256[],address)", I::requestWithdrawalsCall::SELECTOR),
    ("requestWithdrawalsWstETH(uint256[],address)", I::requestWithdrawalsWstETHCall::SELECTOR),
    (
        "requestWithdrawalsWithPermit(uint256[],address,(uint256,uint256,uint8,bytes32,bytes32))",
        I::requestWithdrawalsWithPermitCall::SELECTOR,
    ),
    (
        "requestWithdrawalsWstETHWithPermit(uint256[],address,(uint256,uint256,uint8,bytes32,bytes32))",
        I::requestWithdrawalsWstETHWithPermitCall::SELECTOR,
    ),
    ("prefinalize(uint256,uint256)", I::prefinalizeCall::SELECTOR),
    ("finalize(uint256,uint256)", I::finalizeCall::SELECTOR),
    ("claimWithdrawal(uint256)", I::claimWithdrawalCall::SELECTOR),
    ("claimWithdrawals(uint256[],uint256[])", I::claimWithdrawalsCall::SELECTOR),
    ("claimWithdrawalsTo(uint256[],uint256[],address)", I::claimWithdrawalsToCall::SELECTOR),
    ("findCheckpointHints(uint256[],uint256,uint256)", I::findCheckpointHintsCall::SELECTOR),
    ("getLastCheckpointIndex()", I::getLastCheckpointIndexCall::SELECTOR),
    ("getClaimableEther(uint256[],uint256[])", I::getClaimableEtherCall::SELECTOR),
    ("getWithdrawalStatus(uint256[])", I::getWithdrawalStatusCall::SELECTOR),
    ("getWithdrawalRequests(address)", I::getWithdrawalRequestsCall::SELECTOR),
    ("unfinalizedStETH()", I::unfinalizedStETHCall::SELECTOR),
    ("unfinalizedRequestNumber()", I::unfinalizedRequestNumberCall::SELECTOR),
    ("getLastRequestId()", I::getLastRequestIdCall::SELECTOR),
    ("getLastFinalizedRequestId()", I::getLastFinalizedRequestIdCall::SELECTOR),
    ("getLockedEtherAmount()", I::getLockedEtherAmountCall::SELECTOR),
    ("pauseFor(uint256)", I::pauseForCall::SELECTOR),
    ("pauseUntil(uint256)", I::pauseUntilCall::SELECTOR),
    ("resume()", I::resumeCall::SELECTOR),
    ("isPaused()", I::isPausedCall::SELECTOR),
    ("getResumeSinceTimestamp()", I::getResumeSinceTimestampCall::SELECTOR),
    ("hasRole(bytes32,address)", I::hasRoleCall::SELECTOR),
    ("getRoleAdmin(bytes32)", I::getRoleAdminCall::SELECTOR),
    ("grantRole(bytes32,address)", I::grantRoleCall::SELECTOR),
    ("revokeRole(bytes32,address)", I::revokeRoleCall::SELECTOR),
    ("renounceRole(bytes32,address)", I::renounceRoleCall::SELECTOR),
    ("name()", I::nameCall::SELECTOR),
    ("symbol()", I::symbolCall::SELECTOR),
    ("tokenURI(uint256)", I::tokenURICall::SELECTOR),
    ("supportsInterface(bytes4)", I::supportsInterfaceCall::SELECTOR),
    ("balanceOf(address)", I::balanceOfCall::SELECTOR),
    ("ownerOf(uint256)", I::ownerOfCall::SELECTOR),
    ("approve(address,uint256)", I::approveCall::SELECTOR),
    ("getApproved(uint256)", I::getApprovedCall::SELECTOR),
    ("setApprovalForAll(address,bool)", I::setApprovalForAllCall::SELECTOR),
    ("isApprovedForAll(address,address)", I::isApprovedForAllCall::SELECTOR),
    ("transferFrom(address,address,uint256)", I::transferFromCall::SELECTOR),
    ("safeTransferFrom(address,address,uint256)", I::safeTransferFrom_0Call::SELECTOR),
    ("safeTransferFrom(address,address,uint256,bytes)", I::safeTransferFrom_1Call::SELECTOR),
];

#[test]
fn every_selector_is_the_hash_of_its_solidity_signature() {
    for (signature, selector) in SIGNATURES {
        assert_eq!(keccak256(signature)[..4], selector, "{signature}");
    }
    // And a few against Lido's deployed selectors.
    assert_eq!(I::requestWithdrawalsCall::SELECTOR, [0xd6, 0x68, 0x10, 0x42]);
    assert_eq!(I::claimWithdrawalCall::SELECTOR, [0xf8, 0x44, 0x44, 0x36]);
    assert_eq!(I::finalizeCall::SELECTOR, [0xb6, 0x01, 0x3c, 0xef]);
}

#[test]
fn the_interface_ids_are_xors_of_the_selectors() {
    let id = |signatures: &[&str]| {
        signatures.iter().fold([0u8; 4], |acc, s| {
            let h = keccak256(s);
            [acc[0] ^ h[0], acc[1] ^ h[1], acc[2] ^ h[2], acc[3] ^ h[3]]
        })
    };
    let erc721 = id(&[
        "balanceOf(address)",
        "ownerOf(uint256)",
        "safeTransferFrom(address,address,uint256,bytes)",
        "safeTransferFrom(address,address,uint256)",
        "transferFrom(address,address,uint256)",
        "approve(address,uint256)",
        "setApprovalForAll(address,bool)",
        "getApproved(uint256)",
        "isApprovedForAll(address,address)",
    ]);
    let metadata = id(&["name()", "symbol()", "tokenURI(uint256)"]);
    let access = id(&[
        "hasRole(bytes32,address)",
        "getRoleAdmin(bytes32)",
        "grantRole(bytes32,address)",
        "revokeRole(bytes32,address)",
        "renounceRole(bytes32,address)",
    ]);
    assert_eq!(erc721, INTERFACE_IDS[1]);
    assert_eq!(metadata, INTERFACE_IDS[2]);
    assert_eq!(access, INTERFACE_IDS[4]);
    assert_eq!(id(&["supportsInterface(bytes4)"]), INTERFACE_IDS[0]);
}

#[motsu::test]
fn constants_are_lidos(env: Env) {
    let min = env.call(env.bob, I::MIN_STETH_WITHDRAWAL_AMOUNTCall {}).unwrap()._0;
    let max = env.call(env.bob, I::MAX_STETH_WITHDRAWAL_AMOUNTCall {}).unwrap()._0;
    let forever = env.call(env.bob, I::PAUSE_INFINITELYCall {}).unwrap()._0;
    let pause = env.call(env.bob, I::PAUSE_ROLECall {}).unwrap()._0;
    let resume = env.call(env.bob, I::RESUME_ROLECall {}).unwrap()._0;
    assert_eq!((min, max, forever), (u(100), eth(1000), U256::MAX));
    assert_eq!((pause, resume), (keccak256("PAUSE_ROLE"), keccak256("RESUME_ROLE")));
}

/// Calls the queue with raw calldata as bob.
fn raw(env: &Env, calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    env.q.sender(env.bob).fallback(calldata).motsu_res()
}

#[motsu::test]
fn dispatch_reverts_with_empty_data_on_unknown_or_short_selectors(env: Env) {
    let before = env.snapshot();
    for calldata in [&[][..], &[0x01][..], &[0xd6, 0x68, 0x10][..], &[0xff, 0xff, 0xff, 0xff][..]] {
        assert_eq!(raw(&env, calldata), Err(Vec::new()));
    }
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn dispatch_reverts_with_empty_data_on_truncated_arguments(env: Env) {
    env.request(env.alice, &[eth(1)], Address::ZERO).unwrap();
    let before = env.snapshot();
    // For every function with arguments, each strict prefix of valid calldata
    // (at word granularity and one byte short) reverts with empty data.
    let calls: Vec<Vec<u8>> = vec![
        I::requestWithdrawalsCall { amounts: vec![eth(1)], owner: env.bob }.abi_encode(),
        I::requestWithdrawalsWithPermitCall {
            amounts: vec![eth(1)],
            owner: env.bob,
            permit: crate::abi::PermitInput {
                value: u(1),
                deadline: u(1),
                v: 27,
                r: Default::default(),
                s: Default::default(),
            },
        }
        .abi_encode(),
        I::prefinalizeCall { lastRequestId: u(1), maxShareRate: u(1) }.abi_encode(),
        I::claimWithdrawalsToCall { requestIds: vec![u(1)], hints: vec![u(1)], recipient: env.bob }
            .abi_encode(),
        I::findCheckpointHintsCall { requestIds: vec![u(1)], firstIndex: u(1), lastIndex: u(1) }
            .abi_encode(),
        I::getWithdrawalStatusCall { requestIds: vec![u(1)] }.abi_encode(),
        I::hasRoleCall { role: PAUSE_ROLE, account: env.bob }.abi_encode(),
        I::setApprovalForAllCall { operator: env.alice, approved: true }.abi_encode(),
        I::supportsInterfaceCall { interfaceId: INTERFACE_IDS[0].into() }.abi_encode(),
        I::safeTransferFrom_1Call {
            from: env.alice,
            to: env.bob,
            requestId: u(1),
            data: vec![1, 2, 3].into(),
        }
        .abi_encode(),
    ];
    for calldata in calls {
        let mut cuts: Vec<usize> = (4..calldata.len()).step_by(32).collect();
        // One byte short, except where only the zero padding after a `bytes`
        // payload would be cut (Solidity does not require it; see below).
        if calldata[..4] != I::safeTransferFrom_1Call::SELECTOR {
            cuts.push(calldata.len() - 1);
        }
        for cut in cuts {
            assert_eq!(raw(&env, &calldata[..cut]), Err(Vec::new()), "{:x?}", &calldata[..4]);
        }
    }
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn dispatch_accepts_a_bytes_payload_without_trailing_padding(env: Env) {
    // Given alice owns request 1.
    env.request(env.alice, &[eth(1)], Address::ZERO).unwrap();
    // When she safe-transfers it to bob with 3 bytes of data and the 29
    // padding bytes cut off (Solidity's decoder only requires the payload).
    let call = I::safeTransferFrom_1Call {
        from: env.alice,
        to: env.bob,
        requestId: u(1),
        data: vec![1, 2, 3].into(),
    };
    let calldata = call.abi_encode();
    let result = env.q.sender(env.alice).fallback(&calldata[..calldata.len() - 29]).motsu_res();
    // Then the transfer happens.
    assert_eq!(result, Ok(Vec::new()));
    assert_eq!(env.status(u(1)).owner, env.bob);
}

#[motsu::test]
fn dispatch_reverts_with_empty_data_on_dirty_words(env: Env) {
    env.request(env.alice, &[eth(1)], Address::ZERO).unwrap();
    let before = env.snapshot();
    // An address with a high bit set.
    let mut balance = I::balanceOfCall { owner: env.bob }.abi_encode();
    balance[4] = 1;
    // A bool of 2.
    let mut approval = I::setApprovalForAllCall { operator: env.bob, approved: true }.abi_encode();
    approval[4 + 63] = 2;
    // A uint8 of 256 in a permit.
    let permit = crate::abi::PermitInput {
        value: u(1),
        deadline: u(1),
        v: 27,
        r: Default::default(),
        s: Default::default(),
    };
    let mut permitted =
        I::requestWithdrawalsWithPermitCall { amounts: vec![], owner: env.bob, permit }
            .abi_encode();
    permitted[4 + 4 * 32 + 30] = 1;
    // A bytes4 with a low byte set.
    let mut supports =
        I::supportsInterfaceCall { interfaceId: INTERFACE_IDS[0].into() }.abi_encode();
    supports[4 + 31] = 1;
    // An array offset and an array length past the end.
    let mut offset = I::getWithdrawalStatusCall { requestIds: vec![u(1)] }.abi_encode();
    offset[4 + 31] = 0x60;
    let mut length = I::getWithdrawalStatusCall { requestIds: vec![u(1)] }.abi_encode();
    length[4 + 63] = 2;
    let mut huge = I::getWithdrawalStatusCall { requestIds: vec![u(1)] }.abi_encode();
    huge[4 + 32..4 + 64].copy_from_slice(&[0xff; 32]);
    for calldata in [balance, approval, permitted, supports, offset, length, huge] {
        assert_eq!(raw(&env, &calldata), Err(Vec::new()));
    }
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn dispatch_rejects_ether_everywhere_but_finalize(env: Env) {
    env.request(env.alice, &[eth(1)], Address::ZERO).unwrap();
    let before = env.snapshot();
    // When bob sends 1 wei with a view, a request, or no calldata at all.
    env.bob.fund(u(3));
    for calldata in [
        I::getLastRequestIdCall {}.abi_encode(),
        I::requestWithdrawalsCall { amounts: vec![eth(1)], owner: env.bob }.abi_encode(),
        Vec::new(),
    ] {
        let result = env.q.sender_and_value(env.bob, u(1)).fallback(&calldata).motsu_res();
        // Then it reverts with empty data and the wei is returned.
        assert_eq!(result, Err(Vec::new()));
    }
    assert_eq!(super::ether_of(env.bob), u(3));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn calls_through_the_sdk_router_reach_the_dispatcher(env: Env) {
    // When the wallet contract calls views and an unknown selector.
    let last = env.call_as_wallet(I::getLastRequestIdCall {}).unwrap()._0;
    let name = env.call_as_wallet(I::nameCall {}).unwrap()._0;
    let unknown = env.wallet.sender(env.admin).call_queue(vec![0xff, 0xff, 0xff, 0xff].into());
    // Then the views answer and the unknown selector reverts.
    assert_eq!((last, name.as_str()), (U256::ZERO, NAME));
    assert!(unknown.motsu_res().is_err());
}

#[test]
fn every_error_encodes_as_alloy_encodes_it() {
    let a = Address::repeat_byte(0xab);
    let (x, y) = (U256::from(7), U256::MAX);
    let role = keccak256("PAUSE_ROLE");
    macro_rules! same {
        ($($e:expr),* $(,)?) => {$(
            assert_eq!(Vec::from(Error::from($e.clone())), SolError::abi_encode(&$e));
        )*};
    }
    same!(
        RequestAmountTooSmall { amountOfStETH: x },
        RequestAmountTooLarge { amountOfStETH: y },
        InvalidRequestId { requestId: x },
        InvalidRequestIdRange { startId: x, endId: y },
        RequestNotFoundOrNotFinalized { requestId: y },
        RequestAlreadyClaimed { requestId: x },
        InvalidHint { hint: y },
        ArraysLengthMismatch { firstArrayLength: x, secondArrayLength: y },
        RequestIdsNotSorted {},
        ZeroRecipient {},
        ZeroShareRate {},
        TooMuchEtherToFinalize { sent: x, totalStETHToFinalize: y },
        NotEnoughEtherToFinalize { sent: y, totalStETHToFinalize: x },
        CantSendValueRecipientMayHaveReverted {},
        NotOwnerOrApproved { sender: a },
        NotOwnerOrApprovedForAll { sender: a },
        ApprovalToOwner {},
        ApproveToCaller {},
        TransferFromIncorrectOwner { from: a, realOwner: Address::repeat_byte(1) },
        TransferToNonIERC721Receiver { to: a },
        TransferToThemselves {},
        TransferToZeroAddress {},
        InvalidOwnerAddress { owner: a },
        ZeroPauseDuration {},
        PauseUntilMustBeInFuture {},
        PausedExpected {},
        ResumedExpected {},
        staking_common::errors::Unauthorized { caller: a },
        staking_common::errors::AccessControlUnauthorizedAccount { account: a, neededRole: role },
        staking_common::errors::AccessControlBadConfirmation {},
        staking_common::errors::ZeroAddress {},
        staking_common::errors::AmountTooLarge { amount: y },
        staking_common::errors::TotalOverflow {},
        staking_common::errors::ZeroShares {},
        staking_common::errors::ExternalCallFailed { target: a },
    );
}

#[test]
fn div_u32_and_the_codec_helpers_handle_the_edges() {
    // floor(x / d) at the extremes.
    assert_eq!(div_u32(U256::MAX, 1), U256::MAX);
    assert_eq!(div_u32(U256::MAX, u32::MAX), U256::MAX / U256::from(u32::MAX));
    assert_eq!(div_u32(U256::ZERO, 7), U256::ZERO);
    // The request value at rate exactly 1 is the share count, capped by the amount.
    assert_eq!(request_ether(u(10), u(7), E27_PRECISION_BASE), u(7));
    assert_eq!(request_ether(u(5), u(7), E27_PRECISION_BASE), u(5));
    let max = U256::from(u128::MAX);
    assert_eq!(request_ether(U256::MAX, max, max), max * max / E27_PRECISION_BASE);
}

/// The raw word at `slot` of the queue's storage.
fn raw_slot(env: &Env, slot: U256) -> U256 {
    use stylus_sdk::prelude::HostAccess;
    U256::from_be_bytes(env.q.sender(env.admin).vm().storage_load_bytes32(slot).0)
}

/// `keccak256(key ‖ slot)`: the Solidity slot of `mapping[key]` at `slot`.
fn mapping_slot(key: U256, slot: U256) -> U256 {
    let mut preimage = key.to_be_bytes_vec();
    preimage.extend_from_slice(&slot.to_be_bytes::<32>());
    U256::from_be_bytes(keccak256(preimage).0)
}

#[motsu::test]
fn the_storage_layout_is_the_documented_one(env: Env) {
    // Given requests 1 (1 ether) and 2 (100 wei, owner bob), request 1
    // finalized at rate 1, and the queue paused for 60 s.
    env.request(env.alice, &[eth(1)], Address::ZERO).unwrap();
    env.request(env.alice, &[u(100)], env.bob).unwrap();
    env.finalize(u(1), E27_PRECISION_BASE).unwrap();
    env.call(env.admin, I::grantRoleCall { role: PAUSE_ROLE, account: env.admin }).unwrap();
    env.call(env.admin, I::pauseForCall { duration: u(60) }).unwrap();
    let now = U256::from(super::NOW);
    // SLOT 0: last id | last finalized << 48 | unfinalized << 96 | resume << 192.
    let slot0 = u(2) | (u(1) << 48) | (u(100) << 96) | ((now + u(60)) << 192);
    assert_eq!(raw_slot(&env, U256::ZERO), slot0);
    // SLOT 1: locked ether | last checkpoint index << 128.
    assert_eq!(raw_slot(&env, u(1)), eth(1) | (u(1) << 128));
    // SLOTS 2-4: the three addresses.
    let word = |a: Address| U256::from_be_slice(a.as_slice());
    assert_eq!(raw_slot(&env, u(2)), word(env.token.address()));
    assert_eq!(raw_slot(&env, u(3)), word(env.wrapper.address()));
    assert_eq!(raw_slot(&env, u(4)), word(env.pool));
    // SLOT 5: request 2 = A: amount | shares << 128; B: owner | timestamp << 160
    // | claimed << 200 | position << 208 (bob's first request: position 0).
    let a = mapping_slot(u(2), u(5));
    assert_eq!(raw_slot(&env, a), u(100) | (u(100) << 128));
    assert_eq!(raw_slot(&env, a + u(1)), word(env.bob) | (now << 160));
    // SLOT 6: checkpoint 1 = from | rate << 64.
    assert_eq!(raw_slot(&env, mapping_slot(u(1), u(6))), u(1) | (E27_PRECISION_BASE << 64));
    // SLOTS 7-8: bob holds one request, id 2 at position 0.
    let bob = U256::from_be_slice(env.bob.into_word().as_slice());
    assert_eq!(raw_slot(&env, mapping_slot(bob, u(7))), u(1));
    assert_eq!(raw_slot(&env, mapping_slot(U256::ZERO, mapping_slot(bob, u(8)))), u(2));
    // SLOT 11: the admin holds DEFAULT_ADMIN_ROLE (0) and PAUSE_ROLE.
    let admin = U256::from_be_slice(env.admin.into_word().as_slice());
    assert_eq!(raw_slot(&env, mapping_slot(admin, mapping_slot(U256::ZERO, u(11)))), u(1));
    let pause = U256::from_be_bytes(PAUSE_ROLE.0);
    assert_eq!(raw_slot(&env, mapping_slot(admin, mapping_slot(pause, u(11)))), u(1));
}
