-- wrk script for bench/ingest.py: POST a fixed Telegram message with a fresh update_id each
-- time (a fixed id would only measure the duplicate path). Each wrk thread counts in its own
-- range of ids. The first script argument is the webhook secret.
local next_thread = 0

function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  secret = args[1]
  counter = (thread_number + 1) * 100000000
end

local template = '{"update_id":%d,"message":{"message_id":%d,"from":{"id":5550001,'
  .. '"is_bot":false,"first_name":"Ana","language_code":"pt-br"},"chat":{"id":-1001234567890,'
  .. '"title":"Eleições Mogi 2024","type":"supergroup"},"date":1727740800,'
  .. '"text":"Quem é o candidato 22 em Braz Cubas? #Mogi2024"}}'

function request()
  counter = counter + 1
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["X-Telegram-Bot-Api-Secret-Token"] = secret
  return wrk.format("POST", nil, headers, string.format(template, counter, counter % 1000000))
end
