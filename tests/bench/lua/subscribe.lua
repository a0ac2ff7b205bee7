-- POST /subscribe (JSON) with a new address per request: run id (BENCH_RUN) + thread + counter.
-- BENCH_DELAY_MS > 0 paces each connection (wrk's delay() hook: the pause before sending the
-- next request on that connection; wrk's latency clock starts when the request is written).
-- BENCH_POW_FILE: one precomputed `altcha` payload per line (OPTIN_POW=on); thread t of
-- BENCH_THREADS takes lines t, t + BENCH_THREADS, ... so no solution is sent twice.
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local pow_file = os.getenv("BENCH_POW_FILE")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local solutions = nil
local made = 0

dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

function setup(thread)
  report_setup(thread)
  made = made + 1
  thread:set("tid", made)
end

local n = 0
local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }

local function pow_field()
  if not pow_file then return "" end
  if not solutions then
    solutions = {}
    local k = 0
    for line in io.lines(pow_file) do
      if k % nthreads == tid - 1 then solutions[#solutions + 1] = line end
      k = k + 1
    end
  end
  return string.format(',"altcha":"%s"', solutions[n] or "")
end

function request()
  n = n + 1
  local body = string.format('{"email":"s%s.t%d.%d@bench.example.com","list":"newsletter"%s}', run, tid, n,
                             pow_field())
  return wrk.format("POST", "/subscribe", headers, body)
end

if pause > 0 then
  function delay()
    return pause
  end
end
