-- wrk runs for a duration; the benchmark wants the same number of requests
-- for every page. Each thread stops itself after its share and appends one
-- line to a file; the benchmark (src/bin/bench/web.rs) interrupts wrk once
-- every thread has, since a stopped thread does not end wrk's run.
--
-- Arguments after `--`: requests for this thread, the file to append to,
-- then an optional Cookie header and an optional file of paths (one per
-- line) to ask in turn instead of the URL's. Every thread has its own Lua
-- state.

local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *ts);
]]
local CLOCK_MONOTONIC = 1

local function now_us()
  local ts = ffi.new("bench_timespec")
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local quota = 0
local count = 0
local marks = nil
local started = nil
local reqs = {}
local next_req = 1

-- Numbers the threads, so each starts at its own place in a path list
-- (two threads asking the same paths at once would share the server's
-- short-lived caches, which a crowd of different consumers would not).
local threads = 0
function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end

function init(args)
  quota = tonumber(args[1]) or 100
  marks = args[2]
  local headers = {}
  if args[3] ~= nil and args[3] ~= "" then
    headers["Cookie"] = args[3]
  end
  -- Built once: formatting a request per call would load the generator,
  -- not the server.
  if args[4] ~= nil and args[4] ~= "" then
    for path in io.lines(args[4]) do
      reqs[#reqs + 1] = wrk.format("GET", path, headers)
    end
    next_req = (index or 0) * math.floor(#reqs / 2) + 1
  else
    reqs[1] = wrk.format("GET", wrk.path, headers)
  end
end

function request()
  if started == nil then
    started = now_us()
  end
  local req = reqs[next_req]
  next_req = next_req % #reqs + 1
  return req
end

function response(status, headers, body)
  count = count + 1
  if count == quota then
    -- Throughput is counted from this thread's first request to its last
    -- answer, so wrk's start-up and the interruption are left out.
    local f = io.open(marks, "a")
    f:write(string.format("%d %d %d\n", started, now_us(), count))
    f:close()
    wrk.thread:stop()
  end
end

-- Latency percentiles for the benchmark (µs).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d p50_us=%d p99_us=%d max_us=%d status_errors=%d socket_errors=%d\n",
    summary.requests, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
