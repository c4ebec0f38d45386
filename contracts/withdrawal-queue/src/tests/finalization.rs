//! `prefinalize` / `finalize`: the value of each request at the report's
//! share-rate cap, the ether locked, checkpoints, and every revert. The
//! scenarios rebase the real token between request and finalization and
//! check the exact wei paid (hand-computed in the comments).

use alloy_primitives::{Address, U256};
use motsu::prelude::*;
use staking_common::errors::{AmountTooLarge, Unauthorized};

use super::{eth, revert, u, Env, NOW, RATE_ONE};
use crate::{
    abi::IWithdrawalQueue as I, BatchMetadataUpdate, InvalidRequestId, NotEnoughEtherToFinalize,
    ResumedExpected, TooMuchEtherToFinalize, WithdrawalsFinalized, ZeroShareRate, PAUSE_ROLE,
};

/// Alice requests 10 ether at rate 1 (10 shares); the rate rises to 1.2 and
/// bob requests 12 ether (10 shares); a slashing brings it to 1.1.
fn two_requests_then_slashing(env: &Env) {
    env.request(env.alice, &[eth(10)], Address::ZERO).unwrap();
    env.rebase_to(eth(1200));
    env.request(env.bob, &[eth(12)], Address::ZERO).unwrap();
    env.rebase_to(eth(1100));
    assert_eq!(env.share_rate(), RATE_ONE * u(11) / u(10));
}

#[motsu::test]
fn prefinalize_values_each_request_at_the_lower_of_nominal_and_rate(env: Env) {
    // Given two requests made at rates 1 and 1.2, the rate now 1.1.
    two_requests_then_slashing(&env);
    // When the report asks what finalizing both at 1.1 takes.
    let (ether, shares) = env.prefinalize(u(2), env.share_rate()).unwrap();
    // Then request 1 is worth min(10, 10 * 1.1) = 10 (the later gain is not
    // received), request 2 min(12, 10 * 1.1) = 11 (the loss is borne).
    assert_eq!(ether, eth(21));
    assert_eq!(shares, eth(20));
    // And up to request 1 only: 10 ether for 10 shares.
    assert_eq!(env.prefinalize(u(1), env.share_rate()).unwrap(), (eth(10), eth(10)));
}

#[motsu::test]
fn prefinalize_changes_nothing(env: Env) {
    two_requests_then_slashing(&env);
    let before = env.snapshot();
    // When prefinalize is asked.
    env.prefinalize(u(2), env.share_rate()).unwrap();
    // Then no state changed.
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn finalize_locks_the_ether_adds_a_checkpoint_and_logs(env: Env) {
    // Given two requests worth 21 ether at rate 1.1.
    two_requests_then_slashing(&env);
    // When the deposit pool finalizes both with exactly 21 ether.
    let (ether, shares) = env.finalize(u(2), env.share_rate()).unwrap();
    // Then the ether is locked, both requests are finalized, one checkpoint exists.
    assert_eq!((ether, shares), (eth(21), eth(20)));
    assert_eq!(env.locked(), eth(21));
    assert_eq!(env.q.balance(), eth(21));
    assert_eq!(env.last_finalized(), u(2));
    assert_eq!(env.unfinalized_steth(), U256::ZERO);
    assert_eq!(env.last_checkpoint(), u(1));
    assert!(env.status(u(1)).isFinalized && env.status(u(2)).isFinalized);
    assert_eq!(env.hints(&[u(1), u(2)]), vec![u(1), u(1)]);
    // And the events are Lido's.
    env.q.assert_emitted(&WithdrawalsFinalized {
        from: u(1),
        to: u(2),
        amountOfETHLocked: eth(21),
        sharesToBurn: eth(20),
        timestamp: U256::from(NOW),
    });
    env.q.assert_emitted(&BatchMetadataUpdate { _fromTokenId: u(1), _toTokenId: u(2) });
    // And the oracle burnt exactly the requests' shares from the queue.
    assert_eq!(env.token.sender(env.admin).shares_of(env.q.address()), U256::ZERO);
    env.check_invariants();
}

#[motsu::test]
fn finalize_can_proceed_in_several_reports(env: Env) {
    // Given three requests of 10 ether at rate 1.
    env.request(env.alice, &[eth(10), eth(10)], Address::ZERO).unwrap();
    env.request(env.bob, &[eth(10)], Address::ZERO).unwrap();
    // When one report finalizes request 1 at rate 1, and, after a slashing to
    // rate 0.9 (P = 1000 - 10 locked = 990 -> 891 over 990 shares), another
    // finalizes requests 2 and 3.
    env.finalize(u(1), env.share_rate()).unwrap();
    env.rebase_to(eth(891));
    assert_eq!(env.share_rate(), RATE_ONE * u(9) / u(10));
    let (ether, _) = env.finalize(u(3), env.share_rate()).unwrap();
    // Then the second report locked 2 * 9 ether, the queue holds 28.
    assert_eq!(ether, eth(18));
    assert_eq!(env.locked(), eth(28));
    // And each request points to its own checkpoint.
    assert_eq!(env.last_checkpoint(), u(2));
    assert_eq!(env.hints(&[u(1), u(2), u(3)]), vec![u(1), u(2), u(2)]);
    env.check_invariants();
}

#[motsu::test]
fn finalize_reverts_when_the_caller_is_not_the_deposit_pool(env: Env) {
    // Given a request worth 10 ether.
    env.request(env.alice, &[eth(10)], Address::ZERO).unwrap();
    let before = env.snapshot();
    // When the oracle (not the pool) sends the ether to finalize it.
    let call = I::finalizeCall { lastRequestId: u(1), maxShareRate: RATE_ONE };
    let err = env.call_value(env.oracle, eth(10), call).unwrap_err();
    // Then it reverts, nothing changed and the ether stayed with the caller.
    assert_eq!(err, revert(Unauthorized { caller: env.oracle }));
    assert_eq!(env.snapshot(), before);
    assert_eq!(super::ether_of(env.oracle), eth(10));
}

#[motsu::test]
fn finalize_reverts_when_sent_more_ether_than_the_requests_are_worth(env: Env) {
    env.request(env.alice, &[eth(10)], Address::ZERO).unwrap();
    let before = env.snapshot();
    // When the pool sends 1 wei too much.
    let call = I::finalizeCall { lastRequestId: u(1), maxShareRate: RATE_ONE };
    let err = env.call_value(env.pool, eth(10) + u(1), call).unwrap_err();
    // Then it reverts naming both amounts, and nothing changed.
    let expected = TooMuchEtherToFinalize { sent: eth(10) + u(1), totalStETHToFinalize: eth(10) };
    assert_eq!(err, revert(expected));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn finalize_reverts_when_sent_less_ether_than_the_requests_are_worth(env: Env) {
    env.request(env.alice, &[eth(10)], Address::ZERO).unwrap();
    let before = env.snapshot();
    // When the pool sends 1 wei too little.
    let call = I::finalizeCall { lastRequestId: u(1), maxShareRate: RATE_ONE };
    let err = env.call_value(env.pool, eth(10) - u(1), call).unwrap_err();
    // Then it reverts, and nothing changed.
    let expected = NotEnoughEtherToFinalize { sent: eth(10) - u(1), totalStETHToFinalize: eth(10) };
    assert_eq!(err, revert(expected));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn finalize_reverts_when_paused(env: Env) {
    // Given a request, then the queue paused.
    env.request(env.alice, &[eth(10)], Address::ZERO).unwrap();
    env.call(env.admin, I::grantRoleCall { role: PAUSE_ROLE, account: env.admin }).unwrap();
    env.call(env.admin, I::pauseForCall { duration: u(60) }).unwrap();
    let before = env.snapshot();
    // When the pool finalizes.
    let call = I::finalizeCall { lastRequestId: u(1), maxShareRate: RATE_ONE };
    let err = env.call_value(env.pool, eth(10), call).unwrap_err();
    // Then it reverts, and nothing changed.
    assert_eq!(err, revert(ResumedExpected {}));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn finalize_reverts_when_the_rate_is_zero(env: Env) {
    env.request(env.alice, &[eth(10)], Address::ZERO).unwrap();
    let before = env.snapshot();
    // When prefinalize and finalize are asked at rate 0.
    assert_eq!(env.prefinalize(u(1), U256::ZERO).unwrap_err(), revert(ZeroShareRate {}));
    let call = I::finalizeCall { lastRequestId: u(1), maxShareRate: U256::ZERO };
    let err = env.call(env.pool, call).unwrap_err();
    // Then both revert, and nothing changed.
    assert_eq!(err, revert(ZeroShareRate {}));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn finalize_reverts_when_the_rate_is_above_2_pow_128(env: Env) {
    env.request(env.alice, &[eth(10)], Address::ZERO).unwrap();
    let before = env.snapshot();
    let rate = U256::from(u128::MAX) + u(1);
    // When prefinalize and finalize are asked at 2^128.
    assert_eq!(env.prefinalize(u(1), rate).unwrap_err(), revert(AmountTooLarge { amount: rate }));
    let call = I::finalizeCall { lastRequestId: u(1), maxShareRate: rate };
    let err = env.call_value(env.pool, eth(10), call).unwrap_err();
    // Then both revert, and nothing changed.
    assert_eq!(err, revert(AmountTooLarge { amount: rate }));
    assert_eq!(env.snapshot(), before);
    // While 2^128 - 1 is accepted (the request is worth its nominal amount).
    assert_eq!(env.prefinalize(u(1), rate - u(1)).unwrap(), (eth(10), eth(10)));
}

#[motsu::test]
fn finalize_reverts_when_the_last_id_is_not_past_the_finalized_one(env: Env) {
    // Given request 1 finalized and request 2 pending.
    env.request(env.alice, &[eth(1), eth(1)], Address::ZERO).unwrap();
    env.finalize(u(1), RATE_ONE).unwrap();
    let before = env.snapshot();
    // When finalization is asked up to 1 again, or up to 0.
    for last in [u(1), U256::ZERO] {
        let expected = revert(InvalidRequestId { requestId: last });
        assert_eq!(env.prefinalize(last, RATE_ONE).unwrap_err(), expected);
        let call = I::finalizeCall { lastRequestId: last, maxShareRate: RATE_ONE };
        assert_eq!(env.call(env.pool, call).unwrap_err(), expected);
    }
    // Then nothing changed.
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn finalize_reverts_when_the_last_id_is_beyond_the_last_request(env: Env) {
    env.request(env.alice, &[eth(1)], Address::ZERO).unwrap();
    let before = env.snapshot();
    // When finalization is asked up to request 2 (it does not exist), or 2^64.
    for last in [u(2), U256::from(u64::MAX) + u(1)] {
        let expected = revert(InvalidRequestId { requestId: last });
        assert_eq!(env.prefinalize(last, RATE_ONE).unwrap_err(), expected);
        let call = I::finalizeCall { lastRequestId: last, maxShareRate: RATE_ONE };
        assert_eq!(env.call_value(env.pool, eth(1), call).unwrap_err(), expected);
    }
    // Then nothing changed.
    assert_eq!(env.snapshot(), before);
}

// --------------------------------------------------- rebases and exact wei

#[motsu::test]
fn negative_rebase_before_finalization_is_borne_by_the_requester(env: Env) {
    // Given alice requests 10 ether at rate 1 for the wallet (10 shares).
    env.request(env.alice, &[eth(10)], env.wallet.address()).unwrap();
    // When a slashing takes the rate to 0.95 (P = 950) before the report.
    env.rebase_to(eth(950));
    let (ether, shares) = env.finalize(u(1), env.share_rate()).unwrap();
    // Then the request is worth 10 shares * 0.95 = 9.5 ether, and that is paid.
    assert_eq!((ether, shares), (eth(95) / u(10), eth(10)));
    env.claim_to(env.wallet.address(), &[u(1)], env.wallet.address()).unwrap();
    assert_eq!(env.wallet.balance(), eth(95) / u(10));
    // And nothing is left locked.
    assert_eq!(env.locked(), U256::ZERO);
    assert_eq!(env.q.balance(), U256::ZERO);
}

#[motsu::test]
fn positive_rebase_before_finalization_is_not_received(env: Env) {
    // Given alice requests 10 ether at rate 1 (10 shares); bob holds 100 shares.
    env.request(env.alice, &[eth(10)], env.wallet.address()).unwrap();
    // When rewards take the rate to 1.1 (P = 1100) before the report.
    env.rebase_to(eth(1100));
    let bob_before = env.token.sender(env.admin).balance_of(env.bob);
    let (ether, shares) = env.finalize(u(1), env.share_rate()).unwrap();
    // Then the request is worth its nominal 10 ether, not 11.
    assert_eq!((ether, shares), (eth(10), eth(10)));
    env.claim_to(env.wallet.address(), &[u(1)], env.wallet.address()).unwrap();
    assert_eq!(env.wallet.balance(), eth(10));
    // And its 10 shares were burnt for 10 ether, so the rest of the pool got the
    // extra ether: P = 1090 over S = 990, bob's 100 shares = floor(100 * 1090 / 990).
    let bob_after = env.token.sender(env.admin).balance_of(env.bob);
    assert_eq!(bob_before, eth(110));
    assert_eq!(bob_after, eth(100) * eth(1090) / eth(990));
    assert!(bob_after > bob_before);
}

#[motsu::test]
fn rounding_dust_never_stays_in_the_queue(env: Env) {
    // Given P = 1065.370849650734094799 ether over S = 1000 ether, so the
    // report's rate is exactly P * 1e27 / S = 1065370849650734094799000000.
    env.rebase_to(u(1_065_370_849_650_734_094_799));
    // When alice requests X = 4.699339987076239173 ether for the wallet: the
    // token moves floor(X * S / P) = 4410989833837529466 shares.
    let x = u(4_699_339_987_076_239_173);
    env.request(env.alice, &[x], env.wallet.address()).unwrap();
    assert_eq!(env.status(u(1)).amountOfShares, u(4_410_989_833_837_529_466));
    // And the request is finalized at the unchanged rate.
    let rate = env.share_rate();
    assert_eq!(rate, u(1_065_370_849_650_734_094_799_000_000));
    let (ether, _) = env.finalize(u(1), rate).unwrap();
    // Then it is worth floor(4410989833837529466 * rate / 1e27) =
    // 4699339987076239171 wei: 2 wei below the nominal amount (the 1-2 wei of
    // Lido #442), and exactly that is locked, never the nominal amount.
    assert_eq!(ether, u(4_699_339_987_076_239_171));
    assert_eq!(x - ether, u(2));
    assert_eq!(env.locked(), ether);
    // And the claim pays exactly the locked amount: nothing stays in the queue;
    // the 2 wei never left the pool (P fell by `ether` only).
    env.claim_to(env.wallet.address(), &[u(1)], env.wallet.address()).unwrap();
    assert_eq!(env.wallet.balance(), ether);
    assert_eq!((env.locked(), env.q.balance()), (U256::ZERO, U256::ZERO));
    assert_eq!(
        env.token.sender(env.admin).get_total_pooled_ether(),
        u(1_065_370_849_650_734_094_799) - ether
    );
}

#[motsu::test]
fn requests_are_finalized_in_queue_order(env: Env) {
    // Given requests 1 (alice), 2 (bob), 3 (alice).
    env.request(env.alice, &[eth(1)], Address::ZERO).unwrap();
    env.request(env.bob, &[eth(2)], Address::ZERO).unwrap();
    env.request(env.alice, &[eth(3)], Address::ZERO).unwrap();
    // When the report finalizes up to request 2.
    env.finalize(u(2), RATE_ONE).unwrap();
    // Then exactly the first two are finalized, the third waits.
    let finalized: Vec<bool> = (1..=3).map(|id| env.status(u(id)).isFinalized).collect();
    assert_eq!(finalized, vec![true, true, false]);
    assert_eq!(env.unfinalized_steth(), eth(3));
    let number = env.call(env.admin, I::unfinalizedRequestNumberCall {}).unwrap()._0;
    assert_eq!(number, u(1));
    // And request 3 cannot be claimed yet while 1 and 2 can (in any order).
    let err = env.claim_to(env.alice, &[u(3)], env.alice).unwrap_err();
    assert_eq!(err, revert(crate::RequestNotFoundOrNotFinalized { requestId: u(3) }));
    env.check_invariants();
}
