-- Calendar polling: calendar apps fetching the meeting's feed and personal feeds; half send the
-- ETag of their previous answer and get 304.
-- Arguments: file of "path etag" lines (the meeting feed first, then personal feeds), rate.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local feeds = {}
failures, counted, not_modified = 0, 0, 0

setup = common.setup

function init(args)
  math.randomseed(os.time() * 1000 + id)
  for _, line in ipairs(common.lines(args[1])) do
    local path, etag = line:match("^(%S+) (.+)$")
    table.insert(feeds, { path = path, etag = etag })
  end
  delay = common.paced(tonumber(args[2]))
end

function request()
  -- Half the polls are of the meeting's feed, half of someone's personal feed.
  local feed = math.random() < 0.5 and feeds[1] or feeds[math.random(2, #feeds)]
  if math.random() < 0.5 then
    return wrk.format("GET", feed.path, { ["If-None-Match"] = feed.etag })
  end
  return wrk.format("GET", feed.path)
end

function response(status, headers, body)
  counted = counted + 1
  if status == 304 then
    not_modified = not_modified + 1
  elseif status ~= 200 or not body:find("BEGIN:VCALENDAR", 1, true) then
    failures = failures + 1
    if not first_failure then first_failure = status .. " " .. body:sub(1, 80) end
  end
end

function done(summary, latency, requests)
  common.done(summary, latency, requests, { "not_modified" })
end
