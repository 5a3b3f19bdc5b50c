//! Argon2 computations in helper processes of their own.
//!
//! With the kernel's session autogroups (the Linux default for processes outside a cgroup),
//! the scheduler shares the CPU between sessions before it looks at thread priorities. Hashing
//! threads in the server's process then share one group with the request threads, and a login
//! flood slows every request however low the threads' priority. A helper process starts a
//! session of its own and sets that session's autogroup to niceness 19, so requests and the
//! database get the CPU first and logins get what is left. Where autogroups do not apply, as
//! for a process that systemd or a container runtime starts in a cgroup, the helper's thread
//! niceness does the same.
//!
//! Each hashing thread of the server owns one helper, started on first use as
//! `<program> hash-worker`, and sends it one request at a time over the helper's standard
//! input, then reads the reply from its standard output. A helper ends when its input
//! closes: when the hashing thread ends or the server exits. Helpers get an empty
//! environment, so no secret of the server's configuration reaches them.
//!
//! Both directions are length-prefixed with little-endian `u32` values:
//!
//! ```text
//! request = bytes(algorithm) u32(version) u32(m_cost) u32(t_cost) u32(p_cost)
//!           u32(output length) bytes(associated data) bytes(salt) bytes(password)
//! reply   = u8(0) bytes(output) | u8(1) bytes(reason Argon2 gave, UTF-8)
//! bytes   = u32(length) followed by that many bytes
//! ```

use std::cell::RefCell;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, AssociatedData, Block, Params, ParamsBuilder, Version};

/// The subcommand of the `incert` program that runs a helper.
pub const SUBCOMMAND: &str = "hash-worker";

/// Niceness of a helper's session autogroup: the lowest priority there is.
pub const AUTOGROUP_NICENESS: i32 = 19;

/// Default for the longest wait for a helper's reply. Argon2 takes milliseconds at the
/// configured cost, but a helper runs at the lowest priority and may wait long for the CPU on a
/// busy machine, so the limit is generous. A helper that has not replied by then is stopped.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(60);

/// Maximum password length in a request. The API's request body limit is far lower.
const MAX_PASSWORD_BYTES: usize = 1 << 20;
/// Maximum length of the algorithm name, salt and output in a request. PHC strings contain far less.
const MAX_SMALL_FIELD_BYTES: usize = 1024;

const REPLY_OUTPUT: u8 = 0;
const REPLY_REJECTED: u8 = 1;

/// One Argon2 computation: the inputs of `Argon2::hash_password_into`.
pub(super) struct Computation<'a> {
    pub algorithm: Algorithm,
    pub version: Version,
    pub params: &'a Params,
    pub password: &'a [u8],
    pub salt: &'a [u8],
    /// Length of the output, which may differ from the one in `params`.
    pub output_len: usize,
}

/// A helper's reply: the output, or the reason Argon2 rejected the inputs.
pub(super) type Reply = Result<Vec<u8>, String>;

thread_local! {
    /// The helper of the current hashing thread, once started.
    static HELPER: RefCell<Option<Helper>> = const { RefCell::new(None) };
}

/// Runs `computation` in the current thread's helper, starting one when there is none. A
/// helper that fails, or does not reply within `timeout`, is replaced and the computation is
/// sent once more, so a helper that was killed or stopped costs one restart and no failed
/// login.
pub(super) fn compute(
    program: &Path,
    timeout: Duration,
    computation: &Computation<'_>,
) -> io::Result<Reply> {
    HELPER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let mut failure = None;
        for _ in 0..2 {
            let helper = match slot.as_mut() {
                Some(helper) => helper,
                None => slot.insert(Helper::start(program)?),
            };
            match helper.compute(computation, timeout) {
                Ok(reply) => return Ok(reply),
                Err(error) => {
                    tracing::warn!(%error, "a password hashing helper failed; starting a new one");
                    *slot = None;
                    failure = Some(error);
                }
            }
        }
        Err(failure.unwrap_or_else(|| io::Error::other("the helper did not respond")))
    })
}

/// A running helper process and the pipes to it.
struct Helper {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Helper {
    fn start(program: &Path) -> io::Result<Self> {
        let mut command = Command::new(program);
        // Process lists show `incert hash-worker` rather than the `/proc` link's path.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::arg0(&mut command, "incert");
        let mut child = command
            .arg(SUBCOMMAND)
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            // Unreachable with piped standard input and output; the helper is stopped anyway.
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("the helper has no pipes"));
        };
        // Writes must not block either: a request with a long password does not fit into the
        // pipe, and a stopped helper would hold the write without a time limit.
        #[cfg(target_os = "linux")]
        rustix::io::ioctl_fionbio(&input, true)?;
        Ok(Self {
            child,
            input,
            output: BufReader::new(output),
        })
    }

    fn compute(&mut self, computation: &Computation<'_>, timeout: Duration) -> io::Result<Reply> {
        let deadline = Instant::now() + timeout;
        let mut request = Vec::new();
        write_request(&mut request, computation)?;
        let sent = send(&mut self.input, &request, deadline);
        // The request contains the password.
        request.fill(0);
        sent?;

        if self.output.buffer().is_empty() {
            wait_until_ready(self.output.get_ref(), Readiness::Readable, deadline)?;
        }
        read_reply(&mut self.output)
    }
}

/// The pipe state that [`wait_until_ready`] waits for.
#[derive(Clone, Copy)]
enum Readiness {
    Readable,
    Writable,
}

/// Writes `bytes` to a helper's non-blocking input by `deadline`.
fn send(input: &mut ChildStdin, bytes: &[u8], deadline: Instant) -> io::Result<()> {
    let mut rest = bytes;
    while !rest.is_empty() {
        match input.write(rest) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => rest = rest.get(written..).unwrap_or_default(),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                wait_until_ready(&*input, Readiness::Writable, deadline)?;
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// Waits until `pipe` can be read or written, or is closed, by `deadline`. A helper writes its
/// whole reply at once, so a readable reply can then be read without waiting further.
#[cfg(target_os = "linux")]
fn wait_until_ready(
    pipe: &impl std::os::fd::AsFd,
    readiness: Readiness,
    deadline: Instant,
) -> io::Result<()> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};

    let flags = match readiness {
        Readiness::Readable => PollFlags::IN,
        Readiness::Writable => PollFlags::OUT,
    };
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the helper did not reply in time",
            ));
        }
        let timeout = Timespec {
            tv_sec: i64::try_from(left.as_secs()).unwrap_or(i64::MAX),
            tv_nsec: i64::from(left.subsec_nanos()),
        };
        let mut descriptors = [PollFd::new(pipe, flags)];
        match poll(&mut descriptors, Some(&timeout)) {
            Ok(0) | Err(rustix::io::Errno::INTR) => {}
            Ok(_) => return Ok(()),
            Err(error) => return Err(error.into()),
        }
    }
}

// NOTE: without Linux's poll through rustix, the pipes block, and a helper that stops
// replying holds its hashing thread until the helper ends.
#[cfg(not(target_os = "linux"))]
fn wait_until_ready(
    _pipe: &impl std::os::fd::AsFd,
    _readiness: Readiness,
    _deadline: Instant,
) -> io::Result<()> {
    Ok(())
}

impl Drop for Helper {
    fn drop(&mut self) {
        // A helper keeps nothing worth finishing, so it is stopped at once and reaped.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a helper: leaves the server's session and lowers its priority, then handles requests
/// from standard input until the input closes. Returns an error for input that breaks the
/// format; the server then starts a new helper.
pub fn run() -> Result<(), String> {
    if !follow_server() {
        return Ok(());
    }
    leave_session();
    super::lower_priority();

    let mut input = io::stdin().lock();
    let mut output = BufWriter::new(io::stdout().lock());
    let mut memory = Vec::new();
    loop {
        let Some(mut request) = read_request(&mut input).map_err(|error| error.to_string())? else {
            return Ok(());
        };
        let reply = request.compute(&mut memory);
        request.password.fill(0);
        write_reply(&mut output, &reply)
            .and_then(|()| output.flush())
            .map_err(|error| error.to_string())?;
    }
}

/// Starts a session of the helper's own and sets its autogroup to [`AUTOGROUP_NICENESS`].
/// Failures are ignored: the helper then hashes at its thread niceness only.
#[cfg(target_os = "linux")]
fn leave_session() {
    if rustix::process::setsid().is_err() {
        return;
    }
    // Unprivileged processes may set an autogroup's niceness once per 100 ms across the
    // system, so a helper started right after another one waits for its turn.
    for _ in 0..30 {
        match std::fs::write("/proc/self/autogroup", AUTOGROUP_NICENESS.to_string()) {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(50));
            }
            // Done, or a kernel without autogroups.
            _ => return,
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn leave_session() {}

/// Names the helper `incert-hash` in process lists and has the kernel kill it when the
/// server's hashing thread ends, so that a stopped helper does not outlive the server.
/// Returns `false` when that thread has already ended: the helper then has nothing to do.
#[cfg(target_os = "linux")]
fn follow_server() -> bool {
    let _ = rustix::thread::set_name(c"incert-hash");
    if rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))
        .is_err()
    {
        return true;
    }
    // An orphan is adopted by init or a subreaper, which never started a helper.
    rustix::process::getppid().is_some_and(|parent| !parent.is_init())
}

#[cfg(not(target_os = "linux"))]
fn follow_server() -> bool {
    true
}

/// A request as a helper reads it.
struct Request {
    algorithm: Algorithm,
    version: Version,
    params: Result<Params, argon2::Error>,
    password: Vec<u8>,
    salt: Vec<u8>,
}

impl Request {
    fn compute(&self, memory: &mut Vec<Block>) -> Reply {
        let params = self.params.clone().map_err(|error| error.to_string())?;
        let output_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let block_count = params.block_count();
        if memory.len() != block_count {
            // The buffer is kept for the next request, which usually has the same size.
            *memory = Vec::new();
            memory
                .try_reserve_exact(block_count)
                .map_err(|_| argon2::Error::OutOfMemory.to_string())?;
            memory.resize(block_count, Block::default());
        }
        let mut output = vec![0_u8; output_len];
        Argon2::new(self.algorithm, self.version, params)
            .hash_password_into_with_memory(
                &self.password,
                &self.salt,
                &mut output,
                memory.as_mut_slice(),
            )
            .map_err(|error| error.to_string())?;
        Ok(output)
    }
}

fn write_request(output: &mut impl Write, computation: &Computation<'_>) -> io::Result<()> {
    let params = computation.params;
    write_bytes(output, computation.algorithm.as_str().as_bytes())?;
    write_u32(output, computation.version.into())?;
    write_u32(output, params.m_cost())?;
    write_u32(output, params.t_cost())?;
    write_u32(output, params.p_cost())?;
    write_u32(output, to_u32(computation.output_len)?)?;
    write_bytes(output, params.data())?;
    write_bytes(output, computation.salt)?;
    write_bytes(output, computation.password)
}

/// Reads the next request, or `None` when the input has ended before one.
fn read_request(input: &mut impl BufRead) -> io::Result<Option<Request>> {
    if input.fill_buf()?.is_empty() {
        return Ok(None);
    }
    let algorithm = read_bytes(input, MAX_SMALL_FIELD_BYTES)?;
    let algorithm = std::str::from_utf8(&algorithm)
        .ok()
        .and_then(|name| Algorithm::try_from(name).ok())
        .ok_or_else(|| invalid("unknown algorithm"))?;
    let version = Version::try_from(read_u32(input)?).map_err(|_| invalid("unknown version"))?;
    let m_cost = read_u32(input)?;
    let t_cost = read_u32(input)?;
    let p_cost = read_u32(input)?;
    let output_len = read_u32(input)?;
    let data = read_bytes(input, AssociatedData::MAX_LEN)?;
    let salt = read_bytes(input, MAX_SMALL_FIELD_BYTES)?;
    let password = read_bytes(input, MAX_PASSWORD_BYTES)?;

    // Parameters that Argon2 rejects get a rejection reply, as they would get a mismatch in the server.
    let params = AssociatedData::new(&data).and_then(|data| {
        ParamsBuilder::new()
            .m_cost(m_cost)
            .t_cost(t_cost)
            .p_cost(p_cost)
            .output_len(usize::try_from(output_len).unwrap_or(usize::MAX))
            .data(data)
            .build()
    });
    if usize::try_from(output_len).map_or(true, |length| length > MAX_SMALL_FIELD_BYTES) {
        return Err(invalid("the output is too long"));
    }
    Ok(Some(Request {
        algorithm,
        version,
        params,
        password,
        salt,
    }))
}

fn write_reply(output: &mut impl Write, reply: &Reply) -> io::Result<()> {
    match reply {
        Ok(bytes) => {
            output.write_all(&[REPLY_OUTPUT])?;
            write_bytes(output, bytes)
        }
        Err(reason) => {
            output.write_all(&[REPLY_REJECTED])?;
            write_bytes(output, reason.as_bytes())
        }
    }
}

fn read_reply(input: &mut impl Read) -> io::Result<Reply> {
    let mut kind = [0_u8; 1];
    input.read_exact(&mut kind)?;
    let bytes = read_bytes(input, MAX_SMALL_FIELD_BYTES)?;
    match kind {
        [REPLY_OUTPUT] => Ok(Ok(bytes)),
        [REPLY_REJECTED] => Ok(Err(String::from_utf8_lossy(&bytes).into_owned())),
        _ => Err(invalid("unknown reply")),
    }
}

fn write_u32(output: &mut impl Write, value: u32) -> io::Result<()> {
    output.write_all(&value.to_le_bytes())
}

fn read_u32(input: &mut impl Read) -> io::Result<u32> {
    let mut bytes = [0_u8; 4];
    input.read_exact(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

fn write_bytes(output: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    write_u32(output, to_u32(bytes.len())?)?;
    output.write_all(bytes)
}

fn read_bytes(input: &mut impl Read, max: usize) -> io::Result<Vec<u8>> {
    let length = usize::try_from(read_u32(input)?).unwrap_or(usize::MAX);
    if length > max {
        return Err(invalid("a field is too long"));
    }
    let mut bytes = vec![0_u8; length];
    input.read_exact(&mut bytes)?;
    Ok(bytes)
}

fn to_u32(length: usize) -> io::Result<u32> {
    u32::try_from(length).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "too long"))
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_owned())
}
