//! The whole protocol deployed on the embedded Stylus host, wired as
//! governance would wire it, with typed helpers to drive it through its
//! Solidity ABI ([`crate::abi`]) and an accounting check after any step
//! ([`Protocol::check_invariants`]).
//!
//! # What [`Protocol::deploy`] does
//! 1. Builds and processes every program ([`crate::ensure_artifacts`]) and
//!    deploys its **deploy code** (`target/stylus/<name>.wasm.br`:
//!    `EFF00000 ‖ brotli-11(processed wasm)`, the bytes the size gate
//!    measures and a chain stores) through the StylusDeployer flow, which
//!    runs each constructor: rebase token (`"Liquid staked Ether 2.0"`,
//!    `"stETH"`, governance), deposit pool (governance, token), share token
//!    (`"Wrapped liquid staked Ether 2.0"`, `"wstETH"`, token, pool),
//!    withdrawal queue (governance, token, share token, pool), oracle
//!    (governance, token, pool, queue, genesis time, 12 s slots, 225 × 32
//!    slots per frame, treasury, operator recipient).
//! 2. Deploys the beacon-deposit double ([`BEACON_DEPOSIT_DOUBLE_WAT`]): a
//!    tiny hand-written Stylus program that keeps the 32 ETH and logs
//!    `msg.value ‖ calldata`, so that every deposit's value, withdrawal
//!    credentials, key and `deposit_data_root` are checked here, in Rust,
//!    against an independent SSZ computation ([`deposit_data_root`]). (The
//!    deposit pool's own beacon double is a motsu test type, not a
//!    deployable program.)
//! 3. Wires: `setProtocolContracts(pool, oracle, queue)` on the token; on
//!    the pool `setOracle`, `setWithdrawalQueue`, `setBeaconDepositContract`,
//!    `setWithdrawalCredentials(0x01 ‖ 0 ‖ pool)`, Lido's mainnet staking
//!    limit (150,000 ETH, refilled in a day), roles (pause/resume/staking
//!    control/keys to governance, `DEPOSIT_ROLE` to a depositor bot);
//!    pause/resume roles on the token and the queue; the oracle's committee
//!    (members added with a growing quorum up to the configured one);
//!    signing keys for the validators.
//! 4. Seed bootstrap: governance `initialize{value: seed}()` on the pool
//!    (the seed's shares go to `0x…dEaD`), then `resume()`.
//!
//! # The simulated consensus layer ([`BeaconChain`])
//! Validators exist once the beacon-deposit double received their 32 ETH;
//! their balances are whatever the simulation says (rewards, penalties);
//! an exit credits the validator's balance to the withdrawal vault — the
//! deposit pool, whose withdrawal credentials point to itself — with
//! [`Host::fund`], as a consensus-layer withdrawal credits an account
//! without running its code. Oracle members report what the simulation
//! shows ([`Protocol::report_data`]).

use crate::abi::{
    decode_revert, IAccountingOracle, IBeaconDeposit, IDepositPool, IStETH, IWithdrawalQueue,
    IWstETH, ReportData, Revert,
};
use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolEventInterface, SolValue};
use anyhow::{bail, ensure, Context, Result};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use stylus_host::{GasBreakdown, Host, Log, Outcome};

/// 10^18.
pub const ETHER: u128 = 1_000_000_000_000_000_000;
/// 10^9.
pub const GWEI: u64 = 1_000_000_000;
/// A validator deposit: 32 ETH.
pub const DEPOSIT_SIZE_GWEI: u64 = 32 * GWEI;
/// The seed holder of the bootstrap shares.
pub const DEAD: Address = address!("000000000000000000000000000000000000dEaD");
/// The governance account (DAO / timelock): admin of every program, deployer.
pub const GOVERNANCE: Address = address!("00000000000000000000000000000000000060f0");
/// The bot holding the deposit pool's `DEPOSIT_ROLE`.
pub const DEPOSITOR: Address = address!("000000000000000000000000000000000000de90");
/// The protocol treasury (fee recipient).
pub const TREASURY: Address = address!("0000000000000000000000000000000000007e45");
/// The node operators' fee recipient.
pub const OPERATOR: Address = address!("00000000000000000000000000000000000009e4");
/// Ethereum mainnet's beacon-chain genesis time.
pub const MAINNET_GENESIS: u64 = 1_606_824_023;
/// Lido's mainnet staking limit: 150,000 ETH.
pub const STAKE_LIMIT_ETH: u64 = 150_000;

/// `keccak256("BeaconDepositDouble(uint256 value, bytes calldata)")` is the
/// only topic of the double's log; its data is `msg.value` (32 bytes) followed
/// by the raw calldata.
pub fn beacon_deposit_topic() -> B256 {
    keccak256("BeaconDepositDouble(uint256 value, bytes calldata)")
}

/// The beacon-deposit double, in WAT: it accepts any call with any value (the
/// ether stays in it, as in the real deposit contract) and logs one topic
/// ([`beacon_deposit_topic`], placed at memory 0 by [`beacon_deposit_double`])
/// with data `msg.value ‖ calldata`. Imports only `read_args`, `msg_value`
/// and `emit_log`; passes Stylus activation.
pub const BEACON_DEPOSIT_DOUBLE_WAT: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "msg_value" (func $msg_value (param i32)))
  (import "vm_hooks" "emit_log" (func $emit_log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "TOPIC")
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $msg_value (i32.const 32))
    (call $read_args (i32.const 64))
    (call $emit_log (i32.const 0) (i32.add (local.get $len) (i32.const 64)) (i32.const 1))
    (i32.const 0)))
"#;

/// The beacon-deposit double as a WASM module.
///
/// # Errors
/// If the WAT does not parse (a bug).
pub fn beacon_deposit_double() -> Result<Vec<u8>> {
    let topic: String = beacon_deposit_topic().iter().map(|b| format!("\\{b:02x}")).collect();
    let wat = BEACON_DEPOSIT_DOUBLE_WAT.replace("TOPIC", &topic);
    wat::parse_str(&wat).context("assembling the beacon-deposit double")
}

/// `amount` ether in wei.
pub fn ether(amount: u64) -> U256 {
    U256::from(amount) * U256::from(ETHER)
}

/// `amount` milli-ether in wei.
pub fn milli_ether(amount: u64) -> U256 {
    U256::from(amount) * U256::from(ETHER / 1000)
}

/// `amount` gwei in wei.
pub fn gwei(amount: u64) -> U256 {
    U256::from(amount) * U256::from(GWEI)
}

/// `wei` as ether with every decimal that is not a trailing zero
/// (`40.00328`, `0.000000000000000001`).
pub fn format_ether(wei: U256) -> String {
    let unit = U256::from(ETHER);
    let (whole, fraction) = (wei / unit, wei % unit);
    if fraction.is_zero() {
        return format!("{whole}");
    }
    let digits = format!("{fraction:0>18}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// An address derived from a label (for users and members).
pub fn labelled_address(label: &str) -> Address {
    Address::from_word(keccak256(format!("liquid-staking user {label}")))
}

/// `hash_tree_root(DepositData{pubkey, withdrawal_credentials, amount,
/// signature})`, the root the beacon deposit contract checks, computed from
/// the deposit contract's specification (SSZ merkleization of the four
/// fields, `amount` in gwei as 8 little-endian bytes).
pub fn deposit_data_root(
    pubkey: &[u8; 48],
    withdrawal_credentials: &B256,
    amount_gwei: u64,
    signature: &[u8; 96],
) -> B256 {
    fn sha(parts: &[&[u8]]) -> [u8; 32] {
        let mut h = Sha256::new();
        for p in parts {
            h.update(p);
        }
        h.finalize().into()
    }
    let pubkey_root = sha(&[pubkey, &[0u8; 16]]);
    let signature_root = sha(&[&sha(&[&signature[..64]]), &sha(&[&signature[64..], &[0u8; 32]])]);
    let mut amount = [0u8; 32];
    amount[..8].copy_from_slice(&amount_gwei.to_le_bytes());
    let left = sha(&[&pubkey_root, withdrawal_credentials.as_slice()]);
    let right = sha(&[&amount, &signature_root]);
    B256::from(sha(&[&left, &right]))
}

/// A validator signing key: a deterministic, non-zero 48-byte "public key"
/// and 96-byte "signature" (nothing on this chain verifies BLS).
pub fn signing_key(index: usize) -> ([u8; 48], [u8; 96]) {
    let mut pubkey = [0u8; 48];
    let mut signature = [0u8; 96];
    let seed = keccak256(format!("validator {index}"));
    pubkey[..32].copy_from_slice(seed.as_slice());
    pubkey[32..].copy_from_slice(&keccak256(seed)[..16]);
    for (i, chunk) in signature.chunks_mut(32).enumerate() {
        chunk.copy_from_slice(keccak256([seed.as_slice(), &[i as u8]].concat()).as_slice());
    }
    (pubkey, signature)
}

/// One validator of the simulated consensus layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validator {
    /// Its public key (as deposited).
    pub pubkey: [u8; 48],
    /// Its balance, gwei.
    pub balance_gwei: u64,
    /// Whether it exited (its balance went to the withdrawal vault).
    pub exited: bool,
}

/// The simulated consensus layer: validators created by deposits, balances
/// moved by [`BeaconChain::reward_all`] and [`BeaconChain::penalize`], exits
/// paid to the withdrawal vault.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BeaconChain {
    /// Every validator ever deposited, in deposit order.
    pub validators: Vec<Validator>,
    /// Wei credited to the withdrawal vault (the deposit pool) and not yet
    /// collected by a report.
    pub vault_pending: U256,
}

impl BeaconChain {
    /// Adds `gwei` to every active validator's balance.
    pub fn reward_all(&mut self, gwei: u64) {
        for v in self.validators.iter_mut().filter(|v| !v.exited) {
            v.balance_gwei += gwei;
        }
    }

    /// Takes `gwei` from validator `index` (a slashing or an inactivity penalty).
    pub fn penalize(&mut self, index: usize, gwei: u64) {
        if let Some(v) = self.validators.get_mut(index) {
            v.balance_gwei = v.balance_gwei.saturating_sub(gwei);
        }
    }

    /// Validators the consensus layer has seen (exited ones included: the
    /// count never decreases).
    pub fn seen(&self) -> u64 {
        self.validators.len() as u64
    }

    /// Active validators.
    pub fn active(&self) -> usize {
        self.validators.iter().filter(|v| !v.exited).count()
    }

    /// Total balance of the active validators, gwei.
    pub fn cl_balance_gwei(&self) -> u64 {
        self.validators.iter().filter(|v| !v.exited).map(|v| v.balance_gwei).sum()
    }
}

/// Deployment parameters.
#[derive(Clone, Debug)]
pub struct Config {
    /// Ether of the seed bootstrap (its shares go to `0x…dEaD`).
    pub seed: U256,
    /// Number of oracle members.
    pub members: usize,
    /// Votes a report needs.
    pub quorum: usize,
    /// Beacon-chain genesis time.
    pub genesis_time: u64,
    /// Seconds per slot.
    pub seconds_per_slot: u64,
    /// Slots per frame (225 epochs × 32 slots = one day at 12 s).
    pub slots_per_frame: u64,
    /// Signing keys registered at deployment.
    pub signing_keys: usize,
    /// Block time at deployment.
    pub start_time: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            seed: ether(1),
            members: 3,
            quorum: 2,
            genesis_time: MAINNET_GENESIS,
            seconds_per_slot: 12,
            slots_per_frame: 225 * 32,
            signing_keys: 16,
            start_time: 1_700_000_000,
        }
    }
}

/// The deployed programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Addresses {
    /// Rebase token (stETH).
    pub token: Address,
    /// Share token (wstETH).
    pub wsteth: Address,
    /// Deposit pool (also the withdrawal vault).
    pub pool: Address,
    /// Withdrawal queue (unstETH).
    pub queue: Address,
    /// Accounting oracle.
    pub oracle: Address,
    /// Beacon-deposit double.
    pub beacon_deposit: Address,
}

/// A deployed program's size and the gas of its deployment.
#[derive(Clone, Debug)]
pub struct DeployedProgram {
    /// Package name.
    pub package: String,
    /// Where it lives.
    pub address: Address,
    /// Deploy code size (`EFF00000` + brotli), the size-gate figure.
    pub deploy_size: usize,
    /// Gas of the constructor transaction (an ESTIMATE).
    pub constructor_gas: u64,
}

/// The totals the accounting invariant is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Rebase token `getTotalPooledEther()`.
    pub total_pooled_ether: U256,
    /// Rebase token `getTotalShares()`.
    pub total_shares: U256,
    /// Deposit pool `getBufferedEther()`.
    pub buffered: U256,
    /// Validators deposited.
    pub deposited: U256,
    /// Validators seen by the last report.
    pub beacon_validators: U256,
    /// Their balance in the last report.
    pub beacon_balance: U256,
    /// `32 ETH × (deposited − beaconValidators)`.
    pub transient: U256,
    /// Share token `totalSupply()`.
    pub wsteth_supply: U256,
    /// Withdrawal queue `getLockedEtherAmount()`.
    pub locked: U256,
    /// Withdrawal queue `unfinalizedStETH()`.
    pub unfinalized: U256,
}

impl Totals {
    /// Ether per share, `P / S`, as a decimal string with 18 decimals (rounded down).
    pub fn share_rate(&self) -> String {
        if self.total_shares.is_zero() {
            return "-".into();
        }
        format_ether(self.total_pooled_ether * U256::from(ETHER) / self.total_shares)
    }
}

/// What [`Protocol::check_invariants`] verified.
#[derive(Clone, Debug, Default)]
pub struct InvariantReport {
    /// One line per check, with the numbers compared.
    pub lines: Vec<String>,
}

/// The result of one oracle frame.
#[derive(Clone, Debug)]
pub struct FrameOutcome {
    /// The frame's reference slot.
    pub ref_slot: u64,
    /// The data submitted (the last variant, when a refused one was retried).
    pub data: ReportData,
    /// Each member's `submitReport` (in order).
    pub votes: Vec<Outcome>,
    /// `submitReportData`.
    pub processing: Outcome,
}

/// The protocol on a host.
pub struct Protocol {
    /// The chain.
    pub host: Host,
    /// The programs.
    pub addrs: Addresses,
    /// Deployment parameters.
    pub config: Config,
    /// Oracle members.
    pub members: Vec<Address>,
    /// The simulated consensus layer.
    pub chain: BeaconChain,
    /// Every deployed program, in deploy order.
    pub deployed: Vec<DeployedProgram>,
    /// Signing keys registered so far.
    pub keys_registered: usize,
    /// Every account that may hold shares (checked by the share-sum invariant).
    holders: BTreeSet<Address>,
    /// Display names.
    names: BTreeMap<Address, String>,
}

/// `(package, deploy code)` of every program, built and processed if needed.
///
/// # Errors
/// A program that does not build or would not activate.
pub fn load_programs() -> Result<Vec<(crate::Artifact, Vec<u8>)>> {
    crate::ensure_artifacts(crate::PROGRAMS)?
        .into_iter()
        .map(|artifact| {
            let code = artifact.read_deploy_code()?;
            Ok((artifact, code))
        })
        .collect()
}

impl Protocol {
    /// Builds the programs if needed, deploys and wires them (see the module
    /// documentation).
    ///
    /// # Errors
    /// A build, deployment or wiring call that fails (with the decoded revert).
    pub fn deploy(config: Config) -> Result<Self> {
        let programs = load_programs()?;
        Self::deploy_with(config, &programs)
    }

    /// [`Protocol::deploy`] with programs already loaded ([`load_programs`]).
    ///
    /// # Errors
    /// A deployment or wiring call that fails (with the decoded revert).
    pub fn deploy_with(config: Config, programs: &[(crate::Artifact, Vec<u8>)]) -> Result<Self> {
        let code = |package: &str| -> Result<&(crate::Artifact, Vec<u8>)> {
            programs
                .iter()
                .find(|(a, _)| a.package == package)
                .with_context(|| format!("program {package} not loaded"))
        };
        let mut host = Host::new();
        host.set_timestamp(config.start_time);
        host.fund(GOVERNANCE, ether(1_000));
        let mut deployed = Vec::new();
        let mut deploy = |host: &mut Host, package: &str, args: Vec<u8>| -> Result<Address> {
            let (artifact, bytes) = code(package)?;
            let d =
                host.deploy_detailed(bytes, Some(&args), U256::ZERO, GOVERNANCE).map_err(|e| {
                    match e {
                        stylus_host::DeployError::ConstructorFailed(o) => {
                            anyhow::anyhow!(
                                "{package} constructor: {}",
                                decode_revert(&o.return_data)
                            )
                        }
                        other => anyhow::anyhow!("deploying {package}: {other}"),
                    }
                })?;
            deployed.push(DeployedProgram {
                package: package.to_string(),
                address: d.address,
                deploy_size: artifact.deploy_size,
                constructor_gas: d.constructor.map(|o| o.gas_used).unwrap_or_default(),
            });
            Ok(d.address)
        };
        let token = deploy(
            &mut host,
            "rebase-token",
            ("Liquid staked Ether 2.0".to_string(), "stETH".to_string(), GOVERNANCE)
                .abi_encode_params(),
        )?;
        let pool = deploy(&mut host, "deposit-pool", (GOVERNANCE, token).abi_encode_params())?;
        let wsteth = deploy(
            &mut host,
            "share-token",
            ("Wrapped liquid staked Ether 2.0".to_string(), "wstETH".to_string(), token, pool)
                .abi_encode_params(),
        )?;
        let queue = deploy(
            &mut host,
            "withdrawal-queue",
            (GOVERNANCE, token, wsteth, pool).abi_encode_params(),
        )?;
        let oracle = deploy(
            &mut host,
            "accounting-oracle",
            (
                GOVERNANCE,
                token,
                pool,
                queue,
                U256::from(config.genesis_time),
                U256::from(config.seconds_per_slot),
                U256::from(config.slots_per_frame),
                TREASURY,
                OPERATOR,
            )
                .abi_encode_params(),
        )?;
        let double = beacon_deposit_double()?;
        let beacon_deposit = host
            .deploy(&double, None, U256::ZERO, GOVERNANCE)
            .map_err(|e| anyhow::anyhow!("deploying the beacon-deposit double: {e}"))?;
        deployed.push(DeployedProgram {
            package: "beacon-deposit double (WAT)".into(),
            address: beacon_deposit,
            deploy_size: double.len(),
            constructor_gas: 0,
        });

        let addrs = Addresses { token, wsteth, pool, queue, oracle, beacon_deposit };
        let members: Vec<Address> =
            (1..=config.members).map(|i| labelled_address(&format!("oracle member {i}"))).collect();
        let mut names = BTreeMap::new();
        for (a, n) in [
            (token, "stETH"),
            (wsteth, "wstETH"),
            (pool, "DepositPool"),
            (queue, "WithdrawalQueue"),
            (oracle, "Oracle"),
            (beacon_deposit, "BeaconDeposit"),
            (DEAD, "0x…dEaD"),
            (GOVERNANCE, "governance"),
            (DEPOSITOR, "depositor"),
            (TREASURY, "treasury"),
            (OPERATOR, "operators"),
            (Address::ZERO, "0x0"),
        ] {
            names.insert(a, n.to_string());
        }
        for (i, m) in members.iter().enumerate() {
            names.insert(*m, format!("member{}", i + 1));
        }
        let holders = [DEAD, TREASURY, OPERATOR, wsteth, queue, pool, token].into_iter().collect();
        let mut p = Protocol {
            host,
            addrs,
            config,
            members,
            chain: BeaconChain::default(),
            deployed,
            keys_registered: 0,
            holders,
            names,
        };
        p.wire()?;
        Ok(p)
    }

    /// Governance's wiring, keys and seed bootstrap (module documentation).
    fn wire(&mut self) -> Result<()> {
        let a = self.addrs;
        let g = GOVERNANCE;
        self.exec(
            g,
            a.token,
            &IStETH::setProtocolContractsCall {
                depositPool: a.pool,
                oracle: a.oracle,
                withdrawalQueue: a.queue,
            },
            U256::ZERO,
        )?;
        self.exec(g, a.pool, &IDepositPool::setOracleCall { oracle: a.oracle }, U256::ZERO)?;
        self.exec(
            g,
            a.pool,
            &IDepositPool::setWithdrawalQueueCall { withdrawalQueue: a.queue },
            U256::ZERO,
        )?;
        self.exec(
            g,
            a.pool,
            &IDepositPool::setBeaconDepositContractCall { beaconDeposit: a.beacon_deposit },
            U256::ZERO,
        )?;
        let wc = self.withdrawal_credentials();
        self.exec(
            g,
            a.pool,
            &IDepositPool::setWithdrawalCredentialsCall { withdrawalCredentials: wc },
            U256::ZERO,
        )?;
        // Roles: the pool's narrow roles to governance, deposits to a bot.
        for getter in [
            IDepositPool::PAUSE_ROLECall {}.abi_encode(),
            IDepositPool::RESUME_ROLECall {}.abi_encode(),
            IDepositPool::STAKING_PAUSE_ROLECall {}.abi_encode(),
            IDepositPool::STAKING_CONTROL_ROLECall {}.abi_encode(),
            IDepositPool::MANAGE_SIGNING_KEYSCall {}.abi_encode(),
        ] {
            let role = self.role(a.pool, &getter)?;
            self.exec(g, a.pool, &IDepositPool::grantRoleCall { role, account: g }, U256::ZERO)?;
        }
        let deposit_role = self.view(a.pool, &IDepositPool::DEPOSIT_ROLECall {})?._0;
        self.exec(
            g,
            a.pool,
            &IDepositPool::grantRoleCall { role: deposit_role, account: DEPOSITOR },
            U256::ZERO,
        )?;
        // Lido's mainnet limit: 150,000 ETH, refilled over a day (per second here).
        let max = ether(STAKE_LIMIT_ETH);
        self.exec(
            g,
            a.pool,
            &IDepositPool::setStakingLimitCall {
                maxStakeLimit: max,
                stakeLimitIncreasePerSecond: max / U256::from(86_400),
            },
            U256::ZERO,
        )?;
        for program in [a.token, a.queue] {
            for getter in
                [IStETH::PAUSE_ROLECall {}.abi_encode(), IStETH::RESUME_ROLECall {}.abi_encode()]
            {
                let role = self.role(program, &getter)?;
                self.exec(g, program, &IStETH::grantRoleCall { role, account: g }, U256::ZERO)?;
            }
        }
        // The oracle committee: quorum grows with the members up to the configured one.
        let manage =
            self.view(a.oracle, &IAccountingOracle::MANAGE_MEMBERS_AND_QUORUM_ROLECall {})?._0;
        self.exec(
            g,
            a.oracle,
            &IAccountingOracle::grantRoleCall { role: manage, account: g },
            U256::ZERO,
        )?;
        for (i, member) in self.members.clone().into_iter().enumerate() {
            let n = i + 1;
            let quorum = (n / 2 + 1).max(self.config.quorum.min(n));
            self.exec(
                g,
                a.oracle,
                &IAccountingOracle::addMemberCall { addr: member, quorum: U256::from(quorum) },
                U256::ZERO,
            )?;
            self.host.fund(member, ether(1));
        }
        self.add_signing_keys(self.config.signing_keys)?;
        // Seed bootstrap, then start.
        let seed = self.config.seed;
        self.exec(g, a.pool, &IDepositPool::initializeCall {}, seed)?;
        self.exec(g, a.pool, &IDepositPool::resumeCall {}, U256::ZERO)?;
        Ok(())
    }

    /// A role id read from a program's role getter (raw calldata).
    fn role(&mut self, program: Address, getter: &[u8]) -> Result<B256> {
        let out = self.host.static_call(Address::ZERO, program, getter);
        ensure!(out.success, "role getter failed: {}", decode_revert(&out.return_data));
        Ok(B256::abi_decode(&out.return_data, true)?)
    }

    /// `0x01 ‖ 11 zero bytes ‖ deposit pool`: the pool is the withdrawal vault.
    pub fn withdrawal_credentials(&self) -> B256 {
        let mut wc = [0u8; 32];
        wc[0] = 1;
        wc[12..].copy_from_slice(self.addrs.pool.as_slice());
        B256::from(wc)
    }

    /// Registers `count` more signing keys (governance holds `MANAGE_SIGNING_KEYS`).
    ///
    /// # Errors
    /// The pool's revert.
    pub fn add_signing_keys(&mut self, count: usize) -> Result<Outcome> {
        let mut pubkeys = Vec::new();
        let mut signatures = Vec::new();
        for i in self.keys_registered..self.keys_registered + count {
            let (pk, sig) = signing_key(i);
            pubkeys.extend_from_slice(&pk);
            signatures.extend_from_slice(&sig);
        }
        let (_, out) = self.exec(
            GOVERNANCE,
            self.addrs.pool,
            &IDepositPool::addSigningKeysCall {
                count: U256::from(count),
                pubkeys: pubkeys.into(),
                signatures: signatures.into(),
            },
            U256::ZERO,
        )?;
        self.keys_registered += count;
        Ok(out)
    }

    // --- names and holders -------------------------------------------------------------------

    /// A new funded account called `name` (a known holder from now on).
    pub fn new_user(&mut self, name: &str, funds: U256) -> Address {
        let user = labelled_address(name);
        self.host.fund(user, funds);
        self.names.insert(user, name.to_string());
        self.holders.insert(user);
        user
    }

    /// Registers `account` as a possible share holder (without a name).
    pub fn track(&mut self, account: Address) {
        self.holders.insert(account);
    }

    /// Every account the share-sum invariant sums over.
    pub fn holders(&self) -> impl Iterator<Item = &Address> {
        self.holders.iter()
    }

    /// The display name of `account` (its short address if unnamed).
    pub fn name(&self, account: Address) -> String {
        self.names.get(&account).cloned().unwrap_or_else(|| {
            let s = format!("{account}");
            format!("{}…{}", &s[..6], &s[s.len() - 4..])
        })
    }

    // --- raw calls ---------------------------------------------------------------------------

    /// Sends `call` from `from` to `to` with `value`; the outcome whatever it is.
    pub fn send<C: SolCall>(
        &mut self,
        from: Address,
        to: Address,
        call: &C,
        value: U256,
    ) -> Outcome {
        self.host.call(from, to, &call.abi_encode(), value)
    }

    /// Sends `call` and decodes its return, or fails with the decoded revert.
    ///
    /// # Errors
    /// The call reverted (the message names the custom error) or returned
    /// data that does not decode.
    pub fn exec<C: SolCall>(
        &mut self,
        from: Address,
        to: Address,
        call: &C,
        value: U256,
    ) -> Result<(C::Return, Outcome)> {
        let out = self.send(from, to, call, value);
        if !out.success {
            bail!(
                "{} from {} to {} reverted: {} ({:?})",
                C::SIGNATURE,
                self.name(from),
                self.name(to),
                decode_revert(&out.return_data),
                out.failure
            );
        }
        let ret = C::abi_decode_returns(&out.return_data, true)
            .with_context(|| format!("decoding the return of {}", C::SIGNATURE))?;
        Ok((ret, out))
    }

    /// A view (`eth_call`): nothing persists.
    ///
    /// # Errors
    /// The view reverted or returned data that does not decode.
    pub fn view<C: SolCall>(&mut self, to: Address, call: &C) -> Result<C::Return> {
        let out = self.host.static_call(Address::ZERO, to, &call.abi_encode());
        if !out.success {
            bail!("view {} reverted: {}", C::SIGNATURE, decode_revert(&out.return_data));
        }
        C::abi_decode_returns(&out.return_data, true)
            .with_context(|| format!("decoding the return of {}", C::SIGNATURE))
    }

    // --- user operations ---------------------------------------------------------------------

    /// `DepositPool.submit{value}(0)` from `user`.
    ///
    /// # Errors
    /// The revert.
    pub fn submit_via_pool(&mut self, user: Address, amount: U256) -> Result<Outcome> {
        self.track(user);
        let pool = self.addrs.pool;
        Ok(self.exec(user, pool, &IDepositPool::submitCall { referral: Address::ZERO }, amount)?.1)
    }

    /// `stETH.submit{value}(0)` from `user`.
    ///
    /// # Errors
    /// The revert.
    pub fn submit_via_steth(&mut self, user: Address, amount: U256) -> Result<Outcome> {
        self.track(user);
        let token = self.addrs.token;
        Ok(self.exec(user, token, &IStETH::submitCall { referral: Address::ZERO }, amount)?.1)
    }

    /// Plain ether to wstETH (`receive()`): stake and wrap in one call.
    ///
    /// # Errors
    /// The revert.
    pub fn stake_via_wsteth(&mut self, user: Address, amount: U256) -> Result<Outcome> {
        self.track(user);
        let out = self.host.call(user, self.addrs.wsteth, &[], amount);
        ensure!(out.success, "wstETH receive() reverted: {}", decode_revert(&out.return_data));
        Ok(out)
    }

    /// `stETH.transfer(to, amount)` from `from`.
    ///
    /// # Errors
    /// The revert.
    pub fn transfer(&mut self, from: Address, to: Address, amount: U256) -> Result<Outcome> {
        self.track(to);
        let token = self.addrs.token;
        Ok(self.exec(from, token, &IStETH::transferCall { to, amount }, U256::ZERO)?.1)
    }

    /// `stETH.transferShares(to, shares)` from `from`.
    ///
    /// # Errors
    /// The revert.
    pub fn transfer_shares(&mut self, from: Address, to: Address, shares: U256) -> Result<Outcome> {
        self.track(to);
        let token = self.addrs.token;
        Ok(self
            .exec(
                from,
                token,
                &IStETH::transferSharesCall { to, sharesAmount: shares },
                U256::ZERO,
            )?
            .1)
    }

    /// `stETH.approve(spender, amount)` from `owner`.
    ///
    /// # Errors
    /// The revert.
    pub fn approve_steth(
        &mut self,
        owner: Address,
        spender: Address,
        amount: U256,
    ) -> Result<Outcome> {
        let token = self.addrs.token;
        Ok(self.exec(owner, token, &IStETH::approveCall { spender, amount }, U256::ZERO)?.1)
    }

    /// `wstETH.wrap(amount)` from `user` (needs a stETH allowance to wstETH).
    ///
    /// # Errors
    /// The revert.
    pub fn wrap(&mut self, user: Address, amount: U256) -> Result<Outcome> {
        let wsteth = self.addrs.wsteth;
        Ok(self.exec(user, wsteth, &IWstETH::wrapCall { stETHAmount: amount }, U256::ZERO)?.1)
    }

    /// `wstETH.unwrap(amount)` from `user`.
    ///
    /// # Errors
    /// The revert.
    pub fn unwrap(&mut self, user: Address, amount: U256) -> Result<Outcome> {
        let wsteth = self.addrs.wsteth;
        Ok(self.exec(user, wsteth, &IWstETH::unwrapCall { wstETHAmount: amount }, U256::ZERO)?.1)
    }

    /// `depositBufferedEther(max)` by the depositor bot; each deposit is
    /// checked ([`Protocol::verify_deposits`]) and becomes a validator of the
    /// simulated chain. Returns the outcome and the number deposited.
    ///
    /// # Errors
    /// The revert, or a deposit that fails a check.
    pub fn deposit_validators(&mut self, max: u64) -> Result<(Outcome, u64)> {
        let pool = self.addrs.pool;
        let (ret, out) = self.exec(
            DEPOSITOR,
            pool,
            &IDepositPool::depositBufferedEtherCall { maxValidators: U256::from(max) },
            U256::ZERO,
        )?;
        let n: u64 = ret._0.try_into().context("deposit count")?;
        let checked = self.verify_deposits(&out)?;
        ensure!(checked == n, "{n} validators deposited but {checked} deposits logged");
        Ok((out, n))
    }

    /// Checks every call the beacon-deposit double logged in `out`: exactly
    /// 32 ETH, calldata `deposit(pubkey, withdrawal_credentials, signature,
    /// deposit_data_root)` with the next registered key, the pool's
    /// credentials and the SSZ root recomputed here; then adds the validator
    /// to the simulated chain. Returns the number of deposits.
    ///
    /// # Errors
    /// The first check that fails.
    pub fn verify_deposits(&mut self, out: &Outcome) -> Result<u64> {
        let wc = self.withdrawal_credentials();
        let mut n = 0;
        for log in out.logs.iter().filter(|l| l.address == self.addrs.beacon_deposit) {
            ensure!(log.topics == [beacon_deposit_topic()], "unexpected beacon-deposit log");
            ensure!(log.data.len() >= 32, "short beacon-deposit log");
            let value = U256::from_be_slice(&log.data[..32]);
            ensure!(value == gwei(DEPOSIT_SIZE_GWEI), "deposit of {value} wei, not 32 ETH");
            let call = IBeaconDeposit::depositCall::abi_decode(&log.data[32..], true)
                .context("decoding the deposit calldata")?;
            let index = self.chain.validators.len();
            let (pubkey, signature) = signing_key(index);
            ensure!(call.pubkey[..] == pubkey[..], "deposit {index}: not the next signing key");
            ensure!(call.signature[..] == signature[..], "deposit {index}: wrong signature");
            ensure!(
                call.withdrawal_credentials[..] == wc[..],
                "deposit {index}: withdrawal credentials are not the pool's"
            );
            let root = deposit_data_root(&pubkey, &wc, DEPOSIT_SIZE_GWEI, &signature);
            ensure!(
                call.deposit_data_root == root,
                "deposit {index}: deposit_data_root {} != {root}",
                call.deposit_data_root
            );
            self.chain.validators.push(Validator {
                pubkey,
                balance_gwei: DEPOSIT_SIZE_GWEI,
                exited: false,
            });
            n += 1;
        }
        Ok(n)
    }

    /// Validator `index` exits: its whole balance is credited to the
    /// withdrawal vault (the deposit pool) as a consensus-layer withdrawal
    /// (no code runs). Returns the amount.
    pub fn exit_validator(&mut self, index: usize) -> U256 {
        let Some(v) = self.chain.validators.get_mut(index) else { return U256::ZERO };
        if v.exited {
            return U256::ZERO;
        }
        v.exited = true;
        let amount = gwei(v.balance_gwei);
        v.balance_gwei = 0;
        self.host.fund(self.addrs.pool, amount);
        self.chain.vault_pending += amount;
        amount
    }

    /// `requestWithdrawals(amounts, user)` from `user` after approving the
    /// queue. Returns the request ids and the request's outcome.
    ///
    /// # Errors
    /// The revert.
    pub fn request_withdrawals(
        &mut self,
        user: Address,
        amounts: Vec<U256>,
    ) -> Result<(Vec<U256>, Outcome)> {
        let (token, queue) = (self.addrs.token, self.addrs.queue);
        let total = amounts.iter().fold(U256::ZERO, |a, b| a + *b);
        self.exec(user, token, &IStETH::approveCall { spender: queue, amount: total }, U256::ZERO)?;
        let (ret, out) = self.exec(
            user,
            queue,
            &IWithdrawalQueue::requestWithdrawalsCall { amounts, owner: user },
            U256::ZERO,
        )?;
        Ok((ret.requestIds, out))
    }

    /// `claimWithdrawal(id)` from `user`.
    ///
    /// # Errors
    /// The revert.
    pub fn claim(&mut self, user: Address, id: U256) -> Result<Outcome> {
        let queue = self.addrs.queue;
        Ok(self
            .exec(
                user,
                queue,
                &IWithdrawalQueue::claimWithdrawalCall { requestId: id },
                U256::ZERO,
            )?
            .1)
    }

    // --- reads -------------------------------------------------------------------------------

    /// stETH balance.
    ///
    /// # Errors
    /// The view reverted.
    pub fn steth_balance(&mut self, a: Address) -> Result<U256> {
        let token = self.addrs.token;
        Ok(self.view(token, &IStETH::balanceOfCall { account: a })?._0)
    }

    /// Shares.
    ///
    /// # Errors
    /// The view reverted.
    pub fn shares_of(&mut self, a: Address) -> Result<U256> {
        let token = self.addrs.token;
        Ok(self.view(token, &IStETH::sharesOfCall { account: a })?._0)
    }

    /// wstETH balance.
    ///
    /// # Errors
    /// The view reverted.
    pub fn wsteth_balance(&mut self, a: Address) -> Result<U256> {
        let wsteth = self.addrs.wsteth;
        Ok(self.view(wsteth, &IWstETH::balanceOfCall { account: a })?._0)
    }

    /// The totals of every program (see [`Totals`]).
    ///
    /// # Errors
    /// A view reverted.
    pub fn totals(&mut self) -> Result<Totals> {
        let a = self.addrs;
        let total_pooled_ether = self.view(a.token, &IStETH::getTotalPooledEtherCall {})?._0;
        let total_shares = self.view(a.token, &IStETH::getTotalSharesCall {})?._0;
        let buffered = self.view(a.pool, &IDepositPool::getBufferedEtherCall {})?._0;
        let stat = self.view(a.pool, &IDepositPool::getBeaconStatCall {})?;
        let wsteth_supply = self.view(a.wsteth, &IWstETH::totalSupplyCall {})?._0;
        let locked = self.view(a.queue, &IWithdrawalQueue::getLockedEtherAmountCall {})?._0;
        let unfinalized = self.view(a.queue, &IWithdrawalQueue::unfinalizedStETHCall {})?._0;
        Ok(Totals {
            total_pooled_ether,
            total_shares,
            buffered,
            deposited: stat.depositedValidators,
            beacon_validators: stat.beaconValidators,
            beacon_balance: stat.beaconBalance,
            transient: gwei(DEPOSIT_SIZE_GWEI)
                * (stat.depositedValidators.saturating_sub(stat.beaconValidators)),
            wsteth_supply,
            locked,
            unfinalized,
        })
    }

    /// Checks the accounting after a step. Exactly these equalities, each
    /// with the numbers in [`InvariantReport::lines`]:
    ///
    /// 1. stETH `getTotalPooledEther()` == pool `getBufferedEther()` +
    ///    `beaconBalance` + 32 ETH × (`depositedValidators` −
    ///    `beaconValidators`) (from `getBeaconStat()`), and == the pool's own
    ///    `getTotalPooledEther()`; stETH `totalSupply()` == the same.
    /// 2. Σ stETH `sharesOf(h)` over every account the run ever gave ether,
    ///    tokens or shares to (plus `0x…dEaD`, treasury, operators, wstETH,
    ///    queue, pool, token) == `getTotalShares()`: no shares exist
    ///    outside known holders.
    /// 3. wstETH `totalSupply()` == stETH `sharesOf(wstETH)` (every wrapped
    ///    unit is backed by exactly one share; the run sends no shares to
    ///    wstETH directly).
    /// 4. Ether: the deposit pool's balance == `getBufferedEther()` + the
    ///    withdrawals the simulated chain credited to it and no report has
    ///    collected yet; the queue's balance == `getLockedEtherAmount()`; so
    ///    the two programs hold exactly buffered + unaccounted + locked.
    /// 5. The beacon-deposit double holds 32 ETH × `depositedValidators`, and
    ///    the simulated chain has exactly `depositedValidators` validators.
    ///
    /// # Errors
    /// The first equality that does not hold, with both sides.
    pub fn check_invariants(&mut self) -> Result<InvariantReport> {
        let t = self.totals()?;
        let mut report = InvariantReport::default();
        let a = self.addrs;

        let pool_total = self.view(a.pool, &IDepositPool::getTotalPooledEtherCall {})?._0;
        let supply = self.view(a.token, &IStETH::totalSupplyCall {})?._0;
        let terms = t.buffered + t.beacon_balance + t.transient;
        ensure!(
            t.total_pooled_ether == terms && pool_total == terms && supply == terms,
            "INVARIANT 1 BROKEN: stETH total pooled ether {} / totalSupply {} / pool total {} vs \
             buffered {} + beacon balance {} + transient {} = {}",
            t.total_pooled_ether,
            supply,
            pool_total,
            t.buffered,
            t.beacon_balance,
            t.transient,
            terms
        );
        report.lines.push(format!(
            "total pooled ether {} = buffered {} + beacon {} + transient {}",
            format_ether(terms),
            format_ether(t.buffered),
            format_ether(t.beacon_balance),
            format_ether(t.transient)
        ));

        let mut sum = U256::ZERO;
        for h in self.holders.clone() {
            sum += self.shares_of(h)?;
        }
        ensure!(
            sum == t.total_shares,
            "INVARIANT 2 BROKEN: Σ shares of {} known holders {} != total shares {}",
            self.holders.len(),
            sum,
            t.total_shares
        );
        report.lines.push(format!(
            "Σ shares of {} known holders = total shares {}",
            self.holders.len(),
            format_ether(sum)
        ));

        let backing = self.shares_of(a.wsteth)?;
        ensure!(
            t.wsteth_supply == backing,
            "INVARIANT 3 BROKEN: wstETH supply {} != stETH shares of wstETH {}",
            t.wsteth_supply,
            backing
        );
        report
            .lines
            .push(format!("wstETH supply {} = its stETH shares", format_ether(t.wsteth_supply)));

        let pool_eth = self.host.balance(a.pool);
        let queue_eth = self.host.balance(a.queue);
        let vault = self.chain.vault_pending;
        ensure!(
            pool_eth == t.buffered + vault,
            "INVARIANT 4 BROKEN: deposit pool holds {} wei != buffered {} + uncollected withdrawals {}",
            pool_eth,
            t.buffered,
            vault
        );
        ensure!(
            queue_eth == t.locked,
            "INVARIANT 4 BROKEN: withdrawal queue holds {} wei != locked for claims {}",
            queue_eth,
            t.locked
        );
        report.lines.push(format!(
            "ETH held by pool + queue {} = buffered {} + unaccounted {} + locked {}",
            format_ether(pool_eth + queue_eth),
            format_ether(t.buffered),
            format_ether(vault),
            format_ether(t.locked)
        ));

        let cl_eth = self.host.balance(a.beacon_deposit);
        ensure!(
            cl_eth == gwei(DEPOSIT_SIZE_GWEI) * t.deposited
                && U256::from(self.chain.seen()) == t.deposited,
            "INVARIANT 5 BROKEN: deposit contract holds {} for {} deposited validators ({} simulated)",
            cl_eth,
            t.deposited,
            self.chain.seen()
        );
        report.lines.push(format!("deposit contract holds 32 ETH × {} validators", t.deposited));
        Ok(report)
    }

    // --- the oracle ---------------------------------------------------------------------------

    /// The current frame's reference slot.
    ///
    /// # Errors
    /// The view reverted (before the first frame).
    pub fn current_ref_slot(&mut self) -> Result<u64> {
        let oracle = self.addrs.oracle;
        let frame = self.view(oracle, &IAccountingOracle::getCurrentFrameCall {})?;
        frame.refSlot.try_into().context("reference slot")
    }

    /// Moves the clock into the next frame (ten slots after its start) and
    /// returns its reference slot.
    ///
    /// # Errors
    /// The frame view reverted.
    pub fn advance_to_next_frame(&mut self) -> Result<u64> {
        let ref_slot = self.current_ref_slot()?;
        let next_start = ref_slot + 1 + self.config.slots_per_frame;
        let time = self.config.genesis_time + (next_start + 10) * self.config.seconds_per_slot;
        self.host.set_timestamp(time);
        let new_ref = self.current_ref_slot()?;
        ensure!(new_ref == next_start - 1, "frame arithmetic: {new_ref} != {}", next_start - 1);
        Ok(new_ref)
    }

    /// The report the members build from the simulated chain for
    /// `ref_slot`: every validator deposited so far is seen, the balance of
    /// the active ones, the vault's ether beyond the buffer, and the last
    /// withdrawal request if the buffer plus the vault cover every
    /// unfinalized request at face value (Lido's off-chain batch choice,
    /// simplified).
    ///
    /// # Errors
    /// A view reverted.
    pub fn report_data(&mut self, ref_slot: u64) -> Result<ReportData> {
        let a = self.addrs;
        let buffered = self.view(a.pool, &IDepositPool::getBufferedEtherCall {})?._0;
        let vault = self.host.balance(a.pool).saturating_sub(buffered);
        let unfinalized = self.view(a.queue, &IWithdrawalQueue::unfinalizedStETHCall {})?._0;
        let last = self.view(a.queue, &IWithdrawalQueue::getLastRequestIdCall {})?._0;
        let finalize = !unfinalized.is_zero() && unfinalized <= buffered + vault;
        Ok(ReportData {
            consensusVersion: U256::from(1),
            refSlot: U256::from(ref_slot),
            numValidators: U256::from(self.chain.seen()),
            clBalanceGwei: U256::from(self.chain.cl_balance_gwei()),
            withdrawalVaultBalance: vault,
            lastRequestIdToFinalize: if finalize { last } else { U256::ZERO },
        })
    }

    /// Every member votes `keccak256(abi.encode(data))` for `data.refSlot`.
    ///
    /// # Errors
    /// A vote reverted.
    pub fn vote(&mut self, data: &ReportData) -> Result<Vec<Outcome>> {
        let oracle = self.addrs.oracle;
        let call = IAccountingOracle::submitReportCall {
            slot: data.refSlot,
            report: data.hash(),
            consensusVersion: data.consensusVersion,
        };
        let mut votes = Vec::new();
        for member in self.members.clone() {
            votes.push(self.exec(member, oracle, &call, U256::ZERO)?.1);
        }
        Ok(votes)
    }

    /// The first member submits `data` (`submitReportData(data, 1)`); the
    /// outcome whatever it is (a refused report is a revert).
    pub fn submit_report_data(&mut self, data: &ReportData) -> Outcome {
        let oracle = self.addrs.oracle;
        let member = self.members[0];
        let out = self.send(
            member,
            oracle,
            &IAccountingOracle::submitReportDataCall {
                data: data.clone(),
                contractVersion: U256::from(1),
            },
            U256::ZERO,
        );
        if out.success {
            self.after_report(&out);
        }
        out
    }

    /// Bookkeeping after an applied report: withdrawals the pool collected
    /// leave the simulated vault.
    fn after_report(&mut self, out: &Outcome) {
        for log in out.logs.iter().filter(|l| l.address == self.addrs.pool) {
            if let Ok(IDepositPool::IDepositPoolEvents::WithdrawalsReceived(e)) =
                IDepositPool::IDepositPoolEvents::decode_raw_log(&log.topics, &log.data, true)
            {
                self.chain.vault_pending -= e.amount;
            }
        }
    }

    /// One whole oracle frame: advance the clock to the next frame, build the
    /// report from the simulated chain (`adjust` may change it), every member
    /// votes its hash, the first member submits the data.
    ///
    /// # Errors
    /// A vote reverted, or the data was refused (with the decoded error).
    pub fn run_oracle_frame(
        &mut self,
        adjust: impl FnOnce(&mut ReportData),
    ) -> Result<FrameOutcome> {
        let ref_slot = self.advance_to_next_frame()?;
        let mut data = self.report_data(ref_slot)?;
        adjust(&mut data);
        let votes = self.vote(&data)?;
        let processing = self.submit_report_data(&data);
        if !processing.success {
            bail!("report for slot {ref_slot} refused: {}", decode_revert(&processing.return_data));
        }
        Ok(FrameOutcome { ref_slot, data, votes, processing })
    }

    // --- describing outcomes ------------------------------------------------------------------

    /// One readable line per log of `out`, decoded with the emitter's ABI.
    pub fn describe_logs(&self, logs: &[Log]) -> Vec<String> {
        logs.iter().map(|log| self.describe_log(log)).collect()
    }

    /// One log, decoded with the emitter's ABI, addresses named, large
    /// numbers shown with 18 decimals.
    pub fn describe_log(&self, log: &Log) -> String {
        let a = self.addrs;
        let emitter = self.name(log.address);
        let decoded: Option<String> = if log.address == a.token {
            IStETH::IStETHEvents::decode_raw_log(&log.topics, &log.data, true)
                .ok()
                .map(|e| inner(&e))
        } else if log.address == a.wsteth {
            IWstETH::IWstETHEvents::decode_raw_log(&log.topics, &log.data, true)
                .ok()
                .map(|e| inner(&e))
        } else if log.address == a.pool {
            IDepositPool::IDepositPoolEvents::decode_raw_log(&log.topics, &log.data, true)
                .ok()
                .map(|e| inner(&e))
        } else if log.address == a.oracle {
            IAccountingOracle::IAccountingOracleEvents::decode_raw_log(&log.topics, &log.data, true)
                .ok()
                .map(|e| inner(&e))
        } else if log.address == a.queue {
            IWithdrawalQueue::IWithdrawalQueueEvents::decode_raw_log(&log.topics, &log.data, true)
                .ok()
                .map(|e| inner(&e))
        } else if log.address == a.beacon_deposit && log.data.len() >= 32 {
            IBeaconDeposit::depositCall::abi_decode(&log.data[32..], true).ok().map(|c| {
                format!(
                    "deposit {{ value: {}, pubkey: 0x{}…, deposit_data_root: {} }}",
                    U256::from_be_slice(&log.data[..32]),
                    hex(&c.pubkey[..6]),
                    c.deposit_data_root
                )
            })
        } else {
            None
        };
        match decoded {
            Some(text) => format!("{emitter}.{}", self.readable(&text)),
            None => format!("{emitter}: undecoded log with {} topics", log.topics.len()),
        }
    }

    /// Replaces addresses by names and numbers of 13 digits or more by
    /// their value with 18 decimals.
    pub fn readable(&self, text: &str) -> String {
        let mut out = String::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if let Some(candidate) = text.get(i..i + 42).filter(|c| c.starts_with("0x")) {
                if candidate[2..].chars().all(|c| c.is_ascii_hexdigit())
                    && !text[i + 42..].starts_with(|c: char| c.is_ascii_hexdigit())
                {
                    if let Ok(address) = candidate.parse::<Address>() {
                        out.push_str(&self.name(address));
                        i += 42;
                        continue;
                    }
                }
            }
            if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
                let end =
                    text[i..].find(|c: char| !c.is_ascii_digit()).map_or(text.len(), |n| i + n);
                let digits = &text[i..end];
                if !text[end..].starts_with('x') {
                    if digits.len() >= 13 {
                        if let Ok(v) = digits.parse::<U256>() {
                            out.push_str(&format_ether(v));
                            i = end;
                            continue;
                        }
                    }
                    out.push_str(digits);
                    i = end;
                    continue;
                }
            }
            let c = text[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
        out
    }
}

/// `Variant(Struct { .. })` → `Struct { .. }` (the `Debug` of a `sol!` enum variant).
fn inner<E: std::fmt::Debug>(e: &E) -> String {
    let debug = format!("{e:?}");
    match debug.find('(') {
        Some(open) if debug.ends_with(')') => debug[open + 1..debug.len() - 1].to_string(),
        _ => debug,
    }
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A short gas line: total and the main categories (an ESTIMATE).
pub fn gas_line(g: &GasBreakdown) -> String {
    format!(
        "{} gas (intrinsic {}, entry {} [{} cached/{} not], storage {} ({} cold reads, {} writes), \
         logs {}, calls {}, compute+hostio {}, refund {})",
        g.net(),
        g.intrinsic,
        g.program_entry + g.memory_growth,
        g.entries_cached,
        g.entries_uncached,
        g.storage_read + g.storage_write,
        g.sloads_cold,
        g.sstores,
        g.logs,
        g.account_access + g.value_transfer,
        g.compute + g.hostio + g.keccak + g.precompiles,
        g.refund
    )
}

/// The decoded revert of a failed outcome.
pub fn revert_of(out: &Outcome) -> Revert {
    decode_revert(&out.return_data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_ether_trims_and_keeps_every_wei() {
        assert_eq!(format_ether(ether(40)), "40");
        assert_eq!(format_ether(milli_ether(1500)), "1.5");
        assert_eq!(format_ether(U256::from(1)), "0.000000000000000001");
    }

    #[test]
    fn deposit_data_root_matches_a_deposit_cli_output() {
        // Given the published example deposit of staking-deposit-cli 2.7.0 on Holesky (SSV
        // Labs' validator guide; its root was computed by the CLI's own SSZ code),
        let pubkey: [u8; 48] = alloy_primitives::hex!(
            "b0210e4333812d669b178443b77e1674329e2eeeae17e6b9d7ef6cb8723c8b269de7e152b42445d5ea8d5f582ca45cd7"
        );
        let wc = alloy_primitives::b256!(
            "010000000000000000000000f0179dec45a37423ead4fad5fcb136197872ead9"
        );
        let signature: [u8; 96] = alloy_primitives::hex!(
            "96b504aec4ced4d680a01a2cde40632809744f967657f4aa31d4bc77701dbeb68e86441999b3559c505e5644eed9c350091af39e3e319befe4a76e796856095912938046ce567ed39a56df13b8f31e9e83b93ca774a9f983b9c0eb673c7f7a4a"
        );
        // when its root is recomputed here, then it is the CLI's.
        assert_eq!(
            deposit_data_root(&pubkey, &wc, DEPOSIT_SIZE_GWEI, &signature),
            alloy_primitives::b256!(
                "aa9bb085dc0410d2013cff51e98ae2a41a81512a0676fbe0397c3cd997f1fb87"
            )
        );
    }

    #[test]
    fn beacon_deposit_double_assembles_and_activates() {
        let wasm = beacon_deposit_double().unwrap();
        let mut host = Host::new();
        host.activate(&wasm).expect("the double passes activation");
    }
}
