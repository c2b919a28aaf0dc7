//! The lock on the output folder: `flock` on its handle, so no lock file enters the tree and
//! the lock ends with the process, however it ends.

use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use rustix::fs::FlockOperation;
use rustix::io::Errno;

/// Why the lock was not taken.
pub enum LockError {
    /// Another run held it for the whole wait.
    Busy,
    /// The system refused.
    Io(std::io::Error),
}

/// How often a waiting run tries again.
const RETRY: Duration = Duration::from_millis(20);

/// Locks the folder behind `fd`, alone when `exclusive`, waiting up to `wait`.
pub fn acquire(
    fd: &OwnedFd,
    exclusive: bool,
    wait: Duration,
    waiting: &mut dyn FnMut(),
) -> Result<(), LockError> {
    let operation = if exclusive {
        FlockOperation::NonBlockingLockExclusive
    } else {
        FlockOperation::NonBlockingLockShared
    };
    let deadline = Instant::now() + wait;
    let mut told = false;
    loop {
        match rustix::fs::flock(fd, operation) {
            Ok(()) => return Ok(()),
            Err(Errno::WOULDBLOCK | Errno::INTR) => {}
            Err(error) => return Err(LockError::Io(error.into())),
        }
        if Instant::now() >= deadline {
            return Err(LockError::Busy);
        }
        if !told {
            waiting();
            told = true;
        }
        std::thread::sleep(RETRY);
    }
}
