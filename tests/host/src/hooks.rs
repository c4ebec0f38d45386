//! The `vm_hooks` (and `console`) host functions, with Stylus semantics and nitro's ink prices
//! (see [`crate::gas`] for every constant and its source).

use crate::{
    exec::{
        charge, charge_gas, exit, fail, fatal, frame, frame_mut, gas_left, ink_left, program_call,
        read, read_address, read_b256, require_gas, settle_memory, write, CacheWord, CallKind, Ctx,
    },
    gas::{
        keccak_price, pow_price, read_price, write_price, Category, ADD_MOD_INK, COLD_ACCOUNT_GAS,
        COLD_SLOAD_GAS, DIV_INK, EVM_API_INK, HOSTIO_INK, INK_PER_GAS, LOG_DATA_GAS, LOG_GAS,
        MUL_MOD_INK, PTR_INK, SSTORE_SENTRY_GAS, WARM_READ_GAS,
    },
    state::Log,
};
use alloy_primitives::{keccak256, B256, U256};
use wasmi::{Engine, Linker};

type Caller<'a> = wasmi::Caller<'a, Ctx>;
type R<T> = Result<T, wasmi::Error>;

/// Gas the storage cache requires to be left before an access (nitro `REQUIRED_ACCESS_GAS`).
const REQUIRED_ACCESS_GAS: u64 = 10;
/// `EVM_API_INK` converted to gas, as nitro charges a cache miss (≈ 5 gas).
const EVM_API_GAS: u64 = EVM_API_INK / INK_PER_GAS;

/// Every host function starts by paying for memory the program grew, then its base ink.
fn enter(caller: &mut Caller<'_>, base_ink: u64) -> R<()> {
    settle_memory(caller)?;
    charge(caller, Category::Hostio, base_ink)
}

fn write_u32(caller: &mut Caller<'_>, ptr: i32, value: u32) -> R<()> {
    write(caller, ptr, &value.to_le_bytes())
}

/// Builds the linker with every host function of [`crate::activation`]'s list.
pub(crate) fn linker(engine: &Engine) -> Linker<Ctx> {
    let mut linker = Linker::new(engine);
    define(&mut linker).expect("host function names are unique");
    linker
}

#[allow(clippy::too_many_lines)]
fn define(l: &mut Linker<Ctx>) -> Result<(), wasmi::errors::LinkerError> {
    const VM: &str = "vm_hooks";

    // --- calldata and result ----------------------------------------------------------------
    l.func_wrap(VM, "read_args", |mut c: Caller<'_>, dest: i32| -> R<()> {
        let args = frame(&c).params.input.clone();
        enter(&mut c, HOSTIO_INK + write_price(args.len() as u64))?;
        write(&mut c, dest, &args)
    })?;
    l.func_wrap(VM, "write_result", |mut c: Caller<'_>, ptr: i32, len: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + 2 * read_price(len as u32 as u64))?;
        let data = read(&c, ptr, len as u32)?;
        frame_mut(&mut c).output = data;
        Ok(())
    })?;
    l.func_wrap(VM, "exit_early", |mut c: Caller<'_>, status: i32| -> R<()> {
        settle_memory(&mut c)?;
        Err(exit(status))
    })?;

    // --- storage ------------------------------------------------------------------------------
    l.func_wrap(VM, "storage_load_bytes32", |mut c: Caller<'_>, key: i32, dest: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
        require_gas(&c, COLD_SLOAD_GAS + REQUIRED_ACCESS_GAS + EVM_API_GAS)?;
        let key = read_b256(&c, key)?;
        let address = frame(&c).params.address;
        let cache_gas = frame_mut(&mut c).cache.read_gas();
        let cached = frame(&c).cache.slots.get(&key).map(|w| w.value);
        let (value, gas) = match cached {
            Some(value) => (value, cache_gas),
            None => {
                let (value, sload, cold) = c.data_mut().world.sload(address, key);
                let f = frame_mut(&mut c);
                f.cache.slots.insert(key, CacheWord { value, known: Some(value) });
                if cold {
                    f.counters.sloads_cold += 1;
                } else {
                    f.counters.sloads_warm += 1;
                }
                (value, cache_gas + sload + EVM_API_GAS)
            }
        };
        charge_gas(&mut c, Category::StorageRead, gas)?;
        write(&mut c, dest, value.as_slice())
    })?;
    l.func_wrap(VM, "storage_cache_bytes32", |mut c: Caller<'_>, key: i32, value: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
        require_gas(&c, SSTORE_SENTRY_GAS + REQUIRED_ACCESS_GAS)?;
        let key = read_b256(&c, key)?;
        let value = read_b256(&c, value)?;
        let f = frame_mut(&mut c);
        let gas = f.cache.write_gas();
        f.cache
            .slots
            .entry(key)
            .and_modify(|w| w.value = value)
            .or_insert(CacheWord { value, known: None });
        charge_gas(&mut c, Category::StorageWrite, gas)
    })?;
    l.func_wrap(VM, "storage_flush_cache", |mut c: Caller<'_>, clear: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + EVM_API_INK)?;
        require_gas(&c, SSTORE_SENTRY_GAS)?;
        let f = frame_mut(&mut c);
        let mut dirty: Vec<(B256, B256)> = f
            .cache
            .slots
            .iter_mut()
            .filter(|(_, w)| Some(w.value) != w.known)
            .map(|(k, w)| {
                w.known = Some(w.value);
                (*k, w.value)
            })
            .collect();
        if clear != 0 {
            f.cache.slots.clear();
        }
        if dirty.is_empty() {
            return Ok(());
        }
        if f.params.is_static {
            return Err(fail("write protection: storage flush in a static call"));
        }
        dirty.sort();
        let address = f.params.address;
        for (key, value) in dirty {
            let cost = c.data_mut().world.sstore_cost(address, key, value);
            if cost > gas_left(&c) {
                charge_gas(&mut c, Category::StorageWrite, cost)?;
            }
            c.data_mut().world.set_storage(address, key, value);
            frame_mut(&mut c).counters.sstores += 1;
            charge_gas(&mut c, Category::StorageWrite, cost)?;
        }
        Ok(())
    })?;
    l.func_wrap(VM, "transient_load_bytes32", |mut c: Caller<'_>, key: i32, dest: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
        charge_gas(&mut c, Category::StorageRead, WARM_READ_GAS)?;
        let key = read_b256(&c, key)?;
        let address = frame(&c).params.address;
        let value = c.data().world.transient(address, key);
        write(&mut c, dest, value.as_slice())
    })?;
    l.func_wrap(
        VM,
        "transient_store_bytes32",
        |mut c: Caller<'_>, key: i32, value: i32| -> R<()> {
            enter(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
            charge_gas(&mut c, Category::StorageWrite, WARM_READ_GAS)?;
            let key = read_b256(&c, key)?;
            let value = read_b256(&c, value)?;
            if frame(&c).params.is_static {
                return Err(fail("write protection: transient store in a static call"));
            }
            let address = frame(&c).params.address;
            c.data_mut().world.set_transient(address, key, value);
            Ok(())
        },
    )?;

    // --- calls --------------------------------------------------------------------------------
    l.func_wrap(
        VM,
        "call_contract",
        |mut c: Caller<'_>,
         contract: i32,
         data: i32,
         len: i32,
         value: i32,
         gas: i64,
         ret_len: i32|
         -> R<i32> {
            enter(
                &mut c,
                HOSTIO_INK + 3 * PTR_INK + EVM_API_INK + 2 * read_price(len as u32 as u64),
            )?;
            let target = read_address(&c, contract)?;
            let input = read(&c, data, len as u32)?;
            let value = U256::from_be_bytes(read_b256(&c, value)?.0);
            let status = program_call(&mut c, CallKind::Call, target, input, value, gas as u64)?;
            let len = frame(&c).return_data.len() as u32;
            write_u32(&mut c, ret_len, len)?;
            Ok(i32::from(status))
        },
    )?;
    l.func_wrap(
        VM,
        "delegate_call_contract",
        |mut c: Caller<'_>, contract: i32, data: i32, len: i32, gas: i64, ret_len: i32| -> R<i32> {
            enter(
                &mut c,
                HOSTIO_INK + 3 * PTR_INK + EVM_API_INK + 2 * read_price(len as u32 as u64),
            )?;
            let target = read_address(&c, contract)?;
            let input = read(&c, data, len as u32)?;
            let status =
                program_call(&mut c, CallKind::Delegate, target, input, U256::ZERO, gas as u64)?;
            let len = frame(&c).return_data.len() as u32;
            write_u32(&mut c, ret_len, len)?;
            Ok(i32::from(status))
        },
    )?;
    l.func_wrap(
        VM,
        "static_call_contract",
        |mut c: Caller<'_>, contract: i32, data: i32, len: i32, gas: i64, ret_len: i32| -> R<i32> {
            enter(
                &mut c,
                HOSTIO_INK + 3 * PTR_INK + EVM_API_INK + 2 * read_price(len as u32 as u64),
            )?;
            let target = read_address(&c, contract)?;
            let input = read(&c, data, len as u32)?;
            let status =
                program_call(&mut c, CallKind::Static, target, input, U256::ZERO, gas as u64)?;
            let len = frame(&c).return_data.len() as u32;
            write_u32(&mut c, ret_len, len)?;
            Ok(i32::from(status))
        },
    )?;
    l.func_wrap(VM, "create1", |_: Caller<'_>, _: i32, _: i32, _: i32, _: i32, _: i32| -> R<()> {
        Err(fatal(
            "create1: deploying contracts from a program (EVM init code) is not supported \
                 by this host; deploy programs with Host::deploy",
        ))
    })?;
    l.func_wrap(
        VM,
        "create2",
        |_: Caller<'_>, _: i32, _: i32, _: i32, _: i32, _: i32, _: i32| -> R<()> {
            Err(fatal(
                "create2: deploying contracts from a program (EVM init code) is not supported \
                 by this host; deploy programs with Host::deploy",
            ))
        },
    )?;
    l.func_wrap(
        VM,
        "read_return_data",
        |mut c: Caller<'_>, dest: i32, offset: i32, size: i32| -> R<i32> {
            enter(&mut c, HOSTIO_INK + EVM_API_INK)?;
            let data = frame(&c).return_data.clone();
            let (offset, size) = (offset as u32 as usize, size as u32 as usize);
            let max = data.len().saturating_sub(offset);
            charge(&mut c, Category::Hostio, write_price(size.min(max) as u64))?;
            if max == 0 {
                return Ok(0);
            }
            let end = offset.saturating_add(size).min(data.len());
            let slice = &data[offset..end];
            write(&mut c, dest, slice)?;
            Ok(slice.len() as i32)
        },
    )?;
    l.func_wrap(VM, "return_data_size", |mut c: Caller<'_>| -> R<i32> {
        enter(&mut c, HOSTIO_INK)?;
        Ok(frame(&c).return_data.len() as i32)
    })?;

    // --- logs ---------------------------------------------------------------------------------
    l.func_wrap(VM, "emit_log", |mut c: Caller<'_>, data: i32, len: i32, topics: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + EVM_API_INK)?;
        let (len, topics) = (len as u32, topics as u32);
        if topics > 4 || len < topics * 32 {
            return Err(fail("bad topic data"));
        }
        charge(&mut c, Category::Hostio, read_price(u64::from(len)))?;
        let data_len = u64::from(len - topics * 32);
        let gas = LOG_GAS * (1 + u64::from(topics)) + LOG_DATA_GAS * data_len;
        charge_gas(&mut c, Category::Logs, gas)?;
        let bytes = read(&c, data, len)?;
        if frame(&c).params.is_static {
            return Err(fail("write protection: log in a static call"));
        }
        let split = topics as usize * 32;
        let log = Log {
            address: frame(&c).params.address,
            topics: bytes[..split].chunks(32).map(B256::from_slice).collect(),
            data: bytes[split..].to_vec(),
        };
        c.data_mut().world.push_log(log);
        Ok(())
    })?;

    // --- accounts -----------------------------------------------------------------------------
    l.func_wrap(VM, "account_balance", |mut c: Caller<'_>, address: i32, dest: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
        require_gas(&c, COLD_ACCOUNT_GAS)?;
        let address = read_address(&c, address)?;
        let gas = c.data_mut().world.access_account(address);
        charge_gas(&mut c, Category::Account, gas)?;
        let balance = c.data().world.balance(address);
        write(&mut c, dest, &balance.to_be_bytes::<32>())
    })?;
    l.func_wrap(
        VM,
        "account_code",
        |mut c: Caller<'_>, address: i32, offset: i32, size: i32, dest: i32| -> R<i32> {
            enter(&mut c, HOSTIO_INK + EVM_API_INK)?;
            require_gas(&c, COLD_ACCOUNT_GAS)?;
            let address = read_address(&c, address)?;
            let gas = c.data_mut().world.access_account(address);
            charge_gas(&mut c, Category::Account, gas)?;
            let code = c.data().world.code(address).map(|code| code.bytes.clone());
            let code: &[u8] = code.as_deref().unwrap_or(&[]);
            charge(&mut c, Category::Hostio, write_price(code.len() as u64))?;
            let (offset, size) = (offset as u32 as usize, size as u32 as usize);
            let start = offset.min(code.len());
            let end = offset.saturating_add(size).min(code.len());
            write(&mut c, dest, &code[start..end])?;
            Ok((end - start) as i32)
        },
    )?;
    l.func_wrap(VM, "account_code_size", |mut c: Caller<'_>, address: i32| -> R<i32> {
        enter(&mut c, HOSTIO_INK + EVM_API_INK)?;
        require_gas(&c, COLD_ACCOUNT_GAS)?;
        let address = read_address(&c, address)?;
        let gas = c.data_mut().world.access_account(address);
        charge_gas(&mut c, Category::Account, gas)?;
        let len = c.data().world.code(address).map_or(0, |code| code.bytes.len());
        Ok(len as i32)
    })?;
    l.func_wrap(VM, "account_codehash", |mut c: Caller<'_>, address: i32, dest: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
        require_gas(&c, COLD_ACCOUNT_GAS)?;
        let address = read_address(&c, address)?;
        let gas = c.data_mut().world.access_account(address);
        charge_gas(&mut c, Category::Account, gas)?;
        let hash = c.data().world.code_hash(address);
        write(&mut c, dest, hash.as_slice())
    })?;

    // --- block, transaction, message ----------------------------------------------------------
    l.func_wrap(VM, "block_basefee", |mut c: Caller<'_>, dest: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + PTR_INK)?;
        let fee = c.data().block.basefee.to_be_bytes::<32>();
        write(&mut c, dest, &fee)
    })?;
    l.func_wrap(VM, "block_coinbase", |mut c: Caller<'_>, dest: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + PTR_INK)?;
        let coinbase = c.data().block.coinbase;
        write(&mut c, dest, coinbase.as_slice())
    })?;
    l.func_wrap(VM, "block_gas_limit", |mut c: Caller<'_>| -> R<i64> {
        enter(&mut c, HOSTIO_INK)?;
        Ok(c.data().block.gas_limit as i64)
    })?;
    l.func_wrap(VM, "block_number", |mut c: Caller<'_>| -> R<i64> {
        enter(&mut c, HOSTIO_INK)?;
        Ok(c.data().block.number as i64)
    })?;
    l.func_wrap(VM, "block_timestamp", |mut c: Caller<'_>| -> R<i64> {
        enter(&mut c, HOSTIO_INK)?;
        Ok(c.data().block.timestamp as i64)
    })?;
    l.func_wrap(VM, "chainid", |mut c: Caller<'_>| -> R<i64> {
        enter(&mut c, HOSTIO_INK)?;
        Ok(c.data().block.chain_id as i64)
    })?;
    l.func_wrap(VM, "contract_address", |mut c: Caller<'_>, dest: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + PTR_INK)?;
        let address = frame(&c).params.address;
        write(&mut c, dest, address.as_slice())
    })?;
    l.func_wrap(VM, "evm_gas_left", |mut c: Caller<'_>| -> R<i64> {
        enter(&mut c, HOSTIO_INK)?;
        Ok(gas_left(&c) as i64)
    })?;
    l.func_wrap(VM, "evm_ink_left", |mut c: Caller<'_>| -> R<i64> {
        enter(&mut c, HOSTIO_INK)?;
        Ok(ink_left(&c) as i64)
    })?;
    l.func_wrap(VM, "msg_reentrant", |mut c: Caller<'_>| -> R<i32> {
        enter(&mut c, HOSTIO_INK)?;
        Ok(i32::from(frame(&c).reentrant))
    })?;
    l.func_wrap(VM, "msg_sender", |mut c: Caller<'_>, dest: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + PTR_INK)?;
        let sender = frame(&c).params.caller;
        write(&mut c, dest, sender.as_slice())
    })?;
    l.func_wrap(VM, "msg_value", |mut c: Caller<'_>, dest: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + PTR_INK)?;
        let value = frame(&c).params.value.to_be_bytes::<32>();
        write(&mut c, dest, &value)
    })?;
    l.func_wrap(VM, "tx_gas_price", |mut c: Caller<'_>, dest: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + PTR_INK)?;
        // On Arbitrum the gas price equals the basefee.
        let price = c.data().block.basefee.to_be_bytes::<32>();
        write(&mut c, dest, &price)
    })?;
    l.func_wrap(VM, "tx_ink_price", |mut c: Caller<'_>| -> R<i32> {
        enter(&mut c, HOSTIO_INK)?;
        Ok(INK_PER_GAS as i32)
    })?;
    l.func_wrap(VM, "tx_origin", |mut c: Caller<'_>, dest: i32| -> R<()> {
        enter(&mut c, HOSTIO_INK + PTR_INK)?;
        let origin = c.data().origin;
        write(&mut c, dest, origin.as_slice())
    })?;

    // --- crypto, math, memory -----------------------------------------------------------------
    l.func_wrap(
        VM,
        "native_keccak256",
        |mut c: Caller<'_>, input: i32, len: i32, output: i32| -> R<()> {
            settle_memory(&mut c)?;
            charge(&mut c, Category::Keccak, keccak_price(len as u32 as u64))?;
            let preimage = read(&c, input, len as u32)?;
            let digest = keccak256(&preimage);
            write(&mut c, output, digest.as_slice())
        },
    )?;
    let binary = |name: &'static str, ink: u64, op: fn(U256, U256) -> U256| {
        move |mut c: Caller<'_>, value: i32, other: i32| -> R<()> {
            enter(&mut c, ink)?;
            let a = U256::from_be_bytes(read_b256(&c, value)?.0);
            let b_bytes = read_b256(&c, other)?;
            if name == "math_pow" {
                charge(&mut c, Category::Hostio, pow_price(&b_bytes.0))?;
            }
            let b = U256::from_be_bytes(b_bytes.0);
            write(&mut c, value, &op(a, b).to_be_bytes::<32>())
        }
    };
    let div_ink = HOSTIO_INK + 3 * PTR_INK + DIV_INK;
    l.func_wrap(
        VM,
        "math_div",
        binary("math_div", div_ink, |a, b| a.checked_div(b).unwrap_or_default()),
    )?;
    l.func_wrap(
        VM,
        "math_mod",
        binary("math_mod", div_ink, |a, b| a.checked_rem(b).unwrap_or_default()),
    )?;
    l.func_wrap(
        VM,
        "math_pow",
        binary("math_pow", HOSTIO_INK + 3 * PTR_INK, |a, b| a.wrapping_pow(b)),
    )?;
    let ternary = |ink: u64, op: fn(U256, U256, U256) -> U256| {
        move |mut c: Caller<'_>, value: i32, other: i32, modulus: i32| -> R<()> {
            enter(&mut c, ink)?;
            let a = U256::from_be_bytes(read_b256(&c, value)?.0);
            let b = U256::from_be_bytes(read_b256(&c, other)?.0);
            let m = U256::from_be_bytes(read_b256(&c, modulus)?.0);
            write(&mut c, value, &op(a, b, m).to_be_bytes::<32>())
        }
    };
    l.func_wrap(
        VM,
        "math_add_mod",
        ternary(HOSTIO_INK + 4 * PTR_INK + ADD_MOD_INK, |a, b, m| a.add_mod(b, m)),
    )?;
    l.func_wrap(
        VM,
        "math_mul_mod",
        ternary(HOSTIO_INK + 4 * PTR_INK + MUL_MOD_INK, |a, b, m| a.mul_mod(b, m)),
    )?;
    l.func_wrap(VM, "pay_for_memory_grow", |mut c: Caller<'_>, pages: i32| -> R<()> {
        settle_memory(&mut c)?;
        let pages = pages as u32 as u16;
        if pages == 0 {
            return charge(&mut c, Category::Hostio, HOSTIO_INK);
        }
        // A voluntary payment (nitro inserts these before `memory.grow`; this host instead
        // charges growth when it sees it): the pages count as open, as on chain.
        let data = c.data_mut();
        let gas = crate::gas::memory_gas(pages, data.pages_open, data.pages_ever);
        data.pages_open = data.pages_open.saturating_add(pages);
        data.pages_ever = data.pages_ever.max(data.pages_open);
        charge_gas(&mut c, Category::Memory, gas)
    })?;

    // --- console (debug builds) ---------------------------------------------------------------
    const CONSOLE: &str = "console";
    l.func_wrap(CONSOLE, "log_txt", |mut c: Caller<'_>, ptr: i32, len: i32| -> R<()> {
        let text = read(&c, ptr, len as u32)?;
        let line = String::from_utf8_lossy(&text).into_owned();
        c.data_mut().console.push(line);
        Ok(())
    })?;
    l.func_wrap(CONSOLE, "log_i32", |mut c: Caller<'_>, v: i32| -> R<()> {
        c.data_mut().console.push(v.to_string());
        Ok(())
    })?;
    l.func_wrap(CONSOLE, "log_i64", |mut c: Caller<'_>, v: i64| -> R<()> {
        c.data_mut().console.push(v.to_string());
        Ok(())
    })?;
    l.func_wrap(CONSOLE, "log_f32", |mut c: Caller<'_>, v: f32| -> R<()> {
        c.data_mut().console.push(v.to_string());
        Ok(())
    })?;
    l.func_wrap(CONSOLE, "log_f64", |mut c: Caller<'_>, v: f64| -> R<()> {
        c.data_mut().console.push(v.to_string());
        Ok(())
    })?;
    l.func_wrap(CONSOLE, "tee_i32", |mut c: Caller<'_>, v: i32| -> R<i32> {
        c.data_mut().console.push(v.to_string());
        Ok(v)
    })?;
    l.func_wrap(CONSOLE, "tee_i64", |mut c: Caller<'_>, v: i64| -> R<i64> {
        c.data_mut().console.push(v.to_string());
        Ok(v)
    })?;
    l.func_wrap(CONSOLE, "tee_f32", |mut c: Caller<'_>, v: f32| -> R<f32> {
        c.data_mut().console.push(v.to_string());
        Ok(v)
    })?;
    l.func_wrap(CONSOLE, "tee_f64", |mut c: Caller<'_>, v: f64| -> R<f64> {
        c.data_mut().console.push(v.to_string());
        Ok(v)
    })?;
    Ok(())
}
