//! Argon2id password hashing (RFC 9106) on threads of its own, at a lower scheduling priority.
//!
//! The hasher starts `max_concurrent` threads, and only they run Argon2, so a login flood
//! cannot occupy tokio's blocking threads (which also run the database work) or allocate
//! Argon2 memory without limit: a computation with the current parameters uses `memory_kib`
//! KiB. On Linux the threads run at niceness [`HASH_THREAD_NICENESS`], so the kernel gives
//! the request, database and mail threads the CPU first while logins keep them busy.
//!
//! Niceness counts only inside a scheduling group, and with the kernel's session autogroups
//! the whole server process is one group. [`PasswordHasher::with_helper_processes`]
//! therefore lets each thread hand its computations to a helper process in a group of its
//! own at the lowest priority ([`helper`]), which is how `incert serve` runs.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use argon2::password_hash;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{
    ARGON2D_IDENT, ARGON2I_IDENT, ARGON2ID_IDENT, Algorithm, Argon2, Block, Params, Version,
};
use subtle::ConstantTimeEq as _;
use tokio::sync::{OnceCell, Semaphore, oneshot};

use self::helper::Computation;

/// Niceness of the hashing threads on Linux: 0 is the default of every thread and 19 the
/// lowest priority. At 10 the kernel's scheduler gives a thread at 0 about nine times the CPU
/// time of a hashing thread when both want it.
pub const HASH_THREAD_NICENESS: i32 = 10;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashParams {
    /// Memory cost, in KiB.
    pub memory_kib: u32,
    /// Number of passes over the memory.
    pub iterations: u32,
    /// Number of lanes. The `argon2` crate is built without its `parallel` feature, so lanes
    /// are computed one after another on one thread.
    pub parallelism: u32,
}

impl Default for HashParams {
    /// Returns the minimum that the OWASP Password Storage Cheat Sheet recommends for
    /// Argon2id: 19 MiB of memory, 2 iterations and 1 lane.
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// Internal failure of password hashing. A wrong password is not an error but
/// [`Verification::Mismatch`].
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// The Argon2 parameters are out of range.
    #[error("invalid Argon2 parameters: {0}")]
    InvalidParams(String),
    /// `max_concurrent` is zero or larger than tokio's semaphore allows.
    #[error("invalid max_concurrent {0}: it must be between 1 and {max}", max = Semaphore::MAX_PERMITS)]
    InvalidConcurrency(usize),
    /// Argon2 or the salt generator failed.
    #[error("Argon2 hashing failed: {0}")]
    Hashing(String),
    /// A hashing thread could not be started, or the computation panicked.
    #[error("password hashing did not finish: {0}")]
    Thread(String),
}

/// Result of [`PasswordHasher::verify`].
#[derive(Clone, PartialEq, Eq)]
pub enum Verification {
    /// The password matches. `rehash` contains a new PHC string when the stored hash used other
    /// parameters than the current ones, for the caller to store.
    Match { rehash: Option<String> },
    /// The password does not match, the account is unknown, or the stored hash is unusable.
    Mismatch,
}

impl fmt::Debug for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Match { rehash: Some(_) } => f.write_str("Match { rehash: Some(<redacted>) }"),
            Self::Match { rehash: None } => f.write_str("Match { rehash: None }"),
            Self::Mismatch => f.write_str("Mismatch"),
        }
    }
}

/// Hashes and verifies passwords with Argon2id. Cheap to clone: clones share the concurrency
/// limit, the memory pool and the dummy hash.
#[derive(Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
}

struct Inner {
    params: HashParams,
    /// The program that runs helper processes (`<program> hash-worker`) and the longest
    /// wait for a helper's reply, or `None` to compute in the hashing threads themselves.
    helper: Option<(PathBuf, Duration)>,
    argon2_params: Params,
    max_concurrent: usize,
    permits: Arc<Semaphore>,
    threads: HashThreads,
    memory: MemoryPool,
    /// Hash of a random password with the current parameters. Verifying against it costs as
    /// much as verifying a real hash, for accounts that do not exist.
    dummy_hash: OnceCell<PasswordHash>,
    activity: Activity,
}

/// Counters of the blocking work, read by tests.
#[derive(Default)]
struct Activity {
    /// Blocking tasks running now.
    running: AtomicUsize,
    /// Maximum of `running` so far.
    peak_running: AtomicUsize,
    /// Argon2 computations started so far.
    argon2_runs: AtomicU64,
}

impl PasswordHasher {
    /// Creates a hasher with `params` and `max_concurrent` hashing threads. At most that many
    /// Argon2 computations run at once, and further calls wait for a free thread.
    ///
    /// Each thread keeps one Argon2 memory buffer (`params.memory_kib` KiB) for reuse after its
    /// first computation, so the hasher holds up to `max_concurrent × memory_kib` KiB. The
    /// threads end when the last clone of the hasher is dropped.
    pub fn new(params: HashParams, max_concurrent: usize) -> Result<Self, HashError> {
        Self::build(params, max_concurrent, None)
    }

    /// Like [`PasswordHasher::new`], but each hashing thread hands its computations to a
    /// helper process of its own, `program hash-worker`, at the lowest priority (see
    /// [`helper`]). `program` is the `incert` binary. A helper that does not reply within
    /// `reply_timeout` is stopped and replaced. Each helper keeps one Argon2 memory buffer,
    /// so the helpers together hold up to `max_concurrent × memory_kib` KiB.
    pub fn with_helper_processes(
        params: HashParams,
        max_concurrent: usize,
        program: PathBuf,
        reply_timeout: Duration,
    ) -> Result<Self, HashError> {
        Self::build(params, max_concurrent, Some((program, reply_timeout)))
    }

    fn build(
        params: HashParams,
        max_concurrent: usize,
        helper: Option<(PathBuf, Duration)>,
    ) -> Result<Self, HashError> {
        if max_concurrent == 0 || max_concurrent > Semaphore::MAX_PERMITS {
            return Err(HashError::InvalidConcurrency(max_concurrent));
        }
        let argon2_params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            Some(Params::DEFAULT_OUTPUT_LEN),
        )
        .map_err(|error| HashError::InvalidParams(error.to_string()))?;
        let threads = HashThreads::start(max_concurrent)?;

        Ok(Self {
            inner: Arc::new(Inner {
                params,
                helper,
                memory: MemoryPool::new(argon2_params.block_count()),
                argon2_params,
                max_concurrent,
                permits: Arc::new(Semaphore::new(max_concurrent)),
                threads,
                dummy_hash: OnceCell::new(),
                activity: Activity::default(),
            }),
        })
    }

    /// Hashes into a PHC string (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`) with a fresh
    /// random 16-byte salt.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run_blocking(move |inner| inner.hash_phc(password.as_bytes()))
            .await?
            .map(|phc| phc.to_string())
    }

    /// Verifies `password` against `stored` (a PHC string).
    ///
    /// When `stored` is `None` (unknown account), it verifies against a dummy hash made with
    /// the current parameters, so that the time spent is about the same, and returns
    /// `Mismatch`. On a match whose PHC parameters differ from the current ones, it returns
    /// `Match { rehash: Some(new_phc) }` so the caller can store the upgraded hash. A stored
    /// string that is not a usable Argon2 PHC string is a `Mismatch`, logged with
    /// `tracing::warn!` without the string.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<Verification, HashError> {
        let Some(stored) = stored else {
            self.verify_dummy(password).await?;
            return Ok(Verification::Mismatch);
        };

        let parsed = match PasswordHash::new(&stored) {
            Ok(parsed) if is_argon2(&parsed) => parsed,
            Ok(_) => {
                tracing::warn!(
                    "stored password hash uses an algorithm other than Argon2; \
                     treating the login attempt as a mismatch"
                );
                self.verify_dummy(password).await?;
                return Ok(Verification::Mismatch);
            }
            Err(error) => {
                tracing::warn!(
                    %error,
                    "stored password hash is not a valid PHC string; \
                     treating the login attempt as a mismatch"
                );
                self.verify_dummy(password).await?;
                return Ok(Verification::Mismatch);
            }
        };

        self.run_blocking(move |inner| inner.verify_and_upgrade(password.as_bytes(), &parsed))
            .await?
    }

    /// Spends one Argon2 computation with the current parameters and discards the result.
    ///
    /// The first call creates the dummy hash, which costs the same as verifying against it.
    async fn verify_dummy(&self, password: String) -> Result<(), HashError> {
        let mut created_now = false;
        let dummy = self
            .inner
            .dummy_hash
            .get_or_try_init(|| {
                created_now = true;
                async {
                    let random_password = super::secrets::generate_token();
                    self.run_blocking(move |inner| inner.hash_phc(random_password.as_bytes()))
                        .await?
                }
            })
            .await?
            .clone();
        if !created_now {
            self.run_blocking(move |inner| inner.check(password.as_bytes(), &dummy))
                .await??;
        }
        Ok(())
    }

    /// Runs `work` on a hashing thread once one is free.
    ///
    /// The job carries a permit, and there are as many permits as threads, so a job that is
    /// sent finds a free thread. The permit is released when `work` ends, not when the caller
    /// stops waiting, so a cancelled request counts against the limit while it computes.
    async fn run_blocking<T, F>(&self, work: F) -> Result<T, HashError>
    where
        T: Send + 'static,
        F: FnOnce(&Inner) -> T + Send + 'static,
    {
        let permit = Arc::clone(&self.inner.permits)
            .acquire_owned()
            .await
            .map_err(|_| HashError::Hashing("the concurrency limit was closed".to_owned()))?;
        let inner = Arc::clone(&self.inner);
        let (result_sender, result) = oneshot::channel();
        self.inner.threads.send(Box::new(move || {
            let outcome = {
                let _permit = permit;
                let _running = RunningGuard::enter(&inner.activity);
                catch_unwind(AssertUnwindSafe(|| work(&inner)))
            };
            // The permit is released before the result is sent. If the caller stopped waiting,
            // the result is dropped.
            let _ = result_sender.send(outcome);
        }))?;
        match result.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_)) => Err(HashError::Thread("the computation panicked".to_owned())),
            Err(_) => Err(HashError::Thread("the hashing thread ended".to_owned())),
        }
    }
}

impl fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("params", &self.inner.params)
            .field("max_concurrent", &self.inner.max_concurrent)
            .field("available", &self.inner.permits.available_permits())
            .finish_non_exhaustive()
    }
}

/// A computation for a hashing thread.
type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads and the queue that feeds them.
struct HashThreads {
    jobs: mpsc::Sender<Job>,
}

impl HashThreads {
    /// Starts `count` threads at [`HASH_THREAD_NICENESS`]. They end when `jobs` is dropped.
    fn start(count: usize) -> Result<Self, HashError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for number in 0..count {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("argon2-{number}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        // One idle thread waits on the queue and the others wait for the lock.
                        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
                        match next {
                            Ok(job) => job(),
                            Err(mpsc::RecvError) => break,
                        }
                    }
                })
                .map_err(|error| HashError::Thread(format!("cannot start a thread: {error}")))?;
        }
        Ok(Self { jobs })
    }

    fn send(&self, job: Job) -> Result<(), HashError> {
        self.jobs
            .send(job)
            .map_err(|_| HashError::Thread("the hashing threads have ended".to_owned()))
    }
}

/// Raises the calling thread's niceness to [`HASH_THREAD_NICENESS`], which lowers its
/// priority. A thread that already runs at that niceness or above keeps its own, because
/// setting the value there would raise the priority of a process started with `nice`. If
/// the call fails, hashing runs at the priority of the process.
#[cfg(target_os = "linux")]
fn lower_priority() {
    let thread = rustix::thread::gettid();
    let current = match rustix::process::getpriority_process(Some(thread)) {
        Ok(niceness) => niceness,
        Err(error) => {
            tracing::warn!(%error, "could not read the priority of a password hashing thread");
            return;
        }
    };
    if current >= HASH_THREAD_NICENESS {
        return;
    }
    if let Err(error) = rustix::process::setpriority_process(Some(thread), HASH_THREAD_NICENESS) {
        tracing::warn!(%error, "could not lower the priority of a password hashing thread");
    }
}

/// Thread priorities are left alone outside Linux, where `setpriority` may act on the whole
/// process instead of one thread.
#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

/// Outcome of checking a password against a parsed hash.
enum Check {
    Match,
    Mismatch,
    /// The stored hash names an algorithm, version, parameters or lengths that Argon2
    /// rejects. The reason contains no part of the hash.
    Unusable(String),
}

impl Inner {
    /// Hashes `password` with the current parameters and a fresh salt. Blocks.
    fn hash_phc(&self, password: &[u8]) -> Result<PasswordHash, HashError> {
        let salt = password_hash::try_generate_salt()
            .map_err(|error| HashError::Hashing(format!("failed to generate a salt: {error}")))?;
        let mut output = [0_u8; Params::DEFAULT_OUTPUT_LEN];
        let computation = Computation {
            algorithm: Algorithm::Argon2id,
            version: Version::V0x13,
            params: &self.argon2_params,
            password,
            salt: &salt,
            output_len: output.len(),
        };
        self.compute(&computation, &mut output)?
            .map_err(HashError::Hashing)?;

        let params = ParamsString::try_from(&self.argon2_params)
            .map_err(|error| HashError::Hashing(error.to_string()))?;
        let salt = Salt::new(&salt).map_err(|error| HashError::Hashing(error.to_string()))?;
        let output = Output::new(&output).map_err(|error| HashError::Hashing(error.to_string()))?;
        Ok(PasswordHash {
            algorithm: ARGON2ID_IDENT,
            version: Some(Version::V0x13.into()),
            params,
            salt: Some(salt),
            hash: Some(output),
        })
    }

    /// Verifies `password` against `stored` and, on a match with outdated parameters, hashes
    /// it again with the current ones. Blocks. Fails only when a helper process failed.
    fn verify_and_upgrade(
        &self,
        password: &[u8],
        stored: &PasswordHash,
    ) -> Result<Verification, HashError> {
        match self.check(password, stored)? {
            Check::Match => {}
            Check::Mismatch => return Ok(Verification::Mismatch),
            Check::Unusable(reason) => {
                tracing::warn!(
                    %reason,
                    "stored password hash has unusable Argon2 parameters; \
                     treating the login attempt as a mismatch"
                );
                return Ok(Verification::Mismatch);
            }
        }

        if !self.needs_rehash(stored) {
            return Ok(Verification::Match { rehash: None });
        }
        match self.hash_phc(password) {
            Ok(phc) => Ok(Verification::Match {
                rehash: Some(phc.to_string()),
            }),
            Err(error) => {
                // The login itself succeeded, so the upgrade waits for the next login.
                tracing::warn!(%error, "failed to rehash a password with the current parameters");
                Ok(Verification::Match { rehash: None })
            }
        }
    }

    /// Recomputes the hash of `password` with the algorithm, version, parameters and salt of
    /// `stored` and compares it in constant time. Blocks. Fails only when a helper process
    /// failed.
    fn check(&self, password: &[u8], stored: &PasswordHash) -> Result<Check, HashError> {
        let algorithm = match Algorithm::try_from(stored.algorithm.as_str()) {
            Ok(algorithm) => algorithm,
            Err(error) => return Ok(Check::Unusable(format!("algorithm: {error}"))),
        };
        let version = match stored.version.map(Version::try_from).transpose() {
            Ok(version) => version.unwrap_or_default(),
            Err(error) => return Ok(Check::Unusable(format!("version: {error}"))),
        };
        let params = match Params::try_from(stored) {
            Ok(params) => params,
            Err(error) => return Ok(Check::Unusable(format!("parameters: {error}"))),
        };
        let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else {
            return Ok(Check::Unusable(
                "the salt or the hash is missing".to_owned(),
            ));
        };

        let mut output = vec![0_u8; expected.len()];
        let computation = Computation {
            algorithm,
            version,
            params: &params,
            password,
            salt: salt.as_ref(),
            output_len: output.len(),
        };
        if let Err(reason) = self.compute(&computation, &mut output)? {
            return Ok(Check::Unusable(reason));
        }
        if bool::from(output.ct_eq(expected.as_ref())) {
            Ok(Check::Match)
        } else {
            Ok(Check::Mismatch)
        }
    }

    /// Runs one Argon2 computation into `output`: in this thread's helper process when the
    /// hasher has a helper program, otherwise here with a memory buffer from the pool.
    /// Blocks. The inner error is the reason Argon2 rejected the inputs; the outer one a
    /// helper process that failed twice.
    fn compute(
        &self,
        computation: &Computation<'_>,
        output: &mut [u8],
    ) -> Result<Result<(), String>, HashError> {
        self.activity.argon2_runs.fetch_add(1, Ordering::Relaxed);
        if let Some((program, timeout)) = &self.helper {
            let reply = helper::compute(program, *timeout, computation).map_err(|error| {
                HashError::Thread(format!("the hashing helper failed: {error}"))
            })?;
            return Ok(reply.and_then(|bytes| {
                if bytes.len() == output.len() {
                    output.copy_from_slice(&bytes);
                    Ok(())
                } else {
                    Err("the hashing helper returned an output of another length".to_owned())
                }
            }));
        }

        let Some(mut blocks) = self.memory.take(computation.params.block_count()) else {
            return Ok(Err(argon2::Error::OutOfMemory.to_string()));
        };
        let argon2 = Argon2::new(
            computation.algorithm,
            computation.version,
            computation.params.clone(),
        );
        let result = argon2.hash_password_into_with_memory(
            computation.password,
            computation.salt,
            output,
            &mut blocks,
        );
        self.memory.give_back(blocks);
        Ok(result.map_err(|error| error.to_string()))
    }

    /// Returns whether `stored` differs from what [`Inner::hash_phc`] writes now: another
    /// algorithm or version, other costs, another output length, or extra `keyid`/`data`.
    fn needs_rehash(&self, stored: &PasswordHash) -> bool {
        if stored.algorithm != ARGON2ID_IDENT || stored.version != Some(Version::V0x13.into()) {
            return true;
        }
        let Ok(params) = Params::try_from(stored) else {
            return true;
        };
        let current = &self.argon2_params;
        params.m_cost() != current.m_cost()
            || params.t_cost() != current.t_cost()
            || params.p_cost() != current.p_cost()
            || params.output_len() != current.output_len()
            || !params.keyid().is_empty()
            || !params.data().is_empty()
    }
}

fn is_argon2(hash: &PasswordHash) -> bool {
    [ARGON2ID_IDENT, ARGON2I_IDENT, ARGON2D_IDENT].contains(&hash.algorithm)
}

/// Argon2 memory buffers kept for reuse.
///
/// A fresh buffer costs a page fault for every page on first touch. With the default
/// parameters, one verification took about 23 ms with a fresh buffer and about 14 ms with a
/// reused one. Those are medians of 15 runs of `argon2` 0.6.0 in a release build, on one core
/// of a 2-core AMD EPYC virtual machine.
///
/// Only buffers of the current size are pooled, and a stored hash with a larger memory cost
/// gets a temporary buffer. The pool keeps at most one buffer per concurrency slot, because
/// only that many computations run at once.
struct MemoryPool {
    blocks_per_buffer: usize,
    idle: Mutex<Vec<Vec<Block>>>,
}

impl MemoryPool {
    fn new(blocks_per_buffer: usize) -> Self {
        Self {
            blocks_per_buffer,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Returns a buffer of at least `block_count` blocks, or `None` when the allocation fails.
    fn take(&self, block_count: usize) -> Option<Vec<Block>> {
        if block_count > self.blocks_per_buffer {
            // NOTE: the memory cost of a stored hash is not capped. The allocation is fallible
            // so that an absurd cost fails the verification instead of aborting the process,
            // but a large cost that the system can still provide is computed in full.
            return allocate_blocks(block_count);
        }
        let pooled = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        pooled.or_else(|| allocate_blocks(self.blocks_per_buffer))
    }

    /// Keeps `buffer` for reuse if it has the pooled size, and frees it otherwise.
    fn give_back(&self, buffer: Vec<Block>) {
        if buffer.len() == self.blocks_per_buffer {
            self.idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(buffer);
        }
    }
}

/// Allocates `count` zeroed blocks, or returns `None` when the allocator has no memory.
fn allocate_blocks(count: usize) -> Option<Vec<Block>> {
    let mut blocks = Vec::new();
    blocks.try_reserve_exact(count).ok()?;
    blocks.resize(count, Block::default());
    Some(blocks)
}

/// Counts a running blocking task while it lives.
struct RunningGuard<'a> {
    activity: &'a Activity,
}

impl<'a> RunningGuard<'a> {
    fn enter(activity: &'a Activity) -> Self {
        let running = activity.running.fetch_add(1, Ordering::SeqCst) + 1;
        activity.peak_running.fetch_max(running, Ordering::SeqCst);
        Self { activity }
    }
}

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        self.activity.running.fetch_sub(1, Ordering::SeqCst);
    }
}

pub mod helper;

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test fails by panicking"
)]
mod tests;
