//! Pause (requests and finalization only, never claims) and the role map
//! (OpenZeppelin's `IAccessControl` ABI).

use alloy_primitives::{Address, B256, U256};
use motsu::prelude::*;
use staking_common::{
    errors::{AccessControlBadConfirmation, AccessControlUnauthorizedAccount},
    events::{Resumed, RoleGranted, RoleRevoked},
};

use super::{eth, revert, u, Env, NOW, RATE_ONE};
use crate::{
    abi::IWithdrawalQueue as I, is_paused_at, PauseUntilMustBeInFuture, Paused, PausedExpected,
    ResumedExpected, ZeroPauseDuration, PAUSE_INFINITELY, PAUSE_ROLE, RESUME_ROLE,
};

/// The admin grants itself both pause roles.
fn admin_can_pause_and_resume(env: &Env) {
    env.call(env.admin, I::grantRoleCall { role: PAUSE_ROLE, account: env.admin }).unwrap();
    env.call(env.admin, I::grantRoleCall { role: RESUME_ROLE, account: env.admin }).unwrap();
}

fn is_paused(env: &Env) -> bool {
    env.call(env.bob, I::isPausedCall {}).unwrap()._0
}

fn resume_since(env: &Env) -> U256 {
    env.call(env.bob, I::getResumeSinceTimestampCall {}).unwrap()._0
}

#[motsu::test]
fn the_queue_starts_resumed(env: Env) {
    assert!(!is_paused(&env));
    assert_eq!(resume_since(&env), U256::ZERO);
}

#[motsu::test]
fn pause_for_pauses_for_the_duration(env: Env) {
    admin_can_pause_and_resume(&env);
    // When the admin pauses for an hour.
    env.call(env.admin, I::pauseForCall { duration: u(3600) }).unwrap();
    // Then the queue is paused until now + 3600.
    assert!(is_paused(&env));
    assert_eq!(resume_since(&env), U256::from(NOW + 3600));
    env.q.assert_emitted(&Paused { duration: u(3600) });
}

#[motsu::test]
fn pause_for_infinitely_pauses_until_resumed(env: Env) {
    admin_can_pause_and_resume(&env);
    // When the admin pauses with PAUSE_INFINITELY, or a duration past 2^64.
    env.call(env.admin, I::pauseForCall { duration: PAUSE_INFINITELY }).unwrap();
    // Then the resume time is PAUSE_INFINITELY.
    assert_eq!(resume_since(&env), PAUSE_INFINITELY);
    env.q.assert_emitted(&Paused { duration: PAUSE_INFINITELY });
    env.call(env.admin, I::resumeCall {}).unwrap();
    env.call(env.admin, I::pauseForCall { duration: U256::from(u64::MAX) + u(1) }).unwrap();
    assert_eq!(resume_since(&env), PAUSE_INFINITELY);
    assert!(is_paused(&env));
}

#[motsu::test]
fn pause_for_reverts_without_the_role_when_paused_or_for_zero(env: Env) {
    admin_can_pause_and_resume(&env);
    let before = env.snapshot();
    // When bob (no role) pauses, or the admin pauses for 0 seconds.
    let err = env.call(env.bob, I::pauseForCall { duration: u(1) }).unwrap_err();
    assert_eq!(
        err,
        revert(AccessControlUnauthorizedAccount { account: env.bob, neededRole: PAUSE_ROLE })
    );
    let zero = env.call(env.admin, I::pauseForCall { duration: U256::ZERO }).unwrap_err();
    assert_eq!(zero, revert(ZeroPauseDuration {}));
    // Then nothing changed.
    assert_eq!(env.snapshot(), before);
    assert!(!is_paused(&env));
    // And pausing twice reverts.
    env.call(env.admin, I::pauseForCall { duration: u(10) }).unwrap();
    let twice = env.call(env.admin, I::pauseForCall { duration: u(10) }).unwrap_err();
    assert_eq!(twice, revert(ResumedExpected {}));
    assert_eq!(resume_since(&env), U256::from(NOW + 10));
}

#[motsu::test]
fn pause_until_pauses_up_to_and_including_the_time(env: Env) {
    admin_can_pause_and_resume(&env);
    // When the admin pauses until now (inclusive).
    env.call(env.admin, I::pauseUntilCall { pauseUntilInclusive: U256::from(NOW) }).unwrap();
    // Then it is paused for this second: resumption at now + 1.
    assert!(is_paused(&env));
    assert_eq!(resume_since(&env), U256::from(NOW + 1));
    env.q.assert_emitted(&Paused { duration: u(1) });
    // And PAUSE_INFINITELY pauses until resumed.
    env.call(env.admin, I::resumeCall {}).unwrap();
    env.call(env.admin, I::pauseUntilCall { pauseUntilInclusive: PAUSE_INFINITELY }).unwrap();
    assert_eq!(resume_since(&env), PAUSE_INFINITELY);
    env.q.assert_emitted(&Paused { duration: PAUSE_INFINITELY });
}

#[motsu::test]
fn pause_until_reverts_for_a_time_in_the_past_or_without_the_role(env: Env) {
    admin_can_pause_and_resume(&env);
    let before = env.snapshot();
    let past = U256::from(NOW - 1);
    // When the admin pauses until a second ago, or bob pauses at all.
    let err = env.call(env.admin, I::pauseUntilCall { pauseUntilInclusive: past }).unwrap_err();
    assert_eq!(err, revert(PauseUntilMustBeInFuture {}));
    let bob = env.call(env.bob, I::pauseUntilCall { pauseUntilInclusive: PAUSE_INFINITELY });
    assert_eq!(
        bob.unwrap_err(),
        revert(AccessControlUnauthorizedAccount { account: env.bob, neededRole: PAUSE_ROLE })
    );
    // Then nothing changed.
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn resume_ends_the_pause(env: Env) {
    admin_can_pause_and_resume(&env);
    env.call(env.admin, I::pauseForCall { duration: PAUSE_INFINITELY }).unwrap();
    // When the admin resumes.
    env.call(env.admin, I::resumeCall {}).unwrap();
    // Then requests work again and the resume time is now.
    assert!(!is_paused(&env));
    assert_eq!(resume_since(&env), U256::from(NOW));
    env.q.assert_emitted(&Resumed {});
    env.request(env.alice, &[eth(1)], Address::ZERO).unwrap();
}

#[motsu::test]
fn resume_reverts_when_not_paused_or_without_the_role(env: Env) {
    admin_can_pause_and_resume(&env);
    let before = env.snapshot();
    // When the admin resumes a running queue.
    let err = env.call(env.admin, I::resumeCall {}).unwrap_err();
    assert_eq!(err, revert(PausedExpected {}));
    assert_eq!(env.snapshot(), before);
    // And when bob resumes a paused one.
    env.call(env.admin, I::pauseForCall { duration: u(60) }).unwrap();
    let paused = env.snapshot();
    let bob = env.call(env.bob, I::resumeCall {}).unwrap_err();
    assert_eq!(
        bob,
        revert(AccessControlUnauthorizedAccount { account: env.bob, neededRole: RESUME_ROLE })
    );
    assert_eq!(env.snapshot(), paused);
}

#[motsu::test]
fn pause_blocks_requests_and_finalization_but_never_claims(env: Env) {
    // Given two requests, the first finalized.
    admin_can_pause_and_resume(&env);
    env.request(env.alice, &[eth(1), eth(1)], env.wallet.address()).unwrap();
    env.finalize(u(1), RATE_ONE).unwrap();
    // When the queue is paused.
    env.call(env.admin, I::pauseForCall { duration: PAUSE_INFINITELY }).unwrap();
    // Then requests (both tokens) and finalization revert.
    let paused = revert(ResumedExpected {});
    assert_eq!(env.request(env.alice, &[eth(1)], Address::ZERO).unwrap_err(), paused);
    let wrapped = I::requestWithdrawalsWstETHCall { amounts: vec![eth(1)], owner: Address::ZERO };
    assert_eq!(env.call(env.alice, wrapped).unwrap_err(), paused);
    let finalize = I::finalizeCall { lastRequestId: u(2), maxShareRate: RATE_ONE };
    assert_eq!(env.call_value(env.pool, eth(1), finalize).unwrap_err(), paused);
    // And the finalized request can still be claimed and transferred.
    env.call_as_wallet(I::claimWithdrawalCall { requestId: u(1) }).unwrap();
    assert_eq!(env.wallet.balance(), eth(1));
    env.call_as_wallet(I::transferFromCall {
        from: env.wallet.address(),
        to: env.bob,
        requestId: u(2),
    })
    .unwrap();
}

#[test]
fn is_paused_at_compares_the_time_with_the_resume_time() {
    // Paused strictly before the resume time, resumed from it on.
    assert!(is_paused_at(99, 100));
    assert!(!is_paused_at(100, 100));
    assert!(!is_paused_at(101, 100));
    assert!(is_paused_at(u64::MAX - 1, u64::MAX));
    assert!(!is_paused_at(0, 0));
}

// ------------------------------------------------------------------ roles

#[motsu::test]
fn constructor_grants_the_admin_role_and_wires_the_programs(env: Env) {
    // Then the admin holds DEFAULT_ADMIN_ROLE and the wiring reads back.
    let admin_role = env.call(env.bob, I::DEFAULT_ADMIN_ROLECall {}).unwrap()._0;
    assert_eq!(admin_role, B256::ZERO);
    let has = env.call(env.bob, I::hasRoleCall { role: admin_role, account: env.admin });
    assert!(has.unwrap()._0);
    env.q.assert_emitted(&RoleGranted { role: B256::ZERO, account: env.admin, sender: env.admin });
    assert_eq!(env.call(env.bob, I::STETHCall {}).unwrap()._0, env.token.address());
    assert_eq!(env.call(env.bob, I::WSTETHCall {}).unwrap()._0, env.wrapper.address());
    assert_eq!(env.call(env.bob, I::getDepositPoolCall {}).unwrap()._0, env.pool);
}

#[motsu::test]
fn constructor_reverts_when_an_address_is_zero(env: Env) {
    // Given a fresh program.
    let queue: Contract<crate::WithdrawalQueue> = Contract::from_tag("fresh_queue");
    let a = Address::repeat_byte(1);
    // When any of the four addresses is zero.
    for args in [
        (Address::ZERO, a, a, a),
        (a, Address::ZERO, a, a),
        (a, a, Address::ZERO, a),
        (a, a, a, Address::ZERO),
    ] {
        let err =
            queue.sender(env.admin).constructor(args.0, args.1, args.2, args.3).motsu_unwrap_err();
        // Then it reverts and nothing was set.
        assert_eq!(Vec::from(err), revert(staking_common::errors::ZeroAddress {}));
    }
    let steth = alloy_sol_types::SolCall::abi_encode(&I::STETHCall {});
    assert_eq!(queue.sender(env.admin).fallback(&steth).unwrap(), vec![0u8; 32]);
}

#[motsu::test]
fn grant_and_revoke_role_change_membership_once(env: Env) {
    let has = |account| env.call(env.bob, I::hasRoleCall { role: PAUSE_ROLE, account }).unwrap()._0;
    // When the admin grants PAUSE_ROLE to bob twice.
    env.call(env.admin, I::grantRoleCall { role: PAUSE_ROLE, account: env.bob }).unwrap();
    let events = env.q.all_events().len();
    env.call(env.admin, I::grantRoleCall { role: PAUSE_ROLE, account: env.bob }).unwrap();
    // Then bob holds it, with one RoleGranted.
    assert!(has(env.bob));
    assert_eq!(env.q.all_events().len(), events);
    env.q.assert_emitted(&RoleGranted { role: PAUSE_ROLE, account: env.bob, sender: env.admin });
    // When it is revoked.
    env.call(env.admin, I::revokeRoleCall { role: PAUSE_ROLE, account: env.bob }).unwrap();
    // Then he no longer holds it.
    assert!(!has(env.bob));
    env.q.assert_emitted(&RoleRevoked { role: PAUSE_ROLE, account: env.bob, sender: env.admin });
    // And every role's admin is DEFAULT_ADMIN_ROLE.
    let admin = env.call(env.bob, I::getRoleAdminCall { role: PAUSE_ROLE }).unwrap()._0;
    assert_eq!(admin, B256::ZERO);
}

#[motsu::test]
fn grant_and_revoke_role_revert_without_the_admin_role(env: Env) {
    let before = env.snapshot();
    let unauthorized =
        revert(AccessControlUnauthorizedAccount { account: env.bob, neededRole: B256::ZERO });
    // When bob grants or revokes.
    let grant = env.call(env.bob, I::grantRoleCall { role: PAUSE_ROLE, account: env.bob });
    let revoke = env.call(env.bob, I::revokeRoleCall { role: B256::ZERO, account: env.admin });
    // Then both revert, and nothing changed.
    assert_eq!(grant.unwrap_err(), unauthorized);
    assert_eq!(revoke.unwrap_err(), unauthorized);
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn renounce_role_requires_the_caller_confirmation(env: Env) {
    env.call(env.admin, I::grantRoleCall { role: PAUSE_ROLE, account: env.bob }).unwrap();
    let before = env.snapshot();
    // When bob renounces for alice.
    let err =
        env.call(env.bob, I::renounceRoleCall { role: PAUSE_ROLE, callerConfirmation: env.alice });
    // Then it reverts, and nothing changed.
    assert_eq!(err.unwrap_err(), revert(AccessControlBadConfirmation {}));
    assert_eq!(env.snapshot(), before);
    // When he renounces for himself, he loses the role.
    env.call(env.bob, I::renounceRoleCall { role: PAUSE_ROLE, callerConfirmation: env.bob })
        .unwrap();
    let has = env.call(env.bob, I::hasRoleCall { role: PAUSE_ROLE, account: env.bob }).unwrap()._0;
    assert!(!has);
    env.q.assert_emitted(&RoleRevoked { role: PAUSE_ROLE, account: env.bob, sender: env.bob });
}
