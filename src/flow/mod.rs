//! Sessions in and memory out: sources synced into agents, approved memory published where
//! agents read it, and Claude Code's project logs found on this machine.

pub mod claude;
pub mod publish;
pub mod sources;
pub mod watch;
