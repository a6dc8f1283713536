//! jiuye-domain: the language of public employment services.
//!
//! Pure values: national codes as newtypes with `parse`, the core records (persons,
//! employers, vacancies), roles, and the message catalogue. No I/O, no clock: functions
//! that need today's date take it as an argument.

pub mod casework;
pub mod codes;
pub mod error;
pub mod geo;
pub mod gig;
pub mod messages;
pub mod money;
pub mod records;
pub mod roles;
pub mod time;
pub mod training;

pub use error::CodeError;
pub use messages::Lang;
