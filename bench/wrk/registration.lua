-- Registration opens: applicants open the form (a session cookie and its CSRF token), then send
-- it with a fresh email address. Each sent form uses a form opened before; the bench counts the
-- applications stored (302 to the applicant's private page).
-- Arguments: meeting slug, requests per second (forms opened and sent together).
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local path
local opened = {} -- forms opened and not sent yet: {cookie, token}
failures, counted = 0, 0

setup = common.setup
done = common.done

function init(args)
  math.randomseed(os.time() * 1000 + id)
  path = "/meetings/" .. args[1] .. "/apply"
  delay = common.paced(tonumber(args[2]))
end

local function fail(why)
  failures = failures + 1
  if not first_failure then first_failure = why end
end

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  local form = table.remove(opened, 1)
  if form == nil then
    return wrk.format("GET", path)
  end
  local fields = {
    csrf_token = form.token,
    category = "civil_society",
    given_name = "Amina",
    family_name = "Bench",
    email = "applicant-" .. common.hex(24) .. "@bench.example.org",
    organisation = "Femmes Leaders du Sahel",
    country = "MLI",
    nationality = "MLI",
    motivation = "Local peacebuilding and the national action plan on women, peace and security.",
    dietary_needs = "Vegetarian",
    consent_data_processing = "y",
    consent_participant_list = "y",
  }
  local body = {}
  for name, value in pairs(fields) do table.insert(body, name .. "=" .. urlencode(value)) end
  local headers = { ["Cookie"] = form.cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }
  return wrk.format("POST", path, headers, table.concat(body, "&"))
end

function response(status, headers, body)
  if status == 302 then
    counted = counted + 1
    local location = headers["Location"] or ""
    if not location:find("/r/", 1, true) then fail("302 to " .. location) end
    return
  end
  if status ~= 200 then
    fail(status .. " " .. body:sub(1, 80))
    return
  end
  if body:find('aria-invalid="true"', 1, true) then
    -- The form came back with errors: the application was refused.
    fail("refused: " .. (body:match('<p class="error"[^>]*>(.-)</p>') or "?"))
    return
  end
  local token = body:match('name="csrf_token"[^>]*value="([^"]+)"') or body:match('value="([^"]+)"[^>]*name="csrf_token"')
  local cookie = (headers["Set-Cookie"] or ""):match("^([^;]+)")
  if token and cookie then
    table.insert(opened, { cookie = cookie, token = token })
  else
    fail("200 without a form: " .. body:sub(1, 80))
  end
end
