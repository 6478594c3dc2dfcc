-- Open-loop load for wrk, as wrk2 does it (wrk2 itself is not packaged): every request has a
-- scheduled send time on a fixed-rate timeline, and its latency is measured from that time, so a
-- server that stalls is charged for the requests that queued behind the stall instead of hiding
-- them (the "coordinated omission" of closed-loop tools).
--
-- Run with one connection per thread, so that each thread's callbacks follow one connection:
--   wrk -t16 -c16 -d20s -s bench/open-loop.lua http://127.0.0.1:8080/ -- <requests per second per thread>
--
-- wrk's delay() has millisecond granularity: a request due in under a millisecond is sent at once,
-- slightly early, and is then timed from its actual send; a request sent late is timed from its
-- scheduled time. Prints one line: "open-loop: ..." with percentiles in microseconds.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } tc_timespec;
  int clock_gettime(int clock_id, tc_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("tc_timespec")
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

local interval_us, start_us, slot, scheduled_us, sent_us, prepared
samples = {}
errors = 0

function init(args)
  interval_us = 1000000 / tonumber(args[1])
  slot = 0
  prepared = wrk.format()
end

local function ensure_started()
  if start_us == nil then
    -- Threads are spread over one interval so that they do not all send at the same instant.
    start_us = now_us() + interval_us * ((thread_number or 1) % 16) / 16
    scheduled_us = start_us
  end
end

-- Claims the next slot on this thread's timeline and waits (whole milliseconds) until it is due.
function delay()
  ensure_started()
  slot = slot + 1
  scheduled_us = start_us + slot * interval_us
  local wait_ms = (scheduled_us - now_us()) / 1000
  if wait_ms < 1 then
    return 0
  end
  return math.floor(wait_ms)
end

function request()
  ensure_started()
  sent_us = now_us()
  return prepared
end

function response(status, headers, body)
  local from = scheduled_us
  if sent_us < from then
    from = sent_us
  end
  samples[#samples + 1] = now_us() - from
  if status < 200 or status > 399 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local all = {}
  local failed = 0
  for _, thread in ipairs(threads) do
    local taken = thread:get("samples")
    for i = 1, #taken do
      all[#all + 1] = taken[i]
    end
    failed = failed + thread:get("errors")
  end
  table.sort(all)
  local function at(p)
    if #all == 0 then
      return 0
    end
    local index = math.ceil(p / 100 * #all)
    if index < 1 then index = 1 end
    return all[index]
  end
  local seconds = summary.duration / 1000000
  io.write(string.format(
      "open-loop: requests=%d rate=%.0f p50=%.0f p90=%.0f p99=%.0f p999=%.0f max=%.0f errors=%d socket_errors=%d\n",
      #all, #all / seconds, at(50), at(90), at(99), at(99.9), at(100), failed,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
