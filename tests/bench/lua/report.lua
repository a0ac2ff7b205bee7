-- Loaded by every bench script (dofile): counts each answer that is not 2xx by status, keeps the
-- first bodies, and prints one "bench-report:" line at the end when anything went wrong, with
-- wrk's socket errors split by kind (wrk's own summary gives only a total of non-2xx answers).
local threads = {}
bad_status = {}  -- per thread (globals, so that done() can read them with thread:get)
bad_bodies = {}

function report_setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    bad_status[status] = (bad_status[status] or 0) + 1
    if #bad_bodies < 3 then
      bad_bodies[#bad_bodies + 1] = status .. " " .. string.sub(body or "", 1, 160)
    end
  end
end

function done(summary, latency, requests)
  local by_status, bodies, any = {}, {}, false
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("bad_status") or {}) do
      by_status[status] = (by_status[status] or 0) + n
      any = true
    end
    for _, b in ipairs(t:get("bad_bodies") or {}) do
      if #bodies < 5 then bodies[#bodies + 1] = b end
    end
  end
  local e = summary.errors
  if not any and e.connect + e.read + e.write + e.timeout == 0 then return end
  local parts = {}
  for status, n in pairs(by_status) do parts[#parts + 1] = status .. "=" .. n end
  io.write(string.format(
    "bench-report: non-2xx by status: %s; socket errors: connect=%d read=%d write=%d timeout=%d; first bodies: %s\n",
    #parts > 0 and table.concat(parts, " ") or "none", e.connect, e.read, e.write, e.timeout,
    #bodies > 0 and table.concat(bodies, " | ") or "none"))
end
