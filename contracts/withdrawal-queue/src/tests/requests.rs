//! `requestWithdrawals*`: recording, bounds, ownership, tokens pulled.

use alloy_primitives::{Address, B256, U256};
use alloy_signer::SignerSync;
use motsu::prelude::*;
use staking_common::{
    errors::{ExternalCallFailed, InsufficientAllowance, InvalidSignature, ZeroShares},
    permit::permit_digest,
};

use super::{eth, mocks::SilentTokenMock, revert, sol_revert, u, Env, NOW};
use crate::{
    abi::{IWithdrawalQueue as I, PermitInput},
    RequestAmountTooLarge, RequestAmountTooSmall, ResumedExpected, Transfer, WithdrawalQueue,
    WithdrawalRequested, MAX_STETH_WITHDRAWAL_AMOUNT,
};

#[motsu::test]
fn request_withdrawals_records_amount_shares_owner_and_time(env: Env) {
    // Given the token at rate 1.1 (P = 1100, S = 1000).
    env.rebase_to(eth(1100));
    // When alice requests 11 ether for bob.
    let ids = env.request(env.alice, &[eth(11)], env.bob).unwrap();
    // Then request 1 records 11 ether and the 10 ether of shares moved, owned by bob.
    assert_eq!(ids, vec![u(1)]);
    let status = env.status(u(1));
    assert_eq!(status.amountOfStETH, eth(11));
    assert_eq!(status.amountOfShares, eth(10));
    assert_eq!(status.owner, env.bob);
    assert_eq!(status.timestamp, U256::from(1_735_689_600_u64));
    assert!(!status.isFinalized && !status.isClaimed);
    // And the shares left alice (50 before) for the queue.
    assert_eq!(env.token.sender(env.admin).shares_of(env.alice), eth(40));
    assert_eq!(env.token.sender(env.admin).shares_of(env.q.address()), eth(10));
    // And the request and its token mint were logged, in Lido's order.
    env.q.assert_emitted(&WithdrawalRequested {
        requestId: u(1),
        requestor: env.alice,
        owner: env.bob,
        amountOfStETH: eth(11),
        amountOfShares: eth(10),
    });
    env.q.assert_emitted(&Transfer { from: Address::ZERO, to: env.bob, tokenId: u(1) });
    // (after the constructor's RoleGranted).
    let events = env.q.all_events();
    assert_eq!(events.len(), 3);
    assert_eq!(
        events[1].topics()[0],
        <WithdrawalRequested as alloy_sol_types::SolEvent>::SIGNATURE_HASH
    );
    assert_eq!(events[2].topics()[0], <Transfer as alloy_sol_types::SolEvent>::SIGNATURE_HASH);
}

#[motsu::test]
fn request_withdrawals_defaults_the_owner_to_the_caller(env: Env) {
    // When alice requests with owner zero.
    env.request(env.alice, &[eth(1)], Address::ZERO).unwrap();
    // Then she owns the request.
    assert_eq!(env.status(u(1)).owner, env.alice);
    assert_eq!(env.requests_of(env.alice), vec![u(1)]);
}

#[motsu::test]
fn request_withdrawals_assigns_ids_in_order_and_tracks_the_queue(env: Env) {
    // When alice requests three amounts and bob one.
    let ids = env.request(env.alice, &[eth(1), eth(2), u(100)], Address::ZERO).unwrap();
    let more = env.request(env.bob, &[eth(3)], Address::ZERO).unwrap();
    // Then ids are consecutive in request order.
    assert_eq!(ids, vec![u(1), u(2), u(3)]);
    assert_eq!(more, vec![u(4)]);
    assert_eq!(env.last_request_id(), u(4));
    assert_eq!(env.unfinalized_steth(), eth(6) + u(100));
    let number = env.call(env.admin, I::unfinalizedRequestNumberCall {}).unwrap()._0;
    assert_eq!(number, u(4));
    // And each owner holds its tokens.
    assert_eq!(env.requests_of(env.alice), vec![u(1), u(2), u(3)]);
    assert_eq!(env.nft_balance(env.alice), u(3));
    assert_eq!(env.nft_balance(env.bob), u(1));
    env.check_invariants();
}

#[motsu::test]
fn request_withdrawals_accepts_the_bounds(env: Env) {
    // Given alice holds enough for the maximum.
    env.mint(env.alice, eth(2000));
    // When she requests exactly the minimum and the maximum.
    let ids = env.request(env.alice, &[u(100), MAX_STETH_WITHDRAWAL_AMOUNT], Address::ZERO);
    // Then both are queued.
    assert_eq!(ids.unwrap().len(), 2);
    assert_eq!(env.unfinalized_steth(), MAX_STETH_WITHDRAWAL_AMOUNT + u(100));
}

#[motsu::test]
fn request_withdrawals_reverts_when_an_amount_is_below_the_minimum(env: Env) {
    // Given one request queued.
    env.request(env.alice, &[eth(1)], Address::ZERO).unwrap();
    let before = env.snapshot();
    // When a batch holds 99 wei after a valid amount.
    let err = env.request(env.alice, &[eth(1), u(99)], Address::ZERO).unwrap_err();
    // Then it reverts naming the amount, and nothing changed.
    assert_eq!(err, revert(RequestAmountTooSmall { amountOfStETH: u(99) }));
    assert_eq!(err, sol_revert(&RequestAmountTooSmall { amountOfStETH: u(99) }));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn request_withdrawals_reverts_when_an_amount_is_above_the_maximum(env: Env) {
    // Given alice holds plenty.
    env.mint(env.alice, eth(5000));
    let before = env.snapshot();
    let too_large = MAX_STETH_WITHDRAWAL_AMOUNT + u(1);
    // When she requests 1000 ether + 1 wei.
    let err = env.request(env.alice, &[too_large], Address::ZERO).unwrap_err();
    // Then it reverts and nothing changed.
    assert_eq!(err, revert(RequestAmountTooLarge { amountOfStETH: too_large }));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn request_withdrawals_reverts_when_paused(env: Env) {
    // Given the queue paused.
    env.call(env.admin, I::grantRoleCall { role: crate::PAUSE_ROLE, account: env.admin }).unwrap();
    env.call(env.admin, I::pauseForCall { duration: u(3600) }).unwrap();
    let before = env.snapshot();
    // When alice requests.
    let err = env.request(env.alice, &[eth(1)], Address::ZERO).unwrap_err();
    // Then it reverts and nothing changed.
    assert_eq!(err, revert(ResumedExpected {}));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn request_withdrawals_passes_the_token_revert_through(env: Env) {
    // Given carol holds shares but gave the queue no allowance.
    let carol = Address::from_tag("carol");
    env.token.sender(env.pool).mint_shares(carol, eth(10)).motsu_unwrap();
    let before = env.snapshot();
    // When she requests.
    let err = env.request(carol, &[eth(1)], Address::ZERO).unwrap_err();
    // Then the token's own error comes back unchanged, and nothing changed.
    let expected = InsufficientAllowance {
        owner: carol,
        spender: env.q.address(),
        allowance: U256::ZERO,
        needed: eth(1),
    };
    assert_eq!(err, sol_revert(&expected));
    assert_eq!(env.snapshot(), before);
    assert_eq!(env.token.sender(env.admin).shares_of(carol), eth(10));
}

#[motsu::test]
fn request_withdrawals_reverts_when_the_token_moves_no_shares(env: Env) {
    // Given a rate of 200 ether per share: 100 wei is worth 0 shares.
    env.rebase_to(eth(200_000));
    let before = env.snapshot();
    // When alice requests 100 wei.
    let err = env.request(env.alice, &[u(100)], Address::ZERO).unwrap_err();
    // Then it reverts (no request backed by nothing).
    assert_eq!(err, sol_revert(&ZeroShares {}));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn request_withdrawals_with_no_amounts_does_nothing(env: Env) {
    let before = env.snapshot();
    // When alice requests an empty list.
    let ids = env.request(env.alice, &[], Address::ZERO).unwrap();
    // Then no id and no change.
    assert!(ids.is_empty());
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn request_withdrawals_of_a_whole_balance_moves_every_share(env: Env) {
    // Given rate 1.1 and alice's balance of 50 shares, floor(50 * 1.1) = 55 ether.
    env.rebase_to(eth(1100));
    // When she requests exactly her balance.
    env.request(env.alice, &[eth(55)], Address::ZERO).unwrap();
    // Then all 50 ether of shares moved and were recorded.
    assert_eq!(env.token.sender(env.admin).shares_of(env.alice), U256::ZERO);
    assert_eq!(env.status(u(1)).amountOfShares, eth(50));
}

// ------------------------------------------------------------------ wstETH

#[motsu::test]
fn request_withdrawals_wst_eth_records_the_unwrapped_amount_and_units(env: Env) {
    // Given rate 1.5 (P = 1500, S = 1000).
    env.rebase_to(eth(1500));
    // When alice requests 2 and 4 units for bob.
    let ids = env
        .call(
            env.alice,
            I::requestWithdrawalsWstETHCall { amounts: vec![eth(2), eth(4)], owner: env.bob },
        )
        .unwrap()
        .requestIds;
    // Then each request holds its units as shares and their value as stETH.
    assert_eq!(ids, vec![u(1), u(2)]);
    assert_eq!(env.status(u(1)).amountOfShares, eth(2));
    assert_eq!(env.status(u(1)).amountOfStETH, eth(3));
    assert_eq!(env.status(u(2)).amountOfStETH, eth(6));
    assert_eq!(env.status(u(2)).owner, env.bob);
    // And the units were burnt and exactly 6 ether of shares reached the queue.
    assert_eq!(env.wrapper.sender(env.admin).balance_of(env.alice), eth(44));
    assert_eq!(env.token.sender(env.admin).shares_of(env.q.address()), eth(6));
    env.q.assert_emitted(&WithdrawalRequested {
        requestId: u(2),
        requestor: env.alice,
        owner: env.bob,
        amountOfStETH: eth(6),
        amountOfShares: eth(4),
    });
    env.check_invariants();
}

#[motsu::test]
fn request_withdrawals_wst_eth_reverts_when_the_unwrapped_amount_is_out_of_bounds(env: Env) {
    // Given rate 0.5: 150 units unwrap to 75 wei.
    env.rebase_to(eth(500));
    let before = env.snapshot();
    // When alice requests 150 units.
    let err = env
        .call(
            env.alice,
            I::requestWithdrawalsWstETHCall { amounts: vec![u(150)], owner: Address::ZERO },
        )
        .unwrap_err();
    // Then the bound applies to the stETH value, and nothing changed.
    assert_eq!(err, revert(RequestAmountTooSmall { amountOfStETH: u(75) }));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn request_withdrawals_wst_eth_passes_the_share_token_revert_through(env: Env) {
    // Given bob holds no units.
    let before = env.snapshot();
    // When bob requests 1 unit.
    let err = env
        .call(
            env.bob,
            I::requestWithdrawalsWstETHCall { amounts: vec![eth(1)], owner: Address::ZERO },
        )
        .unwrap_err();
    // Then the share token's error comes back, and nothing changed.
    let expected = InsufficientAllowance {
        owner: env.bob,
        spender: env.q.address(),
        allowance: U256::ZERO,
        needed: eth(1),
    };
    assert_eq!(err, sol_revert(&expected));
    assert_eq!(env.snapshot(), before);
}

// ------------------------------------------------------------------ permit

/// `account`'s EIP-712 permit for the queue to spend `value` of the token
/// whose domain separator is `separator`, at `nonce`.
fn signed_permit(
    account: &Account,
    separator: B256,
    spender: Address,
    value: U256,
    nonce: U256,
) -> PermitInput {
    let deadline = U256::from(NOW + 3600);
    let digest = permit_digest(separator, account.address(), spender, value, nonce, deadline);
    let signature = account.signer().sign_hash_sync(&digest).expect("signing should work");
    PermitInput {
        value,
        deadline,
        v: 27 + u8::from(signature.v()),
        r: signature.r().into(),
        s: signature.s().into(),
    }
}

/// A permit whose signature is nobody's.
fn bad_permit(value: U256) -> PermitInput {
    PermitInput {
        value,
        deadline: U256::from(NOW + 3600),
        v: 27,
        r: B256::repeat_byte(1),
        s: B256::repeat_byte(2),
    }
}

#[motsu::test]
fn request_withdrawals_with_permit_sets_the_allowance_then_requests(env: Env, carol: Account) {
    // Given carol holds stETH and never approved the queue.
    env.token.sender(env.pool).mint_shares(carol.address(), eth(10)).motsu_unwrap();
    let separator = env.token.sender(env.admin).domain_separator_abi();
    let permit = signed_permit(&carol, separator, env.q.address(), eth(4), U256::ZERO);
    // When she requests with her signed permit.
    let ids = env
        .call(
            carol.address(),
            I::requestWithdrawalsWithPermitCall {
                amounts: vec![eth(4)],
                owner: Address::ZERO,
                permit,
            },
        )
        .unwrap()
        .requestIds;
    // Then the permit was used (nonce consumed, allowance spent) and the request queued.
    assert_eq!(ids, vec![u(1)]);
    assert_eq!(env.token.sender(env.admin).nonces(carol.address()), u(1));
    assert_eq!(env.token.sender(env.admin).allowance(carol.address(), env.q.address()), U256::ZERO);
    assert_eq!(env.status(u(1)).owner, carol.address());
}

#[motsu::test]
fn request_withdrawals_with_permit_ignores_a_failed_permit_when_allowed(env: Env) {
    // Given alice already approved the queue (e.g. her permit was front-run).
    // When she requests with a permit the token rejects.
    let ids = env.call(
        env.alice,
        I::requestWithdrawalsWithPermitCall {
            amounts: vec![eth(1)],
            owner: Address::ZERO,
            permit: bad_permit(eth(1)),
        },
    );
    // Then the request still goes through.
    assert_eq!(ids.unwrap().requestIds, vec![u(1)]);
}

#[motsu::test]
fn request_withdrawals_with_permit_reverts_without_permit_or_allowance(env: Env) {
    // Given carol never approved the queue.
    let carol = Address::from_tag("carol");
    env.token.sender(env.pool).mint_shares(carol, eth(10)).motsu_unwrap();
    let before = env.snapshot();
    // When she requests with a rejected permit.
    let err = env
        .call(
            carol,
            I::requestWithdrawalsWithPermitCall {
                amounts: vec![eth(1)],
                owner: Address::ZERO,
                permit: bad_permit(eth(1)),
            },
        )
        .unwrap_err();
    // Then the transfer's allowance error comes back, and nothing changed.
    let expected = InsufficientAllowance {
        owner: carol,
        spender: env.q.address(),
        allowance: U256::ZERO,
        needed: eth(1),
    };
    assert_eq!(err, sol_revert(&expected));
    assert_ne!(err, sol_revert(&InvalidSignature {}));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn request_withdrawals_wst_eth_with_permit_sets_the_allowance_then_requests(
    env: Env,
    carol: Account,
) {
    // Given carol wrapped 10 stETH and never approved the queue for her units.
    env.token.sender(env.pool).mint_shares(carol.address(), eth(10)).motsu_unwrap();
    env.token.sender(carol.address()).approve(env.wrapper.address(), U256::MAX).motsu_unwrap();
    env.wrapper.sender(carol.address()).wrap(eth(10)).motsu_unwrap();
    let separator = env.wrapper.sender(env.admin).domain_separator();
    let permit = signed_permit(&carol, separator, env.q.address(), eth(2), U256::ZERO);
    // When she requests 2 units with her signed permit.
    let ids = env
        .call(
            carol.address(),
            I::requestWithdrawalsWstETHWithPermitCall {
                amounts: vec![eth(2)],
                owner: Address::ZERO,
                permit,
            },
        )
        .unwrap()
        .requestIds;
    // Then the request is queued from her units.
    assert_eq!(ids, vec![u(1)]);
    assert_eq!(env.wrapper.sender(env.admin).balance_of(carol.address()), eth(8));
    assert_eq!(env.status(u(1)).amountOfShares, eth(2));
}

#[motsu::test]
fn request_withdrawals_reverts_when_the_token_answer_does_not_decode(env: Env) {
    // Given a queue whose rebase token answers every call with no data.
    let silent: Contract<SilentTokenMock> = Contract::from_tag("silent");
    let queue: Contract<WithdrawalQueue> = Contract::from_tag("queue2");
    queue
        .sender(env.admin)
        .constructor(env.admin, silent.address(), silent.address(), env.pool)
        .motsu_unwrap();
    let calldata = alloy_sol_types::SolCall::abi_encode(&I::requestWithdrawalsCall {
        amounts: vec![eth(1)],
        owner: Address::ZERO,
    });
    // When alice requests through it.
    let err = queue.sender(env.alice).fallback(&calldata).motsu_unwrap_err();
    // Then it reverts naming the token, and no request exists.
    assert_eq!(err, revert(ExternalCallFailed { target: silent.address() }));
    let last = alloy_sol_types::SolCall::abi_encode(&I::getLastRequestIdCall {});
    assert_eq!(queue.sender(env.alice).fallback(&last).unwrap(), U256::ZERO.to_be_bytes_vec());
}

#[motsu::test]
fn request_withdrawals_reverts_when_the_token_reports_more_than_2_pow_128_shares(env: Env) {
    // Given a queue whose token claims to have moved 2^128 shares.
    let silent: Contract<SilentTokenMock> = Contract::from_tag("silent");
    let too_many = U256::from(u128::MAX) + u(1);
    silent.sender(env.admin).set_answer(too_many.to_be_bytes_vec().into());
    let queue: Contract<WithdrawalQueue> = Contract::from_tag("queue2");
    queue
        .sender(env.admin)
        .constructor(env.admin, silent.address(), silent.address(), env.pool)
        .motsu_unwrap();
    let calldata = alloy_sol_types::SolCall::abi_encode(&I::requestWithdrawalsCall {
        amounts: vec![eth(1)],
        owner: Address::ZERO,
    });
    // When alice requests through it.
    let err = queue.sender(env.alice).fallback(&calldata).motsu_unwrap_err();
    // Then it reverts: shares are stored in 128 bits.
    assert_eq!(err, revert(staking_common::errors::AmountTooLarge { amount: too_many }));
}

#[motsu::test]
fn request_withdrawals_wst_eth_reverts_when_the_sum_overflows(env: Env) {
    let before = env.snapshot();
    // When alice asks for 2^256 - 1 and 1 units.
    let call =
        I::requestWithdrawalsWstETHCall { amounts: vec![U256::MAX, u(1)], owner: Address::ZERO };
    let err = env.call(env.alice, call).unwrap_err();
    // Then the sum overflows before any token call, and nothing changed.
    assert_eq!(err, revert(staking_common::errors::AmountTooLarge { amount: u(1) }));
    assert_eq!(env.snapshot(), before);
}

/// Writes `value` to slot 0 of the queue (test control over the packed
/// counters, to reach their limits).
fn write_slot0(env: &Env, value: U256) {
    use stylus_sdk::prelude::HostAccess;
    // SAFETY: no storage accessor of the queue is alive; motsu writes through.
    unsafe {
        env.q.sender(env.admin).vm().storage_cache_bytes32(U256::ZERO, B256::from(value));
    }
}

#[motsu::test]
fn request_withdrawals_reverts_when_the_request_ids_are_exhausted(env: Env) {
    // Given the last request id at 2^48 - 1 (slot 0, bits 0..48).
    write_slot0(&env, U256::from(crate::MAX_REQUEST_ID));
    // When alice requests.
    let err = env.request(env.alice, &[eth(1)], Address::ZERO).unwrap_err();
    // Then it reverts, and nothing changed.
    assert_eq!(err, revert(staking_common::errors::TotalOverflow {}));
    assert_eq!(env.last_request_id(), U256::from(crate::MAX_REQUEST_ID));
    assert_eq!(env.token.sender(env.admin).shares_of(env.alice), eth(50));
}

#[motsu::test]
fn request_withdrawals_reverts_when_the_unfinalized_sum_would_pass_2_pow_96(env: Env) {
    // Given 2^96 - 1 - 100 wei unfinalized (slot 0, bits 96..192).
    let near = crate::MAX_UNFINALIZED_STETH - u(100);
    write_slot0(&env, near << 96);
    // When alice requests 101 wei.
    let err = env.request(env.alice, &[u(101)], Address::ZERO).unwrap_err();
    // Then it reverts, and nothing changed.
    assert_eq!(err, revert(staking_common::errors::TotalOverflow {}));
    assert_eq!(env.unfinalized_steth(), near);
    assert_eq!(env.last_request_id(), U256::ZERO);
    // While 100 wei, reaching the bound exactly, is accepted.
    env.request(env.alice, &[u(100)], Address::ZERO).unwrap();
    assert_eq!(env.unfinalized_steth(), crate::MAX_UNFINALIZED_STETH);
}
