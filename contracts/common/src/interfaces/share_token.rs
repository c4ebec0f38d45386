//! The share token (wstETH-compatible) as other programs call it: wstETH's
//! Solidity ABI (`reference/lido-abi/wsteth.txt`) plus ERC-5267.
//!
//! Plain ether sent with empty calldata stakes through the deposit pool and
//! wraps (`receive()`); it is not listed because `sol_interface!` has no
//! receive entry.
#![allow(non_snake_case)]
#[allow(unused_imports)]
use alloc::vec;
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    interface IShareToken {
        // ERC-20
        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function transfer(address to, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
        function approve(address spender, uint256 amount) external returns (bool);
        function increaseAllowance(address spender, uint256 addedValue) external returns (bool);
        function decreaseAllowance(address spender, uint256 subtractedValue) external returns (bool);
        // wstETH
        /// Pulls `floor(stETHAmount * S / P)` shares of the caller (all of them
        /// for a whole-balance amount) and mints as many units; returns them.
        function wrap(uint256 stETHAmount) external returns (uint256);
        /// Burns `wstETHAmount` units and hands back exactly that many shares;
        /// returns their rebase-token value.
        function unwrap(uint256 wstETHAmount) external returns (uint256);
        function stETH() external view returns (address);
        function getWstETHByStETH(uint256 stETHAmount) external view returns (uint256);
        function getStETHByWstETH(uint256 wstETHAmount) external view returns (uint256);
        function stEthPerToken() external view returns (uint256);
        function tokensPerStEth() external view returns (uint256);
        // EIP-2612 (ECDSA or ERC-1271 owners)
        function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
        function nonces(address owner) external view returns (uint256);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
        // ERC-5267
        function eip712Domain() external view returns (bytes1, string, string, uint256, address, bytes32, uint256[]);
    }
}
