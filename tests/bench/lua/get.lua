-- GET of BENCH_PATH (default /healthz).
local path = os.getenv("BENCH_PATH") or "/healthz"
function request()
  return wrk.format("GET", path)
end
