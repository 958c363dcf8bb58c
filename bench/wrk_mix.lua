-- wrk script for bench/ingest.py --wrk: a realistic mix of webhook deliveries, each with a
-- fresh update_id (each run and wrk thread counts in its own range). About 85% are group chatter the
-- bot ignores (no command, not a reply to it); 15% are what it answers: commands in the group
-- and questions in private chats. The script arguments are the webhook secret and the run's number. done()
-- prints how many answers carried a bot reply (a sendMessage body).
local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  secret = args[1]
  -- the second argument numbers the run, so no two runs against one server share an id
  counter = tonumber(args[2] or "0") * 1000000000 + (thread_number + 1) * 100000000
  replies = 0
end

local group = '"chat":{"id":-1001234567890,"title":"Eleições Mogi 2024","type":"supergroup"}'
local private = '"chat":{"id":5550001,"first_name":"Ana","type":"private"}'
local template = '{"update_id":%d,"message":{"message_id":%d,"from":{"id":5550001,'
  .. '"is_bot":false,"first_name":"Ana","language_code":"pt-br"},%s,"date":1727740800,'
  .. '"text":"%s"}}'

local chatter = {
  "Quem é o candidato 22 em Braz Cubas? #Mogi2024",
  "alguém viu o debate ontem? achei fraco",
  "a Mara Bertaiolli falou de saúde no debate",
  "bom dia grupo",
  "onde eu voto? minha zona mudou",
  "o trânsito na Francisco Ferreira Lopes tá parado de novo",
  "vou votar no 45 pra prefeito",
  "kkkkkk",
}
local answered_group = { "/candidato bertaiolli", "/prefeito", "/vereadores pt", "/bairro Jundiapeba" }
local answered_private = { "Mara Bertaiolli", "quem ganhou em Braz Cubas?", "/candidato caio", "oi" }

function request()
  counter = counter + 1
  local slot = counter % 100
  local chat, text
  if slot < 85 then
    chat, text = group, chatter[counter % #chatter + 1]
  elseif slot < 92 then
    chat, text = group, answered_group[counter % #answered_group + 1]
  else
    chat, text = private, answered_private[counter % #answered_private + 1]
  end
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["X-Telegram-Bot-Api-Secret-Token"] = secret
  return wrk.format("POST", nil, headers,
    string.format(template, counter, counter % 1000000, chat, text))
end

function response(status, headers, body)
  if string.find(body, "sendMessage", 1, true) then
    replies = replies + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("replies")
  end
  io.write(string.format("bot replies: %d\n", total))
end
