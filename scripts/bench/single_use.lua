-- wrk script: sends each line of a file once, spread over wrk's threads, and stops a thread
-- when its share is used up. wrk then still divides by the whole duration, so done() prints
-- exhausted=1 to mark its requests/s as a lower bound. Environment:
--   BENCH_LINES_FILE  file with one item per line
--   BENCH_KIND        "code": lines are "challenge_id code", posted to the login code endpoint;
--                     "refresh": lines are refresh tokens, posted to the token refresh endpoint
local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  local kind = os.getenv("BENCH_KIND")
  local path = os.getenv("BENCH_LINES_FILE")
  local count = tonumber(os.getenv("BENCH_THREADS"))
  requests = {}
  local index = 0
  for line in io.lines(path) do
    if index % count == thread_index then
      if kind == "code" then
        local id, code = line:match("^(%S+) (%S+)$")
        table.insert(requests, wrk.format("POST", "/api/v1/auth/login/" .. id .. "/code",
          {["Content-Type"] = "application/json"}, '{"code":"' .. code .. '"}'))
      else
        table.insert(requests, wrk.format("POST", "/api/v1/auth/token/refresh",
          {["Content-Type"] = "application/json"}, '{"refresh_token":"' .. line .. '"}'))
      end
    end
    index = index + 1
  end
  next_request = 1
  failures = 0
  exhausted = 0
end

function request()
  local prepared = requests[next_request]
  if prepared == nil then
    exhausted = 1
    wrk.thread:stop()
    return requests[1]
  end
  next_request = next_request + 1
  return prepared
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
  if next_request > #requests then
    exhausted = 1
    wrk.thread:stop()
  end
end

function done(summary, latency, requests_done)
  local failed = 0
  local exhausted_threads = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    exhausted_threads = exhausted_threads + thread:get("exhausted")
  end
  io.write(string.format("non_200=%d\n", failed))
  io.write(string.format("exhausted=%d\n", exhausted_threads > 0 and 1 or 0))
end
