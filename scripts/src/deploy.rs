//! Deploying the programs to a real Arbitrum chain: the plan, the exact bytes, and the helpers
//! the `deploy` binary runs.
//!
//! # How a program is deployed (cargo-stylus 0.10.10)
//! Every program has a Stylus `#[constructor]`, so cargo-stylus deploys it through the
//! **StylusDeployer** contract ([`STYLUS_DEPLOYER`]): one transaction calls
//! `StylusDeployer.deploy(bytecode, initData, initValue, salt)`, which `CREATE`s the program
//! from `bytecode` (the [`initcode`]: a 43-byte EVM prelude that returns the code, then the
//! code `EFF00000 ‖ brotli-11(wasm)`), activates it (paying the data fee from the
//! transaction's value), and calls it with `initData` = `stylus_constructor()`'s selector
//! `0x5585258d` ‖ the ABI-encoded constructor arguments. Deploy, activation and constructor are
//! atomic, so nobody can call the constructor first.
//!
//! Facts about cargo-stylus 0.10.10 this module is built on (read in its sources,
//! `cargo-stylus/src/commands/deploy.rs`, `stylus-tools/src/core/deployment/{mod,prelude,
//! deployer}.rs`, `ops/export_abi.rs`, `core/build/mod.rs`, `core/project/workspace.rs`):
//! - `--wasm-file` deploys with a plain `CREATE` and IGNORES `--constructor-args` and
//!   `--constructor-signature`: the constructor would never run (and anyone could run it
//!   later). So the programs are deployed in project mode, `--contract <package>`, from the
//!   program's own directory (its `cargo build --lib --locked --release --target
//!   wasm32-unknown-unknown` then builds that package alone, with the workspace's
//!   `.cargo/config.toml`).
//! - Project mode finds the constructor by running `cargo run --package <p> --features
//!   export-abi -- constructor`; output not starting with `constructor` means "no
//!   constructor", and the program is then deployed without one. The `deploy` binary checks
//!   that output for every program before it sends anything ([`crate::abi_export::sdk_export`]).
//! - Any `cargo stylus deploy` in a workspace needs a `Stylus.toml` at the workspace root
//!   (`[workspace.networks]`), and project mode one in each contract's directory (its
//!   presence marks a package as a contract). The `deploy` binary writes the missing ones for
//!   the run and removes them afterwards ([`StylusManifests`]).
//! - `--no-verify` deploys directly (without it, cargo-stylus rebuilds in Docker).
//! - The deployed address is printed as `deployed code at address: 0x…`
//!   ([`parse_deployed_address`]).
//!
//! # After the five deployments: the wiring
//! [`wiring`] lists every transaction that connects the programs and hands out the roles, as
//! `(target, Solidity signature, arguments, value, calldata)`, the calldata encoded with
//! alloy's `sol!`. The binary sends them with foundry's `cast send` (the Stylus docs' companion
//! tool; this crate carries no HTTP client), or prints the commands when `cast` is missing.

#[cfg(test)]
use crate::abi_export;
use alloy_json_abi::Constructor;
use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use anyhow::{anyhow, bail, Context, Result};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The StylusDeployer contract cargo-stylus 0.10.10 deploys constructor programs through
/// (`stylus_tools::core::deployment::deployer::ADDRESS`).
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

/// The selector the SDK routes to a `#[constructor]`: `keccak256("stylus_constructor()")[..4]`.
pub const CONSTRUCTOR_SELECTOR: [u8; 4] = [0x55, 0x85, 0x25, 0x8d];

/// Length of the EVM prelude cargo-stylus puts before the contract code: 42 bytes of init code
/// and a 1-byte version.
pub const PRELUDE_LEN: usize = 43;

/// The cargo-stylus release the deploy command drives.
pub const CARGO_STYLUS_VERSION: &str = "0.10.10";

/// How to install it (about 8 minutes on 2 cores).
pub const CARGO_STYLUS_INSTALL: &str = "cargo install cargo-stylus@0.10.10 --locked";

/// The deployer a dry run shows without `--deployer` or `PRIVATE_KEY`.
pub const PLACEHOLDER_DEPLOYER: Address = address!("00000000000000000000000000000000dE910e55");

mod calls {
    #![allow(missing_docs)]
    use super::sol;

    sol! {
        // rebase token
        function setProtocolContracts(address depositPool, address oracle, address withdrawalQueue) external;
        // deposit pool
        function setOracle(address oracle) external;
        function setWithdrawalQueue(address withdrawalQueue) external;
        function setWithdrawalCredentials(bytes32 withdrawalCredentials) external;
        function setBeaconDepositContract(address beaconDeposit) external;
        function initialize() external payable;
        function resume() external;
        // oracle
        function addMember(address addr, uint256 quorum) external;
        // every program with roles (OpenZeppelin IAccessControl)
        function grantRole(bytes32 role, address account) external;
        function renounceRole(bytes32 role, address callerConfirmation) external;

        /// The StylusDeployer as cargo-stylus calls it.
        interface StylusDeployer {
            function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        }
    }
}

pub use calls::StylusDeployer;

// ------------------------------------------------------------------------------------------
// Programs
// ------------------------------------------------------------------------------------------

/// A deployable program, in deploy order (each constructor takes the addresses of programs
/// deployed before it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Program {
    /// stETH-compatible rebasing token.
    RebaseToken,
    /// The deposit pool (holds the ether).
    DepositPool,
    /// wstETH-compatible wrapped token.
    ShareToken,
    /// The withdrawal queue.
    WithdrawalQueue,
    /// The accounting oracle.
    AccountingOracle,
}

impl Program {
    /// Deploy order: rebase token → deposit pool → share token → withdrawal queue → oracle.
    pub const DEPLOY_ORDER: [Program; 5] = [
        Program::RebaseToken,
        Program::DepositPool,
        Program::ShareToken,
        Program::WithdrawalQueue,
        Program::AccountingOracle,
    ];

    /// The package name.
    pub fn package(self) -> &'static str {
        match self {
            Program::RebaseToken => "rebase-token",
            Program::DepositPool => "deposit-pool",
            Program::ShareToken => "share-token",
            Program::WithdrawalQueue => "withdrawal-queue",
            Program::AccountingOracle => "accounting-oracle",
        }
    }

    /// The crate's directory, workspace-relative (where cargo-stylus is run).
    pub fn crate_dir(self) -> &'static str {
        match self {
            Program::RebaseToken => "rebase-token",
            Program::DepositPool => "contracts/deposit-pool",
            Program::ShareToken => "share-token",
            Program::WithdrawalQueue => "contracts/withdrawal-queue",
            Program::AccountingOracle => "contracts/oracle",
        }
    }

    /// The program of a package name.
    pub fn from_package(package: &str) -> Option<Program> {
        Program::DEPLOY_ORDER.into_iter().find(|p| p.package() == package)
    }

    /// The Stylus constructor's Solidity signature (the program's `#[constructor]`).
    pub fn constructor_signature(self) -> &'static str {
        match self {
            Program::RebaseToken => "constructor(string name, string symbol, address admin)",
            Program::DepositPool => "constructor(address admin, address rebaseToken)",
            Program::ShareToken => {
                "constructor(string name, string symbol, address rebaseToken, address depositPool)"
            }
            Program::WithdrawalQueue => {
                "constructor(address admin, address rebaseToken, address shareToken, address depositPool)"
            }
            Program::AccountingOracle => {
                "constructor(address admin, address rebaseToken, address depositPool, \
                 address withdrawalQueue, uint256 genesisTime, uint256 secondsPerSlot, \
                 uint256 slotsPerFrame, address treasury, address operatorRecipient)"
            }
        }
    }

    /// [`Program::constructor_signature`] parsed.
    ///
    /// # Errors
    /// Never for the signatures above (a unit test parses each).
    pub fn constructor(self) -> Result<Constructor> {
        Constructor::parse(self.constructor_signature())
            .map_err(|e| anyhow!("{}: bad constructor signature: {e}", self.package()))
    }
}

// ------------------------------------------------------------------------------------------
// Arguments and encodings
// ------------------------------------------------------------------------------------------

/// A constructor or function argument, as the plan shows, encodes and passes it on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// `address`.
    Address(Address),
    /// `uint256`.
    Uint(U256),
    /// `string`.
    String(String),
    /// `bytes32`.
    Bytes32(B256),
}

impl Arg {
    /// The Solidity type.
    pub fn sol_type(&self) -> &'static str {
        match self {
            Arg::Address(_) => "address",
            Arg::Uint(_) => "uint256",
            Arg::String(_) => "string",
            Arg::Bytes32(_) => "bytes32",
        }
    }

    /// The value as cargo-stylus (`--constructor-args`) and cast parse it: checksummed
    /// address, decimal integer, the string itself, 0x-hex bytes32.
    pub fn cli(&self) -> String {
        match self {
            Arg::Address(a) => a.to_checksum(None),
            Arg::Uint(u) => u.to_string(),
            Arg::String(s) => s.clone(),
            Arg::Bytes32(b) => b.to_string(),
        }
    }

    fn is_dynamic(&self) -> bool {
        matches!(self, Arg::String(_))
    }

    fn head_word(&self) -> [u8; 32] {
        match self {
            Arg::Address(a) => a.into_word().0,
            Arg::Uint(u) => u.to_be_bytes(),
            Arg::Bytes32(b) => b.0,
            Arg::String(_) => [0; 32],
        }
    }
}

/// `abi.encode(args...)`: the standard ABI encoding of the arguments as one parameter list
/// (heads, then the tails of the dynamic ones).
pub fn encode_args(args: &[Arg]) -> Vec<u8> {
    let head_len = 32 * args.len();
    let mut head = Vec::with_capacity(head_len);
    let mut tail = Vec::new();
    for arg in args {
        if let Arg::String(s) = arg {
            head.extend(U256::from(head_len + tail.len()).to_be_bytes::<32>());
            tail.extend(U256::from(s.len()).to_be_bytes::<32>());
            tail.extend(s.as_bytes());
            tail.resize(tail.len().next_multiple_of(32), 0);
        } else {
            debug_assert!(!arg.is_dynamic());
            head.extend(arg.head_word());
        }
    }
    head.extend(tail);
    head
}

/// Checks that `args` have the types of `constructor`'s parameters, in order.
///
/// # Errors
/// On a count or type mismatch.
pub fn check_args(constructor: &Constructor, args: &[Arg]) -> Result<()> {
    if constructor.inputs.len() != args.len() {
        bail!("{} arguments for a constructor of {}", args.len(), constructor.inputs.len());
    }
    for (param, arg) in constructor.inputs.iter().zip(args) {
        if param.ty != arg.sol_type() {
            bail!("parameter {} is {}, argument is {}", param.name, param.ty, arg.sol_type());
        }
    }
    Ok(())
}

/// The contract-creation code cargo-stylus sends for `code` (`EFF00000 ‖ brotli`): a 42-byte
/// EVM program that copies the code after the prelude to memory and returns it, then a
/// version byte (0), then the code:
/// `7f <len: 32 bytes> 80 60 2b 60 00 39 60 00 f3 00 <code>` — PUSH32 len, DUP1, PUSH1 43,
/// PUSH1 0, CODECOPY, PUSH1 0, RETURN, version.
pub fn initcode(code: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(PRELUDE_LEN + code.len());
    out.extend(prelude(code.len()));
    out.extend_from_slice(code);
    out
}

/// The 43-byte prelude of [`initcode`] for a code of `code_len` bytes.
pub fn prelude(code_len: usize) -> [u8; PRELUDE_LEN] {
    let mut out = [0u8; PRELUDE_LEN];
    out[0] = 0x7f; // PUSH32 <code length>
    out[1..33].copy_from_slice(&U256::from(code_len).to_be_bytes::<32>());
    out[33] = 0x80; // DUP1
    out[34..36].copy_from_slice(&[0x60, PRELUDE_LEN as u8]); // PUSH1 <offset of the code>
    out[36..38].copy_from_slice(&[0x60, 0x00]); // PUSH1 0 (memory offset)
    out[38] = 0x39; // CODECOPY
    out[39..41].copy_from_slice(&[0x60, 0x00]); // PUSH1 0
    out[41] = 0xf3; // RETURN
    out[42] = 0x00; // version byte
    out
}

/// The StylusDeployer's `initData`: the constructor selector and the encoded arguments.
pub fn constructor_calldata(args: &[Arg]) -> Vec<u8> {
    let mut out = CONSTRUCTOR_SELECTOR.to_vec();
    out.extend(encode_args(args));
    out
}

/// The input of the deploy transaction cargo-stylus sends to the StylusDeployer:
/// `deploy(initcode(code), constructor_calldata(args), 0, salt)`.
pub fn deployer_calldata(code: &[u8], args: &[Arg], salt: B256) -> Vec<u8> {
    StylusDeployer::deployCall {
        bytecode: initcode(code).into(),
        initData: constructor_calldata(args).into(),
        initValue: U256::ZERO,
        salt,
    }
    .abi_encode()
}

/// The address of the account `private_key` (32 bytes, hex, `0x` optional) controls.
///
/// # Errors
/// When the key is not 32 bytes of hex or not a valid secp256k1 scalar.
pub fn address_of_key(private_key: &str) -> Result<Address> {
    let hex = private_key.trim().trim_start_matches("0x");
    let bytes = alloy_primitives::hex::decode(hex).context("the private key is not hex")?;
    if bytes.len() != 32 {
        bail!("the private key is {} bytes, not 32", bytes.len());
    }
    let key = k256::ecdsa::SigningKey::from_slice(&bytes).context("invalid private key")?;
    let point = key.verifying_key().to_encoded_point(false);
    Ok(Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]))
}

// ------------------------------------------------------------------------------------------
// Configuration and addresses
// ------------------------------------------------------------------------------------------

/// Everything the plan depends on besides the program addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Sends every transaction; the programs' admin until the plan hands over to governance.
    pub deployer: Address,
    /// The final `DEFAULT_ADMIN_ROLE` and the holder of every governance role (a DAO or
    /// timelock). When it is the deployer nothing is handed over.
    pub governance: Address,
    /// The rebase token's name (1..=31 bytes) and symbol.
    pub token_name: String,
    /// See [`Config::token_name`].
    pub token_symbol: String,
    /// The share token's name and symbol.
    pub wrapped_name: String,
    /// See [`Config::wrapped_name`].
    pub wrapped_symbol: String,
    /// Oracle chain config: beacon genesis time (s), seconds per slot, slots per frame.
    pub genesis_time: u64,
    /// See [`Config::genesis_time`].
    pub seconds_per_slot: u64,
    /// See [`Config::genesis_time`].
    pub slots_per_frame: u64,
    /// Receives the protocol's fee shares.
    pub treasury: Address,
    /// Receives the node operators' part of the fee.
    pub operator_recipient: Address,
    /// Holder of the deposit pool's `DEPOSIT_ROLE` (the account that sends 32-ETH deposits).
    pub depositor: Address,
    /// Oracle committee members to add, and the quorum (more than half of them).
    pub oracle_members: Vec<Address>,
    /// See [`Config::oracle_members`]; `None`: a simple majority.
    pub quorum: Option<u64>,
    /// Wei sent with the deposit pool's `initialize()` (minted 1:1 to `0x…dEaD`).
    pub seed_wei: U256,
    /// The beacon deposit contract (the 32-ETH deposit target), if known now.
    pub beacon_deposit_contract: Option<Address>,
    /// `resume()` the deposit pool after the bootstrap (it starts stopped, staking paused).
    pub start: bool,
}

impl Config {
    /// Defaults for `deployer`: Lido's token names, Ethereum mainnet's beacon genesis, 12 s
    /// slots, one-day frames (7,200 slots), everything held by the deployer, a 0.001 ETH
    /// seed, no members, started.
    pub fn new(deployer: Address) -> Self {
        Self {
            deployer,
            governance: deployer,
            token_name: "Liquid staked Ether 2.0".into(),
            token_symbol: "stETH".into(),
            wrapped_name: "Wrapped liquid staked Ether 2.0".into(),
            wrapped_symbol: "wstETH".into(),
            genesis_time: 1_606_824_023,
            seconds_per_slot: 12,
            slots_per_frame: 7_200,
            treasury: deployer,
            operator_recipient: deployer,
            depositor: deployer,
            oracle_members: Vec::new(),
            quorum: None,
            seed_wei: U256::from(1_000_000_000_000_000u64),
            beacon_deposit_contract: None,
            start: true,
        }
    }

    /// The quorum the members are added with.
    pub fn effective_quorum(&self) -> u64 {
        self.quorum.unwrap_or(self.oracle_members.len() as u64 / 2 + 1)
    }

    /// Checks what the programs would refuse later.
    ///
    /// # Errors
    /// A token name outside 1..=31 bytes, a zero address, zero seed, zero slot length or
    /// frame, a quorum of at most half the members, a duplicate member.
    pub fn validate(&self) -> Result<()> {
        if self.token_name.is_empty() || self.token_name.len() > 31 {
            bail!("the rebase token's name must be 1..=31 bytes");
        }
        if self.token_symbol.is_empty() || self.token_symbol.len() > 31 {
            bail!("the rebase token's symbol must be 1..=31 bytes");
        }
        for (what, a) in [
            ("deployer", self.deployer),
            ("governance", self.governance),
            ("treasury", self.treasury),
            ("operator recipient", self.operator_recipient),
            ("depositor", self.depositor),
        ] {
            if a.is_zero() {
                bail!("the {what} address is zero");
            }
        }
        if self.seed_wei.is_zero() {
            bail!("the bootstrap seed must be at least 1 wei");
        }
        if self.seconds_per_slot == 0 || self.slots_per_frame == 0 {
            bail!("seconds per slot and slots per frame must be positive");
        }
        let n = self.oracle_members.len() as u64;
        if n > 0 && self.effective_quorum() * 2 <= n {
            bail!("a quorum of {} is not more than half of {n} members", self.effective_quorum());
        }
        let mut seen = self.oracle_members.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != self.oracle_members.len() || seen.contains(&Address::ZERO) {
            bail!("oracle members must be distinct and non-zero");
        }
        Ok(())
    }
}

/// The address of each deployed (or planned) program.
pub type Addresses = BTreeMap<Program, Address>;

fn addr(addresses: &Addresses, program: Program) -> Result<Address> {
    addresses
        .get(&program)
        .copied()
        .ok_or_else(|| anyhow!("{} is not deployed yet", program.package()))
}

/// The `CREATE` address of `sender`'s `nonce`-th creation: `keccak256(rlp([sender, nonce]))[12..]`.
pub fn create_address(sender: Address, nonce: u64) -> Address {
    let nonce_bytes = nonce.to_be_bytes();
    let significant = &nonce_bytes[nonce_bytes.iter().position(|b| *b != 0).unwrap_or(8)..];
    let mut item = Vec::with_capacity(9);
    match significant {
        [] => item.push(0x80),             // 0 is the empty string
        [b] if *b < 0x80 => item.push(*b), // a single byte below 0x80 is itself
        bytes => {
            item.push(0x80 + bytes.len() as u8); // a short string
            item.extend_from_slice(bytes);
        }
    }
    let mut rlp = vec![0xc0 + (21 + item.len()) as u8, 0x94]; // list header, 20-byte string
    rlp.extend_from_slice(sender.as_slice());
    rlp.extend(item);
    Address::from_slice(&keccak256(&rlp)[12..])
}

/// Placeholder addresses for a dry run: `CREATE(deployer, nonce + i)` for the i-th program in
/// deploy order. (On a chain the StylusDeployer's `CREATE` decides the real ones.)
pub fn placeholder_addresses(deployer: Address, nonce: u64) -> Addresses {
    Program::DEPLOY_ORDER
        .iter()
        .zip(nonce..)
        .map(|(p, n)| (*p, create_address(deployer, n)))
        .collect()
}

/// The constructor arguments of `program`, given the programs deployed before it.
///
/// # Errors
/// When an earlier program has no address yet.
pub fn constructor_args(program: Program, cfg: &Config, addresses: &Addresses) -> Result<Vec<Arg>> {
    let a = |p| addr(addresses, p).map(Arg::Address);
    let uint = |x: u64| Arg::Uint(U256::from(x));
    Ok(match program {
        Program::RebaseToken => vec![
            Arg::String(cfg.token_name.clone()),
            Arg::String(cfg.token_symbol.clone()),
            Arg::Address(cfg.deployer),
        ],
        Program::DepositPool => vec![Arg::Address(cfg.deployer), a(Program::RebaseToken)?],
        Program::ShareToken => vec![
            Arg::String(cfg.wrapped_name.clone()),
            Arg::String(cfg.wrapped_symbol.clone()),
            a(Program::RebaseToken)?,
            a(Program::DepositPool)?,
        ],
        Program::WithdrawalQueue => vec![
            Arg::Address(cfg.deployer),
            a(Program::RebaseToken)?,
            a(Program::ShareToken)?,
            a(Program::DepositPool)?,
        ],
        Program::AccountingOracle => vec![
            Arg::Address(cfg.deployer),
            a(Program::RebaseToken)?,
            a(Program::DepositPool)?,
            a(Program::WithdrawalQueue)?,
            uint(cfg.genesis_time),
            uint(cfg.seconds_per_slot),
            uint(cfg.slots_per_frame),
            Arg::Address(cfg.treasury),
            Arg::Address(cfg.operator_recipient),
        ],
    })
}

// ------------------------------------------------------------------------------------------
// Roles
// ------------------------------------------------------------------------------------------

/// Who gets a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    /// [`Config::governance`].
    Governance,
    /// [`Config::depositor`].
    Depositor,
    /// Nobody at deployment (governance may grant it later).
    Nobody,
}

/// One role of one program and the plan's decision for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleSpec {
    /// The program.
    pub program: Program,
    /// The role getter's name; the id is `keccak256(name)`.
    pub name: &'static str,
    /// Who gets it.
    pub holder: Holder,
    /// What it allows, and why that holder.
    pub why: &'static str,
}

impl RoleSpec {
    /// The role id: `keccak256(name)` (Lido's and OpenZeppelin's convention).
    pub fn id(&self) -> B256 {
        role_id(self.name)
    }
}

/// A role id from its name: zero for `DEFAULT_ADMIN_ROLE`, otherwise `keccak256(name)`.
pub fn role_id(name: &str) -> B256 {
    if name == "DEFAULT_ADMIN_ROLE" {
        B256::ZERO
    } else {
        keccak256(name)
    }
}

/// Every role of every program besides `DEFAULT_ADMIN_ROLE` (held by the deployer from the
/// constructor, handed to governance at the end), with its holder. The share token has no
/// roles. A test checks this list against the role getters of every interface.
pub const ROLES: &[RoleSpec] = &[
    RoleSpec { program: Program::RebaseToken, name: "PAUSE_ROLE", holder: Holder::Governance, why: "stop() every share movement" },
    RoleSpec { program: Program::RebaseToken, name: "RESUME_ROLE", holder: Holder::Governance, why: "resume() the token" },
    RoleSpec { program: Program::DepositPool, name: "PAUSE_ROLE", holder: Holder::Governance, why: "stop() the pool" },
    RoleSpec { program: Program::DepositPool, name: "RESUME_ROLE", holder: Holder::Governance, why: "resume() the pool (also resumes staking)" },
    RoleSpec { program: Program::DepositPool, name: "STAKING_PAUSE_ROLE", holder: Holder::Governance, why: "pauseStaking()" },
    RoleSpec { program: Program::DepositPool, name: "STAKING_CONTROL_ROLE", holder: Holder::Governance, why: "set/remove the staking limit, resumeStaking()" },
    RoleSpec { program: Program::DepositPool, name: "MANAGE_SIGNING_KEYS", holder: Holder::Governance, why: "add/remove validator signing keys" },
    RoleSpec { program: Program::DepositPool, name: "DEPOSIT_ROLE", holder: Holder::Depositor, why: "depositBufferedEther() to validators" },
    RoleSpec { program: Program::WithdrawalQueue, name: "PAUSE_ROLE", holder: Holder::Governance, why: "pauseFor()/pauseUntil() requests and claims" },
    RoleSpec { program: Program::WithdrawalQueue, name: "RESUME_ROLE", holder: Holder::Governance, why: "resume() the queue" },
    RoleSpec { program: Program::AccountingOracle, name: "MANAGE_MEMBERS_AND_QUORUM_ROLE", holder: Holder::Governance, why: "add/remove committee members, set the quorum" },
    RoleSpec { program: Program::AccountingOracle, name: "MANAGE_FRAME_CONFIG_ROLE", holder: Holder::Governance, why: "change the frame length" },
    RoleSpec { program: Program::AccountingOracle, name: "MANAGE_CONSENSUS_VERSION_ROLE", holder: Holder::Governance, why: "change the consensus version" },
    RoleSpec { program: Program::AccountingOracle, name: "SUBMIT_DATA_ROLE", holder: Holder::Nobody, why: "submit report data without being a member: committee members submit (as Lido, granted to nobody)" },
    RoleSpec { program: Program::AccountingOracle, name: "ALL_LIMITS_MANAGER_ROLE", holder: Holder::Governance, why: "set every sanity limit at once" },
    RoleSpec { program: Program::AccountingOracle, name: "ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE", holder: Holder::Governance, why: "set the annual CL balance increase limit" },
    RoleSpec { program: Program::AccountingOracle, name: "ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE", holder: Holder::Governance, why: "set the one-off CL balance decrease limit" },
    RoleSpec { program: Program::AccountingOracle, name: "MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE", holder: Holder::Governance, why: "set the per-report share-rate increase limit" },
    RoleSpec { program: Program::AccountingOracle, name: "MANAGE_FEE_ROLE", holder: Holder::Governance, why: "set the protocol fee and its recipients" },
];

fn holder_address(cfg: &Config, holder: Holder) -> Option<Address> {
    match holder {
        Holder::Governance => Some(cfg.governance),
        Holder::Depositor => Some(cfg.depositor),
        Holder::Nobody => None,
    }
}

fn role(program: Program, name: &str) -> RoleSpec {
    *ROLES
        .iter()
        .find(|r| r.program == program && r.name == name)
        .unwrap_or_else(|| panic!("{} has no role {name} in ROLES", program.package()))
}

/// The programs that have roles (every one but the share token).
pub fn programs_with_roles() -> impl Iterator<Item = Program> {
    Program::DEPLOY_ORDER.into_iter().filter(|p| *p != Program::ShareToken)
}

// ------------------------------------------------------------------------------------------
// Wiring transactions
// ------------------------------------------------------------------------------------------

/// One wiring transaction, sent by the deployer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The program called.
    pub target: Program,
    /// Its address.
    pub to: Address,
    /// The function's Solidity signature (`grantRole(bytes32,address)`).
    pub signature: String,
    /// The arguments, as shown and as passed to `cast send`.
    pub args: Vec<Arg>,
    /// Wei sent.
    pub value: U256,
    /// The exact calldata (alloy `sol!` encoding).
    pub calldata: Vec<u8>,
    /// Why the step is there.
    pub why: String,
}

fn step<C: SolCall>(
    target: Program,
    addresses: &Addresses,
    call: C,
    args: Vec<Arg>,
    value: U256,
    why: impl Into<String>,
) -> Result<Step> {
    Ok(Step {
        target,
        to: addr(addresses, target)?,
        signature: C::SIGNATURE.to_string(),
        args,
        value,
        calldata: call.abi_encode(),
        why: why.into(),
    })
}

fn grant(addresses: &Addresses, spec: &RoleSpec, account: Address, why: &str) -> Result<Step> {
    step(
        spec.program,
        addresses,
        calls::grantRoleCall { role: spec.id(), account },
        vec![Arg::Bytes32(spec.id()), Arg::Address(account)],
        U256::ZERO,
        format!("{} {}: {why}", spec.name, account.to_checksum(None)),
    )
}

fn renounce(addresses: &Addresses, program: Program, name: &str, account: Address) -> Result<Step> {
    let id = role_id(name);
    step(
        program,
        addresses,
        calls::renounceRoleCall { role: id, callerConfirmation: account },
        vec![Arg::Bytes32(id), Arg::Address(account)],
        U256::ZERO,
        format!("the deployer gives up {name}"),
    )
}

/// Runs `inner` (steps the deployer sends that need `role`), granting the deployer the role
/// first and renouncing it after when the role's holder is someone else.
fn as_holder_of(
    cfg: &Config,
    addresses: &Addresses,
    spec: RoleSpec,
    inner: Vec<Step>,
) -> Result<Vec<Step>> {
    if holder_address(cfg, spec.holder) == Some(cfg.deployer) || inner.is_empty() {
        return Ok(inner);
    }
    let mut steps = vec![grant(addresses, &spec, cfg.deployer, "temporarily, for the next step")?];
    steps.extend(inner);
    steps.push(renounce(addresses, spec.program, spec.name, cfg.deployer)?);
    Ok(steps)
}

/// The only withdrawal credentials the deposit pool accepts: type `0x01`, 11 zero bytes, the
/// pool's own address (the pool is its own withdrawal vault).
pub fn withdrawal_credentials(pool: Address) -> B256 {
    let mut out = [0u8; 32];
    out[0] = 0x01;
    out[12..].copy_from_slice(pool.as_slice());
    B256::from(out)
}

/// Every transaction after the five deployments, in order: wiring the programs to each other,
/// granting every role to its holder, the bootstrap (`initialize` with the seed), starting the
/// pool, adding the oracle committee, and handing `DEFAULT_ADMIN_ROLE` to governance.
///
/// # Errors
/// When a program has no address.
pub fn wiring(cfg: &Config, addresses: &Addresses) -> Result<Vec<Step>> {
    use Program::*;
    let pool = addr(addresses, DepositPool)?;
    let oracle = addr(addresses, AccountingOracle)?;
    let queue = addr(addresses, WithdrawalQueue)?;
    let zero = U256::ZERO;
    let mut steps = vec![
        step(
            RebaseToken,
            addresses,
            calls::setProtocolContractsCall { depositPool: pool, oracle, withdrawalQueue: queue },
            vec![Arg::Address(pool), Arg::Address(oracle), Arg::Address(queue)],
            zero,
            "the token's privileged callers: mintShares (pool), rebase (oracle), burns (queue)",
        )?,
        step(
            DepositPool,
            addresses,
            calls::setOracleCall { oracle },
            vec![Arg::Address(oracle)],
            zero,
            "the only caller of handleOracleReport",
        )?,
        step(
            DepositPool,
            addresses,
            calls::setWithdrawalQueueCall { withdrawalQueue: queue },
            vec![Arg::Address(queue)],
            zero,
            "where finalization ether goes",
        )?,
    ];
    let credentials = withdrawal_credentials(pool);
    steps.push(step(
        DepositPool,
        addresses,
        calls::setWithdrawalCredentialsCall { withdrawalCredentials: credentials },
        vec![Arg::Bytes32(credentials)],
        zero,
        "validators withdraw to the pool itself (0x01 ++ 11 zero bytes ++ pool)",
    )?);
    if let Some(target) = cfg.beacon_deposit_contract {
        steps.push(step(
            DepositPool,
            addresses,
            calls::setBeaconDepositContractCall { beaconDeposit: target },
            vec![Arg::Address(target)],
            zero,
            "the 32-ETH deposit target",
        )?);
    }
    for spec in ROLES {
        if let Some(holder) = holder_address(cfg, spec.holder) {
            steps.push(grant(addresses, spec, holder, spec.why)?);
        }
    }
    steps.push(step(
        DepositPool,
        addresses,
        calls::initializeCall {},
        vec![],
        cfg.seed_wei,
        "bootstrap: buffers the seed and mints it 1:1 to 0x…dEaD (the share rate starts at 1)",
    )?);
    if cfg.start {
        let resume = step(
            DepositPool,
            addresses,
            calls::resumeCall {},
            vec![],
            zero,
            "start the pool and staking (it starts stopped, staking paused)",
        )?;
        steps.extend(as_holder_of(cfg, addresses, role(DepositPool, "RESUME_ROLE"), vec![resume])?);
    }
    let quorum = U256::from(cfg.effective_quorum());
    let members = cfg
        .oracle_members
        .iter()
        .map(|m| {
            step(
                AccountingOracle,
                addresses,
                calls::addMemberCall { addr: *m, quorum },
                vec![Arg::Address(*m), Arg::Uint(quorum)],
                zero,
                "committee member",
            )
        })
        .collect::<Result<Vec<_>>>()?;
    steps.extend(as_holder_of(
        cfg,
        addresses,
        role(AccountingOracle, "MANAGE_MEMBERS_AND_QUORUM_ROLE"),
        members,
    )?);
    if cfg.governance != cfg.deployer {
        for program in programs_with_roles() {
            let admin = RoleSpec {
                program,
                name: "DEFAULT_ADMIN_ROLE",
                holder: Holder::Governance,
                why: "governance administers every role",
            };
            steps.push(grant(addresses, &admin, cfg.governance, admin.why)?);
            steps.push(renounce(addresses, program, "DEFAULT_ADMIN_ROLE", cfg.deployer)?);
        }
    }
    Ok(steps)
}

// ------------------------------------------------------------------------------------------
// The plan
// ------------------------------------------------------------------------------------------

/// One program's deployment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedDeploy {
    /// The program.
    pub program: Program,
    /// Its (placeholder) address.
    pub address: Address,
    /// Constructor arguments.
    pub args: Vec<Arg>,
    /// The contract code: `EFF00000 ‖ brotli-11(processed wasm)`.
    pub code_len: usize,
    /// [`initcode`]'s length: the prelude and the code.
    pub initcode_len: usize,
    /// The deploy transaction's input to the StylusDeployer.
    pub deployer_calldata_len: usize,
}

/// The whole plan.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Its configuration.
    pub config: Config,
    /// The deployments, in order.
    pub deployments: Vec<PlannedDeploy>,
    /// The wiring transactions, in order.
    pub steps: Vec<Step>,
}

/// Builds the plan for the deploy codes `codes` (`EFF00000 ‖ brotli`, by program) at
/// `addresses`.
///
/// # Errors
/// An invalid configuration, a missing code or address, or arguments that do not match a
/// constructor.
pub fn plan(
    cfg: &Config,
    addresses: &Addresses,
    codes: &BTreeMap<Program, Vec<u8>>,
) -> Result<Plan> {
    cfg.validate()?;
    let mut deployments = Vec::new();
    for program in Program::DEPLOY_ORDER {
        let code = codes
            .get(&program)
            .ok_or_else(|| anyhow!("no deploy code for {}", program.package()))?;
        let args = constructor_args(program, cfg, addresses)?;
        check_args(&program.constructor()?, &args)
            .with_context(|| format!("{}'s constructor", program.package()))?;
        deployments.push(PlannedDeploy {
            program,
            address: addr(addresses, program)?,
            code_len: code.len(),
            initcode_len: initcode(code).len(),
            deployer_calldata_len: deployer_calldata(code, &args, B256::ZERO).len(),
            args,
        });
    }
    Ok(Plan { config: cfg.clone(), deployments, steps: wiring(cfg, addresses)? })
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn shell_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%$\"{}".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The `cargo stylus deploy` arguments for `program` (run in its crate directory).
pub fn cargo_stylus_args(
    program: Program,
    args: &[Arg],
    endpoint: &str,
    key_path: &str,
) -> Vec<String> {
    let mut out: Vec<String> = [
        "stylus",
        "deploy",
        "--no-verify",
        "--contract",
        program.package(),
        "--endpoint",
        endpoint,
        "--private-key-path",
        key_path,
    ]
    .map(String::from)
    .to_vec();
    if !args.is_empty() {
        out.push("--constructor-args".into());
        out.extend(args.iter().map(Arg::cli));
    }
    out
}

/// The `cast send` arguments for `step` (without the RPC URL and key, which the caller adds).
pub fn cast_send_args(step: &Step) -> Vec<String> {
    let mut out = vec!["send".to_string(), step.to.to_checksum(None), step.signature.clone()];
    out.extend(step.args.iter().map(Arg::cli));
    if !step.value.is_zero() {
        out.push("--value".into());
        out.push(step.value.to_string());
    }
    out
}

/// A shell command line for display: `cast send …` with `"$RPC_URL"` and `"$PRIVATE_KEY"`.
pub fn cast_command(step: &Step) -> String {
    let words: Vec<String> = cast_send_args(step).iter().map(|w| shell_quote(w)).collect();
    format!("cast {} --rpc-url \"$RPC_URL\" --private-key \"$PRIVATE_KEY\"", words.join(" "))
}

/// A shell command line for display: the program's `cargo stylus deploy`.
pub fn cargo_stylus_command(program: Program, args: &[Arg]) -> String {
    let words: Vec<String> = cargo_stylus_args(program, args, "$RPC_URL", "$KEY_FILE")
        .iter()
        .map(|w| if w.starts_with('$') { format!("\"{w}\"") } else { shell_quote(w) })
        .collect();
    format!("(cd {} && cargo {})", program.crate_dir(), words.join(" "))
}

fn hex(bytes: &[u8]) -> String {
    format!("0x{}", alloy_primitives::hex::encode(bytes))
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The plan as text. `placeholders` marks the addresses as not final.
pub fn render(plan: &Plan, placeholders: bool) -> String {
    let cfg = &plan.config;
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "== Deploy plan (5 programs, {} wiring transactions)", plan.steps.len());
    let _ = writeln!(w, "deployer (sends everything, admin while wiring): {}", cfg.deployer);
    let _ = writeln!(w, "governance (final admin, role holder):           {}", cfg.governance);
    if placeholders {
        let _ = writeln!(
            w,
            "addresses below are PLACEHOLDERS (CREATE(deployer, nonce + i)); on a chain each\n\
             program's address is the StylusDeployer's CREATE and is read from cargo-stylus's output"
        );
    }
    let _ = writeln!(w, "\n== Deployments (cargo-stylus {CARGO_STYLUS_VERSION}, through the StylusDeployer {STYLUS_DEPLOYER})");
    let _ = writeln!(
        w,
        "{:<4}{:<19}{:<44}{:>10}{:>11}{:>14}{:>8}",
        "#", "program", "address", "code B", "initcode B", "deploy tx B", "margin"
    );
    for (i, d) in plan.deployments.iter().enumerate() {
        let margin = 24_576i64 - d.code_len as i64;
        let _ = writeln!(
            w,
            "{:<4}{:<19}{:<44}{:>10}{:>11}{:>14}{:>8}",
            i + 1,
            d.program.package(),
            d.address.to_checksum(None),
            thousands(d.code_len),
            thousands(d.initcode_len),
            thousands(d.deployer_calldata_len),
            margin
        );
    }
    let _ = writeln!(
        w,
        "code = EFF00000 + brotli-11 (limit 24,576 B); initcode = {PRELUDE_LEN}-byte EVM prelude + code;\n\
         deploy tx = StylusDeployer.deploy(initcode, 0x5585258d ++ args, 0, salt 0) calldata"
    );
    for (i, d) in plan.deployments.iter().enumerate() {
        let _ = writeln!(
            w,
            "\n{}. {} — {}",
            i + 1,
            d.program.package(),
            d.program.constructor_signature()
        );
        if let Ok(constructor) = d.program.constructor() {
            for (param, arg) in constructor.inputs.iter().zip(&d.args) {
                let _ = writeln!(w, "     {:<18} {:<8} {}", param.name, param.ty, arg.cli());
            }
        }
        let _ = writeln!(w, "   initcode prelude: {}", hex(&prelude(d.code_len)));
        let _ = writeln!(w, "   constructor args (ABI): {}", hex(&encode_args(&d.args)));
        let _ = writeln!(w, "   $ {}", cargo_stylus_command(d.program, &d.args));
    }
    let _ = writeln!(
        w,
        "\n== Roles (DEFAULT_ADMIN_ROLE: the deployer from each constructor{})",
        if cfg.governance == cfg.deployer { "; kept" } else { ", handed to governance at the end" }
    );
    let _ = writeln!(w, "{:<19}{:<48}{:<44}what it allows", "program", "role", "holder");
    for spec in ROLES {
        let holder = holder_address(cfg, spec.holder)
            .map_or_else(|| "nobody".to_string(), |a| a.to_checksum(None));
        let _ = writeln!(
            w,
            "{:<19}{:<48}{:<44}{}",
            spec.program.package(),
            spec.name,
            holder,
            spec.why
        );
    }
    let _ = writeln!(w, "share-token        (no roles: anyone wraps and unwraps)");
    let _ = writeln!(
        w,
        "\n== Wiring ({} transactions from the deployer; `cast send` from foundry)",
        plan.steps.len()
    );
    for (i, s) in plan.steps.iter().enumerate() {
        let _ = writeln!(w, "{:>3}. {}.{}  → {}", i + 1, s.target.package(), s.signature, s.to);
        let _ = writeln!(w, "     {}", s.why);
        if !s.value.is_zero() {
            let _ = writeln!(w, "     value: {} wei", s.value);
        }
        let _ = writeln!(w, "     calldata: {}", hex(&s.calldata));
        let _ = writeln!(w, "     $ {}", cast_command(s));
    }
    if cfg.oracle_members.is_empty() {
        let _ = writeln!(w, "\nnote: no oracle members given (--oracle-member): add them later with addMember(address,uint256)");
    }
    if cfg.beacon_deposit_contract.is_none() {
        let _ = writeln!(w, "note: no beacon deposit contract given (--beacon-deposit): depositBufferedEther() reverts until governance sets one");
    }
    out
}

// ------------------------------------------------------------------------------------------
// Running cargo-stylus
// ------------------------------------------------------------------------------------------

/// Removes ANSI colour escapes (`ESC [ … letter`), as cargo-stylus colours its output.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The address in cargo-stylus's `deployed code at address: 0x…` line.
pub fn parse_deployed_address(output: &str) -> Option<Address> {
    let clean = strip_ansi(output);
    let line = clean.lines().find(|l| l.contains("deployed code at address"))?;
    let hex = line.split("0x").nth(1)?;
    let hex: String = hex.chars().take_while(char::is_ascii_hexdigit).collect();
    format!("0x{hex}").parse().ok()
}

/// The transaction hash in cargo-stylus's `deployment tx hash: 0x…` line.
pub fn parse_deploy_tx_hash(output: &str) -> Option<B256> {
    let clean = strip_ansi(output);
    let line = clean.lines().find(|l| l.contains("deployment tx hash"))?;
    let hex: String =
        line.split("0x").nth(1)?.chars().take_while(char::is_ascii_hexdigit).collect();
    format!("0x{hex}").parse().ok()
}

/// The installed cargo-stylus's version line, if `cargo stylus --version` runs.
pub fn cargo_stylus_version() -> Option<String> {
    let output = std::process::Command::new("cargo").args(["stylus", "--version"]).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Runs `cargo stylus get-initcode --contract <package>` in the program's directory (the
/// `Stylus.toml` files must exist, see [`StylusManifests`]) and returns the initcode
/// cargo-stylus would deploy: its own build, processing, project hash and C brotli, behind
/// the same prelude. Offline.
///
/// # Errors
/// When cargo-stylus fails or prints something that is not hex.
pub fn cargo_stylus_initcode(root: &Path, program: Program) -> Result<Vec<u8>> {
    let output = std::process::Command::new("cargo")
        .current_dir(root.join(program.crate_dir()))
        .args(["stylus", "get-initcode", "--contract", program.package()])
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .context("running cargo stylus get-initcode")?;
    if !output.status.success() {
        bail!(
            "cargo stylus get-initcode failed for {}:\n{}{}",
            program.package(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = strip_ansi(&String::from_utf8_lossy(&output.stdout));
    let hex = text.split_whitespace().last().unwrap_or("").trim_start_matches("0x");
    alloy_primitives::hex::decode(hex).with_context(|| {
        format!("cargo stylus get-initcode printed no hex for {}", program.package())
    })
}

/// Compares cargo-stylus's initcode with ours for the same program: the prelude must be
/// [`prelude`] of its code, and its code must decompress to our processed module up to the
/// custom sections (the 32-byte project hash is computed differently). Returns a
/// description of any difference.
///
/// # Errors
/// When the code does not decompress.
pub fn compare_initcode(theirs: &[u8], our_wasm: &[u8]) -> Result<Vec<String>> {
    let mut differences = Vec::new();
    if theirs.len() < PRELUDE_LEN {
        bail!("initcode of {} bytes is shorter than the prelude", theirs.len());
    }
    let code = &theirs[PRELUDE_LEN..];
    if theirs[..PRELUDE_LEN] != prelude(code.len()) {
        differences.push("the prelude differs from cargo-stylus's DeploymentCalldata".to_string());
    }
    let wasm = crate::process::decode_deploy_code(code, 128 * 1024)?;
    let strip = crate::process::strip_custom_sections;
    if strip(&wasm)? != strip(our_wasm)? {
        differences.push("the module (without custom sections) differs from target/stylus".into());
    }
    Ok(differences)
}

/// Whether foundry's `cast` runs.
pub fn cast_available() -> bool {
    std::process::Command::new("cast").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// What a workspace-root `Stylus.toml` needs for cargo-stylus 0.10.10 to load it.
pub const WORKSPACE_STYLUS_TOML: &str = "# Written by `scripts --bin deploy` for one cargo-stylus run (removed afterwards).\n[workspace]\n\n[workspace.networks]\n";

/// A contract's `Stylus.toml` (only its presence matters to cargo-stylus 0.10.10; no
/// `[wasm-opt]` table, so the wasm is not optimised, as `stylus-build` measures it).
pub const CONTRACT_STYLUS_TOML: &str =
    "# Written by `scripts --bin deploy` for one cargo-stylus run (removed afterwards).\n";

/// The `Stylus.toml` files cargo-stylus needs that were missing and that this run wrote;
/// they are removed when the value is dropped.
#[derive(Debug, Default)]
pub struct StylusManifests {
    created: Vec<PathBuf>,
}

impl StylusManifests {
    /// Writes the missing `Stylus.toml` files: the workspace root's and one per program
    /// directory. Existing files are left alone (and not removed later).
    ///
    /// # Errors
    /// When a file cannot be written.
    pub fn ensure(root: &Path) -> Result<Self> {
        let mut manifests = Self::default();
        let mut wanted = vec![(root.join("Stylus.toml"), WORKSPACE_STYLUS_TOML)];
        for program in Program::DEPLOY_ORDER {
            wanted.push((root.join(program.crate_dir()).join("Stylus.toml"), CONTRACT_STYLUS_TOML));
        }
        for (path, contents) in wanted {
            if !path.exists() {
                std::fs::write(&path, contents)
                    .with_context(|| format!("writing {}", path.display()))?;
                manifests.created.push(path);
            }
        }
        Ok(manifests)
    }

    /// The files this run wrote.
    pub fn created(&self) -> &[PathBuf] {
        &self.created
    }
}

impl Drop for StylusManifests {
    fn drop(&mut self) {
        for path in &self.created {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A private key in a file only the current user can read, for `--private-key-path` (so the
/// key is not on a command line); removed when dropped.
#[derive(Debug)]
pub struct KeyFile {
    path: PathBuf,
}

impl KeyFile {
    /// Writes `key` to `dir/.deploy-key-<pid>` with mode 0600.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn new(dir: &Path, key: &str) -> Result<Self> {
        use std::io::Write as _;
        let path = dir.join(format!(".deploy-key-{}", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file =
            options.open(&path).with_context(|| format!("creating {}", path.display()))?;
        file.write_all(key.trim().as_bytes())?;
        Ok(Self { path })
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for KeyFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::b256;
    use alloy_sol_types::SolValue;

    fn codes() -> BTreeMap<Program, Vec<u8>> {
        Program::DEPLOY_ORDER
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let mut code = crate::process::EOF_PREFIX.to_vec();
                code.extend(vec![i as u8 + 1; 1000 + i]);
                (p, code)
            })
            .collect()
    }

    fn dry_plan(cfg: &Config) -> Plan {
        plan(cfg, &placeholder_addresses(cfg.deployer, 7), &codes()).expect("plan")
    }

    const DEPLOYER: Address = address!("00000000000000000000000000000000000d3910");
    const GOVERNANCE: Address = address!("0000000000000000000000000000000000006000");

    #[test]
    fn initcode_is_the_43_byte_prelude_then_the_code() {
        // Given a code of 0x1234 + 2 bytes... when wrapped,
        let code = [0xEF, 0xF0, 0x00, 0x00, 0xAA, 0xBB];
        let init = initcode(&code);
        // then PUSH32 <len>, DUP1, PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN, version 0, code.
        assert_eq!(init.len(), PRELUDE_LEN + code.len());
        assert_eq!(init[0], 0x7f);
        assert_eq!(U256::from_be_slice(&init[1..33]), U256::from(code.len()));
        assert_eq!(init[33..42], [0x80, 0x60, 43, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3]);
        assert_eq!(init[42], 0x00);
        assert_eq!(&init[PRELUDE_LEN..], &code);
    }

    #[test]
    fn initcode_length_field_holds_large_codes() {
        // Given a 24,576-byte code, when wrapped, then the length word is 0x6000.
        let init = initcode(&[0u8; 24_576]);
        assert_eq!(&init[1..31], &[0u8; 30]);
        assert_eq!(&init[31..33], &[0x60, 0x00]);
        assert_eq!(init.len(), 24_576 + 43);
    }

    #[test]
    fn constructor_selector_is_stylus_constructor() {
        // Given the SDK's constructor name, when hashed, then its selector is the constant.
        assert_eq!(keccak256("stylus_constructor()")[..4], CONSTRUCTOR_SELECTOR);
    }

    #[test]
    fn encode_args_matches_alloy_for_strings_and_addresses() {
        // Given the rebase token's constructor arguments,
        let args = [
            Arg::String("Liquid staked Ether 2.0".into()),
            Arg::String("stETH".into()),
            Arg::Address(DEPLOYER),
        ];
        // when encoded, then the bytes equal alloy's abi.encode of the same values.
        let expected = ("Liquid staked Ether 2.0".to_string(), "stETH".to_string(), DEPLOYER)
            .abi_encode_params();
        assert_eq!(encode_args(&args), expected);
    }

    #[test]
    fn encode_args_matches_alloy_for_the_oracle_constructor() {
        // Given the oracle's nine static arguments, when encoded, then alloy agrees.
        let cfg = Config::new(DEPLOYER);
        let addresses = placeholder_addresses(DEPLOYER, 0);
        let args = constructor_args(Program::AccountingOracle, &cfg, &addresses).unwrap();
        let a = |p| addresses[&p];
        let expected = (
            DEPLOYER,
            a(Program::RebaseToken),
            a(Program::DepositPool),
            a(Program::WithdrawalQueue),
            U256::from(cfg.genesis_time),
            U256::from(12u64),
            U256::from(7200u64),
            DEPLOYER,
            DEPLOYER,
        )
            .abi_encode_params();
        assert_eq!(encode_args(&args), expected);
    }

    #[test]
    fn encode_args_pads_strings_of_32_bytes_and_more() {
        // Given a 32-byte and a 33-byte string, when encoded, then alloy agrees.
        let (a, b) = ("a".repeat(32), "b".repeat(33));
        let args = [Arg::String(a.clone()), Arg::Uint(U256::from(5)), Arg::String(b.clone())];
        assert_eq!(encode_args(&args), (a, U256::from(5), b).abi_encode_params());
        assert_eq!(
            encode_args(&[Arg::Bytes32(B256::repeat_byte(7))]),
            B256::repeat_byte(7).abi_encode()
        );
    }

    #[test]
    fn every_constructor_signature_parses_and_matches_its_arguments() {
        // Given placeholder addresses, when each program's arguments are built, then they
        // type-check against its constructor.
        let cfg = Config::new(DEPLOYER);
        let addresses = placeholder_addresses(DEPLOYER, 0);
        for program in Program::DEPLOY_ORDER {
            let constructor = program.constructor().unwrap();
            let args = constructor_args(program, &cfg, &addresses).unwrap();
            check_args(&constructor, &args).unwrap();
        }
    }

    #[test]
    fn check_args_rejects_wrong_counts_and_types() {
        // Given the deposit pool's constructor, when given wrong arguments, then it refuses.
        let constructor = Program::DepositPool.constructor().unwrap();
        assert!(check_args(&constructor, &[Arg::Address(DEPLOYER)]).is_err());
        let wrong = [Arg::Address(DEPLOYER), Arg::Uint(U256::from(1))];
        assert!(check_args(&constructor, &wrong).unwrap_err().to_string().contains("rebaseToken"));
    }

    #[test]
    fn constructor_args_need_the_earlier_programs() {
        // Given only the rebase token deployed, when the share token's arguments are built,
        // then the missing deposit pool is named.
        let cfg = Config::new(DEPLOYER);
        let mut addresses = Addresses::new();
        addresses.insert(Program::RebaseToken, create_address(DEPLOYER, 0));
        assert!(constructor_args(Program::DepositPool, &cfg, &addresses).is_ok());
        let err = constructor_args(Program::ShareToken, &cfg, &addresses).unwrap_err();
        assert!(err.to_string().contains("deposit-pool"));
    }

    #[test]
    fn deployer_calldata_is_the_stylus_deployer_call() {
        // Given a code and arguments, when the deploy transaction input is built,
        let code = [0xEF, 0xF0, 0, 0, 1, 2, 3];
        let args = [Arg::Address(DEPLOYER)];
        let input = deployer_calldata(&code, &args, B256::ZERO);
        // then it decodes as deploy(initcode, selector ++ args, 0, 0).
        let call = StylusDeployer::deployCall::abi_decode(&input, true).unwrap();
        assert_eq!(call.bytecode.to_vec(), initcode(&code));
        assert_eq!(call.initData[..4], CONSTRUCTOR_SELECTOR);
        assert_eq!(call.initData[4..], encode_args(&args));
        assert_eq!((call.initValue, call.salt), (U256::ZERO, B256::ZERO));
    }

    #[test]
    fn placeholder_addresses_are_create_addresses_in_deploy_order() {
        // Given a deployer and nonce 5, when placeholders are made, then the i-th program
        // sits at CREATE(deployer, 5 + i).
        let addresses = placeholder_addresses(DEPLOYER, 5);
        for (i, program) in Program::DEPLOY_ORDER.iter().enumerate() {
            assert_eq!(addresses[program], create_address(DEPLOYER, 5 + i as u64));
        }
    }

    #[test]
    fn create_address_matches_known_vectors() {
        // Given the classic example sender, when nonces 0, 1 are used, then the published
        // addresses come out; large nonces agree with the embedded host's derivation.
        let sender = address!("6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
        assert_eq!(create_address(sender, 0), address!("cd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"));
        assert_eq!(create_address(sender, 1), address!("343c43a37d37dff08ae8c4a11544c718abb4fcf8"));
        for nonce in [0x7f, 0x80, 0xff, 0x100, 0xdead_beef, u64::MAX] {
            assert_eq!(
                create_address(sender, nonce),
                stylus_host::create_address(sender, nonce),
                "{nonce}"
            );
        }
    }

    #[test]
    fn address_of_key_derives_the_well_known_test_account() {
        // Given the first anvil/hardhat test key, when derived, then its address comes out.
        let key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
        assert_eq!(
            address_of_key(key).unwrap(),
            address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        );
        assert!(address_of_key("0x1234").is_err());
        assert!(address_of_key("zz").is_err());
    }

    #[test]
    fn every_step_calldata_is_its_signature_and_arguments() {
        // Given a plan with governance, members and credentials (every kind of step),
        let mut cfg = Config::new(DEPLOYER);
        cfg.governance = GOVERNANCE;
        cfg.oracle_members =
            vec![Address::repeat_byte(1), Address::repeat_byte(2), Address::repeat_byte(3)];
        cfg.beacon_deposit_contract = Some(Address::repeat_byte(4));
        let plan = dry_plan(&cfg);
        // then each step's calldata is keccak(signature)[..4] ++ abi.encode(args).
        for s in &plan.steps {
            let mut expected = keccak256(&s.signature)[..4].to_vec();
            expected.extend(encode_args(&s.args));
            assert_eq!(s.calldata, expected, "{}", s.signature);
        }
    }

    #[test]
    fn dry_run_plan_covers_every_program_and_every_role() {
        // Given a plan where governance differs from the deployer,
        let mut cfg = Config::new(DEPLOYER);
        cfg.governance = GOVERNANCE;
        cfg.depositor = Address::repeat_byte(0xde);
        cfg.oracle_members = vec![Address::repeat_byte(1)];
        let plan = dry_plan(&cfg);
        let text = render(&plan, true);
        // then every program is deployed, in order, and named in the text,
        let order: Vec<Program> = plan.deployments.iter().map(|d| d.program).collect();
        assert_eq!(order, Program::DEPLOY_ORDER);
        for program in Program::DEPLOY_ORDER {
            assert!(text.contains(program.package()));
        }
        // every role with a holder is granted to it on its program, and every role is listed,
        for spec in ROLES {
            assert!(text.contains(spec.name), "{}", spec.name);
            let granted = plan.steps.iter().any(|s| {
                s.target == spec.program
                    && s.signature == "grantRole(bytes32,address)"
                    && s.args[0] == Arg::Bytes32(spec.id())
                    && Some(&s.args[1])
                        == holder_address(&cfg, spec.holder).map(Arg::Address).as_ref()
            });
            assert_eq!(
                granted,
                spec.holder != Holder::Nobody,
                "{} {}",
                spec.program.package(),
                spec.name
            );
        }
        // and DEFAULT_ADMIN_ROLE goes to governance and is renounced by the deployer last.
        for program in programs_with_roles() {
            let on: Vec<&Step> = plan.steps.iter().filter(|s| s.target == program).collect();
            let last = on.last().unwrap();
            assert_eq!(last.signature, "renounceRole(bytes32,address)");
            assert_eq!(last.args, vec![Arg::Bytes32(B256::ZERO), Arg::Address(DEPLOYER)]);
        }
    }

    #[test]
    fn plan_wires_the_addresses_bootstraps_and_starts() {
        // Given the default configuration (the deployer holds everything),
        let cfg = Config::new(DEPLOYER);
        let plan = dry_plan(&cfg);
        let a = |p| Arg::Address(plan.deployments.iter().find(|d| d.program == p).unwrap().address);
        let find = |sig: &str| plan.steps.iter().position(|s| s.signature == sig).unwrap();
        // then the token learns its three callers, the pool its oracle and queue,
        let set = &plan.steps[find("setProtocolContracts(address,address,address)")];
        assert_eq!(
            set.args,
            vec![
                a(Program::DepositPool),
                a(Program::AccountingOracle),
                a(Program::WithdrawalQueue)
            ]
        );
        assert_eq!(plan.steps[find("setOracle(address)")].args, vec![a(Program::AccountingOracle)]);
        // the seed goes with initialize() after the wiring, resume() follows, and nothing is
        // handed over or renounced.
        let init = find("initialize()");
        assert_eq!(plan.steps[init].value, cfg.seed_wei);
        assert!(find("setProtocolContracts(address,address,address)") < init);
        assert!(init < find("resume()"));
        assert!(!plan.steps.iter().any(|s| s.signature.starts_with("renounceRole")));
        // and no role goes to a temporary holder.
        let grants = plan.steps.iter().filter(|s| s.signature.starts_with("grantRole")).count();
        assert_eq!(grants, ROLES.iter().filter(|r| r.holder != Holder::Nobody).count());
    }

    #[test]
    fn steps_needing_a_role_the_deployer_lacks_grant_and_renounce_it_around() {
        // Given governance as role holder and two members,
        let mut cfg = Config::new(DEPLOYER);
        cfg.governance = GOVERNANCE;
        cfg.oracle_members = vec![Address::repeat_byte(1), Address::repeat_byte(2)];
        let steps = dry_plan(&cfg).steps;
        let sigs: Vec<&str> = steps.iter().map(|s| s.signature.as_str()).collect();
        // then resume() is preceded by a temporary RESUME_ROLE grant to the deployer and
        // followed by its renouncement, and so are the addMember calls (quorum 2 of 2).
        let resume = sigs.iter().position(|s| *s == "resume()").unwrap();
        let resume_role = Arg::Bytes32(keccak256("RESUME_ROLE"));
        assert_eq!(steps[resume - 1].args, vec![resume_role.clone(), Arg::Address(DEPLOYER)]);
        assert_eq!(steps[resume + 1].signature, "renounceRole(bytes32,address)");
        assert_eq!(steps[resume + 1].args[0], resume_role);
        let first = sigs.iter().position(|s| *s == "addMember(address,uint256)").unwrap();
        assert_eq!(sigs[first + 1], "addMember(address,uint256)");
        assert_eq!(steps[first].args[1], Arg::Uint(U256::from(2)));
        assert_eq!(sigs[first - 1], "grantRole(bytes32,address)");
        assert_eq!(sigs[first + 2], "renounceRole(bytes32,address)");
    }

    #[test]
    fn config_validation_refuses_what_the_programs_would_refuse() {
        // Given configurations the programs would reject, when validated, then each fails.
        let base = Config::new(DEPLOYER);
        let mut long_name = base.clone();
        long_name.token_name = "x".repeat(32);
        let mut no_seed = base.clone();
        no_seed.seed_wei = U256::ZERO;
        let mut small_quorum = base.clone();
        small_quorum.oracle_members = vec![Address::repeat_byte(1), Address::repeat_byte(2)];
        small_quorum.quorum = Some(1);
        let mut duplicate = base.clone();
        duplicate.oracle_members = vec![Address::repeat_byte(1), Address::repeat_byte(1)];
        let mut zero_treasury = base.clone();
        zero_treasury.treasury = Address::ZERO;
        for bad in [long_name, no_seed, small_quorum, duplicate, zero_treasury] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
        assert!(base.validate().is_ok());
    }

    #[test]
    fn roles_match_the_role_getters_of_every_interface() {
        // Given each program's hand-maintained interface, when its role getters are listed,
        // then ROLES has exactly those (besides DEFAULT_ADMIN_ROLE), and each id is the hash
        // of its name.
        for program in Program::DEPLOY_ORDER {
            let abi = abi_export::load(program.package()).unwrap();
            let mut getters: Vec<&str> = abi
                .role_getters()
                .iter()
                .map(|f| f.name.as_str())
                .filter(|n| *n != "DEFAULT_ADMIN_ROLE")
                .collect();
            getters.sort_unstable();
            let mut planned: Vec<&str> =
                ROLES.iter().filter(|r| r.program == program).map(|r| r.name).collect();
            planned.sort_unstable();
            assert_eq!(getters, planned, "{}", program.package());
            let has_admin = abi.role_getters().iter().any(|f| f.name == "DEFAULT_ADMIN_ROLE");
            assert_eq!(
                has_admin,
                programs_with_roles().any(|p| p == program),
                "{}",
                program.package()
            );
        }
        assert_eq!(
            role(Program::DepositPool, "MANAGE_SIGNING_KEYS").id(),
            b256!("75abc64490e17b40ea1e66691c3eb493647b24430b358bd87ec3e5127f1621ee")
        );
    }

    #[test]
    fn every_wiring_function_is_in_its_programs_interface() {
        // Given the full plan, when each step's selector is looked up in the target's
        // interface, then it is there (and payable exactly when the step sends value).
        let mut cfg = Config::new(DEPLOYER);
        cfg.governance = GOVERNANCE;
        cfg.oracle_members = vec![Address::repeat_byte(1)];
        cfg.beacon_deposit_contract = Some(Address::repeat_byte(2));
        for s in dry_plan(&cfg).steps {
            let abi = abi_export::load(s.target.package()).unwrap();
            let f = abi
                .functions()
                .find(|f| f.selector()[..] == s.calldata[..4])
                .unwrap_or_else(|| panic!("{} lacks {}", s.target.package(), s.signature));
            let payable = f.state_mutability == alloy_json_abi::StateMutability::Payable;
            assert!(payable || s.value.is_zero(), "{}", s.signature);
        }
    }

    #[test]
    fn commands_quote_strings_and_pass_values() {
        // Given the rebase token's arguments and the initialize step,
        let cfg = Config::new(DEPLOYER);
        let plan = dry_plan(&cfg);
        let cmd = cargo_stylus_command(Program::RebaseToken, &plan.deployments[0].args);
        // then the deploy command runs in the crate with quoted names, and cast gets --value.
        assert!(cmd.starts_with(
            "(cd rebase-token && cargo stylus deploy --no-verify --contract rebase-token"
        ));
        assert!(cmd.contains("--constructor-args 'Liquid staked Ether 2.0' stETH 0x"));
        assert!(cmd.contains("--private-key-path \"$KEY_FILE\""));
        let init = plan.steps.iter().find(|s| s.signature == "initialize()").unwrap();
        assert_eq!(
            cast_command(init),
            format!(
                "cast send {} 'initialize()' --value 1000000000000000 --rpc-url \"$RPC_URL\" --private-key \"$PRIVATE_KEY\"",
                init.to.to_checksum(None)
            )
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn parse_deployed_address_reads_cargo_stylus_output_with_colours() {
        // Given cargo-stylus's coloured output, when parsed, then address and hash come out.
        let output = "contract size: 20.1 KB\n\u{1b}[90mdeployed code at address: \u{1b}[0m\u{1b}[38;5;183m0x5fbdb2315678afecb367f032d93f642f64180aa3\u{1b}[0m\n\u{1b}[90mdeployment tx hash: \u{1b}[0m0x11223344556677889900aabbccddeeff11223344556677889900aabbccddeeff\n";
        assert_eq!(
            parse_deployed_address(output),
            Some(address!("5FbDB2315678afecb367f032d93F642f64180aa3"))
        );
        assert_eq!(
            parse_deploy_tx_hash(output),
            Some(b256!("11223344556677889900aabbccddeeff11223344556677889900aabbccddeeff"))
        );
        assert_eq!(parse_deployed_address("error: insufficient funds"), None);
    }

    #[test]
    fn compare_initcode_accepts_our_own_initcode_and_names_differences() {
        // Given a processed module and its deploy code behind the prelude,
        let wasm = wat::parse_str("(module (memory (export \"memory\") 1))").unwrap();
        let code = crate::process::deploy_code(&wasm).unwrap();
        let ours = initcode(&code);
        // when compared with the module, then nothing differs,
        assert!(compare_initcode(&ours, &wasm).unwrap().is_empty());
        // and a wrong length field or another module is named.
        let mut bad = ours.clone();
        bad[32] ^= 1;
        assert_eq!(compare_initcode(&bad, &wasm).unwrap().len(), 1);
        let other = wat::parse_str("(module (memory (export \"memory\") 2))").unwrap();
        assert_eq!(compare_initcode(&ours, &other).unwrap().len(), 1);
    }

    #[test]
    fn stylus_manifests_are_written_only_when_missing_and_removed_after() {
        // Given a workspace-like directory where one program already has a Stylus.toml,
        let dir = std::env::temp_dir().join(format!("deploy-manifests-{}", std::process::id()));
        for program in Program::DEPLOY_ORDER {
            std::fs::create_dir_all(dir.join(program.crate_dir())).unwrap();
        }
        let kept = dir.join("share-token/Stylus.toml");
        std::fs::write(&kept, "# mine\n").unwrap();
        // when the manifests are ensured, then the five missing ones are written,
        {
            let manifests = StylusManifests::ensure(&dir).unwrap();
            assert_eq!(manifests.created().len(), 5);
            assert!(std::fs::read_to_string(dir.join("Stylus.toml"))
                .unwrap()
                .contains("[workspace.networks]"));
        }
        // and after the run only the pre-existing one remains.
        assert!(!dir.join("Stylus.toml").exists());
        assert!(!dir.join("rebase-token/Stylus.toml").exists());
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "# mine\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn key_file_is_private_and_removed() {
        // Given a key, when written, then only the owner can read it, and it goes away.
        let dir = std::env::temp_dir();
        let path = {
            let file = KeyFile::new(&dir, " 0xabc \n").unwrap();
            assert_eq!(std::fs::read_to_string(file.path()).unwrap(), "0xabc");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(file.path()).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o600);
            }
            file.path().to_path_buf()
        };
        assert!(!path.exists());
    }
}
