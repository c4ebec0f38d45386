//! The requests as ERC-721 tokens ("unstETH"): ownership follows
//! transfers (and the ether with it), approvals, safe transfers to contracts.

use alloy_primitives::{Address, Bytes, FixedBytes, U256};
use motsu::prelude::*;

use super::{
    eth,
    mocks::{ACCEPT, REVERT_EMPTY, REVERT_WITH_REASON, WRONG_ANSWER},
    revert, u, Env, RATE_ONE,
};
use crate::{
    abi::IWithdrawalQueue as I, Approval, ApprovalForAll, ApprovalToOwner, ApproveToCaller,
    InvalidOwnerAddress, InvalidRequestId, NotOwnerOrApproved, NotOwnerOrApprovedForAll,
    RequestAlreadyClaimed, Transfer, TransferFromIncorrectOwner, TransferToNonIERC721Receiver,
    TransferToThemselves, TransferToZeroAddress, NAME, SYMBOL,
};

/// Alice owns requests 1 and 2 (1 and 2 ether).
fn alice_owns_two(env: &Env) {
    env.request(env.alice, &[eth(1), eth(2)], Address::ZERO).unwrap();
}

#[motsu::test]
fn metadata_is_constant_and_token_uri_is_empty(env: Env) {
    alice_owns_two(&env);
    // When the metadata is read.
    let name = env.call(env.bob, I::nameCall {}).unwrap()._0;
    let symbol = env.call(env.bob, I::symbolCall {}).unwrap()._0;
    let uri = env.call(env.bob, I::tokenURICall { requestId: u(1) }).unwrap()._0;
    // Then it is the constant name and symbol and an empty URI.
    assert_eq!((name.as_str(), symbol.as_str(), uri.as_str()), (NAME, SYMBOL, ""));
    // And an unknown request has no URI.
    let err = env.call(env.bob, I::tokenURICall { requestId: u(3) }).unwrap_err();
    assert_eq!(err, revert(InvalidRequestId { requestId: u(3) }));
}

#[motsu::test]
fn supports_interface_answers_erc165_erc721_metadata_4906_and_access_control(env: Env) {
    let supports = |id: [u8; 4]| {
        env.call(env.bob, I::supportsInterfaceCall { interfaceId: FixedBytes(id) }).unwrap()._0
    };
    // Then the five ids are supported, others are not (ERC-165's 0xffffffff included).
    for id in crate::INTERFACE_IDS {
        assert!(supports(id));
    }
    assert!(!supports([0xff, 0xff, 0xff, 0xff]));
    assert!(!supports([0x5a, 0x05, 0x18, 0x0f]));
}

#[motsu::test]
fn transfer_from_moves_the_request_and_its_ether(env: Env) {
    // Given alice owns requests 1 and 2.
    alice_owns_two(&env);
    // When she transfers request 1 to bob.
    env.call(env.alice, I::transferFromCall { from: env.alice, to: env.bob, requestId: u(1) })
        .unwrap();
    // Then bob owns it and both owner lists and balances follow.
    assert_eq!(env.call(env.bob, I::ownerOfCall { requestId: u(1) }).unwrap()._0, env.bob);
    assert_eq!(env.status(u(1)).owner, env.bob);
    assert_eq!(env.requests_of(env.alice), vec![u(2)]);
    assert_eq!(env.requests_of(env.bob), vec![u(1)]);
    assert_eq!((env.nft_balance(env.alice), env.nft_balance(env.bob)), (u(1), u(1)));
    env.q.assert_emitted(&Transfer { from: env.alice, to: env.bob, tokenId: u(1) });
    // And once finalized, bob claims it and alice cannot.
    env.finalize(u(2), RATE_ONE).unwrap();
    let err = env.claim_to(env.alice, &[u(1)], env.wallet.address()).unwrap_err();
    assert_eq!(err, revert(NotOwnerOrApproved { sender: env.alice }));
    env.claim_to(env.bob, &[u(1)], env.wallet.address()).unwrap();
    assert_eq!(env.wallet.balance(), eth(1));
    env.check_invariants();
}

#[motsu::test]
fn approve_lets_one_account_move_one_request_once(env: Env) {
    // Given alice approved bob for request 2.
    alice_owns_two(&env);
    env.call(env.alice, I::approveCall { to: env.bob, requestId: u(2) }).unwrap();
    assert_eq!(env.call(env.bob, I::getApprovedCall { requestId: u(2) }).unwrap()._0, env.bob);
    env.q.assert_emitted(&Approval { owner: env.alice, approved: env.bob, tokenId: u(2) });
    // When bob moves it to the wallet.
    let call = I::transferFromCall { from: env.alice, to: env.wallet.address(), requestId: u(2) };
    env.call(env.bob, call.clone()).unwrap();
    // Then the wallet owns it and the approval is cleared.
    assert_eq!(env.status(u(2)).owner, env.wallet.address());
    let approved = env.call(env.bob, I::getApprovedCall { requestId: u(2) }).unwrap()._0;
    assert_eq!(approved, Address::ZERO);
    // And bob cannot move request 1, which he was not approved for.
    let err = env
        .call(env.bob, I::transferFromCall { from: env.alice, to: env.bob, requestId: u(1) })
        .unwrap_err();
    assert_eq!(err, revert(NotOwnerOrApproved { sender: env.bob }));
}

#[motsu::test]
fn set_approval_for_all_lets_an_operator_move_and_approve(env: Env) {
    // Given alice made bob her operator.
    alice_owns_two(&env);
    env.call(env.alice, I::setApprovalForAllCall { operator: env.bob, approved: true }).unwrap();
    let check = I::isApprovedForAllCall { owner: env.alice, operator: env.bob };
    assert!(env.call(env.admin, check.clone()).unwrap()._0);
    env.q.assert_emitted(&ApprovalForAll { owner: env.alice, operator: env.bob, approved: true });
    // When bob approves the wallet for request 1 and moves request 2 to himself.
    env.call(env.bob, I::approveCall { to: env.wallet.address(), requestId: u(1) }).unwrap();
    env.call(env.bob, I::transferFromCall { from: env.alice, to: env.bob, requestId: u(2) })
        .unwrap();
    // Then both took effect.
    let approved = env.call(env.admin, I::getApprovedCall { requestId: u(1) }).unwrap()._0;
    assert_eq!(approved, env.wallet.address());
    assert_eq!(env.status(u(2)).owner, env.bob);
    // And once revoked, bob can no longer act.
    env.call(env.alice, I::setApprovalForAllCall { operator: env.bob, approved: false }).unwrap();
    assert!(!env.call(env.admin, check).unwrap()._0);
    let err = env.call(env.bob, I::approveCall { to: env.bob, requestId: u(1) }).unwrap_err();
    assert_eq!(err, revert(NotOwnerOrApprovedForAll { sender: env.bob }));
}

#[motsu::test]
fn transfer_from_reverts_on_each_erc721_rule(env: Env) {
    // Given alice owns requests 1 and 2, request 2 finalized and claimed.
    alice_owns_two(&env);
    env.finalize(u(2), RATE_ONE).unwrap();
    env.claim_to(env.alice, &[u(2)], env.wallet.address()).unwrap();
    let before = env.snapshot();
    let transfer = |sender: Address, from: Address, to: Address, id: U256| {
        env.call(sender, I::transferFromCall { from, to, requestId: id }).unwrap_err()
    };
    let (alice, bob) = (env.alice, env.bob);
    // Then every rule reverts with Lido's error, and nothing changes.
    assert_eq!(transfer(alice, alice, Address::ZERO, u(1)), revert(TransferToZeroAddress {}));
    assert_eq!(transfer(alice, alice, alice, u(1)), revert(TransferToThemselves {}));
    assert_eq!(
        transfer(alice, alice, bob, U256::ZERO),
        revert(InvalidRequestId { requestId: U256::ZERO })
    );
    assert_eq!(transfer(alice, alice, bob, u(3)), revert(InvalidRequestId { requestId: u(3) }));
    assert_eq!(
        transfer(alice, alice, bob, u(2)),
        revert(RequestAlreadyClaimed { requestId: u(2) })
    );
    assert_eq!(
        transfer(bob, bob, alice, u(1)),
        revert(TransferFromIncorrectOwner { from: bob, realOwner: alice })
    );
    assert_eq!(transfer(bob, alice, bob, u(1)), revert(NotOwnerOrApproved { sender: bob }));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn approve_and_queries_revert_on_each_rule(env: Env) {
    // Given alice owns requests 1 and 2, request 2 claimed.
    alice_owns_two(&env);
    env.finalize(u(2), RATE_ONE).unwrap();
    env.claim_to(env.alice, &[u(2)], env.wallet.address()).unwrap();
    let before = env.snapshot();
    // Then: approving the owner, approving without the right, approving a
    // claimed or unknown request, operator = caller, balance of zero, the
    // owner and approval of a claimed request all revert.
    let approve = |sender: Address, to: Address, id: U256| {
        env.call(sender, I::approveCall { to, requestId: id }).unwrap_err()
    };
    assert_eq!(approve(env.alice, env.alice, u(1)), revert(ApprovalToOwner {}));
    assert_eq!(
        approve(env.bob, env.bob, u(1)),
        revert(NotOwnerOrApprovedForAll { sender: env.bob })
    );
    assert_eq!(
        approve(env.alice, env.bob, u(2)),
        revert(RequestAlreadyClaimed { requestId: u(2) })
    );
    assert_eq!(approve(env.alice, env.bob, u(9)), revert(InvalidRequestId { requestId: u(9) }));
    let operator = I::setApprovalForAllCall { operator: env.alice, approved: true };
    assert_eq!(env.call(env.alice, operator).unwrap_err(), revert(ApproveToCaller {}));
    let balance = env.call(env.bob, I::balanceOfCall { owner: Address::ZERO }).unwrap_err();
    assert_eq!(balance, revert(InvalidOwnerAddress { owner: Address::ZERO }));
    let owner = env.call(env.bob, I::ownerOfCall { requestId: u(2) }).unwrap_err();
    assert_eq!(owner, revert(RequestAlreadyClaimed { requestId: u(2) }));
    let approved = env.call(env.bob, I::getApprovedCall { requestId: u(2) }).unwrap_err();
    assert_eq!(approved, revert(InvalidRequestId { requestId: u(2) }));
    let unknown = env.call(env.bob, I::ownerOfCall { requestId: u(3) }).unwrap_err();
    assert_eq!(unknown, revert(InvalidRequestId { requestId: u(3) }));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn approve_to_zero_clears_the_approval(env: Env) {
    alice_owns_two(&env);
    env.call(env.alice, I::approveCall { to: env.bob, requestId: u(1) }).unwrap();
    // When alice approves address zero.
    env.call(env.alice, I::approveCall { to: Address::ZERO, requestId: u(1) }).unwrap();
    // Then nobody is approved.
    let approved = env.call(env.bob, I::getApprovedCall { requestId: u(1) }).unwrap()._0;
    assert_eq!(approved, Address::ZERO);
    env.q.assert_emitted(&Approval { owner: env.alice, approved: Address::ZERO, tokenId: u(1) });
}

#[motsu::test]
fn safe_transfer_from_to_an_account_without_code_skips_the_hook(env: Env) {
    alice_owns_two(&env);
    // When alice safe-transfers request 1 to bob (no code).
    let call = I::safeTransferFrom_0Call { from: env.alice, to: env.bob, requestId: u(1) };
    env.call(env.alice, call).unwrap();
    // Then he owns it.
    assert_eq!(env.status(u(1)).owner, env.bob);
}

#[motsu::test]
fn safe_transfer_from_to_a_receiver_passes_operator_from_id_and_data(env: Env) {
    // Given alice made bob her operator; the wallet accepts tokens.
    alice_owns_two(&env);
    env.call(env.alice, I::setApprovalForAllCall { operator: env.bob, approved: true }).unwrap();
    env.wallet.sender(env.admin).set_receiver_mode(ACCEPT);
    // When bob safe-transfers request 2 with data to the wallet.
    let call = I::safeTransferFrom_1Call {
        from: env.alice,
        to: env.wallet.address(),
        requestId: u(2),
        data: Bytes::from_static(b"hello, a payload longer than one word (33+ bytes)"),
    };
    env.call(env.bob, call).unwrap();
    // Then the wallet owns it and saw the operator, sender, id and data.
    assert_eq!(env.status(u(2)).owner, env.wallet.address());
    let (operator, from, id, data) = env.wallet.sender(env.admin).received();
    assert_eq!((operator, from, id), (env.bob, env.alice, u(2)));
    assert_eq!(data.0, b"hello, a payload longer than one word (33+ bytes)".to_vec());
    // And the three-argument form passes empty data.
    let back =
        I::safeTransferFrom_0Call { from: env.alice, to: env.wallet.address(), requestId: u(1) };
    env.call(env.alice, back).unwrap();
    assert!(env.wallet.sender(env.admin).received().3 .0.is_empty());
}

#[motsu::test]
fn safe_transfer_from_reverts_when_the_receiver_answers_a_wrong_value(env: Env) {
    alice_owns_two(&env);
    env.wallet.sender(env.admin).set_receiver_mode(WRONG_ANSWER);
    let before = env.snapshot();
    // When alice safe-transfers to the wallet, which answers 0xdeadbeef.
    let call =
        I::safeTransferFrom_0Call { from: env.alice, to: env.wallet.address(), requestId: u(1) };
    let err = env.call(env.alice, call).unwrap_err();
    // Then the transfer reverts naming the receiver, and nothing changed.
    assert_eq!(err, revert(TransferToNonIERC721Receiver { to: env.wallet.address() }));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn safe_transfer_from_passes_the_receiver_revert_reason_through(env: Env) {
    alice_owns_two(&env);
    env.wallet.sender(env.admin).set_receiver_mode(REVERT_WITH_REASON);
    let before = env.snapshot();
    // When the wallet reverts with a reason.
    let call =
        I::safeTransferFrom_0Call { from: env.alice, to: env.wallet.address(), requestId: u(1) };
    let err = env.call(env.alice, call).unwrap_err();
    // Then the reason comes back unchanged, and nothing changed.
    assert_eq!(err, b"not today".to_vec());
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn safe_transfer_from_reverts_when_the_receiver_reverts_without_data(env: Env) {
    alice_owns_two(&env);
    env.wallet.sender(env.admin).set_receiver_mode(REVERT_EMPTY);
    let before = env.snapshot();
    // When the wallet reverts with empty data (motsu reports an empty revert
    // as a text message, so the decision itself is pinned by
    // `check_receiver_answer_*` below).
    let call =
        I::safeTransferFrom_0Call { from: env.alice, to: env.wallet.address(), requestId: u(1) };
    let err = env.call(env.alice, call).unwrap_err();
    // Then the transfer reverts and nothing changed.
    assert!(!err.is_empty());
    assert_eq!(env.snapshot(), before);
}

#[test]
fn check_receiver_answer_accepts_only_the_selector_word() {
    let to = Address::repeat_byte(7);
    let refused = revert(TransferToNonIERC721Receiver { to });
    let mut word = [0u8; 32];
    word[..4].copy_from_slice(&crate::ERC721_RECEIVED);
    // The selector, left-aligned in a clean word (extra data ignored), is accepted.
    assert_eq!(crate::check_receiver_answer(Ok(word.to_vec()), to), Ok(()));
    assert_eq!(crate::check_receiver_answer(Ok([word, [9; 32]].concat()), to), Ok(()));
    // Dirty low bytes, a short answer, nothing, or another value are refused.
    let mut dirty = word;
    dirty[31] = 1;
    for answer in [dirty.to_vec(), word[..4].to_vec(), Vec::new(), [0xde; 32].to_vec()] {
        assert_eq!(crate::check_receiver_answer(Ok(answer), to), Err(refused.clone()));
    }
    // An empty revert is refused; a revert with data passes through.
    assert_eq!(crate::check_receiver_answer(Err(Vec::new()), to), Err(refused));
    assert_eq!(crate::check_receiver_answer(Err(b"why".to_vec()), to), Err(b"why".to_vec()));
}

#[motsu::test]
fn safe_transfer_from_to_a_contract_without_the_hook_reverts(env: Env) {
    alice_owns_two(&env);
    let before = env.snapshot();
    // When alice safe-transfers to the rebase token (no onERC721Received).
    let to = env.token.address();
    let call = I::safeTransferFrom_0Call { from: env.alice, to, requestId: u(1) };
    let err = env.call(env.alice, call).unwrap_err();
    // Then it reverts: motsu reports the missing function as revert data, a
    // chain as empty data (`TransferToNonIERC721Receiver`); either way the
    // transfer is undone.
    assert!(!err.is_empty());
    assert_eq!(env.snapshot(), before);
}
