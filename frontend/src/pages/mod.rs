//! One module per screen of the user guide's flows.

pub mod apply;
pub mod bankid;
pub mod billing;
pub mod certificates;
pub mod details;
pub mod email;
pub mod login;
pub mod my_page;
pub mod password;
pub mod register;
pub mod reset;
pub mod start;
