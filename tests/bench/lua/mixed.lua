-- Confirm -> unsubscribe mixed load over seeded pending subscriptions. BENCH_TOKENS is a file of
-- "CONFIRM_TOKEN UNSUBSCRIBE_TOKEN" lines; thread t of BENCH_THREADS takes every t-th line. Each
-- thread alternates POST /confirm (JSON) and a one-click POST /unsubscribe of the subscription it
-- confirmed `lag` requests earlier, so the confirm has been answered before its unsubscribe.
local made = 0
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

function setup(thread)
  report_setup(thread)
  made = made + 1
  thread:set("tid", made)
end

local confirms, unsubs = {}, {}
local lag = 64
local c, u = 0, 0

function init(args)
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local i = 0
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if i % threads == tid - 1 then
      local ct, ut = line:match("^(%S+) (%S+)$")
      confirms[#confirms + 1] = ct
      unsubs[#unsubs + 1] = ut
    end
    i = i + 1
  end
end

local json = { ["Accept"] = "application/json" }
local oneclick = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function request()
  if c < #confirms and c - u <= lag then
    c = c + 1
    return wrk.format("POST", "/confirm?token=" .. confirms[c], json, "")
  end
  u = u + 1
  if u > #unsubs then u = 1 end  -- out of tokens: idempotent repeats (still 200)
  return wrk.format("POST", "/unsubscribe?token=" .. unsubs[u], oneclick, "List-Unsubscribe=One-Click")
end
