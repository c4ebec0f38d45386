//! Construction, roles, stop/resume and the privileged program entries.

use alloy_primitives::{keccak256, B256, U256};
use alloy_sol_types::SolEvent;
use motsu::prelude::*;
use staking_common::{
    errors::{
        AccessControlBadConfirmation, AccessControlUnauthorizedAccount, ContractNotStopped,
        ContractStopped, Unauthorized, ZeroAddress,
    },
    events::{ProtocolContractsSet, Resumed, RoleGranted, RoleRevoked, Stopped},
    roles::{DEFAULT_ADMIN_ROLE, PAUSE_ROLE, RESUME_ROLE},
};

use super::{erc20::last_events, *};
use crate::InvalidStringLength;

#[motsu::test]
fn constructor_sets_metadata_and_grants_the_admin_role(token: Contract<RebaseToken>) {
    // When the token is constructed.
    token.sender(ALICE).constructor(NAME.into(), SYMBOL.into(), ADMIN).motsu_unwrap();
    // Then the admin holds DEFAULT_ADMIN_ROLE, granted by the deployer.
    assert!(token.sender(ALICE).has_role(DEFAULT_ADMIN_ROLE, ADMIN));
    assert!(!token.sender(ALICE).has_role(DEFAULT_ADMIN_ROLE, ALICE));
    token.assert_emitted(&RoleGranted { role: DEFAULT_ADMIN_ROLE, account: ADMIN, sender: ALICE });
    assert_eq!(token.sender(ALICE).name(), NAME);
    assert_eq!(token.sender(ALICE).symbol(), SYMBOL);
    // And it starts running, empty, with no program set.
    assert!(!token.sender(ALICE).is_stopped());
    assert_eq!(token.sender(ALICE).get_deposit_pool(), Address::ZERO);
}

#[motsu::test]
fn constructor_reverts_when_admin_is_zero(token: Contract<RebaseToken>) {
    // When the token is constructed without an admin.
    let err = token
        .sender(ALICE)
        .constructor(NAME.into(), SYMBOL.into(), Address::ZERO)
        .motsu_unwrap_err();
    // Then it reverts ZeroAddress and nothing was stored.
    assert_eq!(err, ZeroAddress {}.into());
    assert!(token.all_events().is_empty());
}

#[motsu::test]
fn constructor_reverts_when_a_string_is_empty_or_longer_than_31_bytes(
    token: Contract<RebaseToken>,
) {
    for (name, symbol, length) in [
        ("x".repeat(32), "y".to_string(), 32),
        (String::new(), "y".to_string(), 0),
        ("x".to_string(), "y".repeat(40), 40),
    ] {
        // When the name or symbol has 32 or 0 bytes (or the symbol 40).
        let err = token.sender(ALICE).constructor(name, symbol, ADMIN).motsu_unwrap_err();
        // Then it reverts InvalidStringLength(length) and nothing was stored.
        assert_eq!(err, InvalidStringLength { length: U256::from(length) }.into());
        assert!(!token.sender(ALICE).has_role(DEFAULT_ADMIN_ROLE, ADMIN));
    }
    // And 31 bytes each are accepted and read back.
    token.sender(ALICE).constructor("n".repeat(31), "s".repeat(31), ADMIN).motsu_unwrap();
    assert_eq!(token.sender(ALICE).name(), "n".repeat(31));
    assert_eq!(token.sender(ALICE).symbol(), "s".repeat(31));
}

#[motsu::test]
fn role_constants_are_the_hashes_of_their_names() {
    // Then the role views return OpenZeppelin's and Lido's ids.
    assert_eq!(RebaseToken::default_admin_role(), B256::ZERO);
    assert_eq!(RebaseToken::pause_role(), keccak256("PAUSE_ROLE"));
    assert_eq!(RebaseToken::resume_role(), keccak256("RESUME_ROLE"));
    // And every role is administered by DEFAULT_ADMIN_ROLE.
    assert_eq!(RebaseToken::get_role_admin(PAUSE_ROLE), DEFAULT_ADMIN_ROLE);
    assert_eq!(RebaseToken::get_role_admin(RESUME_ROLE), DEFAULT_ADMIN_ROLE);
}

#[motsu::test]
fn grant_role_grants_once_and_emits_role_granted() {
    // Given a deployed token.
    let world = World::empty();
    // When the admin grants PAUSE_ROLE to Alice twice.
    world.token.sender(ADMIN).grant_role(PAUSE_ROLE, ALICE).motsu_unwrap();
    let events = world.token.all_events().len();
    world.token.sender(ADMIN).grant_role(PAUSE_ROLE, ALICE).motsu_unwrap();
    // Then she holds it and only the first grant logged RoleGranted.
    assert!(world.token.sender(ALICE).has_role(PAUSE_ROLE, ALICE));
    world.token.assert_emitted(&RoleGranted { role: PAUSE_ROLE, account: ALICE, sender: ADMIN });
    assert_eq!(world.token.all_events().len(), events);
}

#[motsu::test]
fn revoke_role_revokes_and_emits_role_revoked() {
    // Given Alice holds PAUSE_ROLE.
    let world = World::empty();
    world.token.sender(ADMIN).grant_role(PAUSE_ROLE, ALICE).motsu_unwrap();
    // When the admin revokes it.
    world.token.sender(ADMIN).revoke_role(PAUSE_ROLE, ALICE).motsu_unwrap();
    // Then she no longer holds it and RoleRevoked was logged.
    assert!(!world.token.sender(ALICE).has_role(PAUSE_ROLE, ALICE));
    assert_eq!(
        last_events(&world, 1),
        vec![RoleRevoked { role: PAUSE_ROLE, account: ALICE, sender: ADMIN }.encode_log_data()]
    );
}

#[motsu::test]
fn grant_and_revoke_role_revert_for_non_admins() {
    // Given a deployed token.
    let world = World::empty();
    for caller in [ALICE, world.pool.address(), ORACLE, QUEUE] {
        let before = world.snapshot();
        // When a non-admin grants or revokes a role.
        let grant = world.token.sender(caller).grant_role(PAUSE_ROLE, caller).motsu_unwrap_err();
        let revoke =
            world.token.sender(caller).revoke_role(DEFAULT_ADMIN_ROLE, ADMIN).motsu_unwrap_err();
        // Then both revert AccessControlUnauthorizedAccount(caller, DEFAULT_ADMIN_ROLE).
        let expected =
            AccessControlUnauthorizedAccount { account: caller, neededRole: DEFAULT_ADMIN_ROLE };
        world.assert_reverted(grant, expected.clone().into(), &before);
        world.assert_reverted(revoke, expected.into(), &before);
    }
}

#[motsu::test]
fn renounce_role_drops_the_caller_s_role() {
    // Given Alice holds PAUSE_ROLE.
    let world = World::empty();
    world.token.sender(ADMIN).grant_role(PAUSE_ROLE, ALICE).motsu_unwrap();
    // When she renounces it.
    world.token.sender(ALICE).renounce_role(PAUSE_ROLE, ALICE).motsu_unwrap();
    // Then she no longer holds it and RoleRevoked names her as the sender.
    assert!(!world.token.sender(ALICE).has_role(PAUSE_ROLE, ALICE));
    world.token.assert_emitted(&RoleRevoked { role: PAUSE_ROLE, account: ALICE, sender: ALICE });
}

#[motsu::test]
fn renounce_role_reverts_for_another_account() {
    // Given the admin.
    let world = World::empty();
    let before = world.snapshot();
    // When Alice tries to renounce the admin's role.
    let err = world.token.sender(ALICE).renounce_role(DEFAULT_ADMIN_ROLE, ADMIN).motsu_unwrap_err();
    // Then it reverts AccessControlBadConfirmation.
    world.assert_reverted(err, AccessControlBadConfirmation {}.into(), &before);
}

#[motsu::test]
fn stop_and_resume_toggle_and_emit() {
    // Given pause and resume holders.
    let world = World::funded(0);
    world.token.sender(ADMIN).grant_role(PAUSE_ROLE, ALICE).motsu_unwrap();
    world.token.sender(ADMIN).grant_role(RESUME_ROLE, BOB).motsu_unwrap();
    // When Alice stops.
    world.token.sender(ALICE).stop().motsu_unwrap();
    // Then the token is stopped, Stopped was logged, totals kept.
    assert!(world.token.sender(CAROL).is_stopped());
    assert_eq!(last_events(&world, 1), vec![Stopped {}.encode_log_data()]);
    assert_eq!(world.totals(), (eth(16), eth(16), true));
    // When Bob resumes.
    world.token.sender(BOB).resume().motsu_unwrap();
    // Then it runs again and Resumed was logged.
    assert!(!world.token.sender(CAROL).is_stopped());
    assert_eq!(last_events(&world, 1), vec![Resumed {}.encode_log_data()]);
    assert_eq!(world.totals(), (eth(16), eth(16), false));
    world.token.sender(ALICE).transfer(CAROL, eth(1)).motsu_unwrap();
}

#[motsu::test]
fn stop_reverts_without_pause_role_or_when_stopped() {
    // Given a running token; Bob has RESUME_ROLE only.
    let world = World::funded(0);
    world.token.sender(ADMIN).grant_role(RESUME_ROLE, BOB).motsu_unwrap();
    for caller in [ADMIN, BOB, ALICE, ORACLE] {
        let before = world.snapshot();
        // When someone without PAUSE_ROLE stops it.
        let err = world.token.sender(caller).stop().motsu_unwrap_err();
        // Then it reverts AccessControlUnauthorizedAccount(caller, PAUSE_ROLE).
        let expected = AccessControlUnauthorizedAccount { account: caller, neededRole: PAUSE_ROLE };
        world.assert_reverted(err, expected.into(), &before);
    }
    // And stopping twice reverts ContractStopped.
    world.token.sender(ADMIN).grant_role(PAUSE_ROLE, ADMIN).motsu_unwrap();
    world.token.sender(ADMIN).stop().motsu_unwrap();
    let before = world.snapshot();
    let err = world.token.sender(ADMIN).stop().motsu_unwrap_err();
    world.assert_reverted(err, ContractStopped {}.into(), &before);
}

#[motsu::test]
fn resume_reverts_without_resume_role_or_when_running() {
    // Given a stopped token; the admin has PAUSE_ROLE only.
    let world = World::funded(0);
    world.token.sender(ADMIN).grant_role(PAUSE_ROLE, ADMIN).motsu_unwrap();
    world.token.sender(ADMIN).stop().motsu_unwrap();
    for caller in [ADMIN, ALICE, ORACLE] {
        let before = world.snapshot();
        // When someone without RESUME_ROLE resumes it.
        let err = world.token.sender(caller).resume().motsu_unwrap_err();
        // Then it reverts AccessControlUnauthorizedAccount(caller, RESUME_ROLE).
        let expected =
            AccessControlUnauthorizedAccount { account: caller, neededRole: RESUME_ROLE };
        world.assert_reverted(err, expected.into(), &before);
    }
    // And resuming a running token reverts ContractNotStopped.
    world.token.sender(ADMIN).grant_role(RESUME_ROLE, ADMIN).motsu_unwrap();
    world.token.sender(ADMIN).resume().motsu_unwrap();
    let before = world.snapshot();
    let err = world.token.sender(ADMIN).resume().motsu_unwrap_err();
    world.assert_reverted(err, ContractNotStopped {}.into(), &before);
}

#[motsu::test]
fn set_protocol_contracts_sets_the_programs_and_emits() {
    // Given a deployed token.
    let world = World::empty();
    // When the admin rewires the programs.
    let (pool, oracle, queue) =
        (Address::from([1; 20]), Address::from([2; 20]), Address::from([3; 20]));
    world.token.sender(ADMIN).set_protocol_contracts(pool, oracle, queue).motsu_unwrap();
    // Then the getters return them and ProtocolContractsSet was logged.
    assert_eq!(world.token.sender(ALICE).get_deposit_pool(), pool);
    assert_eq!(world.token.sender(ALICE).get_oracle(), oracle);
    assert_eq!(world.token.sender(ALICE).get_withdrawal_queue(), queue);
    assert_eq!(
        last_events(&world, 1),
        vec![ProtocolContractsSet { depositPool: pool, oracle, withdrawalQueue: queue }
            .encode_log_data()]
    );
}

#[motsu::test]
fn set_protocol_contracts_reverts_for_zero_addresses_and_non_admins() {
    // Given a deployed token.
    let world = World::empty();
    let a = Address::from([7; 20]);
    for (pool, oracle, queue) in
        [(Address::ZERO, a, a), (a, Address::ZERO, a), (a, a, Address::ZERO)]
    {
        let before = world.snapshot();
        // When the admin passes a zero address.
        let err = world
            .token
            .sender(ADMIN)
            .set_protocol_contracts(pool, oracle, queue)
            .motsu_unwrap_err();
        // Then it reverts ZeroAddress.
        world.assert_reverted(err, ZeroAddress {}.into(), &before);
    }
    for caller in [ALICE, world.pool.address(), ORACLE, QUEUE] {
        let before = world.snapshot();
        // When a non-admin calls it.
        let err = world.token.sender(caller).set_protocol_contracts(a, a, a).motsu_unwrap_err();
        // Then it reverts AccessControlUnauthorizedAccount.
        let expected =
            AccessControlUnauthorizedAccount { account: caller, neededRole: DEFAULT_ADMIN_ROLE };
        world.assert_reverted(err, expected.into(), &before);
    }
}

#[motsu::test]
fn mint_shares_rejects_every_caller_but_the_deposit_pool() {
    // Given a funded token.
    let world = World::funded(0);
    for caller in [ADMIN, ORACLE, QUEUE, ALICE, DEAD, world.token.address(), Address::ZERO] {
        let before = world.snapshot();
        // When anyone else mints.
        let err = world.token.sender(caller).mint_shares(caller, eth(1)).motsu_unwrap_err();
        // Then it reverts Unauthorized(caller).
        world.assert_reverted(err, Unauthorized { caller }.into(), &before);
    }
}

#[motsu::test]
fn rebase_rejects_every_caller_but_the_oracle() {
    // Given a funded token.
    let world = World::funded(0);
    let p = world.totals().1;
    for caller in [ADMIN, world.pool.address(), QUEUE, ALICE, world.token.address(), Address::ZERO]
    {
        let before = world.snapshot();
        // When anyone else rebases.
        let err = world
            .token
            .sender(caller)
            .rebase(
                U256::ZERO,
                U256::ZERO,
                p + eth(1),
                U256::ZERO,
                caller,
                eth(1),
                caller,
                U256::ZERO,
            )
            .motsu_unwrap_err();
        // Then it reverts Unauthorized(caller).
        world.assert_reverted(err, Unauthorized { caller }.into(), &before);
    }
}

#[motsu::test]
fn privileged_entries_reject_everyone_before_the_programs_are_set(token: Contract<RebaseToken>) {
    // Given a token whose programs are unset (zero).
    token.sender(ADMIN).constructor(NAME.into(), SYMBOL.into(), ADMIN).motsu_unwrap();
    // When the zero address or anyone calls the privileged entries.
    for caller in [Address::ZERO, ADMIN, ALICE] {
        let mint = token.sender(caller).mint_shares(DEAD, eth(1)).motsu_unwrap_err();
        let rebase = token
            .sender(caller)
            .rebase(
                U256::ZERO,
                U256::ZERO,
                eth(1),
                U256::ZERO,
                caller,
                U256::ZERO,
                caller,
                U256::ZERO,
            )
            .motsu_unwrap_err();
        // Then both revert Unauthorized.
        assert_eq!(mint, Unauthorized { caller }.into());
        assert_eq!(rebase, Unauthorized { caller }.into());
    }
    assert_eq!(token.sender(ALICE).get_total_shares(), U256::ZERO);
}
