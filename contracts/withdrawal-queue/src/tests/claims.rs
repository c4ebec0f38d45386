//! Claims: paid once, to the right account, only when finalized, with
//! valid hints; checks-effects-interactions against a re-entrant receiver.

use alloy_primitives::{Address, U256};
use motsu::prelude::*;

use super::{eth, revert, u, Env, RATE_ONE};
use crate::{
    abi::IWithdrawalQueue as I, ArraysLengthMismatch, CantSendValueRecipientMayHaveReverted,
    InvalidHint, InvalidRequestId, InvalidRequestIdRange, NotOwnerOrApproved,
    RequestAlreadyClaimed, RequestIdsNotSorted, RequestNotFoundOrNotFinalized, Transfer,
    WithdrawalClaimed, ZeroRecipient, PAUSE_ROLE,
};

/// The wallet owns request 1 (10 ether at rate 1), finalized at rate 1.
fn wallet_owns_a_finalized_request(env: &Env) {
    env.request(env.alice, &[eth(10)], env.wallet.address()).unwrap();
    env.finalize(u(1), RATE_ONE).unwrap();
}

/// Three requests of 1, 2, 3 ether owned by alice, finalized in two reports
/// (request 1, then 2 and 3): checkpoints 1 and 2.
fn three_requests_two_checkpoints(env: &Env) {
    env.request(env.alice, &[eth(1), eth(2), eth(3)], Address::ZERO).unwrap();
    env.finalize(u(1), RATE_ONE).unwrap();
    env.finalize(u(3), RATE_ONE).unwrap();
}

#[motsu::test]
fn claim_withdrawal_pays_the_owner_once_and_burns_the_token(env: Env) {
    // Given the wallet owns a finalized request worth 10 ether.
    wallet_owns_a_finalized_request(&env);
    // When the wallet claims it (through the program's ABI entry point).
    env.call_as_wallet(I::claimWithdrawalCall { requestId: u(1) }).unwrap();
    // Then the wallet got exactly 10 ether and the queue holds nothing.
    assert_eq!(env.wallet.balance(), eth(10));
    assert_eq!((env.q.balance(), env.locked()), (U256::ZERO, U256::ZERO));
    // And the request is claimed and its token burnt.
    assert!(env.status(u(1)).isClaimed);
    assert_eq!(env.status(u(1)).owner, env.wallet.address());
    assert_eq!(env.nft_balance(env.wallet.address()), U256::ZERO);
    assert!(env.requests_of(env.wallet.address()).is_empty());
    let err = env.call(env.admin, I::ownerOfCall { requestId: u(1) }).unwrap_err();
    assert_eq!(err, revert(RequestAlreadyClaimed { requestId: u(1) }));
    env.q.assert_emitted(&WithdrawalClaimed {
        requestId: u(1),
        owner: env.wallet.address(),
        receiver: env.wallet.address(),
        amountOfETH: eth(10),
    });
    env.q.assert_emitted(&Transfer {
        from: env.wallet.address(),
        to: Address::ZERO,
        tokenId: u(1),
    });
    env.check_invariants();
}

#[motsu::test]
fn claim_withdrawal_reverts_when_already_claimed(env: Env) {
    // Given the wallet claimed its request.
    wallet_owns_a_finalized_request(&env);
    env.call_as_wallet(I::claimWithdrawalCall { requestId: u(1) }).unwrap();
    let before = env.snapshot();
    // When it claims again, with or without a hint.
    let err = env.call_as_wallet(I::claimWithdrawalCall { requestId: u(1) }).unwrap_err();
    let again =
        env.call_as_wallet(I::claimWithdrawalsCall { requestIds: vec![u(1)], hints: vec![u(1)] });
    // Then both revert, nothing more is paid.
    assert_eq!(err, revert(RequestAlreadyClaimed { requestId: u(1) }));
    assert_eq!(again.unwrap_err(), err);
    assert_eq!(env.snapshot(), before);
    assert_eq!(env.wallet.balance(), eth(10));
}

#[motsu::test]
fn claim_withdrawals_pays_the_caller_the_total_in_one_transfer(env: Env) {
    // Given the wallet owns requests of 1 and 2 ether, finalized in two reports.
    env.request(env.alice, &[eth(1), eth(2)], env.wallet.address()).unwrap();
    env.finalize(u(1), RATE_ONE).unwrap();
    env.finalize(u(2), RATE_ONE).unwrap();
    let hints = env.hints(&[u(1), u(2)]);
    assert_eq!(hints, vec![u(1), u(2)]);
    // When it claims both with their hints.
    env.call_as_wallet(I::claimWithdrawalsCall { requestIds: vec![u(1), u(2)], hints }).unwrap();
    // Then it got 3 ether and both are claimed.
    assert_eq!(env.wallet.balance(), eth(3));
    assert!(env.status(u(1)).isClaimed && env.status(u(2)).isClaimed);
    env.check_invariants();
}

#[motsu::test]
fn claim_withdrawals_to_pays_the_recipient(env: Env) {
    // Given alice owns three finalized requests.
    three_requests_two_checkpoints(&env);
    // When she claims 3 and 1 (any order) to the wallet.
    env.call(
        env.alice,
        I::claimWithdrawalsToCall {
            requestIds: vec![u(3), u(1)],
            hints: vec![u(2), u(1)],
            recipient: env.wallet.address(),
        },
    )
    .unwrap();
    // Then the wallet received 4 ether, request 2 is still hers to claim.
    assert_eq!(env.wallet.balance(), eth(4));
    assert_eq!(env.requests_of(env.alice), vec![u(2)]);
    assert_eq!(env.locked(), eth(2));
    env.q.assert_emitted(&WithdrawalClaimed {
        requestId: u(3),
        owner: env.alice,
        receiver: env.wallet.address(),
        amountOfETH: eth(3),
    });
    env.check_invariants();
}

#[motsu::test]
fn claim_reverts_when_the_request_is_not_finalized(env: Env) {
    // Given request 1 finalized and request 2 not.
    env.request(env.alice, &[eth(1), eth(1)], Address::ZERO).unwrap();
    env.finalize(u(1), RATE_ONE).unwrap();
    let before = env.snapshot();
    // When alice claims request 2, with or without a hint.
    let err = env.call(env.alice, I::claimWithdrawalCall { requestId: u(2) }).unwrap_err();
    let hinted = env.claim_to(env.alice, &[u(2)], env.wallet.address()).unwrap_err();
    // Then both revert, and nothing changed.
    assert_eq!(err, revert(RequestNotFoundOrNotFinalized { requestId: u(2) }));
    assert_eq!(hinted, err);
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn claim_reverts_for_an_unknown_id(env: Env) {
    // Given one finalized request.
    wallet_owns_a_finalized_request(&env);
    let before = env.snapshot();
    // When ids 0 and 2 are claimed.
    for id in [U256::ZERO, u(2)] {
        let err = env.call_as_wallet(I::claimWithdrawalCall { requestId: id }).unwrap_err();
        assert_eq!(err, revert(InvalidRequestId { requestId: id }));
    }
    let err = env
        .call_as_wallet(I::claimWithdrawalsCall { requestIds: vec![U256::ZERO], hints: vec![u(1)] })
        .unwrap_err();
    assert_eq!(err, revert(InvalidRequestId { requestId: U256::ZERO }));
    // Then nothing changed.
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn claim_reverts_when_the_caller_neither_owns_nor_is_approved(env: Env) {
    // Given alice owns a finalized request.
    env.request(env.alice, &[eth(1)], Address::ZERO).unwrap();
    env.finalize(u(1), RATE_ONE).unwrap();
    let before = env.snapshot();
    // When bob claims it to himself.
    let err = env.claim_to(env.bob, &[u(1)], env.wallet.address()).unwrap_err();
    // Then it reverts, and nothing changed.
    assert_eq!(err, revert(NotOwnerOrApproved { sender: env.bob }));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn claim_by_an_approved_account_pays_its_recipient(env: Env) {
    // Given alice owns two finalized requests; bob is approved for request 1
    // and the wallet is her operator.
    env.request(env.alice, &[eth(1), eth(2)], Address::ZERO).unwrap();
    env.finalize(u(2), RATE_ONE).unwrap();
    env.call(env.alice, I::approveCall { to: env.bob, requestId: u(1) }).unwrap();
    let operator = I::setApprovalForAllCall { operator: env.wallet.address(), approved: true };
    env.call(env.alice, operator).unwrap();
    // When bob claims request 1 and the wallet request 2, each to itself.
    env.claim_to(env.bob, &[u(1)], env.wallet.address()).unwrap();
    env.call_as_wallet(I::claimWithdrawalCall { requestId: u(2) }).unwrap();
    // Then both were paid, the request owner in the events stays alice, and
    // the approval of request 1 is gone with its token.
    assert_eq!(env.wallet.balance(), eth(3));
    env.q.assert_emitted(&WithdrawalClaimed {
        requestId: u(1),
        owner: env.alice,
        receiver: env.wallet.address(),
        amountOfETH: eth(1),
    });
    assert_eq!(env.nft_balance(env.alice), U256::ZERO);
    env.check_invariants();
}

#[motsu::test]
fn claim_reverts_on_a_hint_that_does_not_cover_the_request(env: Env) {
    // Given request 1 in checkpoint 1, requests 2 and 3 in checkpoint 2.
    three_requests_two_checkpoints(&env);
    let before = env.snapshot();
    // When claimed with hint 0, a hint past the last checkpoint, the later
    // checkpoint for request 1 and the earlier one for request 2.
    for (id, hint) in [(u(1), U256::ZERO), (u(1), u(3)), (u(1), u(2)), (u(2), u(1))] {
        let call = I::claimWithdrawalsCall { requestIds: vec![id], hints: vec![hint] };
        let err = env.call(env.alice, call).unwrap_err();
        // Then each reverts naming the hint.
        assert_eq!(err, revert(InvalidHint { hint }));
    }
    // And nothing changed.
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn claim_withdrawals_reverts_when_ids_and_hints_differ_in_length(env: Env) {
    three_requests_two_checkpoints(&env);
    let before = env.snapshot();
    // When alice passes one id and two hints.
    let call = I::claimWithdrawalsCall { requestIds: vec![u(1)], hints: vec![u(1), u(1)] };
    let err = env.call(env.alice, call).unwrap_err();
    // Then it reverts with both lengths, and nothing changed.
    assert_eq!(
        err,
        revert(ArraysLengthMismatch { firstArrayLength: u(1), secondArrayLength: u(2) })
    );
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn claim_withdrawals_to_reverts_when_the_recipient_is_zero(env: Env) {
    three_requests_two_checkpoints(&env);
    let before = env.snapshot();
    // When alice claims to address zero.
    let err = env.claim_to(env.alice, &[u(1)], Address::ZERO).unwrap_err();
    // Then it reverts, and nothing changed.
    assert_eq!(err, revert(ZeroRecipient {}));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn claim_reverts_when_the_recipient_rejects_the_ether(env: Env) {
    // Given the wallet owns a finalized request and rejects ether.
    wallet_owns_a_finalized_request(&env);
    env.wallet.sender(env.admin).set_reject_ether(true);
    let before = env.snapshot();
    // When it claims.
    let err = env.call_as_wallet(I::claimWithdrawalCall { requestId: u(1) }).unwrap_err();
    // Then the claim reverts as a whole: the request is still unclaimed and
    // its ether still locked.
    assert_eq!(err, revert(CantSendValueRecipientMayHaveReverted {}));
    assert_eq!(env.snapshot(), before);
    assert!(!env.status(u(1)).isClaimed);
    assert_eq!(env.wallet.balance(), U256::ZERO);
}

#[motsu::test]
fn claim_pays_once_when_the_receiver_re_enters(env: Env) {
    // Given the wallet owns a finalized request and, when paid, claims it again.
    wallet_owns_a_finalized_request(&env);
    env.wallet.sender(env.admin).set_reenter(u(1));
    // When the wallet claims.
    env.call_as_wallet(I::claimWithdrawalCall { requestId: u(1) }).unwrap();
    // Then the re-entrant claim ran after the state was written and failed
    // (checks-effects-interactions, without relying on the SDK's re-entry guard).
    let (reentered, ok, data) = env.wallet.sender(env.admin).reentry();
    assert!(reentered);
    assert!(!ok);
    assert_eq!(data.0, revert(RequestAlreadyClaimed { requestId: u(1) }));
    // And exactly one payment was made.
    assert_eq!(env.wallet.balance(), eth(10));
    assert_eq!((env.q.balance(), env.locked()), (U256::ZERO, U256::ZERO));
    env.check_invariants();
}

#[motsu::test]
fn claims_work_while_paused(env: Env) {
    // Given a finalized request, then the queue paused indefinitely.
    wallet_owns_a_finalized_request(&env);
    env.call(env.admin, I::grantRoleCall { role: PAUSE_ROLE, account: env.admin }).unwrap();
    env.call(env.admin, I::pauseForCall { duration: crate::PAUSE_INFINITELY }).unwrap();
    // When the wallet claims.
    env.call_as_wallet(I::claimWithdrawalCall { requestId: u(1) }).unwrap();
    // Then it is paid.
    assert_eq!(env.wallet.balance(), eth(10));
}

#[motsu::test]
fn claim_of_a_request_worth_nothing_sends_nothing(env: Env) {
    // Given a 100-wei request (100 shares) finalized at the smallest rate,
    // 1e-27 ether per share: floor(100 * 1 / 1e27) = 0.
    env.request(env.alice, &[u(100)], env.wallet.address()).unwrap();
    let (ether, shares) = env.finalize(u(1), u(1)).unwrap();
    assert_eq!((ether, shares), (U256::ZERO, u(100)));
    // When the wallet claims it.
    env.call_as_wallet(I::claimWithdrawalCall { requestId: u(1) }).unwrap();
    // Then it is claimed and nothing was sent.
    assert!(env.status(u(1)).isClaimed);
    assert_eq!(env.wallet.balance(), U256::ZERO);
    env.q.assert_emitted(&WithdrawalClaimed {
        requestId: u(1),
        owner: env.wallet.address(),
        receiver: env.wallet.address(),
        amountOfETH: U256::ZERO,
    });
}

// ------------------------------------------------------ views for claims

#[motsu::test]
fn get_claimable_ether_reports_what_each_claim_would_pay(env: Env) {
    // Given request 1 finalized at rate 0.5 (worth 0.5 ether), request 2
    // claimed, request 3 pending.
    env.request(env.alice, &[eth(1), eth(1), eth(1)], Address::ZERO).unwrap();
    env.finalize(u(2), RATE_ONE / u(2)).unwrap();
    env.claim_to(env.alice, &[u(2)], env.wallet.address()).unwrap();
    // When asked with hints 1, 1 and 0.
    let call = I::getClaimableEtherCall {
        requestIds: vec![u(1), u(2), u(3)],
        hints: vec![u(1), u(1), U256::ZERO],
    };
    let values = env.call(env.admin, call).unwrap().claimableEthValues;
    // Then 0.5 ether, 0 (claimed), 0 (not finalized).
    assert_eq!(values, vec![eth(1) / u(2), U256::ZERO, U256::ZERO]);
}

#[motsu::test]
fn get_claimable_ether_reverts_on_bad_input(env: Env) {
    three_requests_two_checkpoints(&env);
    let ask = |ids: Vec<U256>, hints: Vec<U256>| {
        env.call(env.admin, I::getClaimableEtherCall { requestIds: ids, hints }).unwrap_err()
    };
    // When lengths differ, an id is unknown, or a hint is wrong.
    let mismatch = ask(vec![u(1)], vec![]);
    let unknown = ask(vec![u(4)], vec![u(1)]);
    let bad_hint = ask(vec![u(2)], vec![u(1)]);
    // Then each reverts with its error.
    assert_eq!(
        mismatch,
        revert(ArraysLengthMismatch { firstArrayLength: u(1), secondArrayLength: U256::ZERO })
    );
    assert_eq!(unknown, revert(InvalidRequestId { requestId: u(4) }));
    assert_eq!(bad_hint, revert(InvalidHint { hint: u(1) }));
}

#[motsu::test]
fn find_checkpoint_hints_finds_each_checkpoint(env: Env) {
    // Given checkpoints 1 = [1], 2 = [2, 3], 3 = [4], and request 5 pending.
    env.request(env.alice, &[eth(1), eth(1), eth(1), eth(1), eth(1)], Address::ZERO).unwrap();
    env.finalize(u(1), RATE_ONE).unwrap();
    env.finalize(u(3), RATE_ONE).unwrap();
    env.finalize(u(4), RATE_ONE).unwrap();
    let find = |ids: Vec<U256>, first: U256, last: U256| {
        env.call(
            env.admin,
            I::findCheckpointHintsCall { requestIds: ids, firstIndex: first, lastIndex: last },
        )
    };
    // When the hints of 1..=5 are searched in the full range.
    let hints = find((1..=5).map(u).collect(), u(1), u(3)).unwrap().hintIds;
    // Then each finalized id maps to its checkpoint and the pending one to 0.
    assert_eq!(hints, vec![u(1), u(2), u(2), u(3), U256::ZERO]);
    // And a range that does not contain the checkpoint answers 0.
    assert_eq!(find(vec![u(1)], u(2), u(3)).unwrap().hintIds, vec![U256::ZERO]);
    assert_eq!(find(vec![u(4)], u(1), u(2)).unwrap().hintIds, vec![U256::ZERO]);
    assert_eq!(find(vec![u(2)], u(2), u(2)).unwrap().hintIds, vec![u(2)]);
    assert_eq!(find(vec![u(1)], u(3), u(2)).unwrap().hintIds, vec![U256::ZERO]);
    assert_eq!(find(vec![], u(1), u(3)).unwrap().hintIds, Vec::<U256>::new());
}

#[motsu::test]
fn find_checkpoint_hints_reverts_on_bad_input(env: Env) {
    three_requests_two_checkpoints(&env);
    let find = |ids: Vec<U256>, first: U256, last: U256| {
        env.call(
            env.admin,
            I::findCheckpointHintsCall { requestIds: ids, firstIndex: first, lastIndex: last },
        )
        .unwrap_err()
    };
    // When ids are unsorted, the range starts at 0 or ends past the last
    // checkpoint, or an id is unknown.
    assert_eq!(find(vec![u(2), u(1)], u(1), u(2)), revert(RequestIdsNotSorted {}));
    assert_eq!(
        find(vec![u(1)], U256::ZERO, u(2)),
        revert(InvalidRequestIdRange { startId: U256::ZERO, endId: u(2) })
    );
    assert_eq!(
        find(vec![u(1)], u(1), u(3)),
        revert(InvalidRequestIdRange { startId: u(1), endId: u(3) })
    );
    let huge = U256::from(u64::MAX) + u(1);
    assert_eq!(
        find(vec![u(1)], huge, u(2)),
        revert(InvalidRequestIdRange { startId: huge, endId: u(2) })
    );
    assert_eq!(find(vec![u(4)], u(1), u(2)), revert(InvalidRequestId { requestId: u(4) }));
    assert_eq!(
        find(vec![U256::ZERO], u(1), u(2)),
        revert(InvalidRequestId { requestId: U256::ZERO })
    );
}
