-- The raw zone's {{raw_source}}/ objects as an Athena table: one row per line of an object (a Telegram update or a bot event is one JSON line, no newline inside or after it), partitioned by context_date with projection, so a new day needs no MSCK REPAIR.
CREATE EXTERNAL TABLE IF NOT EXISTS {{database}}.{{raw_table}} (
  body string
)
PARTITIONED BY (context_date string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '\u0001' LINES TERMINATED BY '\n'
STORED AS TEXTFILE
LOCATION '{{raw_location}}{{raw_source}}/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.context_date.type' = 'date',
  'projection.context_date.format' = 'yyyy-MM-dd',
  'projection.context_date.range' = '2024-01-01,NOW',
  'projection.context_date.interval' = '1',
  'projection.context_date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{raw_location}}{{raw_source}}/context_date=${context_date}/'
)
