//! Building blocks shared by the pages.

pub mod banner;
pub mod field;
pub mod focus;
pub mod form_actions;
pub mod guard;
pub mod layout;
pub mod loaded;
pub mod password_strength;
pub mod qr;

pub use banner::ErrorBanner;
pub use field::TextField;
pub use focus::focus_later;
pub use form_actions::SaveOrCancel;
pub use guard::RequireSession;
