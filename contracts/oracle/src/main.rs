//! Prints the program's Solidity interface
//! (`cargo run -p accounting-oracle --features export-abi`): the checked-in
//! `abi.sol`, which the tests pin against the program. (The SDK's own export
//! would list only the constructor and the fallback that serves the ABI.)
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(feature = "export-abi")]
fn main() {
    print!("{}", include_str!("../abi.sol"));
}

/// Without `export-abi` there is nothing to print.
#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}
