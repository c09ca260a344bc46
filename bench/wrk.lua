-- wrk script of the bench: the request comes from the environment (BENCH_METHOD, BENCH_BODY),
-- every answer is checked (status 200, and BENCH_EXPECT in the body when set), and the summary
-- is printed as JSON on the last line of the output.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local payload = os.getenv("BENCH_BODY")
if payload ~= nil and payload ~= "" then
  wrk.body = payload
  wrk.headers["Content-Type"] = "application/json"
end

local expect = os.getenv("BENCH_EXPECT")
if expect == "" then expect = nil end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- A global, so that done() can read each thread's count with thread:get().
unexpected = 0

function response(status, headers, body)
  if status ~= 200 or (expect ~= nil and not string.find(body, expect, 1, true)) then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("unexpected") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    '\n{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"unexpected":%d,' ..
      '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), bad,
    e.connect, e.read, e.write, e.status, e.timeout))
end
