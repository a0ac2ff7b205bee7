-- POST /subscribe (JSON) with a new address per request: run id (BENCH_RUN) + thread + counter.
-- BENCH_DELAY_MS > 0 paces each connection (wrk's delay() hook: the pause before sending the
-- next request on that connection; wrk's latency clock starts when the request is written).
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local made = 0

dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

function setup(thread)
  report_setup(thread)
  made = made + 1
  thread:set("tid", made)
end

local n = 0
local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }

function request()
  n = n + 1
  local body = string.format('{"email":"s%s.t%d.%d@bench.example.com","list":"newsletter"}', run, tid, n)
  return wrk.format("POST", "/subscribe", headers, body)
end

if pause > 0 then
  function delay()
    return pause
  end
end
