//! Accounts with known secp256k1 keys, and EIP-2612 permit signatures built
//! here from the EIP-712 specification (not from the programs' own
//! hashing), so a permit the programs accept is checked against an
//! independent digest.

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolValue;
use k256::ecdsa::SigningKey;

/// The order `n` of secp256k1.
pub const SECP256K1_ORDER: U256 = alloy_primitives::uint!(
    0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141_U256
);

/// `keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")`.
#[must_use]
pub fn permit_typehash() -> B256 {
    keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")
}

/// The EIP-712 domain separator `keccak256(abi.encode(typehash, keccak(name),
/// keccak(version), chainId, verifyingContract))`.
#[must_use]
pub fn domain_separator(name: &str, version: &str, chain_id: u64, contract: Address) -> B256 {
    let typehash = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
    );
    keccak256(
        (typehash, keccak256(name), keccak256(version), U256::from(chain_id), contract)
            .abi_encode(),
    )
}

/// The EIP-2612 digest `keccak256(0x1901 ‖ domain ‖ keccak256(abi.encode(
/// PERMIT_TYPEHASH, owner, spender, value, nonce, deadline)))`.
#[must_use]
pub fn permit_digest(
    domain: B256,
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let body = keccak256((permit_typehash(), owner, spender, value, nonce, deadline).abi_encode());
    keccak256([&[0x19u8, 0x01][..], domain.as_slice(), body.as_slice()].concat())
}

/// An externally owned account whose key is known.
#[derive(Clone, Debug)]
pub struct Signer {
    key: SigningKey,
    /// Its address (`keccak256(public key)[12..]`).
    pub address: Address,
}

impl Signer {
    /// The signer derived from `label` (its key is `keccak256(label)`).
    ///
    /// # Panics
    /// If the hash is not a valid scalar (probability about 2^-128).
    #[must_use]
    pub fn new(label: &str) -> Self {
        let key = SigningKey::from_slice(keccak256(format!("invariants key {label}")).as_slice())
            .expect("a keccak digest is a valid secp256k1 scalar");
        let point = key.verifying_key().to_encoded_point(false);
        let address = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
        Self { key, address }
    }

    /// `(v, r, s)` over `digest`, with `v ∈ {27, 28}` and a low `s` (the
    /// form every EVM verifier accepts).
    ///
    /// # Panics
    /// Never for a 32-byte digest.
    #[must_use]
    pub fn sign(&self, digest: B256) -> (u8, B256, B256) {
        let (sig, recid) =
            self.key.sign_prehash_recoverable(digest.as_slice()).expect("signing a digest");
        let bytes = sig.to_bytes();
        let (r, s) = (B256::from_slice(&bytes[..32]), B256::from_slice(&bytes[32..]));
        let (v, s) = if U256::from_be_bytes(s.0) > SECP256K1_ORDER >> 1 {
            // Normalise to low s (flip the parity).
            (28 - recid.to_byte(), B256::from(SECP256K1_ORDER - U256::from_be_bytes(s.0)))
        } else {
            (27 + recid.to_byte(), s)
        };
        (v, r, s)
    }

    /// An EIP-2612 permit signature for `domain`.
    #[must_use]
    pub fn permit(
        &self,
        domain: B256,
        spender: Address,
        value: U256,
        nonce: U256,
        deadline: U256,
    ) -> (u8, B256, B256) {
        self.sign(permit_digest(domain, self.address, spender, value, nonce, deadline))
    }
}

/// The malleable twin of a signature: `(v', r, n - s)` recovers the same
/// signer, so an EVM `ecrecover` accepts it, but it has a high `s`.
#[must_use]
pub fn high_s(v: u8, r: B256, s: B256) -> (u8, B256, B256) {
    (if v == 27 { 28 } else { 27 }, r, B256::from(SECP256K1_ORDER - U256::from_be_bytes(s.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};

    fn recover(digest: B256, v: u8, r: B256, s: B256) -> Option<Address> {
        let sig = Signature::from_scalars(r.0, s.0).ok()?;
        let recid = RecoveryId::from_byte(v.checked_sub(27)?)?;
        let key = VerifyingKey::recover_from_prehash(digest.as_slice(), &sig, recid).ok()?;
        let point = key.to_encoded_point(false);
        Some(Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]))
    }

    #[test]
    fn signatures_are_low_s_and_recover_the_signer() {
        let signer = Signer::new("alice");
        for i in 0..32u64 {
            let digest = keccak256(i.to_be_bytes());
            let (v, r, s) = signer.sign(digest);
            assert!(U256::from_be_bytes(s.0) <= SECP256K1_ORDER >> 1);
            assert_eq!(recover(digest, v, r, s), Some(signer.address));
        }
    }

    #[test]
    fn the_high_s_twin_recovers_the_same_signer() {
        let signer = Signer::new("bob");
        let digest = keccak256("x");
        let (v, r, s) = signer.sign(digest);
        let (v2, r2, s2) = high_s(v, r, s);
        assert!(U256::from_be_bytes(s2.0) > SECP256K1_ORDER >> 1);
        // k256 rejects high s itself; normalising back gives the signer.
        let normal = high_s(v2, r2, s2);
        assert_eq!(normal, (v, r, s));
    }
}
