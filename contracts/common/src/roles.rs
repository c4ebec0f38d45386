//! Role identifiers: `keccak256` of the role's name, as Lido and
//! OpenZeppelin define them (the tests check each constant against its name).

use alloy_primitives::{b256, B256};

/// Administers every role (governance: a DAO or a timelock).
pub const DEFAULT_ADMIN_ROLE: B256 = B256::ZERO;
/// May stop a program.
pub const PAUSE_ROLE: B256 =
    b256!("139c2898040ef16910dc9f44dc697df79363da767d8bc92f2e310312b816e46d");
/// May resume a stopped program.
pub const RESUME_ROLE: B256 =
    b256!("2fc10cc8ae19568712f7a176fb4978616a610650813c9d05326c34abb62749c7");
/// May pause staking only.
pub const STAKING_PAUSE_ROLE: B256 =
    b256!("84ea57490227bc2be925c684e2a367071d69890b629590198f4125a018eb1de8");
/// May set, remove and resume the staking limit.
pub const STAKING_CONTROL_ROLE: B256 =
    b256!("a42eee1333c0758ba72be38e728b6dadb32ea767de5b4ddbaea1dae85b1b051f");

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn role_ids_are_the_hashes_of_their_names() {
        assert_eq!(PAUSE_ROLE, keccak256("PAUSE_ROLE"));
        assert_eq!(RESUME_ROLE, keccak256("RESUME_ROLE"));
        assert_eq!(STAKING_PAUSE_ROLE, keccak256("STAKING_PAUSE_ROLE"));
        assert_eq!(STAKING_CONTROL_ROLE, keccak256("STAKING_CONTROL_ROLE"));
    }
}
