#!/usr/bin/env bash
# Benchmarks the release server on a throwaway PostgreSQL cluster with an SMTP server on free
# loopback ports: seeds accounts and certificates, starts `incert serve`, drives it with wrk
# (throughput) and scripts/bench/fixed_rate.py (latency at a fixed request rate), and prints
# a summary. Raw outputs go to target/bench/. Installs what is missing (as root, through
# apt-get and pip). Everything it starts is stopped and removed on exit.
#
# Sizes and durations, from the environment:
#   BENCH_ACCOUNTS                  seeded person accounts (default 1000000)
#   BENCH_CERTIFICATES_PER_ACCOUNT  certificates per account (default 3)
#   BENCH_SECONDS                   length of each throughput and latency run (default 20)
#   BENCH_SINGLE_USE                login codes and refresh tokens seeded for their runs,
#                                   each (default 40000); a run that uses them all up
#                                   reports a lower bound
#   BENCH_RATE                      requests/s of the fixed-rate latency runs (default 1000)
#   BENCH_BATCH_SIZE                accounts per seeding batch (default 50000)
#   BENCH_CRITERION                 0 skips the criterion micro-benchmarks (default 1)
#   BENCH_AUTOGROUP                 0 turns the kernel's session autogroups off for the run
#                                   and back on at the end (default: left as it is)
# INCERT_* variables reach the server, so INCERT_PASSWORD_HASH_PROCESSES=false measures the
# hashing threads without helper processes.
# Quick run: BENCH_ACCOUNTS=20000 BENCH_SECONDS=5 BENCH_SINGLE_USE=10000 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

accounts=${BENCH_ACCOUNTS:-1000000}
per_account=${BENCH_CERTIFICATES_PER_ACCOUNT:-3}
seconds=${BENCH_SECONDS:-20}
single_use=${BENCH_SINGLE_USE:-40000}
rate=${BENCH_RATE:-1000}
run_criterion=${BENCH_CRITERION:-1}
autogroup=${BENCH_AUTOGROUP:-}
autogroup_file=/proc/sys/kernel/sched_autogroup_enabled
autogroup_before=""
batch_size=${BENCH_BATCH_SIZE:-50000}

out="$PWD/target/bench"
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
rm -rf "$out"
mkdir -p "$out"

ensure_build_deps
ensure_postgres_server
command -v wrk >/dev/null || apt_install wrk
command -v curl >/dev/null || apt_install curl
# Postfix's smtp-sink, a small SMTP server in C that accepts and discards every message, takes
# the place of the mail host, which is another machine in production. aiosmtpd on these two
# cores cost 1 to 1.9 ms of CPU per message, more than the rest of a login besides the hash.
# smtp-sink is unpacked from Debian's postfix package, which is not installed.
sink_dir="$target_dir/bench-tools/postfix"
if [ ! -x "$sink_dir/usr/sbin/smtp-sink" ]; then
  log "unpacking smtp-sink from Debian's postfix package into $sink_dir"
  mkdir -p "$sink_dir"
  # apt-get warns that its _apt user cannot write here, and downloads as root instead.
  (cd "$sink_dir" && apt-get download postfix >/dev/null 2>&1 && dpkg -x postfix_*.deb . \
    && dpkg-deb -f postfix_*.deb Version >VERSION && rm postfix_*.deb)
fi
# exec, so that a background call's $! is the pid of smtp-sink itself, whose CPU time counts.
smtp_sink() { LD_LIBRARY_PATH="$sink_dir/usr/lib/postfix" exec "$sink_dir/usr/sbin/smtp-sink" "$@"; }

log "building the release binary"
cargo build --locked --release -p incert-api --bin incert
incert="$target_dir/release/incert"

work=$(mktemp -d)
pg_bin=$(postgres_bin_dir)
server_pid=""
smtp_pid=""
background_pids=()
cleanup() {
  for pid in "${background_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null || true
  if [ -f "$work/pg/PG_VERSION" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  [ -n "$autogroup_before" ] && echo "$autogroup_before" >"$autogroup_file" 2>/dev/null || true
}
trap cleanup EXIT

# With autogroups on, the kernel shares the CPU between sessions first and only then between
# the threads of a session, so the lower priority of the hashing threads counts only inside
# the server's own share.
if [ "$autogroup" = 0 ] && [ -w "$autogroup_file" ]; then
  autogroup_before=$(cat "$autogroup_file")
  echo 0 >"$autogroup_file"
elif [ "$autogroup" = 0 ]; then
  log "cannot turn autogroups off: $autogroup_file is not writable, so they stay as they are"
fi

# Machine and load, for the record.
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cores: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "memory: $(grep MemTotal /proc/meminfo | awk '{printf "%.1f GiB", $2 / 1048576}')"
  echo "kernel: $(uname -r)"
  echo "autogroup: $(cat "$autogroup_file" 2>/dev/null || echo unknown)"
  echo "postgresql: $("$pg_bin/postgres" --version)"
  echo "wrk: $(wrk -v 2>&1 | head -n 1)"
  echo "python: $(python3 --version)"
  echo "smtp-sink: postfix $(cat "$sink_dir/VERSION")"
  echo "sizes: accounts=$accounts certificates_per_account=$per_account seconds=$seconds single_use=$single_use rate=$rate"
} | tee "$out/machine.txt"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Results, one "name|value|unit|target|ratio|load average" line each.
results="$out/results.txt"
: >"$results"
record() { printf '%s|%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "$5" "$(loadavg)" | tee -a "$results" >&2; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }

if [ "$run_criterion" = 1 ]; then
  log "building the criterion micro-benchmarks"
  cargo bench --locked -p incert-api --bench security --no-run
fi

# Median of a criterion result line such as "time:   [14.0 ms 14.2 ms 14.5 ms]", in ms.
criterion_ms() {
  python3 - "$out/criterion.txt" "$1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
match = re.search(re.escape(sys.argv[2]) + r"\s+time:\s+\[\S+ \S+ (\S+) (\S+)", text)
if not match:
    sys.exit(1)
value, unit = float(match.group(1)), match.group(2)
print(value * {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit])
EOF
}

pg_port=$(free_port)
log "starting PostgreSQL on 127.0.0.1:$pg_port"
start_throwaway_postgres "$work" "$pg_port" -c shared_buffers=512MB -c max_wal_size=4GB
psql_bench() { "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@"; }

data="$work/data"
mkdir -p "$data"
export INCERT_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
export INCERT_DATA_DIR="$data"
export INCERT_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
export BENCH_PASSWORD=$(python3 -c 'import secrets; print("Bench-" + secrets.token_urlsafe(12))')
export INCERT_LOG_FILTER=warn

log "seeding $accounts accounts with $per_account certificates each"
seed_started=$(date +%s.%N)
"$incert" seed-benchmark --accounts "$accounts" --certificates-per-account "$per_account" \
  --batch-size "$batch_size" \
  --login-challenges "$single_use" --challenges-file "$work/challenges.txt" \
  --refresh-tokens "$((single_use + 1000))" --refresh-tokens-file "$work/refresh-tokens.txt" \
  2>&1 | tee "$out/seed.txt" >/dev/null
seed_seconds=$(python3 -c "import time; print(f'{time.time() - $seed_started:.1f}')")
certificates=$((accounts * per_account))
record "seed $accounts accounts, $certificates certificates" "$seed_seconds" "s" "300 s" "$(ratio "$seed_seconds" 300)"
# A running portal has sent the reminders due so far and each account's first-time password,
# and has vacuumed and analysed its tables. Without this, the first reminder run (70,535
# reminders at 1,000,000 accounts) and autovacuum of the new rows would fall into the
# measured runs. Prepared statements on an outbox that the planner saw empty would also keep
# plans made for an empty table.
log "recording due reminders and first-time passwords as sent, VACUUM ANALYZE"
psql_bench <<'SQL'
INSERT INTO mail_outbox (message_id, recipient, subject, body_text, created_at, next_attempt_at,
    attempts, sent_at)
SELECT '<seeded-' || id || '@incert.localhost>', email, 'Ditt lösenord till IncertOnline', '',
    created_at, created_at, 1, created_at
FROM accounts;
INSERT INTO certificate_reminders (certificate_id, kind, due_on, sent_at)
SELECT id, 'renewal_due', annual_renewal_due, now() FROM certificates
WHERE withdrawn_on IS NULL AND annual_renewal_due BETWEEN current_date - 1 AND current_date + 61
ON CONFLICT DO NOTHING;
INSERT INTO certificate_reminders (certificate_id, kind, due_on, sent_at)
SELECT id, 'recertification_due', recertification_due, now() FROM certificates
WHERE withdrawn_on IS NULL AND recertification_due BETWEEN current_date - 1 AND current_date + 61
ON CONFLICT DO NOTHING;
VACUUM ANALYZE;
CHECKPOINT;
SQL
# The last 1000 refresh tokens give access tokens for the Min Sida runs.
head -n "$single_use" "$work/refresh-tokens.txt" >"$work/refresh-run.txt"
tail -n 1000 "$work/refresh-tokens.txt" >"$work/refresh-spare.txt"

log "creating centre client credentials"
"$incert" create-centre-client --centre-name "Benchmark centre" >"$work/client.txt"
client_id=$(sed -n 's/^client_id=//p' "$work/client.txt")
client_secret=$(sed -n 's/^client_secret=//p' "$work/client.txt")

smtp_port=$(free_port)
log "starting the SMTP server on 127.0.0.1:$smtp_port"
# smtp-sink refuses to run as root without a user to switch to.
sink_user=()
[ "$(id -u)" -eq 0 ] && sink_user=(-u nobody)
smtp_sink "${sink_user[@]}" "127.0.0.1:$smtp_port" 64 >"$work/smtp.log" 2>&1 &
smtp_pid=$!
wait_for_port "$smtp_port"

port=$(free_port)
log "starting the server on 127.0.0.1:$port"
export INCERT_LISTEN="127.0.0.1:$port"
export INCERT_PUBLIC_URL="http://127.0.0.1:$port"
export INCERT_MAIL_TRANSPORT=smtp
export INCERT_SMTP_URL="smtp://127.0.0.1:$smtp_port"
export INCERT_LOGIN_CODES_PER_HOUR=1000000000
export INCERT_PUBLIC_CHECKS_PER_MINUTE=1000000000
export INCERT_ACCESS_TOKEN_SECONDS=7200
export INCERT_DATABASE_POOL_SIZE=${INCERT_DATABASE_POOL_SIZE:-8}
export INCERT_LOG_FILTER=info
base="http://127.0.0.1:$port"
started=$(date +%s.%N)
"$incert" serve >"$out/server.log" 2>&1 &
server_pid=$!
until curl -fsS -o /dev/null "$base/readyz" 2>/dev/null; do
  kill -0 "$server_pid" 2>/dev/null || { log "the server stopped; see $out/server.log"; exit 1; }
  sleep 0.01
done
startup_ms=$(python3 -c "import time; print(f'{(time.time() - $started) * 1000:.0f}')")
record "start-up to /readyz 200" "$startup_ms" "ms" "-" "-"

rss_mib() { awk -v field="$1:" '$1 == field { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }
# The hashing helpers (`incert hash-worker`, children of the server) hold the Argon2 memory.
# Prints the number of helpers and the sum of a /proc status field over them, in MiB.
helpers_rss_mib() {
  local count=0 total=0 pid
  for pid in $(pgrep -P "$server_pid" -f hash-worker || true); do
    count=$((count + 1))
    total=$((total + $(awk -v field="$1:" '$1 == field { print $2 }' "/proc/$pid/status")))
  done
  awk -v count="$count" -v total="$total" 'BEGIN { printf "%.1f (%d helpers)", total / 1024, count }'
}
record "resident memory, idle after start (VmRSS)" "$(rss_mib VmRSS)" "MiB" "-" "-"

# Access tokens of 1000 seeded accounts, for the Min Sida runs.
log "exchanging 1000 refresh tokens for access tokens"
python3 - "$base" "$work/refresh-spare.txt" >"$work/access-tokens.txt" <<'EOF'
import json, sys, urllib.request
for token in open(sys.argv[2]).read().split():
    request = urllib.request.Request(
        sys.argv[1] + "/api/v1/auth/token/refresh",
        data=json.dumps({"refresh_token": token}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        print(json.load(response)["access_token"])
EOF
head -n 1 "$work/access-tokens.txt" >"$work/access-token.txt"

wrk_rate() { sed -n 's/^Requests\/sec: *//p' "$1"; }
wrk_non200() { sed -n 's/^non_200=//p' "$1"; }
# Reads a field of fixed_rate.py's JSON output.
json_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# Seeded login challenges belong to accounts 1 to BENCH_SINGLE_USE. Logins start new
# challenges, which end the account's open ones, so they use the accounts above when there
# are any.
first_login_account=1
[ "$accounts" -gt "$single_use" ] && first_login_account=$((single_use + 1))
export BENCH_FIRST_ACCOUNT=$first_login_account

# Criterion runs right before the login run, with the server idle, because this virtual
# machine's speed drifts over minutes and the login ratio divides by the hash time.
if [ "$run_criterion" = 1 ]; then
  log "criterion micro-benchmarks"
  cargo bench --locked -p incert-api --bench security 2>&1 | tee "$out/criterion.txt" >/dev/null
fi
hash_ms=""
parallel_rate=""
if [ -f "$out/criterion.txt" ] && hash_ms=$(criterion_ms "/hash"); then
  record "argon2id hash (criterion, default parameters)" "$hash_ms" "ms" "-" "-"
  parallel_ms=$(criterion_ms "/hash on $(nproc) threads at once") && {
    parallel_rate=$(python3 -c "print(f'{$(nproc) * 1000 / $parallel_ms:.1f}')")
    record "argon2id hashes/s with every core hashing (criterion, $(nproc) at once in $parallel_ms ms)" "$parallel_rate" "/s" "-" "-"
  }
  for name in "login code HMAC-SHA256/verify" "access token HS256/issue and verify"; do
    value=$(criterion_ms "$name") && record "$name (criterion)" "$(python3 -c "print(f'{$value * 1000:.2f}')")" "µs" "-" "-"
  done
fi

log "password logins for ${seconds}s"
sent_query="SELECT count(*) FROM mail_outbox WHERE sent_at IS NOT NULL"
sent_before=$(psql_bench -tAc "$sent_query")
python3 scripts/bench/cpu_time.py snapshot "$server_pid" "$smtp_pid" >"$work/cpu-before.json"
TIMEFORMAT='%U %S'
{ time BENCH_ACCOUNTS=$accounts \
  wrk -t2 -c8 -d"${seconds}s" --latency -s scripts/bench/login.lua "$base" >"$out/login.txt"; } \
  2>"$work/wrk-time.txt"
python3 scripts/bench/cpu_time.py snapshot "$server_pid" "$smtp_pid" >"$work/cpu-after.json"
login_rate=$(wrk_rate "$out/login.txt")
# The login code emails sent while wrk ran; fewer than the logins means mail fell behind.
record "login code emails sent during the login run" "$(( $(psql_bench -tAc "$sent_query") - sent_before ))" "emails" "-" "-"
record "resident memory after the login flood (VmHWM, peak)" "$(rss_mib VmHWM)" "MiB" "-" "-"
record "resident memory of the hashing helpers after the login flood (VmHWM, sum)" "$(helpers_rss_mib VmHWM)" "MiB" "-" "-"
if [ -n "$hash_ms" ]; then
  limit=$(python3 -c "print(f'{$(nproc) * 1000 / $hash_ms:.1f}')")
  record "password logins/s (limit: cores / hash time = $limit)" "$login_rate" "/s" ">= 90 % of $limit" "$(ratio "$login_rate" "$limit")"
  if [ -n "$parallel_rate" ]; then
    record "password logins/s against the hashes/s with every core hashing ($parallel_rate)" "$login_rate" "/s" "-" "$(ratio "$login_rate" "$parallel_rate")"
  fi
else
  record "password logins/s" "$login_rate" "/s" "-" "-"
fi
record "password logins answered other than 200" "$(wrk_non200 "$out/login.txt")" "requests" "0" "-"
# Where the CPU time of a login goes, on the two cores that everything shares.
logins=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$out/login.txt")
while IFS='|' read -r part milliseconds; do
  record "CPU time per login: $part" "$milliseconds" "ms" "-" "-"
done < <(python3 scripts/bench/cpu_time.py per-request "$work/cpu-before.json" "$work/cpu-after.json" "$logins")
record "CPU time per login: wrk" "$(awk -v n="$logins" '{ printf "%.2f", ($1 + $2) * 1000 / n }' "$work/wrk-time.txt")" "ms" "-" "-"

log "client-credential grants for ${seconds}s"
cat >"$work/client-credentials.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=client_credentials&client_id=$client_id&client_secret=$client_secret"
LUA
wrk -t2 -c16 -d"${seconds}s" --latency -s "$work/client-credentials.lua" "$base/api/v1/oauth/token" \
  >"$out/client-credentials.txt"
grant_rate=$(wrk_rate "$out/client-credentials.txt")
record "client-credential grants/s" "$grant_rate" "/s" ">= 1500" "$(ratio "$grant_rate" 1500)"

for kind in code refresh; do
  case $kind in
    code) lines="$work/challenges.txt"; name="login code verifications/s" ;;
    refresh) lines="$work/refresh-run.txt"; name="token refreshes/s" ;;
  esac
  log "$name, $(wc -l <"$lines") single-use requests"
  BENCH_KIND=$kind BENCH_LINES_FILE=$lines BENCH_THREADS=2 \
    wrk -t2 -c16 -d"${seconds}s" --latency -s scripts/bench/single_use.lua "$base" >"$out/$kind.txt"
  value=$(wrk_rate "$out/$kind.txt")
  if grep -q '^exhausted=1' "$out/$kind.txt"; then
    name="$name (lower bound: all $(wc -l <"$lines") were used before the run ended)"
  fi
  record "$name" "$value" "/s" ">= 1500" "$(ratio "$value" 1500)"
  record "$name: answers other than 200" "$(wrk_non200 "$out/$kind.txt")" "requests" "0" "-"
done

# Runs fixed_rate.py for BENCH_SECONDS at BENCH_RATE and records p50 and p99 against the
# target p99 in ms. Arguments: name, target, output file, then fixed_rate.py's options.
fixed_rate() {
  local name=$1 target=$2 file=$3
  shift 3
  python3 scripts/bench/fixed_rate.py --base "$base" --rate "$rate" --seconds "$seconds" "$@" \
    >"$out/$file.json"
  record "$name p50 at $rate/s" "$(json_field "$out/$file.json" p50_ms)" "ms" "-" "-"
  local p99
  p99=$(json_field "$out/$file.json" p99_ms)
  record "$name p99 at $rate/s" "$p99" "ms" "< $target ms" "$(ratio "$p99" "$target")"
  record "$name: requests sent, achieved rate" \
    "$(json_field "$out/$file.json" requests), $(json_field "$out/$file.json" achieved_rate)/s" "-" "-" "-"
  record "$name: answers other than 200, connection errors" \
    "$(json_field "$out/$file.json" non_200), $(json_field "$out/$file.json" connection_errors)" "requests" "0" "-"
}

one_token=(--tokens-file "$work/access-token.txt")
log "fixed-rate latency, idle"
fixed_rate "GET /api/v1/me, idle," 10 me-idle --path /api/v1/me "${one_token[@]}"
fixed_rate "GET /api/v1/me/certificates, idle," 10 certificates-idle --path /api/v1/me/certificates "${one_token[@]}"

log "fixed-rate latency while logins keep the hash pool busy"
BENCH_ACCOUNTS=$accounts \
  wrk -t1 -c4 -d"$((seconds * 2 + 10))s" -s scripts/bench/login.lua "$base" >"$out/login-background.txt" &
background_pids+=($!)
sleep 2
fixed_rate "GET /api/v1/me, hash pool busy," 10 me-busy --path /api/v1/me "${one_token[@]}"
fixed_rate "GET /api/v1/me/certificates, hash pool busy," 10 certificates-busy --path /api/v1/me/certificates "${one_token[@]}"
wait "${background_pids[@]}" 2>/dev/null || true
background_pids=()
record "logins/s in the background of the busy runs" "$(wrk_rate "$out/login-background.txt")" "/s" "-" "-"
record "resident memory after the busy runs (VmRSS)" "$(rss_mib VmRSS)" "MiB" "-" "-"

log "Min Sida certificate search over 1000 accounts at $rate/s"
fixed_rate "GET /api/v1/me/certificates?q=kat, 1000 accounts," 20 min-sida-search \
  --path "/api/v1/me/certificates?q=kat" --tokens-file "$work/access-tokens.txt"
fixed_rate "GET /api/v1/me/certificates?group_by=technical_area, 1000 accounts," 20 min-sida-grouped \
  --path "/api/v1/me/certificates?group_by=technical_area" --tokens-file "$work/access-tokens.txt"
fixed_rate "GET /api/v1/me/applications, 1000 accounts," 20 min-sida-applications \
  --path "/api/v1/me/applications" --tokens-file "$work/access-tokens.txt"

log "public certificate check of random issued numbers at $rate/s"
psql_bench -At -c "SELECT '/api/v1/public/certificates/' || number FROM certificates
  ORDER BY random() LIMIT 10000" >"$work/public-paths.txt"
fixed_rate "GET /api/v1/public/certificates/{number}, 10000 random numbers," 20 public-check \
  --paths-file "$work/public-paths.txt"
record "resident memory at the end (VmRSS)" "$(rss_mib VmRSS)" "MiB" "-" "-"
record "resident memory peak (VmHWM)" "$(rss_mib VmHWM)" "MiB" "-" "-"
record "resident memory of the hashing helpers at the end (VmRSS, sum)" "$(helpers_rss_mib VmRSS)" "MiB" "-" "-"

log "query plans"
middle_account=$(psql_bench -At -c "SELECT id FROM accounts WHERE email_key = 'bench.$((accounts / 2 + 1))@example.se'")
some_number=$(psql_bench -At -c "SELECT number FROM certificates WHERE account_id = $middle_account LIMIT 1")
some_public_id=$(psql_bench -At -c "SELECT public_id FROM accounts WHERE id = $middle_account")
psql_bench >"$out/explain.txt" 2>&1 <<EOF
\echo '--- Min Sida: the caller by public id'
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM accounts WHERE public_id = '$some_public_id';
\echo '--- Min Sida: certificates of an account'
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM certificates WHERE account_id = $middle_account ORDER BY issued_on DESC, id DESC;
\echo '--- Min Sida: applications of an account'
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM applications WHERE account_id = $middle_account ORDER BY created_at DESC, id DESC;
\echo '--- public check and certificate PDF: certificate by number'
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM certificates WHERE number = '$some_number';
\echo '--- login: account by email'
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM accounts WHERE email_key = 'bench.$((accounts / 2 + 1))@example.se';
\echo '--- staff application search: applicant name or email contains text'
EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM accounts WHERE email_key LIKE '%bench.4711@%' ESCAPE '\\'
  OR lower(first_name) LIKE '%bench.4711@%' ESCAPE '\\' OR lower(last_name) LIKE '%bench.4711@%' ESCAPE '\\' LIMIT 1000;
EOF
seq_scans=$(grep -c 'Seq Scan' "$out/explain.txt" || true)
record "query plans with a sequential scan (see explain.txt)" "$seq_scans" "plans" "0" "-"

log "summary (raw outputs in $out)"
{
  printf '| measurement | value | unit | target | ratio | load average (1, 5, 15 min) |\n'
  printf '|---|---|---|---|---|---|\n'
  while IFS='|' read -r name value unit target ratio load; do
    printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$value" "$unit" "$target" "$ratio" "$load"
  done <"$results"
} | tee "$out/summary.md"
