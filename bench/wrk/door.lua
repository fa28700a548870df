-- Door rush: badge scans through the scan API, distinct badges, one in ten a repeat.
-- Arguments: badge token file (one per line), bearer token, meeting slug, requests per second.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local REPEAT_SHARE = 0.1
local tokens, seen, next_fresh = {}, {}, 1
local path, headers
failures, counted = 0, 0

setup = common.setup
done = common.done

function init(args)
  math.randomseed(os.time() * 1000 + id)
  tokens = common.lines(args[1])
  path = "/api/v1/meetings/" .. args[3] .. "/scans"
  headers = { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }
  delay = common.paced(tonumber(args[4]))
end

function request()
  local token
  if #seen > 0 and math.random() < REPEAT_SHARE then
    token = seen[math.random(#seen)]
  else
    token = tokens[next_fresh]
    next_fresh = next_fresh % #tokens + 1
    table.insert(seen, token)
  end
  local body = string.format(
    '{"token": "%s", "checkpoint": "entrance", "direction": "in", "nonce": "%s", "scanned_at": "%s"}',
    token, common.hex(32), os.date("!%Y-%m-%dT%H:%M:%S+00:00"))
  return wrk.format("POST", path, headers, body)
end

function response(status, _, body)
  counted = counted + 1
  local result = status == 200 and body:match('"result"%s*:%s*"([%w_]+)"')
  if result ~= "admitted" and result ~= "already_inside" then
    failures = failures + 1
    if not first_failure then first_failure = status .. " " .. body:sub(1, 80) end
  end
end
