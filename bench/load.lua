-- wrk script of bench/load.py; one flow per run, described by environment variables:
--   FLOW_METHOD, FLOW_PATH, FLOW_BODY   the request; in the path "{id}" becomes a random
--                                       integer in [FLOW_ID_MIN, FLOW_ID_MAX] and "{id07}"
--                                       the same zero-padded to 7 digits (INC0001234); in
--                                       the body "{n}" becomes a value unique to this run
--   FLOW_HEADERS                        "Name: value" lines
--   FLOW_RUN                            prefix that makes "{n}" unique across runs
-- done() prints one line "FLOWJSON {...}" for load.py.

local method = os.getenv("FLOW_METHOD") or "GET"
local path = os.getenv("FLOW_PATH") or "/"
local body = os.getenv("FLOW_BODY")
local id_min = tonumber(os.getenv("FLOW_ID_MIN") or "1")
local id_max = tonumber(os.getenv("FLOW_ID_MAX") or "1")
local run = os.getenv("FLOW_RUN") or tostring(os.time())
local headers = {}
for line in string.gmatch(os.getenv("FLOW_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end

local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

statuses = {}
local n = 0

function init(args)
  math.randomseed(os.time() + 7919 * (tid or 0))
end

function request()
  n = n + 1
  local id = math.random(id_min, id_max)
  local p = string.gsub(path, "{id07}", string.format("%07d", id))
  p = string.gsub(p, "{id}", tostring(id))
  local b = nil
  if body then
    b = string.gsub(body, "{n}", run .. "-" .. tostring(tid) .. "-" .. tostring(n))
  end
  return wrk.format(method, p, headers, b)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'FLOWJSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,' ..
    '"read":%d,"write":%d,"timeout":%d},"mean_us":%.1f,"p50_us":%d,"p90_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, table.concat(parts, ",")))
end
