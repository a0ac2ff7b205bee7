-- GET of BENCH_PATH (default /healthz).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
setup = report_setup
local path = os.getenv("BENCH_PATH") or "/healthz"
function request()
  return wrk.format("GET", path)
end
