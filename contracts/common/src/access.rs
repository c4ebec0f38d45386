//! A lean role map with OpenZeppelin's `IAccessControl` semantics, for every
//! program of the protocol.
//!
//! Why not openzeppelin-stylus's `AccessControl`: it also stores a per-role
//! admin (one more mapping and `setRoleAdmin` machinery) and brings its own
//! error enum; every program here is tight on the 24 KiB limit, and every
//! role of the protocol is administered by `DEFAULT_ADMIN_ROLE` (governance).
//! So [`RoleMap`] stores only `role → account → member` and
//! `getRoleAdmin(role)` is always [`DEFAULT_ADMIN_ROLE`]. The Solidity ABI a
//! program exposes with it is exactly OpenZeppelin's `IAccessControl`
//! (`hasRole`, `getRoleAdmin`, `grantRole`, `revokeRole`, `renounceRole`;
//! events `RoleGranted`, `RoleRevoked`; errors
//! `AccessControlUnauthorizedAccount`, `AccessControlBadConfirmation`).
//!
//! # How a program uses it
//! Embed a `RoleMap` field in the program's `#[storage]` struct, grant
//! `DEFAULT_ADMIN_ROLE` in the constructor with [`RoleMap::grant_role`], and
//! expose the ABI with five one-line `#[public]` methods (see the rebase
//! token's `has_role`/`grant_role`/... for the pattern):
//!
//! ```ignore
//! fn grant_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
//!     let sender = self.vm().msg_sender();
//!     self.roles.check_role(DEFAULT_ADMIN_ROLE, sender)?;
//!     self.roles.grant_role(role, account);
//!     Ok(())
//! }
//! ```
//!
//! # Invariants
//! - `has_role(r, a)` changes only through [`RoleMap::grant_role`] (emits
//!   `RoleGranted` when it flips to true) and [`RoleMap::revoke_role`]
//!   (emits `RoleRevoked` when it flips to false); no event without a change.
//!
//! WARNING: revoking the last holder of `DEFAULT_ADMIN_ROLE` (or renouncing
//! it) leaves the program without governance, as in OpenZeppelin.

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256};
use stylus_sdk::{
    prelude::*,
    storage::{StorageBool, StorageMap},
};

use alloy_sol_types::SolEvent;

use crate::{
    errors::AccessControlUnauthorizedAccount,
    events::{RoleGranted, RoleRevoked},
};

pub use crate::roles::DEFAULT_ADMIN_ROLE;

/// Role membership: `role → account → member`. Every role's admin is
/// [`DEFAULT_ADMIN_ROLE`].
#[storage]
pub struct RoleMap {
    /// `members[role][account]` is true when `account` holds `role`.
    pub(crate) members: StorageMap<B256, StorageMap<Address, StorageBool>>,
}

impl RoleMap {
    /// Emits `RoleGranted`/`RoleRevoked(role, account, msg.sender)` (all
    /// three indexed, no data), written out so no `&dyn Host` escapes into
    /// a generic logger (which would keep every hostio in the program).
    fn emit(&self, signature: B256, role: B256, account: Address) {
        let mut log = [0u8; 128];
        log[..32].copy_from_slice(signature.as_slice());
        log[32..64].copy_from_slice(role.as_slice());
        log[76..96].copy_from_slice(account.as_slice());
        log[108..].copy_from_slice(self.vm().msg_sender().as_slice());
        self.vm().emit_log(&log, 4);
    }

    /// Whether `account` holds `role`.
    #[must_use]
    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.members.getter(role).get(account)
    }

    /// `Ok` when `account` holds `role`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount(account, role)` otherwise.
    pub fn check_role(
        &self,
        role: B256,
        account: Address,
    ) -> Result<(), AccessControlUnauthorizedAccount> {
        if self.has_role(role, account) {
            Ok(())
        } else {
            Err(AccessControlUnauthorizedAccount { account, neededRole: role })
        }
    }

    /// Gives `role` to `account` (no authorization check: the caller checks).
    /// Returns whether it was newly granted.
    ///
    /// # Events
    /// `RoleGranted(role, account, msg.sender)` when newly granted.
    pub fn grant_role(&mut self, role: B256, account: Address) -> bool {
        {
            let mut outer = self.members.setter(role);
            let mut member = outer.setter(account);
            if member.get() {
                return false;
            }
            member.set(true);
        }
        self.emit(RoleGranted::SIGNATURE_HASH, role, account);
        true
    }

    /// Takes `role` from `account` (no authorization check: the caller
    /// checks). Returns whether it was held.
    ///
    /// # Events
    /// `RoleRevoked(role, account, msg.sender)` when it was held.
    pub fn revoke_role(&mut self, role: B256, account: Address) -> bool {
        {
            let mut outer = self.members.setter(role);
            let mut member = outer.setter(account);
            if !member.get() {
                return false;
            }
            member.set(false);
        }
        self.emit(RoleRevoked::SIGNATURE_HASH, role, account);
        true
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{Address, B256};
    use motsu::prelude::*;
    use stylus_sdk::prelude::*;

    use super::{RoleMap, DEFAULT_ADMIN_ROLE};
    use crate::{
        errors::AccessControlUnauthorizedAccount,
        events::{RoleGranted, RoleRevoked},
        roles::PAUSE_ROLE,
    };

    #[storage]
    struct RoleMapHarness {
        roles: RoleMap,
    }

    unsafe impl TopLevelStorage for RoleMapHarness {}

    #[public]
    impl RoleMapHarness {
        fn has(&self, role: B256, account: Address) -> bool {
            self.roles.has_role(role, account)
        }
        fn check(&self, role: B256, account: Address) -> Result<(), Vec<u8>> {
            self.roles
                .check_role(role, account)
                .map_err(|e| alloy_sol_types::SolError::abi_encode(&e))
        }
        fn grant(&mut self, role: B256, account: Address) -> bool {
            self.roles.grant_role(role, account)
        }
        fn revoke(&mut self, role: B256, account: Address) -> bool {
            self.roles.revoke_role(role, account)
        }
    }

    #[motsu::test]
    fn grant_role_grants_once_and_emits_role_granted(
        contract: Contract<RoleMapHarness>,
        admin: Address,
        alice: Address,
    ) {
        // Given no roles. When admin grants PAUSE_ROLE to alice twice.
        assert!(contract.sender(admin).grant(PAUSE_ROLE, alice));
        assert!(!contract.sender(admin).grant(PAUSE_ROLE, alice));
        // Then alice holds it, only that role, and the event names the sender.
        assert!(contract.sender(admin).has(PAUSE_ROLE, alice));
        assert!(!contract.sender(admin).has(DEFAULT_ADMIN_ROLE, alice));
        contract.assert_emitted(&RoleGranted { role: PAUSE_ROLE, account: alice, sender: admin });
        assert_eq!(contract.all_events().len(), 1);
    }

    #[motsu::test]
    fn revoke_role_revokes_once_and_emits_role_revoked(
        contract: Contract<RoleMapHarness>,
        admin: Address,
        alice: Address,
    ) {
        // Given alice holds PAUSE_ROLE.
        contract.sender(admin).grant(PAUSE_ROLE, alice);
        // When it is revoked twice.
        assert!(contract.sender(admin).revoke(PAUSE_ROLE, alice));
        assert!(!contract.sender(admin).revoke(PAUSE_ROLE, alice));
        // Then she no longer holds it and one RoleRevoked was emitted.
        assert!(!contract.sender(admin).has(PAUSE_ROLE, alice));
        contract.assert_emitted(&RoleRevoked { role: PAUSE_ROLE, account: alice, sender: admin });
        assert_eq!(contract.all_events().len(), 2);
    }

    #[motsu::test]
    fn check_role_reverts_with_the_missing_role(
        contract: Contract<RoleMapHarness>,
        alice: Address,
    ) {
        // Given alice holds nothing. When her PAUSE_ROLE is checked.
        let err = contract.sender(alice).check(PAUSE_ROLE, alice).motsu_unwrap_err();
        // Then the error names her and the role.
        let expected = AccessControlUnauthorizedAccount { account: alice, neededRole: PAUSE_ROLE };
        assert_eq!(err, alloy_sol_types::SolError::abi_encode(&expected));
        // And once granted, the check passes.
        contract.sender(alice).grant(PAUSE_ROLE, alice);
        assert!(contract.sender(alice).check(PAUSE_ROLE, alice).is_ok());
        assert_eq!(B256::ZERO, DEFAULT_ADMIN_ROLE);
    }
}
