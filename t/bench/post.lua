-- wrk script shared by tools/bench.sh, tools/load.sh (and the Apache
-- bench): sends FILE as the body of a POST (or a GET when FILE is "-"),
-- and counts the answers by HTTP status.  At the end it prints
--   statuses: 200=N 413=M ...
--   unexpected: N      (statuses not in EXPECT, plus bodies without MUST)
--
--   wrk -s t/bench/post.lua URL -- FILE [CONTENT-TYPE] [EXPECT] [MUST]
--
-- EXPECT: comma-separated statuses that are fine (default "200"); MUST: a
-- plain substring every answer body must contain (e.g. '"verified": true').
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   local file = args[1] or "-"
   if file ~= "-" then
      local f = assert(io.open(file, "rb"))
      wrk.body = f:read("*a")
      f:close()
      wrk.method = "POST"
      wrk.headers["Content-Type"] = args[2] or "application/octet-stream"
   else
      wrk.method = "GET"
   end
   expect = {}
   for s in string.gmatch(args[3] or "200", "%d+") do
      expect[tonumber(s)] = true
   end
   must = args[4]
   if must == "" then
      must = nil
   end
   statuses = {}
   unexpected = 0
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if not expect[status] then
      unexpected = unexpected + 1
   elseif must and not string.find(body or "", must, 1, true) then
      unexpected = unexpected + 1
   end
end

function done(summary, latency, requests)
   local total, bad = {}, 0
   for _, t in ipairs(threads) do
      local st = t:get("statuses")
      for k, v in pairs(st) do
         total[k] = (total[k] or 0) + v
      end
      bad = bad + t:get("unexpected")
   end
   local keys = {}
   for k in pairs(total) do
      table.insert(keys, k)
   end
   table.sort(keys)
   local line = "statuses:"
   for _, k in ipairs(keys) do
      line = line .. " " .. k .. "=" .. total[k]
   end
   io.write(line .. "\n")
   io.write("unexpected: " .. bad .. "\n")
   io.write(string.format("socket errors: connect=%d read=%d write=%d timeout=%d\n",
      summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.timeout))
end
