//! Role identifiers of the oracle: `keccak256` of the role's name (Lido's
//! names), computed at compile time. Every role is administered by
//! `DEFAULT_ADMIN_ROLE` (governance).

use alloy_primitives::B256;
use stylus_sdk::keccak_const::Keccak256;

pub use staking_common::roles::DEFAULT_ADMIN_ROLE;

/// `keccak256(name)` as a role id.
const fn role(name: &[u8]) -> B256 {
    B256::new(Keccak256::new().update(name).finalize())
}

/// Adds and removes committee members and sets the quorum (HashConsensus).
pub const MANAGE_MEMBERS_AND_QUORUM_ROLE: B256 = role(b"MANAGE_MEMBERS_AND_QUORUM_ROLE");
/// Changes the frame length (HashConsensus).
pub const MANAGE_FRAME_CONFIG_ROLE: B256 = role(b"MANAGE_FRAME_CONFIG_ROLE");
/// Changes the consensus version (BaseOracle).
pub const MANAGE_CONSENSUS_VERSION_ROLE: B256 = role(b"MANAGE_CONSENSUS_VERSION_ROLE");
/// May submit report data without being a member (AccountingOracle).
pub const SUBMIT_DATA_ROLE: B256 = role(b"SUBMIT_DATA_ROLE");
/// Sets every sanity limit at once (`setOracleReportLimits`).
pub const ALL_LIMITS_MANAGER_ROLE: B256 = role(b"ALL_LIMITS_MANAGER_ROLE");
/// Sets the annualised CL balance increase limit.
pub const ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE: B256 =
    role(b"ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE");
/// Sets the one-off CL balance decrease limit.
pub const ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE: B256 =
    role(b"ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE");
/// Sets the share-rate increase limit per report.
pub const MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE: B256 =
    role(b"MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE");
/// Sets the protocol fee and its recipients.
pub const MANAGE_FEE_ROLE: B256 = role(b"MANAGE_FEE_ROLE");

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn role_ids_are_the_hashes_of_their_names() {
        for (id, name) in [
            (MANAGE_MEMBERS_AND_QUORUM_ROLE, "MANAGE_MEMBERS_AND_QUORUM_ROLE"),
            (MANAGE_FRAME_CONFIG_ROLE, "MANAGE_FRAME_CONFIG_ROLE"),
            (MANAGE_CONSENSUS_VERSION_ROLE, "MANAGE_CONSENSUS_VERSION_ROLE"),
            (SUBMIT_DATA_ROLE, "SUBMIT_DATA_ROLE"),
            (ALL_LIMITS_MANAGER_ROLE, "ALL_LIMITS_MANAGER_ROLE"),
            (
                ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE,
                "ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE",
            ),
            (
                ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE,
                "ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE",
            ),
            (MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE, "MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE"),
            (MANAGE_FEE_ROLE, "MANAGE_FEE_ROLE"),
        ] {
            assert_eq!(id, keccak256(name), "{name}");
        }
        // Lido's published ids for the two HashConsensus roles we share.
        assert_eq!(
            MANAGE_MEMBERS_AND_QUORUM_ROLE.to_string(),
            "0x66a484cf1a3c6ef8dfd59d24824943d2853a29d96f34a01271efc55774452a51"
        );
        assert_eq!(DEFAULT_ADMIN_ROLE, B256::ZERO);
    }
}
