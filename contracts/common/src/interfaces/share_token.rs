//! The share token (wstETH-compatible) as other programs call it.
#![allow(non_snake_case)]
#[allow(unused_imports)]
use alloc::vec;
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    interface IShareToken {
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
        function unwrap(uint256 wstETHAmount) external returns (uint256);
        function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    }
}
