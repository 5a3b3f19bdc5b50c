-- wrk script: password logins of random seeded accounts (bench.N@example.se, N from
-- BENCH_FIRST_ACCOUNT to BENCH_ACCOUNTS) with the seeded password BENCH_PASSWORD. A login
-- ends the account's open challenges, so the range should leave out the accounts whose
-- seeded challenges a later run verifies.
local first_account = tonumber(os.getenv("BENCH_FIRST_ACCOUNT") or "1")
local accounts = tonumber(os.getenv("BENCH_ACCOUNTS"))
local password = os.getenv("BENCH_PASSWORD")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16))
  failures = 0
end

function request()
  local body = string.format('{"email":"bench.%d@example.se","password":"%s"}',
    math.random(first_account, accounts), password)
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
end

function done(summary, latency, requests_done)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
  end
  io.write(string.format("non_200=%d\n", failed))
end
