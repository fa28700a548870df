-- A host signed in, going through the list pages of the 10,000-person meeting: each list's first
-- page, and what a host does next on it (a filter, a search, the next page).
-- Arguments: meeting slug, the signed-in host's Cookie header, rate.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local PAGES = {
  "registrations", "registrations?status=approved&category=delegate", "registrations?q={q}",
  "registrations?page=2", "review", "review?status=submitted&page=2", "attendance", "delegations",
  "catering", "badges", "badges?page=2",
}
-- A name, a full name, an organisation and a name in another script (URL-encoded).
local SEARCHES = { "Diallo", "Amina%20Diallo", "peace", "%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0" }
local base, headers
failures, counted = 0, 0

setup = common.setup
done = common.done

function init(args)
  math.randomseed(os.time() * 1000 + id)
  base = "/meetings/" .. args[1] .. "/"
  headers = { ["Cookie"] = args[2] }
  delay = common.paced(tonumber(args[3]))
end

function request()
  local search = SEARCHES[math.random(#SEARCHES)]
  local page = PAGES[math.random(#PAGES)]:gsub("{q}", function() return search end)
  return wrk.format("GET", base .. page, headers)
end

function response(status, _, body)
  counted = counted + 1
  if status ~= 200 then
    failures = failures + 1
    if not first_failure then first_failure = status .. " " .. body:sub(1, 80) end
  end
end
