-- Shared by the scenario scripts: pacing, argument files, failure counts and the JSON summary.
-- wrk asks `delay()` how long a connection waits before its next request; `common.paced` answers
-- so that requests leave at the scenario's rate with random gaps, with as many connections as
-- the scenario allows open at once. A server that falls behind shows a
-- lower rate (and the bench fails it), never a hidden queue on the client's side.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("bench_timespec")

local common = {}
local threads = {}

function common.now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

-- A delay() for `rate` requests a second. Request n leaves at n / rate seconds, moved by a random
-- amount of up to one gap either way: arrivals bunch and spread as independent ones do, while
-- the run keeps the scenario's rate exactly. Arrivals more than a second overdue are dropped.
function common.paced(rate)
  local gap, start, n = 1000 / rate, nil, 0
  return function()
    local now = common.now_ms()
    start = start or now
    if start + n * gap < now - 1000 then n = math.floor((now - start) / gap) end
    local at = start + (n + 2 * math.random() - 1) * gap
    n = n + 1
    return at > now and math.floor(at - now) or 0
  end
end

function common.setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function common.lines(path)
  local found = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(found, line) end
  end
  return found
end

-- A random hexadecimal string of `n` characters.
function common.hex(n)
  local parts = {}
  for i = 1, n do parts[i] = string.format("%x", math.random(0, 15)) end
  return table.concat(parts)
end

-- Prints one JSON line the bench reads: requests, seconds, wrk's own errors, the script's
-- counters summed over threads (`counted` answers of the judged kind, `failures` answers of the
-- wrong kind, and any named in `extra`), the first failures seen, and latency percentiles in ms.
function common.done(summary, latency, _, extra)
  local fields = {
    requests = summary.requests,
    seconds = summary.duration / 1e6,
    connect_errors = summary.errors.connect,
    read_errors = summary.errors.read,
    write_errors = summary.errors.write,
    timeouts = summary.errors.timeout,
    p50 = latency:percentile(50) / 1000,
    p95 = latency:percentile(95) / 1000,
    p99 = latency:percentile(99) / 1000,
    max = latency.max / 1000,
  }
  local samples = {}
  for _, name in ipairs({ "counted", "failures", unpack(extra or {}) }) do fields[name] = 0 end
  for _, thread in ipairs(threads) do
    for _, name in ipairs({ "counted", "failures", unpack(extra or {}) }) do
      fields[name] = fields[name] + (thread:get(name) or 0)
    end
    local first = thread:get("first_failure")
    if first then
      local text = first:gsub('[%c"\\]', function(c) return (c == '"' or c == "\\") and "\\" .. c or " " end)
      table.insert(samples, '"' .. text .. '"')
    end
  end
  local parts = {}
  for name, value in pairs(fields) do table.insert(parts, string.format('"%s": %s', name, tostring(value))) end
  table.insert(parts, '"failure_samples": [' .. table.concat(samples, ", ") .. "]")
  io.write("{" .. table.concat(parts, ", ") .. "}\n")
end

return common
